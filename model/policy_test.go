package model

import (
	"testing"

	"bgsim/sim"
)

func TestRateLimiter(t *testing.T) {
	const m = sim.Minute
	type op struct {
		at     sim.Time
		do     string // "raise", "current", "reset"
		delay  sim.Time
		lapsed sim.Time
	}
	for _, tt := range []struct {
		name   string
		cap    sim.Time
		factor int64
		ops    []op
	}{
		{"doubles at each wake", 0, 2, []op{
			{0, "raise", 1 * m, 0}, {1 * m, "raise", 2 * m, 0}, {2 * m, "raise", 4 * m, 0}, {3 * m, "current", 4 * m, 0}}},
		{"lapses after a full period without a wake", 0, 2, []op{
			{0, "raise", 1 * m, 0}, {2*m - 1, "current", 1 * m, 0}, {2 * m, "current", 0, 1 * m}, {3 * m, "raise", 1 * m, 0}}},
		{"a raise after the lapse starts again from the first delay", 0, 2, []op{
			{0, "raise", 1 * m, 0}, {5 * m, "raise", 1 * m, 1 * m}}},
		{"the cap holds", 90 * sim.Second, 2, []op{
			{0, "raise", 1 * m, 0}, {m, "raise", 90 * sim.Second, 0}, {2 * m, "raise", 90 * sim.Second, 0}}},
		{"the user resets it", 0, 3, []op{
			{0, "raise", 1 * m, 0}, {m, "raise", 3 * m, 0}, {2 * m, "reset", 0, 0}, {2 * m, "current", 0, 0}, {3 * m, "raise", 1 * m, 0}}},
		{"saturates at MaxDuration", 0, 100, func() []op {
			var ops []op
			for i := range 12 {
				ops = append(ops, op{sim.Time(i), "raise", -1, 0})
			}
			return append(ops, op{12, "current", MaxDuration, 0})
		}()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := rateLimiter{first: m, cap: tt.cap, factor: tt.factor}
			for i, o := range tt.ops {
				var delay, lapsed sim.Time
				switch o.do {
				case "raise":
					delay, lapsed = r.raise(o.at)
				case "current":
					delay, lapsed = r.current(o.at)
				case "reset":
					r.reset()
				}
				if o.delay >= 0 && (delay != o.delay || lapsed != o.lapsed) {
					t.Errorf("op %d (%s at %v): delay %v, lapsed %v; want %v, %v", i, o.do, o.at, delay, lapsed, o.delay, o.lapsed)
				}
			}
		})
	}
}
