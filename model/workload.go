package model

import (
	"fmt"
	"math/rand/v2"

	"github.com/bgsim/bgsim/sim"
)

// workloadUpload is the name of the upload spec a workload's tasks use.
const workloadUpload = "workload"

// workloadState is the app's code for a workload: it produces items and
// uploads them one by one, or in batches.
type workloadState struct {
	spec     *Workload
	upload   *Upload
	itemAt   []sim.Time // when each item was produced; sim.Never if it was not
	itemUp   []int32    // the upload that carries each item, -1 if none yet
	batch    []int      // items waiting in the current batch
	batchGen int        // counts batches, so that an old window timer is ignored
	due      bool       // a batch is due but the app could not run its code
	skipped  int        // items due while the app could not run its code
}

// scheduleWorkload plans the workload's items on the timeline: evenly
// spaced, or with exponential spacings from the "workload" stream.
func (a *app) scheduleWorkload(out *effects) {
	w := a.cfg.App.Workload
	if w == nil {
		return
	}
	var rng *rand.Rand // the "workload" stream, as the kernel would give it
	a.wl.spec = w
	a.wl.upload = a.cfg.App.upload(workloadUpload)
	a.wl.itemAt = make([]sim.Time, w.Items)
	a.wl.itemUp = make([]int32, w.Items)
	at := w.Start
	for i := range w.Items {
		a.wl.itemAt[i], a.wl.itemUp[i] = sim.Never, -1
		out.sendAt(at, msg{to: toApp, kind: appItem, item: int32(i), up: -1})
		gap := w.Every
		if w.Random {
			// An exponential draw is unbounded: hold it to MaxDuration
			// before it becomes an integer time.
			if rng == nil {
				rng = sim.NewRand(a.cfg.Seed, "workload")
			}
			gap = sim.Seconds(min(rng.ExpFloat64()*w.Every.Seconds(), MaxDuration.Seconds()))
		}
		// Items past sim.Never (100 000 items a decade apart) stay
		// there: past the horizon, never produced.
		at = addTime(at, gap)
	}
}

// item is the app's code producing item i.
func (a *app) item(i int) {
	w := a.wl.spec
	if !a.state.running() {
		a.note(KindItemSkipped, "", "the app is "+a.state.String()+": its code cannot produce the item", num(AttrItem, int64(i+1)))
		a.wl.skipped++
		return
	}
	a.wl.itemAt[i] = a.now
	if w.Strategy == Individual {
		a.note(KindItem, "", "an item is produced and uploaded at once", num(AttrItem, int64(i+1)))
		a.wl.itemUp[i] = a.createTask(a.wl.upload, w.Bytes, 1, false, 0, noResume)
		return
	}
	a.wl.batch = append(a.wl.batch, i)
	a.note(KindItem, "", "an item joins the batch", num(AttrItem, int64(i+1)), num(AttrBatch, int64(len(a.wl.batch))))
	if len(a.wl.batch) == 1 && w.BatchWindow > 0 {
		a.out.setTimer(timerID{kind: timerWindow}, w.BatchWindow, msg{to: toApp, kind: appBatchWindow, item: int32(a.wl.batchGen), up: -1})
	}
	if w.BatchCount > 0 && len(a.wl.batch) >= w.BatchCount {
		a.flush(fmt.Sprintf("the batch holds %d items", len(a.wl.batch)))
	}
}

// flush uploads the current batch as one task.
func (a *app) flush(why string) {
	if len(a.wl.batch) == 0 {
		return
	}
	if !a.state.running() {
		a.wl.due = true
		a.note(KindBatchDue, "", why+", but the app is "+a.state.String()+": the batch goes when its code runs again")
		return
	}
	w := a.wl.spec
	n := len(a.wl.batch)
	a.note(KindBatchFlush, "", why, num(AttrItems, int64(n)))
	up := a.createTask(a.wl.upload, int64(n)*w.Bytes, n, w.Strategy == Discretionary, 0, noResume)
	for _, i := range a.wl.batch {
		a.wl.itemUp[i] = up
	}
	a.wl.batch, a.wl.due = a.wl.batch[:0], false
	a.wl.batchGen++
	a.out.cancel(timerID{kind: timerWindow}) // a batch sent by count must not keep its timer

}

// foregroundFlush sends the batch when the user brings the app forward, if
// the workload says so, or when a batch fell due while the app was away.
func (a *app) foregroundFlush() {
	if a.wl.spec == nil {
		return
	}
	if a.wl.due || (a.wl.spec.OnForeground && len(a.wl.batch) > 0) {
		a.flush("the app is in the foreground")
	}
}

// Items is how fresh a workload's items were when the server had them.
type Items struct {
	Produced int
	Skipped  int // due while the app could not run its code
	AtServer int
	// Wait is the time from an item's production until the server had the
	// upload carrying it, over the items the server has.
	WaitMean, WaitMax sim.Time
	// Waits lists each of those waits, in item order.
	Waits []sim.Time
}

func (a *app) itemStats(uploads []UploadRecord) Items {
	st := Items{Skipped: a.wl.skipped}
	var total sim.Time
	for i, at := range a.wl.itemAt {
		if at == sim.Never {
			continue // skipped, or not yet due when the run ended
		}
		st.Produced++
		if up := a.wl.itemUp[i]; up >= 0 {
			if got := uploads[up].ServerReceivedAt; got != sim.Never {
				st.AtServer++
				wait := got - at
				st.Waits = append(st.Waits, wait)
				total += wait
				st.WaitMax = max(st.WaitMax, wait)
			}
		}
	}
	if st.AtServer > 0 {
		st.WaitMean = total / sim.Time(st.AtServer)
	}
	return st
}
