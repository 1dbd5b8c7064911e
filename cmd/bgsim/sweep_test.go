package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The same seed gives the same report for 1, 2 and 4 workers, and for the
// sweep split into 3 shards and merged, in every format.
func TestSweepDeterminism(t *testing.T) {
	for _, tt := range []struct{ name, runs string }{
		{"purge-anywhere", "90"}, {"flaky-network", "30"}, {"batching-window", "12"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"table", "csv", "json"} {
				_, want, _ := bgsim(t, "sweep", "--runs", tt.runs, "--workers", "1", "--format", format, tt.name)
				if !strings.Contains(want, tt.name) {
					t.Fatalf("no report:\n%s", want)
				}
				for _, w := range []string{"2", "4"} {
					if _, got, _ := bgsim(t, "sweep", "--runs", tt.runs, "--workers", w, "--format", format, tt.name); got != want {
						t.Errorf("%s: %s workers differ from 1:\n%s\n---\n%s", format, w, got, want)
					}
				}
				dir := t.TempDir()
				var files []string
				for k := 1; k <= 3; k++ {
					code, part, stderr := bgsim(t, "sweep", "--runs", tt.runs, "--workers", "2", "--shard", fmt.Sprintf("%d/3", k), tt.name)
					if code != exitOK {
						t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
					}
					files = append(files, writeTestFile(t, dir, fmt.Sprintf("part%d.jsonl", k), part))
				}
				// Given out of order: merge sorts them by shard.
				code, merged, stderr := bgsim(t, "sweep", "merge", "--format", format, files[2], files[0], files[1])
				if code != exitOK || merged != want {
					t.Errorf("%s: merged shards differ from one machine (exit %d, %s):\n%s\n---\n%s", format, code, stderr, merged, want)
				}
			}
		})
	}
}

func TestSweepRunsOutMerges(t *testing.T) {
	out := filepath.Join(t.TempDir(), "runs.jsonl")
	_, want, _ := bgsim(t, "sweep", "--runs", "20", "--runs-out", out, "flaky-network")
	code, got, stderr := bgsim(t, "sweep", "merge", out)
	if code != exitOK || got != want {
		t.Errorf("merging --runs-out: exit %d %s\n%s\n---\n%s", code, stderr, got, want)
	}
}

