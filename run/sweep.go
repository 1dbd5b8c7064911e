package run

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/shard"
	"github.com/bgsim/bgsim/sim"
)

// RunError is a sweep run that could not run at all: its configuration
// failed the model's checks (a drawn value that breaks a rule between
// parameters, say), or the model itself failed. Unlike a run that exceeds
// a limit, which the statistics count, it is never a statistic: the sweep
// stops at the first one, in run order.
type RunError struct {
	Run, Point, Variant int
	Seed                uint64
	Where               string // the variant, the grid point and the values drawn, in words
	Err                 error
}

func (e *RunError) Error() string {
	return fmt.Sprintf("run %d (seed %d) of %s could not run: %v", e.Run, e.Seed, e.Where, e.Err)
}

func (e *RunError) Unwrap() error { return e.Err }

// runError describes a failed run i of the sweep.
func runError(s *scenarios.Sweep, i int, seed uint64, draws []float64, err error) *RunError {
	k, g, v := s.Job(i)
	where := "the base scenario"
	if name := s.Scenario.Variants[v].Name; name != "" {
		where = "variant " + name
	}
	where += fmt.Sprintf(", point %d", g)
	var vals []string
	for j, p := range s.Params {
		vals = append(vals, p.Path+"="+p.Format(draws[j]))
	}
	if len(vals) > 0 {
		where += ", with " + strings.Join(vals, " ")
	}
	return &RunError{Run: k, Point: g, Variant: v, Seed: seed, Where: where, Err: err}
}

// isLimit tells whether a run's error is a limit it exceeded (its event
// budget, the kernel's capacity): an outcome the statistics count.
func isLimit(err error) bool {
	var be *sim.BudgetError
	var ce *sim.CapacityError
	return errors.As(err, &be) || errors.As(err, &ce)
}

// sweepChunk is how many consecutive runs a worker claims at once.
const sweepChunk = 32

// sweepRun is one run's outcome: its record, or the error that kept it
// from running.
type sweepRun struct {
	rec  model.RunRecord
	fail *RunError
}

// Sweep runs sweep runs [from, to) on workers goroutines and hands each
// run's record to emit in order of run index, whatever the workers (see
// ordered), so that what emit builds does not depend on how the work was
// spread. A run that exceeds a limit is a record with Err set; a run that
// cannot run at all (see RunError) stops the sweep: the records before it
// are emitted, and Sweep returns its error. emit returns whether to go
// on: a caller that can no longer use the records (its output failed)
// stops the sweep instead of computing the rest.
func Sweep(s *scenarios.Sweep, from, to, workers int, emit func(model.RunRecord) bool) error {
	var fail *RunError
	ordered(to-from, workers, sweepChunk, func() func(int) (sweepRun, bool) {
		var runner model.Runner // one per goroutine: no shared state
		return func(j int) (sweepRun, bool) {
			i := from + j
			cfg, draws := s.Config(i)
			k, g, v := s.Job(i)
			var rec model.RunRecord
			if r, err := runner.Run(cfg); err != nil {
				if !isLimit(err) {
					return sweepRun{fail: runError(s, i, cfg.Seed, draws, err)}, false
				}
				rec.Err = err.Error()
			} else {
				rec = model.Record(r)
			}
			rec.Run, rec.Point, rec.Variant, rec.Seed, rec.Draws = k, g, v, cfg.Seed, draws
			return sweepRun{rec: rec}, true
		}
	}, func(_ int, r sweepRun) bool {
		if r.fail != nil {
			fail = r.fail
			return false
		}
		return emit(r.rec)
	})
	if fail != nil {
		return fail
	}
	return nil
}

// Shard returns the runs [from, to) of shard k of n (1-based) of a sweep:
// contiguous slices of whole draws, so that merging shards in order
// replays the single-machine order exactly.
func Shard(s *scenarios.Sweep, k, n int) (from, to int) {
	return shard.Range(s.Runs, len(s.Points)*len(s.Scenario.Variants), k, n)
}
