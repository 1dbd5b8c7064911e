package explore

import (
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

// BenchmarkExplore explores app-purged-mid-upload at depth 1 with the
// default faults, on one worker, and reports schedules per second; the
// baseline in the same run is the scenario as written, run as many times
// (BenchmarkExploreBaseRun), so that their ratio is the cost of exploring
// over running.
func BenchmarkExplore(b *testing.B) {
	sc, err := scenarios.Resolve("app-purged-mid-upload")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	schedules := 0
	for b.Loop() {
		rep, err := Explore(sc, Options{Depth: 1, Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		schedules += rep.Schedules
	}
	b.ReportMetric(float64(schedules)/b.Elapsed().Seconds(), "schedules/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(schedules), "ns/schedule")
}