// A fair coin decides each run: the user force quits the app at a time
// drawn uniformly around the moment the daemon has the response, so half
// the uploads are cancelled (failed) and half delivered. Over 10 000 runs
// the 95% interval of the failed share must contain 0.5 and be about
// 2 x 1.96 x sqrt(0.25/10000) = 0.0196 wide.
func TestSweepFairCoin(t *testing.T) {
	base := `name: coin
title: A fair coin
horizon: 2h
network:
  wifi: {up: 1Mbps, down: 10Mbps, rtt: 100ms}
  cellular: {available: false}
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
  at_launch: [up]
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
  - {at: %s, do: force-quit}
  - {at: 1h, do: launch}
%s`
	dir := t.TempDir()
	// First find when the daemon has the response, with no force quit.
	probe := writeTestFile(t, dir, "probe.yaml", fmt.Sprintf(base, "59m", ""))
	code, trace, stderr := bgsim(t, "run", "--format", "trace", probe)
	if code != exitOK {
		t.Fatal(stderr)
	}
	var done float64
	for _, line := range strings.Split(trace, "\n") {
		var rec struct {
			T     float64 `json:"t_s"`
			Actor string
			Kind  string
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Actor == "daemon" && rec.Kind == "task.completed" {
			done = rec.T
		}
	}
	if done == 0 {
		t.Fatal("no task.completed in the probe's trace")
	}
	sweep := fmt.Sprintf("sweep:\n  runs: 10000\n  vary:\n    timeline.force-quit.at: {uniform: [%gs, %gs]}\n", done-5, done+5)
	coin := writeTestFile(t, dir, "coin.yaml", fmt.Sprintf(base, "30m", sweep))
	code, out, stderr := bgsim(t, "sweep", "--format", "json", coin)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Groups []struct {
			Uploads int
			Fates   map[string]struct{ Share, Low, High float64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	g := doc.Groups[0]
	failed := g.Fates["failed"]
	if g.Uploads != 10000 || failed.Low > 0.5 || failed.High < 0.5 {
		t.Errorf("failed share %.4f (%.4f–%.4f) over %d uploads: the interval should contain 0.5", failed.Share, failed.Low, failed.High, g.Uploads)
	}
	if w := failed.High - failed.Low; math.Abs(w-0.0196) > 0.001 {
		t.Errorf("interval width %.4f, want about 0.0196", w)
	}
	if d := g.Fates["delivered"]; math.Abs(d.Share+failed.Share-1) > 1e-9 {
		t.Errorf("delivered %.4f and failed %.4f should make up every upload", d.Share, failed.Share)
	}
}

func TestSweepErrors(t *testing.T) {
	dir := t.TempDir()
	_, a1, _ := bgsim(t, "sweep", "--runs", "10", "--shard", "1/2", "flaky-network")
	_, b2, _ := bgsim(t, "sweep", "--runs", "10", "--shard", "2/2", "batching-window")
	_, a2, _ := bgsim(t, "sweep", "--runs", "10", "--shard", "2/2", "flaky-network")
	write := func(name, s string) string { return writeTestFile(t, dir, name, s) }
	fa1, fb2, fa2 := write("a1", a1), write("b2", b2), write("a2", a2)
	trunc := write("trunc", a2[:len(a2)/2])
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "app-purged-mid-upload"}, "has no sweep: block: give --runs N"},
		{[]string{"sweep", "--shard", "4/3", "purge-anywhere"}, "want K/N with 1 ≤ K ≤ N"},
		{[]string{"sweep", "--shard", "x", "purge-anywhere"}, "want K/N"},
		{[]string{"sweep", "--format", "xml", "purge-anywhere"}, `unknown format "xml"`},
		{[]string{"sweep", "merge", fa1}, "1 of 2 shards given"},
		{[]string{"sweep", "merge", fa1, fb2}, "not shards of one sweep"},
		{[]string{"sweep", "merge", fa1, fa1}, "shard 2 of 2 is missing or given twice"},
		{[]string{"sweep", "merge", fa1, trunc}, "it is truncated"},
		{[]string{"sweep", "merge", write("junk", "hello\n")}, "not a bgsim sweep shard"},
		{[]string{"sweep", "merge"}, "usage: bgsim sweep merge"},
		{[]string{"sweep", "--runs", "-5", "purge-anywhere"}, "--runs must be 1 to"},
		{[]string{"sweep", "--workers", "0", "purge-anywhere"}, "--workers must be at least 1, got 0"},
		{[]string{"sweep", "--shard", "1/2", "--svg", filepath.Join(dir, "s.svg"), "purge-anywhere"}, "give --format and --svg to bgsim sweep merge"},
		{[]string{"sweep", "--shard", "1/2", "--format", "csv", "purge-anywhere"}, "give --format and --svg to bgsim sweep merge"},
		// An unwritable picture fails before the runs, not after them.
		{[]string{"sweep", "--svg", filepath.Join(dir, "no", "such", "dir.svg"), "purge-anywhere"}, "--svg: cannot write"},
	}
	for _, tt := range tests {
		code, _, stderr := bgsim(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if code, _, stderr := bgsim(t, "sweep", "merge", fa1, fa2); code != exitOK {
		t.Errorf("a good merge failed: %s", stderr)
	}
}

func TestSweepSVG(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "d.svg")
	if code, _, stderr := bgsim(t, "sweep", "--runs", "40", "--svg", svg, "batching-window"); code != exitOK {
		t.Fatal(stderr)
	}
	data, _ := os.ReadFile(svg)
	wellFormed(t, "the sweep SVG", string(data))
	if !strings.Contains(string(data), "Radio energy above idle per run") || !strings.Contains(string(data), "polyline") {
		t.Error("the SVG lacks its curves")
	}
	// Shards merged draw the same picture as one machine.
	dir := t.TempDir()
	var shards []string
	for k := 1; k <= 2; k++ {
		_, part, _ := bgsim(t, "sweep", "--runs", "40", "--shard", fmt.Sprintf("%d/2", k), "batching-window")
		shards = append(shards, writeTestFile(t, dir, fmt.Sprintf("p%d.jsonl", k), part))
	}
	merged := filepath.Join(dir, "m.svg")
	if code, _, stderr := bgsim(t, append([]string{"sweep", "merge", "--svg", merged}, shards...)...); code != exitOK {
		t.Fatal(stderr)
	}
	if got, _ := os.ReadFile(merged); string(got) != string(data) {
		t.Error("the merged shards' SVG differs from the single run's")
	}
}

// A sweep run the model refuses stops the sweep with exit 2 and names the
// run, the point and the values; a value a single run refuses is refused
// where the sweep writes it (issue 10, item 7).
func TestUntrusted7_SweepRefusedRunExits2(t *testing.T) {
	const base = `name: refused
title: A sweep whose second grid point breaks the workload's 100 GB
horizon: 1h
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  workload: {items: 10, size: 1KB, every: 1m, session: up, strategy: individual}
timeline:
  - {at: 0s, do: launch}
`
	dir := t.TempDir()
	p := writeTestFile(t, dir, "refused.yaml", base+"sweep: {runs: 4, vary: {app.workload.size: {grid: [1KB, 20GB]}}}\n")
	for _, args := range [][]string{{"sweep", p}, {"sweep", "--shard", "1/2", p}} {
		code, stdout, stderr := bgsim(t, args...)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, "run 0 (seed ") || !strings.Contains(stderr, ") of the base scenario, point 1, with app.workload.size=2e+04MB could not run: model:") {
			t.Errorf("%v: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
	}
	p = writeTestFile(t, dir, "timeout.yaml", base+"sweep: {runs: 4, vary: {app.sessions.up.request_timeout: {grid: [0s, 30s]}}}\n")
	if code, _, stderr := bgsim(t, "sweep", p); code != exitUsage || !strings.Contains(stderr, "timeout.yaml:10:") {
		t.Errorf("request_timeout 0s: exit %d\n%s", code, stderr)
	}
}
