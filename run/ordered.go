package run

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// workerLimit is the most goroutines a suite or a sweep runs at once: four
// per core. More are no faster (the runs are pure computation) and each
// holds a simulation's memory and a window of results.
func workerLimit() int { return 4 * runtime.GOMAXPROCS(0) }

// workersFor clamps a requested number of workers to [1, workerLimit()].
func workersFor(requested int) int { return min(max(requested, 1), workerLimit()) }

// ordered computes work(i) for i in [0, n) on workers goroutines (clamped
// to [1, four per core]) and hands each result to emit in order of i,
// whatever the workers, on the caller's goroutine.
//
// worker is called once per goroutine and returns that goroutine's work
// function, so that state a worker reuses (a model.Runner) is never
// shared. work returns a result and whether to go on: false is a stop,
// and its result is the last one emitted. emit returning false is a stop
// too. After a stop, nothing with a greater index is emitted, and workers
// claim no more work beyond it.
//
// Workers claim chunks of consecutive indices, so that handing work out
// costs little next to the work itself, and hand each chunk back whole. At
// most four chunks per worker are in flight ahead of the one emit waits
// for, so memory does not grow with n. That window cannot stall: chunks
// are claimed in order, so the awaited one is always claimed. A chunk
// that starts after a stop is handed back empty; every chunk before the
// first stop is computed whole, so the first stop in index order is the
// one that counts, whatever the workers.
func ordered[T any](n, workers, chunk int, worker func() func(i int) (T, bool), emit func(i int, v T) bool) {
	chunk = max(chunk, 1)
	workers = workersFor(workers)
	chunks := (n + chunk - 1) / chunk
	if chunks <= 0 {
		return
	}
	type done struct {
		c       int
		vals    []T
		stopped bool // work stopped in this chunk, or the chunk was skipped
	}
	inFlight := workers * 4
	slots := make(chan struct{}, inFlight)
	results := make(chan done, inFlight)
	var claimed atomic.Int64
	// stopAt is the least index at which a stop is known.
	var stopAt atomic.Int64
	stopAt.Store(math.MaxInt64)
	stop := func(i int) {
		for {
			cur := stopAt.Load()
			if int64(i) >= cur || stopAt.CompareAndSwap(cur, int64(i)) {
				return
			}
		}
	}
	var wg sync.WaitGroup
	for range min(workers, chunks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work := worker()
			for {
				slots <- struct{}{}
				c := int(claimed.Add(1) - 1)
				if c >= chunks {
					<-slots
					return
				}
				lo, hi := c*chunk, min((c+1)*chunk, n)
				if int64(lo) > stopAt.Load() {
					// Hand the chunk back empty, so that the chunks
					// the emitter waits for have no gap.
					results <- done{c: c, stopped: true}
					return
				}
				d := done{c: c, vals: make([]T, 0, hi-lo)}
				for i := lo; i < hi; i++ {
					v, more := work(i)
					d.vals = append(d.vals, v)
					if !more {
						d.stopped = true
						stop(i)
						break
					}
				}
				results <- d
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	pending := map[int]done{}
	want := 0
	emitting := true
	for d := range results {
		pending[d.c] = d
		for {
			d, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			if emitting {
				for j, v := range d.vals {
					if !emit(want*chunk+j, v) {
						emitting = false
						stop(want*chunk + j)
						break
					}
				}
				if d.stopped {
					emitting = false
				}
			}
			<-slots
			want++
		}
	}
}
