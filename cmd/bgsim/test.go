package main

import (
	"errors"
	"flag"
	"fmt"
	"runtime"

	"bgsim/model"
	"bgsim/report"
	"bgsim/scenarios"
)

type testFlags struct {
	seeds   *int
	workers *int
	junit   *string
	format  *string
}

func init() {
	commands = append(commands, &command{
		name:    "test",
		args:    "[PATH|NAME ...]",
		summary: "run scenarios as a regression suite and check their expectations",
		detail: `Runs every scenario found (files; directories, walked for *.yaml; embedded
names; with no argument, the whole embedded library), every variant, and checks
each variant's expect: block. Prints one line per scenario and variant, then
the failures with the line of each expectation, then "N passed, N failed".

Exit codes: 0 when every expectation holds, 1 when any fails (or a run fails,
or the output cannot be written), 2 when a scenario cannot be loaded or the
--junit file cannot be written (checked before anything runs), 3 for a bug in
bgsim (an internal error).`,
		flags: func(fs *flag.FlagSet) any {
			return &testFlags{
				seeds:   fs.Int("seeds", 1, "run each scenario on this many seeds, from its own, and fail if any seed fails"),
				workers: fs.Int("workers", runtime.NumCPU(), "scenarios run in parallel (at most 4 per core: more are clamped)"),
				junit:   fs.String("junit", "", "also write JUnit XML to this file"),
				format:  fs.String("format", "text", "output: text or json"),
			}
		},
		run: runTest,
	})
}

func runTest(std *stdio, opts any, args []string) int {
	f := opts.(*testFlags)
	if *f.format != "text" && *f.format != "json" {
		fmt.Fprintf(std.err, "bgsim test: unknown format %q: want text or json\n", *f.format)
		return exitUsage
	}
	if *f.seeds < 1 || *f.seeds > 10_000 {
		fmt.Fprintf(std.err, "bgsim test: --seeds must be 1 to 10000, got %d\n", *f.seeds)
		return exitUsage
	}
	if *f.workers < 1 {
		fmt.Fprintf(std.err, "bgsim test: --workers must be at least 1, got %d\n", *f.workers)
		return exitUsage
	}
	// The JUnit file is opened before anything runs: a path that cannot
	// be written fails at once, and a file is never left half written.
	var junit *outputFile
	defer func() { junit.Abort() }()
	if *f.junit != "" {
		var err error
		if junit, err = createOutput(*f.junit, args...); err != nil {
			fmt.Fprintf(std.err, "bgsim test: --junit: %v\n", err)
			return exitUsage
		}
	}
	scs, err := scenarios.Collect(args)
	if err != nil {
		fmt.Fprintln(std.err, safeLines(err.Error()))
		fmt.Fprintln(std.err, "bgsim test: fix the scenarios above; nothing was run")
		return exitUsage
	}
	suite := scenarios.RunSuite(scs, *f.seeds, *f.workers)
	cases := toReport(suite)
	// The results are printed whatever becomes of the JUnit file: a CI
	// log that shows them is worth more than a clean exit.
	if *f.format == "json" {
		err = report.SuiteJSON(std.out, cases)
	} else {
		err = report.SuiteText(std.out, cases)
	}
	if err != nil {
		fmt.Fprintf(std.err, "bgsim test: %v\n", err)
		return exitFail
	}
	if junit != nil {
		err := report.JUnit(junit.Writer(), cases)
		if err == nil {
			err = junit.Commit()
		}
		if err != nil {
			fmt.Fprintf(std.err, "bgsim test: writing JUnit: %v\n", err)
			return exitFail
		}
	}
	code := exitOK
	for i := range suite {
		var ie *model.InternalError
		if errors.As(suite[i].Err, &ie) {
			fmt.Fprintf(std.err, "bgsim test: %v\nThis is a bug in bgsim, not in the scenario; please report it with this trace:\n%s", ie, ie.Stack)
			return exitInternal
		}
		if !cases[i].Passed() {
			code = exitFail
		}
	}
	return code
}

// toReport converts the suite's cases for the report package.
func toReport(cs []scenarios.Case) []report.SuiteCase {
	var out []report.SuiteCase
	for _, c := range cs {
		rc := report.SuiteCase{Scenario: c.Scenario.Name, Variant: c.Variant, File: c.Scenario.File, Seeds: c.Seeds, Duration: c.Duration}
		if c.Err != nil {
			rc.Error = c.Err.Error()
		}
		for _, f := range c.Failures {
			rc.Failures = append(rc.Failures, report.SuiteFailure{Seed: f.Seed, Expectation: f.What, Expected: f.Expected,
				Actual: f.Actual, File: f.File, Line: f.Pos.Line})
		}
		out = append(out, rc)
	}
	return out
}
