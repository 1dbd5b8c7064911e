package model

import (
	"fmt"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// scaleConfig is base() with n small uploads started together at 100 ms:
// in the foreground throughout, or with the app purged at 1 s while they
// are in flight (launch events on or off).
func scaleConfig(n int, mode string) Config {
	c := base()
	c.KeepTrace, c.NoTrace = false, true
	c.MaxEvents = 100_000_000
	c.Horizon = sim.Hour
	c.App.Uploads[0].Bytes = 1_000_000 // 4 s at 2 Mbit/s: in flight at the purge
	c.Timeline = []Action{at(0, Launch)}
	for range n {
		c.Timeline = append(c.Timeline, Action{At: 100 * sim.Millisecond, Do: StartUpload, Upload: "photo"})
	}
	switch mode {
	case "purged", "launch-events-off":
		c.Timeline = append(c.Timeline, at(200*sim.Millisecond, Leave), at(sim.Second, Purge))
		c.App.Sessions[0].SendsLaunchEvents = mode == "purged"
	}
	return c
}

// BenchmarkRunScale measures a run's cost against its number of uploads;
// docs/benchmarks.md records the growth exponents. The timed runs reuse a
// Runner that has already run the configuration once, as a sweep's
// workers do; that first run, which grows the Runner's tables, is
// reported apart as first-cpu-ns.
func BenchmarkRunScale(b *testing.B) {
	for _, mode := range []string{"foreground", "purged", "launch-events-off"} {
		for _, n := range []int{1, 100, 10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/n=%d", mode, n), func(b *testing.B) {
				c := scaleConfig(n, mode)
				var run Runner
				cpu0 := cpuTime()
				if _, err := run.Run(c); err != nil {
					b.Fatal(err)
				}
				first := cpuTime() - cpu0
				cpu0, runs := cpuTime(), 0
				for b.Loop() {
					if _, err := run.Run(c); err != nil {
						b.Fatal(err)
					}
					runs++
				}
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(runs), "cpu-ns/op")
				b.ReportMetric(float64(first), "first-cpu-ns")
			})
		}
	}
}

// The scaling set-ups do what they say: everything delivered in the
// foreground and after the relaunch, everything held with launch events off.
func TestRunScaleSetups(t *testing.T) {
	for mode, fate := range map[string]Fate{"foreground": Delivered, "purged": Delivered, "launch-events-off": Pending} {
		r := mustRun(t, scaleConfig(50, mode))
		if r.Count(fate) != 50 {
			t.Errorf("%s: %d of 50 %s", mode, r.Count(fate), fate)
		}
	}
}
