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

// BenchmarkExploreLibrary explores every embedded scenario at depth 1
// with the default faults, on two workers: the target is under a
// second for all of them on two cores.
func BenchmarkExploreLibrary(b *testing.B) {
	var scs []*scenarios.Scenario
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Resolve(name)
		if err != nil {
			b.Fatal(err)
		}
		scs = append(scs, sc)
	}
	schedules := 0
	for b.Loop() {
		for _, sc := range scs {
			rep, err := Explore(sc, Options{Depth: 1, Workers: 2})
			if err != nil {
				b.Fatal(err)
			}
			schedules += rep.Schedules
		}
	}
	b.ReportMetric(float64(schedules)/b.Elapsed().Seconds(), "schedules/s")
}

// BenchmarkExploreDepth2 explores app-purged-mid-upload at depth 2 with
// the default faults on two workers (target: under 10 s).
func BenchmarkExploreDepth2(b *testing.B) {
	sc, err := scenarios.Resolve("app-purged-mid-upload")
	if err != nil {
		b.Fatal(err)
	}
	schedules := 0
	for b.Loop() {
		rep, err := Explore(sc, Options{Depth: 2, Workers: 2})
		if err != nil {
			b.Fatal(err)
		}
		schedules += rep.Schedules
	}
	b.ReportMetric(float64(schedules)/b.Elapsed().Seconds(), "schedules/s")
}
