package report

import (
	"math"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

// Sweep statistics refuse NaN and infinite numbers rather than report a
// p50 of 1e-06 J (issue 10, item 8).
func TestUntrusted8_SweepStatsRefuseNonFinite(t *testing.T) {
	for _, tt := range []struct {
		name string
		rec  model.RunRecord
	}{
		{"joules", model.RunRecord{Joules: math.Inf(1)}},
		{"a settle time", model.RunRecord{Joules: 1, Settle: []float64{1, math.NaN()}}},
		{"an item wait", model.RunRecord{Joules: 1, ItemWaits: []float64{math.Inf(-1)}}},
	} {
		s := NewSweepStats(SweepMeta{Scenario: "s", Runs: 1, Variants: []string{""}, Points: []string{""}})
		err := s.Add(tt.rec)
		if err == nil || !strings.Contains(err.Error(), tt.name+" is not a finite number") {
			t.Errorf("%s: error %v", tt.name, err)
		}
		if err := s.Add(model.RunRecord{Joules: 1, Fates: [5]int{1}}); err != nil {
			t.Errorf("%s: a finite record after: %v", tt.name, err)
		}
	}
}
