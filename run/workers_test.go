package run

import (
	"runtime"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
)

// --workers 100000 used to start 100 000 goroutines, each with a
// simulation and a window of results; workers are clamped to WorkerLimit.
func TestUntrusted4_WorkersClamped(t *testing.T) {
	sc, err := scenarios.LoadEmbedded("purge-anywhere")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sc.Plan(2000, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	most := 0
	if err := Sweep(sw, 0, sw.Jobs(), 100_000, func(model.RunRecord) bool {
		most = max(most, runtime.NumGoroutine())
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if most-before > workerLimit()+2 {
		t.Errorf("%d goroutines ran beside the test's %d; at most %d workers", most-before, before, workerLimit())
	}
	cases := Suite([]*scenarios.Scenario{sc}, 1, 100_000)
	if len(cases) == 0 || cases[0].Err != nil {
		t.Errorf("suite with 100000 workers: %+v", cases)
	}
}
