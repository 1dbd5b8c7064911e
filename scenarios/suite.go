package scenarios

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"bgsim/model"
)

// Collect loads the scenarios that command-line arguments name: files,
// directories (walked for *.yaml, in lexical order) and embedded names.
// No argument means the whole embedded library. Every file that fails to
// load is reported; the error joins them.
func Collect(args []string) ([]*Scenario, error) {
	if len(args) == 0 {
		args = Names()
	}
	var out []*Scenario
	var errs []string
	load := func(sc *Scenario, err error) {
		if err != nil {
			errs = append(errs, err.Error())
			return
		}
		out = append(out, sc)
	}
	for _, arg := range args {
		fi, err := os.Stat(arg)
		switch {
		case err == nil && fi.IsDir():
			var files []string
			err := filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if !d.IsDir() && strings.HasSuffix(path, ".yaml") {
					files = append(files, path)
				}
				return nil
			})
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			if len(files) == 0 {
				errs = append(errs, fmt.Sprintf("%s: no *.yaml scenarios in this directory", arg))
			}
			for _, f := range files {
				load(LoadFile(f))
			}
		case err == nil:
			load(LoadFile(arg))
		default:
			load(Resolve(arg))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// Case is the outcome of one variant of one scenario over every seed.
type Case struct {
	Scenario *Scenario
	Variant  string
	Seeds    []uint64  // the seeds it ran on
	Failures []Failure // failed expectations, seed by seed
	Err      error     // the run itself failed (a limit, a model error)
	Duration time.Duration
}

// Passed tells whether every seed ran and met every expectation.
func (c *Case) Passed() bool { return c.Err == nil && len(c.Failures) == 0 }

// RunSuite runs every scenario on seeds consecutive seeds from its own,
// workers at a time, checks the expectations, and returns one Case per
// scenario and variant in input order, whatever the number of workers.
func RunSuite(scs []*Scenario, seeds, workers int) []Case {
	seeds = max(seeds, 1)
	workers = workersFor(workers)
	type job struct{ sc, k int }
	var jobs []job
	for i := range scs {
		for k := range seeds {
			jobs = append(jobs, job{i, k})
		}
	}
	// Each job writes only its own slot: no shared mutable state, and the
	// order of the output never depends on scheduling.
	outcomes := make([]outcome, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				sc := scs[jobs[j].sc]
				outcomes[j] = sc.runTimed(sc.Variants[0].Config.Seed + uint64(jobs[j].k))
			}
		}()
	}
	for j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()

	var cases []Case
	for i, sc := range scs {
		for vi, v := range sc.Variants {
			c := Case{Scenario: sc, Variant: v.Name}
			for k := range seeds {
				o := outcomes[i*seeds+k]
				c.Seeds = append(c.Seeds, o.seed)
				if o.err != nil && c.Err == nil {
					c.Err = o.err
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
	failures []Failure
	err      error
	took     []time.Duration // by variant
}

// runTimed runs each variant on seed, timing each, and checks the
// expectations over all of them (ratios compare variants).
func (sc *Scenario) runTimed(seed uint64) outcome {
	o := outcome{seed: seed}
	var results []*model.Result
	for _, v := range sc.Variants {
		start := time.Now()
		rs, err := sc.Run(RunOptions{Seed: &seed, Variant: v.Name})
		o.took = append(o.took, time.Since(start))
		if err != nil {
			o.err = err
			return o
		}
		results = append(results, rs...)
	}
	o.failures = sc.Check(results)
	return o
}
