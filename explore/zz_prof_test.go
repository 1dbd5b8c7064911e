package explore

import (
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

func BenchmarkExplorePeriodic(b *testing.B) {
	sc, _ := scenarios.Resolve("periodic-analytics")
	for b.Loop() {
		if _, err := Explore(sc, Options{Depth: 1, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
