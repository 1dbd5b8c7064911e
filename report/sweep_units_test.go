package report

import (
	"math"
	"testing"
)

// Sweep tables print times as durations and energies in a unit that fits
// them: "3037 / 4926 / 5339s" and "+3.14e-05 J" were hard to read
// (issue 16).
func TestSweepUnits(t *testing.T) {
	for _, tt := range []struct {
		sec  float64
		want string
	}{
		{0, "0s"}, {0.000123456, "123µs"}, {0.5834, "583ms"}, {5.834, "5.83s"}, {63.74, "1m3.7s"},
		{3037.4, "50m37s"}, {4926.2, "1h22m6s"}, {math.NaN(), "—"},
	} {
		if got := durationText(tt.sec); got != tt.want {
			t.Errorf("durationText(%v) = %q, want %q", tt.sec, got, tt.want)
		}
	}
	for _, tt := range []struct {
		mean, lo, hi float64
		signed       bool
		want         string
	}{
		{3.14e-05, 2.9e-05, 3.3e-05, true, "+31.4 µJ (+29 to +33)"},
		{139.2, 135.3, 143.1, false, "139.2 J (135.3–143.1)"},
		{0.0421, 0.04, 0.044, false, "42.1 mJ (40–44)"},
		{0, 0, 0, true, "+0 J (+0 to +0)"},
	} {
		sep := "–"
		if tt.signed {
			sep = " to "
		}
		if got := energyInterval(tt.mean, tt.lo, tt.hi, sep, tt.signed); got != tt.want {
			t.Errorf("energyInterval(%v) = %q, want %q", tt.mean, got, tt.want)
		}
	}
}
