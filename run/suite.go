package run

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
)

// Found is one scenario a command-line argument names: loaded, or the
// error that kept it from loading.
type Found struct {
	// Path is the file, or "NAME.yaml (embedded)".
	Path string
	// Rel is Path relative to the directory argument it was found under,
	// or the argument itself.
	Rel      string
	Scenario *scenarios.Scenario // nil when Err is set
	Err      error
}

// scenarioFile tells whether a file name is a scenario's: *.yaml or
// *.yml.
func scenarioFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// ignoredDir tells whether a directory met while walking is skipped, by
// the go tool's rule: names starting with "." or "_", and testdata. A
// repository's .github/workflows holds YAML that is not a scenario.
func ignoredDir(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata"
}

// Find loads the scenarios that command-line arguments name: files,
// directories (walked for *.yaml and *.yml in lexical order, skipping
// directories and files whose names start with "." or "_", and
// testdata) and embedded names. No argument means the whole embedded
// library. A file that does not load is returned with its error, so that
// the others still run; the error returned is for arguments that name
// nothing at all (a missing path, a directory without scenarios).
func Find(args []string) ([]Found, error) {
	if len(args) == 0 {
		args = scenarios.Names()
	}
	var out []Found
	var errs []string
	for _, arg := range args {
		fi, err := os.Stat(arg)
		switch {
		case err == nil && fi.IsDir():
			n := len(out)
			err := filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if path == arg {
					return nil
				}
				if d.IsDir() {
					if ignoredDir(d.Name()) {
						return filepath.SkipDir
					}
					return nil
				}
				if ignoredDir(d.Name()) || !scenarioFile(d.Name()) {
					return nil
				}
				rel, rerr := filepath.Rel(arg, path)
				if rerr != nil {
					rel = path
				}
				sc, lerr := scenarios.LoadFile(path)
				out = append(out, Found{Path: path, Rel: filepath.ToSlash(rel), Scenario: sc, Err: lerr})
				return nil
			})
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			if len(out) == n {
				errs = append(errs, fmt.Sprintf("%s: no *.yaml or *.yml scenarios in this directory (directories starting with . or _, and testdata, are skipped)", arg))
			}
		case err == nil:
			sc, lerr := scenarios.LoadFile(arg)
			out = append(out, Found{Path: arg, Rel: arg, Scenario: sc, Err: lerr})
		default:
			sc, rerr := scenarios.Resolve(arg)
			if errors.Is(rerr, scenarios.ErrNotFound) {
				errs = append(errs, rerr.Error())
				continue
			}
			path := arg
			if sc != nil {
				path = sc.File
			}
			out = append(out, Found{Path: path, Rel: arg, Scenario: sc, Err: rerr})
		}
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// Case is the outcome of one variant of one scenario over every seed.
type Case struct {
	Scenario *scenarios.Scenario
	Variant  string
	Seeds    []uint64            // the seeds it ran on
	Failures []scenarios.Failure // failed expectations, seed by seed
	Err      error               // the run itself failed (a limit, a model error)
	Duration time.Duration
}

// Passed tells whether every seed ran and met every expectation.
func (c *Case) Passed() bool { return c.Err == nil && len(c.Failures) == 0 }

// Suite runs every scenario on seeds consecutive seeds from its own,
// workers at a time, checks the expectations, and returns one Case per
// scenario and variant in input order, whatever the number of workers.
func Suite(scs []*scenarios.Scenario, seeds, workers int) []Case {
	seeds = max(seeds, 1)
	type job struct{ sc, k int }
	var jobs []job
	for i := range scs {
		for k := range seeds {
			jobs = append(jobs, job{i, k})
		}
	}
	outcomes := make([]outcome, len(jobs))
	ordered(len(jobs), workers, 1, func() func(int) (outcome, bool) {
		return func(j int) (outcome, bool) {
			sc := scs[jobs[j].sc]
			return runTimed(sc, sc.Variants[0].Config.Seed+uint64(jobs[j].k)), true
		}
	}, func(j int, o outcome) bool {
		outcomes[j] = o
		return true
	})

	var cases []Case
	for i, sc := range scs {
		for vi, v := range sc.Variants {
			c := Case{Scenario: sc, Variant: v.Name}
			for k := range seeds {
				o := outcomes[i*seeds+k]
				c.Seeds = append(c.Seeds, o.seed)
				if err := o.errFor(vi, v.Name); err != nil && c.Err == nil {
					c.Err = err
				}
				if vi < len(o.took) {
					c.Duration += o.took[vi]
				}
				for _, f := range o.failures {
					if f.Variant == v.Name {
						c.Failures = append(c.Failures, f)
					}
				}
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// outcome is one run of every variant of a scenario on one seed.
type outcome struct {
	seed     uint64
	failures []scenarios.Failure
	errs     []error         // by variant: the variant's own error, or nil
	took     []time.Duration // by variant
}

// errFor is variant vi's error: its own, or, when another variant of the
// scenario failed, that its expectations could not be checked (an
// expectation may compare variants).
func (o *outcome) errFor(vi int, name string) error {
	if o.errs[vi] != nil {
		return o.errs[vi]
	}
	for j, err := range o.errs {
		if err != nil {
			return fmt.Errorf("expectations not checked: another variant of the scenario failed (%v), and expectations may compare variants", o.errs[j])
		}
	}
	return nil
}

// runTimed runs each variant on seed, timing each, and checks the
// expectations over all of them (ratios compare variants).
func runTimed(sc *scenarios.Scenario, seed uint64) outcome {
	o := outcome{seed: seed}
	var results []*model.Result
	failed := false
	for _, v := range sc.Variants {
		start := time.Now()
		rs, err := sc.Run(scenarios.RunOptions{Seed: &seed, Variant: v.Name})
		o.took = append(o.took, time.Since(start))
		o.errs = append(o.errs, err)
		if err != nil {
			failed = true
			continue // every variant runs, and each answers for itself
		}
		results = append(results, rs...)
	}
	if !failed {
		o.failures = sc.Check(results)
	}
	return o
}
