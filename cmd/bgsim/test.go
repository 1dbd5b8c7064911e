package main

import (
	"errors"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/report"
	bgrun "github.com/bgsim/bgsim/run"
	"github.com/bgsim/bgsim/scenarios"
)

type testFlags struct {
	seeds   *int
	workers *int
	junit   *string
	format  *string
	strict  *bool
}

func init() {
	commands = append(commands, &command{
		name:    "test",
		args:    "[PATH|NAME ...]",
		summary: "run scenarios as a regression suite and check their expectations",
		detail: `Runs every scenario found (files; directories, walked for *.yaml and *.yml;
embedded names; with no argument, the whole embedded library), every variant,
and checks each variant's expect: block. Walking a directory skips, as the go
tool does, directories and files whose names start with "." or "_", and
directories named testdata: a repository's .github/workflows is not read.

Prints one line per scenario and variant (ok, FAIL, or SKIP for a scenario
without an expect: block, which checks nothing), then the failures with the
line of each expectation, then "N passed, N failed". A file that does not
load is one failed test, with its problems; the others still run. When two
scenarios share a name, each is named by its path under the argument.

Formats: text; json (a stable contract); github, the text followed by a
GitHub Actions annotation (::error file=...,line=...::) for each failure, so
that they show on the pull request's files. --junit writes JUnit XML as
Jenkins, GitLab and GitHub's test reporters read it, whatever the outcome.
docs/ci.md has workflows for GitHub Actions and GitLab CI.

Exit codes: 0 when every expectation holds, 1 when any fails (or a file does
not load, a run fails, or the output cannot be written), 2 when an argument
names nothing (no such file, no scenarios in a directory) or the --junit file
cannot be written (checked before anything runs), 3 for a bug in bgsim.`,
		flags: func(fs *flag.FlagSet) any {
			return &testFlags{
				seeds:   fs.Int("seeds", 1, "run each scenario on this many seeds, from its own, and fail if any seed fails"),
				workers: fs.Int("workers", runtime.NumCPU(), "scenarios run in parallel (at most 4 per core: more are clamped)"),
				junit:   fs.String("junit", "", "also write JUnit XML to this file"),
				format:  fs.String("format", "text", "output: text, json or github"),
				strict:  fs.Bool("strict", false, "a scenario without an expect: block fails instead of being counted apart"),
			}
		},
		run: runTest,
	})
}

func runTest(std *stdio, opts any, args []string) int {
	f := opts.(*testFlags)
	switch *f.format {
	case "text", "json", "github":
	default:
		fmt.Fprintf(std.err, "bgsim test: unknown format %q: want text, json or github\n", *f.format)
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
	start := time.Now()
	found, err := bgrun.Find(args)
	if err != nil {
		fmt.Fprintln(std.err, safeLines(err.Error()))
		fmt.Fprintln(std.err, "bgsim test: fix the arguments above; nothing was run")
		return exitUsage
	}
	var scs []*scenarios.Scenario
	for _, fd := range found {
		if fd.Err == nil {
			scs = append(scs, fd.Scenario)
		}
	}
	suite := bgrun.Suite(scs, *f.seeds, *f.workers)
	cases := suiteCases(found, suite, *f.strict)
	// The results are printed whatever becomes of the JUnit file: a CI
	// log that shows them is worth more than a clean exit.
	switch *f.format {
	case "json":
		err = report.SuiteJSON(std.out, cases)
	case "github":
		if err = report.SuiteText(std.out, cases); err == nil {
			err = report.SuiteGitHub(std.out, cases)
		}
	default:
		err = report.SuiteText(std.out, cases)
	}
	if err != nil {
		fmt.Fprintf(std.err, "bgsim test: %v\n", err)
		return exitFail
	}
	if junit != nil {
		err := report.JUnit(junit.Writer(), cases, start)
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
	}
	for i := range cases {
		if !cases[i].Passed() {
			code = exitFail
		}
	}
	return code
}

// suiteCases puts the files that did not load and the cases that ran
// back in the order they were found, each under its test name: the
// scenario's name, or its path when two share a name or the file did
// not load.
func suiteCases(found []bgrun.Found, suite []bgrun.Case, strict bool) []report.SuiteCase {
	byName := map[string]int{}
	for _, fd := range found {
		if fd.Err == nil {
			byName[fd.Scenario.Name]++
		}
	}
	var out []report.SuiteCase
	next := 0
	for _, fd := range found {
		if fd.Err != nil {
			out = append(out, report.SuiteCase{Test: fd.Rel, File: fd.Path, Line: 1, LoadError: loadErrorText(fd.Err)})
			continue
		}
		test := fd.Scenario.Name
		if byName[test] > 1 {
			test = fd.Rel
		}
		for next < len(suite) && suite[next].Scenario == fd.Scenario {
			rc := toReport(suite[next])
			rc.Test = test
			if rc.NoExpectations && strict {
				rc.Failures = append(rc.Failures, report.SuiteFailure{Seed: suite[next].Seeds[0], Expectation: "expect",
					Expected: "an expect: block (--strict)", Actual: "no expect: block", File: rc.File, Line: rc.Line})
			}
			out = append(out, rc)
			next++
		}
	}
	return out
}

// loadErrorText is every problem of a file that did not load, one per
// line.
func loadErrorText(err error) string {
	var es scenarios.Errors
	if errors.As(err, &es) {
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = e.Error()
		}
		return strings.Join(lines, "\n")
	}
	return err.Error()
}

// toReport converts one case of the suite for the report package.
func toReport(c bgrun.Case) report.SuiteCase {
	rc := report.SuiteCase{Scenario: c.Scenario.Name, Variant: c.Variant, File: c.Scenario.File, Line: c.Scenario.Line,
		Seeds: c.Seeds, Duration: c.Duration}
	for _, v := range c.Scenario.Variants {
		if v.Name == c.Variant {
			rc.Line = v.Line
			rc.NoExpectations = v.Expect == nil
		}
	}
	if c.Err != nil {
		rc.Error = c.Err.Error()
	}
	for _, f := range c.Failures {
		rc.Failures = append(rc.Failures, report.SuiteFailure{Seed: f.Seed, Expectation: f.What, Expected: f.Expected,
			Actual: f.Actual, File: f.File, Line: f.Pos.Line})
	}
	return rc
}
