package explore

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Exploring from snapshots. A schedule's run is its parent's run (the
// schedule without its last fault) up to the last fault's moment, and
// the parent's run has been made already: so each schedule forks the
// parent, a model.Live brought to the moment, injects the fault, and runs
// on from there, instead of replaying the prefix from time zero. A fork
// finishes exactly as the replay would (model's TestForkIsReplay), so the
// report is the same (TestSnapshotsReportAsReplays).

// branch explores every schedule of one to Depth faults from snapshots.
// Worker w of W runs each variant as written once and takes every W-th of
// its moments, each with every fault kind; the tallies merge by sums and
// minimums, so the report does not depend on W.
func (e *explorer) branch(roots []node) ([]tally, error) {
	var total int64
	offsets := make([]int, len(roots)) // the index of each root's first child among all
	moments := 1                       // the most moments of a root: more workers would have none
	for j, root := range roots {
		offsets[j] = int(total)
		children := e.children(root.variant, root.res, root.moments, nil)
		total += int64(len(children))
		n := 0
		for i, f := range children {
			if i == 0 || f.At != children[i-1].At {
				n++
			}
		}
		moments = max(moments, n)
	}
	if e.opt.Shards > 0 {
		total /= int64(e.opt.Shards)
	}
	if total+e.runs.Load() > e.max {
		return nil, e.tooMany(total + e.runs.Load())
	}
	workers := min(e.opt.Workers, moments)
	tallies := make([]tally, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var p pool
			for j, root := range roots {
				if err := e.branchRoot(&tallies[w], &p, root, offsets[j], w, workers); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return tallies, errors.Join(errs...)
}

// branchRoot explores, from root, the schedules whose first fault comes
// at the root's moments w, w+W, w+2W... With Options.Shards, only the
// first faults of this slice: the root's children are the units offset,
// offset+1, ... of the whole, dealt out to the slices in turn as replay
// deals them.
func (e *explorer) branchRoot(t *tally, p *pool, root node, offset, w, workers int) error {
	live, err := model.Start(e.config(root.variant, nil))
	if err != nil {
		return err
	}
	children := e.children(root.variant, root.res, root.moments, nil)
	moment := -1
	var at sim.Time
	for i, f := range children {
		if moment < 0 || f.At != at {
			moment, at = moment+1, f.At
		}
		if moment%workers != w || e.opt.Shards > 0 && (offset+i)%e.opt.Shards != e.opt.Shard-1 {
			continue
		}
		if err := live.RunUntil(f.At); err != nil {
			return err
		}
		if err := e.fork(t, p, root.variant, []Fault{f}, live, root.fails); err != nil {
			return err
		}
	}
	return nil
}

// fork runs schedule faults from parent, the run of faults without the
// last one brought to the last one's moment, and, depth allowing, every
// schedule that adds a later fault to it. parentFails are how the
// parent's run failed.
func (e *explorer) fork(t *tally, p *pool, v int, faults []Fault, parent *model.Live, parentFails []key) error {
	if e.runs.Add(1) > e.max {
		return e.tooMany(e.runs.Load())
	}
	f := faults[len(faults)-1]
	d := len(faults) - 1
	l := parent.ForkInto(p.runs[d])
	p.runs[d] = l
	step, err := l.Inject(f.step())
	if end, ok := f.end(); ok && err == nil {
		// The step that ends a fault that lasts, in the future.
		_, err = l.Inject(end)
	}
	if errors.Is(err, model.ErrNotForkable) {
		// Replay it from time zero instead (never so far in the
		// embedded scenarios).
		e.runs.Add(-1)
		e.replayed.Add(1)
		var r model.Runner
		var moments []sim.Time
		return e.search(&r, t, unit{variant: v, faults: slices.Clone(faults)}, &moments)
	}
	if err != nil {
		return err
	}
	deeper := len(faults) < e.opt.Depth
	var next *model.Live
	if deeper {
		// The world before the fault's step fires, for the faults that
		// follow it at its own instant.
		next = l.ForkInto(p.next[d])
		p.next[d] = next
		l.RecordMoments()
	}
	ignored, err := l.RunThrough(step)
	if err != nil {
		return fmt.Errorf("%s: %w", describeSchedule(e.sc.Variants[v].Name, faults), err)
	}
	if ignored {
		// The model ignored the fault: the world after it is the world
		// before it, and the run is its parent's. Every schedule that
		// adds faults after it is one without it, explored already.
		t.add(v, faults, 0, parentFails)
		t.pruned++
		return nil
	}
	res, err := l.Finish()
	if err != nil {
		return fmt.Errorf("%s: %w", describeSchedule(e.sc.Variants[v].Name, faults), err)
	}
	fails := e.violations(v, res)
	t.add(v, faults, 0, fails)
	if !deeper {
		return nil
	}
	for _, g := range e.children(v, res, l.Moments(), faults) {
		if err := next.RunUntil(g.At); err != nil {
			return err
		}
		if err := e.fork(t, p, v, append(slices.Clone(faults), g), next, fails); err != nil {
			return err
		}
	}
	return nil
}

// pool is a worker's runs, by depth, whose memory each fork reuses: the
// run of the schedule being explored, and its copy from before its last
// fault fired, which the schedules that add faults fork from.
type pool struct {
	runs, next [MaxDepth]*model.Live
}

// A run keeps model.MaxInjected sequence numbers for injected steps: at
// least two for each of the deepest schedule's faults (a fault that lasts
// has a step that ends it).
var _ [model.MaxInjected - 2*MaxDepth]struct{}
