package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"
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

// sweepErr loads sweepBase with a sweep block and returns its errors.
func sweepErr(t *testing.T, sweep string) string {
	t.Helper()
	_, err := Load("s.yaml", []byte(sweepBase+sweep+"\n"))
	if err == nil {
		t.Fatalf("%s: loads", sweep)
	}
	return err.Error()
}

// A sweep may not set a value a single run refuses: a request timeout of
// 0 made every upload pending with exit 0.
func TestUntrusted7_SweepRequestTimeoutZero(t *testing.T) {
	for _, tt := range []struct{ sweep, want string }{
		{"sweep: {runs: 2, vary: {app.sessions.up.request_timeout: {grid: [0s, 30s]}}}",
			"s.yaml:16:66: sweep.vary.app.sessions.up.request_timeout: 0s is outside the parameter's range, positive, at most 3650d"},
		{"sweep: {runs: 2, vary: {app.sessions.up.request_timeout: {uniform: [0s, 30s]}}}",
			"s.yaml:16:69: sweep.vary.app.sessions.up.request_timeout: 0s is outside the parameter's range, positive, at most 3650d"},
		{"sweep: {runs: 2, vary: {app.sessions.up.request_timeout: {range: [0s, 30s, 10s]}}}",
			"s.yaml:16:67: sweep.vary.app.sessions.up.request_timeout: 0s is outside"},
	} {
		if got := sweepErr(t, tt.sweep); !strings.Contains(got, tt.want) {
			t.Errorf("%s\n got %s\nwant %s", tt.sweep, got, tt.want)
		}
	}
}

func TestUntrusted7_SweepBatteryNegative(t *testing.T) {
	for _, tt := range []struct{ sweep, want string }{
		{"sweep: {runs: 2, vary: {power.battery: {grid: [50, -5]}}}",
			"s.yaml:16:52: sweep.vary.power.battery: -5 is outside the parameter's range, 0% to 100%"},
		{"sweep: {runs: 2, vary: {power.battery: {normal: [-5, 10]}}}", "s.yaml:16:50: sweep.vary.power.battery: -5 is outside"},
	} {
		if got := sweepErr(t, tt.sweep); !strings.Contains(got, tt.want) {
			t.Errorf("%s\n got %s\nwant %s", tt.sweep, got, tt.want)
		}
	}
	// A normal inside the range draws outside it too: each draw is held
	// to the range, from the same table the loader uses.
	sc, err := Load("s.yaml", []byte(sweepBase+"sweep: {runs: 200, vary: {power.battery: {normal: [50, 60]}}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	sw, _ := sc.Plan(0, nil)
	lo, hi := false, false
	for i := range sw.Jobs() {
		c, draws := sw.Config(i)
		if b := c.Power.BatteryPercent; b < 0 || b > 100 || draws[0] < 0 || draws[0] > 100 {
			t.Fatalf("run %d: battery %d%%, drawn %v", i, b, draws[0])
		}
		lo, hi = lo || draws[0] == 0, hi || draws[0] == 100
	}
	if !lo || !hi {
		t.Errorf("200 draws of normal(50, 60) never reached 0 or 100 (%v %v)", lo, hi)
	}
}

func TestUntrusted7_SweepChanceAboveOne(t *testing.T) {
	for _, tt := range []struct{ sweep, want string }{
		{"sweep: {runs: 2, vary: {params.force_quit_continue_chance: {grid: [7]}}}",
			"s.yaml:16:68: sweep.vary.params.force_quit_continue_chance: 7 is outside the parameter's range, 0 to 1"},
		{"sweep: {runs: 2, vary: {params.force_quit_continue_chance: {uniform: [0.5, 7]}}}", "7 is outside the parameter's range, 0 to 1"},
		{"sweep: {runs: 2, vary: {params.discretionary_relax_after: {exponential: 2}}}", "2 is outside the parameter's range, 0 to 1"},
		{"sweep: {runs: 2, vary: {network.wifi.up: {lognormal: [2000Gbps, 1]}}}", "2000Gbps is outside the parameter's range, 1kbps to 1000Gbps"},
		{"sweep: {runs: 2, outages: {every: 1m, for: 3651d}}", "sweep.outages.for: positive, at most 3650d, found 3651d"},
	} {
		if got := sweepErr(t, tt.sweep); !strings.Contains(got, tt.want) {
			t.Errorf("%s\n got %s\nwant %s", tt.sweep, got, tt.want)
		}
	}
}

// Every path the range table offers a sweep resolves in a scenario that
// has one of everything, and its setter changes the Config; the list is
// the one the old hand-written resolve knew.
func TestParamPathsFromTheRangeTable(t *testing.T) {
	sc, err := Load("base.yaml", []byte(sweepFuzzBase))
	if err != nil {
		t.Fatal(err)
	}
	base := sc.Variants[0].Config
	paths := paramPaths(&base)
	want := []string{"server.latency", "server.response_size", "params.xpc_latency", "params.launch_latency",
		"params.background_grace", "params.relaunch_allowance", "params.rate_limiter.first", "params.rate_limiter.cap", "params.rate_limiter.reset_after",
		"params.handshake_rtts", "params.critical_battery", "params.discretionary_relax_after", "params.force_quit_continue_chance", "params.wake_cpu_watts", "params.resumable_wait", "power.battery",
		"network.wifi.up", "network.wifi.down", "network.wifi.rtt", "network.cellular.up", "network.cellular.down", "network.cellular.rtt",
		"timeline.launch.at", "timeline.upload.at", "timeline.background.at", "timeline.purge.at", "timeline.force-quit.at", "timeline.launch.at",
		"app.uploads.photo.size", "app.uploads.photo.begin_after", "app.sessions.up.resource_timeout", "app.sessions.up.request_timeout",
		"app.workload.items", "app.workload.size", "app.workload.every", "app.workload.start", "app.workload.batch.count", "app.workload.batch.window"}
	if !reflect.DeepEqual(sorted(paths), sorted(want)) {
		t.Errorf("paramPaths:\n%q\nwant (in any order)\n%q", sorted(paths), sorted(want))
	}
	for _, p := range append(paths, "timeline[4].at") {
		_, set, err := resolve(p, &base)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		c := base.Clone()
		set(&c, 7)
		if reflect.DeepEqual(c, base) {
			t.Errorf("%s: setting 7 changed nothing", p)
		}
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }
