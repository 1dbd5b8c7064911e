package scenarios

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"bgsim/model"
)

// sweepBase has every kind of parameter the docs' example varies.
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
	sc, err := Load("docs/sweeps.md", []byte(sweepBase+m[1]))
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
	sw.Run(0, len(sw.Points)*3, 2, func(r model.RunRecord) {
		if r.Err != "" {
			t.Errorf("run %d: %s", r.Run, r.Err)
		}
		n++
	})
	if n != 90 {
		t.Errorf("%d runs, want 90", n)
	}
}

func TestSweepErrors(t *testing.T) {
	tests := []struct{ sweep, want string }{
		{"sweep: {runs: 10, vary: {timeline.purg.at: {uniform: [1s, 2s]}}}", `did you mean "timeline.purge.at"?`},
		{"sweep: {runs: 10, vary: {server.latency: {uniform: [1s, 2s], exponential: 1s}}}", "exactly one of"},
		{"sweep: {runs: 10, vary: {server.latency: {uniform: [2s, 1s]}}}", "min below max"},
		{"sweep: {runs: 10, vary: {server.latency: {uniform: [1s]}}}", "uniform takes 2 values"},
		{"sweep: {runs: 10, vary: {network.wifi.up: {grid: [fast]}}}", `"fast" is not a value of this parameter (a bit rate like 2Mbps)`},
		{"sweep: {runs: 10, vary: {server.latency: {range: [1s, 1000000s, 1s]}}}", "at most 1000"},
		{"sweep: {runs: 0}", "sweep.runs: 1 to"},
		{"sweep:\n  runs: 10\n  vary:\n    timeline[9].at: {uniform: [1s, 2s]}", "there is no step 9"},
		{"sweep: {runs: 10, outages: {every: 0s, for: 1s}}", "every and for must be positive"},
		{"sweep: {runs: 10, vary: {server.latency: {exponentail: 1s}}}", `did you mean "exponential"?`},
	}
	for _, tt := range tests {
		_, err := Load("s.yaml", []byte(sweepBase+tt.sweep+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\n got %v\nwant %q", tt.sweep, err, tt.want)
		}
	}
	// A variant may not change the sweep.
	_, err := Load("s.yaml", []byte(sweepBase+"sweep: {runs: 2}\nvariants:\n  a:\n    sweep: {runs: 3}\n"))
	if err == nil || !strings.Contains(err.Error(), `a variant cannot change "sweep"`) {
		t.Errorf("variant sweep: %v", err)
	}
}

// Common random numbers: run k of every variant draws the same values.
func TestSweepCommonRandomNumbers(t *testing.T) {
	sc, err := LoadEmbedded("purge-anywhere")
	if err != nil {
		t.Fatal(err)
	}
	sw, _ := sc.Plan(5, nil)
	for k := range 5 {
		_, on := sw.Config(2 * k)
		_, off := sw.Config(2*k + 1)
		if on[0] != off[0] || on[1] != off[1] {
			t.Errorf("run %d: variants drew %v and %v", k, on, off)
		}
	}
	_, a := sw.Config(0)
	_, b := sw.Config(2)
	if a[0] == b[0] {
		t.Error("runs 0 and 1 drew the same purge time")
	}
}
