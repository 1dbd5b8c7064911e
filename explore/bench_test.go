package explore

import (
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

// benchExplore explores each of scs with opt, from snapshots and by
// replaying every schedule from time zero, as two sub-benchmarks side by
// side, and reports schedules per second and nanoseconds per schedule.
func benchExplore(b *testing.B, names []string, opt Options) {
	var scs []*scenarios.Scenario
	for _, name := range names {
		sc, err := scenarios.Resolve(name)
		if err != nil {
			b.Fatal(err)
		}
		scs = append(scs, sc)
	}
	for _, mode := range []struct {
		name string
		no   bool
	}{{"snapshots", false}, {"replay", true}} {
		b.Run(mode.name, func(b *testing.B) {
			opt := opt
			opt.NoSnapshots = mode.no
			b.ReportAllocs()
			schedules := 0
			for b.Loop() {
				for _, sc := range scs {
					rep, err := Explore(sc, opt)
					if err != nil {
						b.Fatal(err)
					}
					schedules += rep.Schedules
				}
			}
			b.ReportMetric(float64(schedules)/b.Elapsed().Seconds(), "schedules/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(schedules), "ns/schedule")
		})
	}
}

// BenchmarkExplore explores app-purged-mid-upload at depth 1 with the
// default faults on one worker, from snapshots (each schedule forks the
// run as written at its fault's moment) and by replaying every schedule
// from time zero.
func BenchmarkExplore(b *testing.B) {
	benchExplore(b, []string{"app-purged-mid-upload"}, Options{Depth: 1, Workers: 1})
}

// BenchmarkExploreLibrary explores every embedded scenario at depth 1
// with the default faults, on two workers: the target is under a
// second for all of them on two cores.
func BenchmarkExploreLibrary(b *testing.B) {
	benchExplore(b, scenarios.Names(), Options{Depth: 1, Workers: 2})
}

// BenchmarkExploreDepth2 explores app-purged-mid-upload at depth 2 with
// the default faults on two workers (target: under 10 s).
func BenchmarkExploreDepth2(b *testing.B) {
	benchExplore(b, []string{"app-purged-mid-upload"}, Options{Depth: 2, Workers: 2})
}
