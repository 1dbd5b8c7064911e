package run

import (
	"fmt"
	"os"
	"runtime/debug"
	"testing"
	"time"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
)

// BenchmarkSweep runs app-purged-mid-upload as a sweep (traces off), with
// one and with two workers, and reports runs per second; the ratio of the
// two is the parallel speed-up. An op is one run. Like bgsim sweep, it sets
// the garbage collector's target to 400% (unless GOGC is set): a sweep
// keeps little alive, and the default collects often enough to hold two
// workers to about 1.3 times one.
func BenchmarkSweep(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	sc, err := scenarios.LoadEmbedded("app-purged-mid-upload")
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprint("workers=", workers), func(b *testing.B) {
			sw, err := sc.Plan(b.N, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			n := 0
			Sweep(sw, 0, sw.Jobs(), workers, func(r model.RunRecord) bool {
				if r.Err != "" {
					b.Fatal(r.Err)
				}
				n++
				return true
			})
			if n != b.N {
				b.Fatalf("%d runs for b.N = %d", n, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

// BenchmarkParallelSpeedup measures a sweep's parallel speed-up side by
// side (its name does not contain "Sweep", so that -bench Sweep with a
// -benchtime of many runs does not run it that many times): each
// op runs the same 20 000-run sweep of app-purged-mid-upload with one
// worker, then with two, so that both see the same machine at nearly the
// same moment, and it reports the runs per second of each and their
// ratio. On a noisy machine the ratio of one run is more honest than two
// figures measured minutes apart.
func BenchmarkParallelSpeedup(b *testing.B) {
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	sc, err := scenarios.LoadEmbedded("app-purged-mid-upload")
	if err != nil {
		b.Fatal(err)
	}
	const runs = 20_000
	sw, err := sc.Plan(runs, nil)
	if err != nil {
		b.Fatal(err)
	}
	var took [3]time.Duration
	for b.Loop() {
		for _, workers := range []int{1, 2} {
			start := time.Now()
			n := 0
			Sweep(sw, 0, sw.Jobs(), workers, func(r model.RunRecord) bool {
				if r.Err != "" {
					b.Fatal(r.Err)
				}
				n++
				return true
			})
			took[workers] += time.Since(start)
			if n != sw.Jobs() {
				b.Fatalf("%d runs of %d", n, sw.Jobs())
			}
		}
	}
	perSec := func(w int) float64 { return float64(b.N*sw.Jobs()) / took[w].Seconds() }
	b.ReportMetric(perSec(1), "runs/s-1worker")
	b.ReportMetric(perSec(2), "runs/s-2workers")
	b.ReportMetric(perSec(2)/perSec(1), "speedup")
}
