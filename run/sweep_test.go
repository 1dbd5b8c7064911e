package run

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
)

// sweepBase is scenarios' base for sweep examples (sweep_test.go there).
const sweepBase = `name: sweep-base
title: A base for sweep examples
horizon: 3h
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
  workload: {items: 10, size: 1KB, every: 1m, session: up, strategy: batched, batch: {window: 5m}}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
  - {at: 3s, do: background}
  - {at: 30s, do: purge}
  - {at: 45m, do: launch}
`

// The sweep example in docs/sweeps.md loads and runs.
func TestSweepDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(sweep:.*?)```").FindStringSubmatch(string(doc))
	if m == nil {
		t.Fatal("docs/sweeps.md has no sweep: example")
	}
	sc, err := scenarios.Load("docs/sweeps.md", []byte(sweepBase+m[1]))
	if err != nil {
		t.Fatalf("the docs' sweep example does not load:\n%v", err)
	}
	sw, err := sc.Plan(3, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Two grids: 3 bit rates times 10 windows.
	if len(sw.Points) != 30 || len(sw.Params) != 7 {
		t.Errorf("%d points, %d parameters; want 30 and 7", len(sw.Points), len(sw.Params))
	}
	n := 0
	if err := Sweep(sw, 0, len(sw.Points)*3, 2, func(r model.RunRecord) bool {
		if r.Err != "" {
			t.Errorf("run %d: %s", r.Run, r.Err)
		}
		n++
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if n != 90 {
		t.Errorf("%d runs, want 90", n)
	}
}

// A run whose values pass each parameter's range but not the model's
// checks together (ten items of 20 GB: more than 100 GB) stops the sweep
// with an error naming the run, the point and the values; it is never
// counted as a run that hit a limit.
func TestUntrusted7_SweepRunRefusedStops(t *testing.T) {
	sc, err := scenarios.Load("s.yaml", []byte(sweepBase+"sweep: {runs: 50, vary: {app.workload.size: {grid: [1KB, 20GB]}}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	sw, _ := sc.Plan(0, nil)
	var got []model.RunRecord
	err = Sweep(sw, 0, sw.Jobs(), 2, func(r model.RunRecord) bool { got = append(got, r); return true })
	var re *RunError
	if !errors.As(err, &re) || re.Run != 0 || re.Point != 1 || !strings.Contains(err.Error(), "point 1, with app.workload.size=2e+04MB") ||
		!strings.Contains(err.Error(), "model: app.workload.size: at most 100GB for all items together, found 10 items of 20GB") {
		t.Fatalf("error %v", err)
	}
	if len(got) != 1 || got[0].Err != "" {
		t.Errorf("records before the failure: %+v; want run 0 of point 0 only", got)
	}
}

// A caller whose output failed stops the sweep: emit returning false ends
// it at once instead of computing every remaining run (with --runs
// 10000000 and stdout on a full disk, that was hours of wasted work).
func TestSweepStopsWhenEmitSaysSo(t *testing.T) {
	sc, err := scenarios.LoadEmbedded("purge-anywhere")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sc.Plan(100_000, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	start := time.Now()
	if err := Sweep(sw, 0, sw.Jobs(), 2, func(model.RunRecord) bool { n++; return n < 10 }); err != nil {
		t.Fatal(err)
	}
	if n != 10 {
		t.Errorf("emit was called %d times after it said stop at the 10th", n)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("stopping took %v: the sweep ran on", d)
	}
}
