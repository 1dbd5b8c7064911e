package sim

import "time"

// Time is a virtual instant: a count of nanoseconds since the start of a run.
//
// It is an integer on purpose. Floating-point clocks drift: 100 000 additions
// of 1.9 in float64 end at 189 999.99999965, and two models that add the
// same delays in a different order would disagree on which event comes first.
type Time int64

// Common spans of virtual time, so that models can write 30*sim.Second.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
)

// Never is later than every instant a run can reach. It is the value to use
// for "no deadline".
const Never Time = 1<<63 - 1

// Duration converts a time.Duration to virtual time.
func Duration(d time.Duration) Time { return Time(d) }

// Seconds converts a count of seconds to virtual time, rounded to the nearest
// nanosecond.
func Seconds(s float64) Time {
	ns := s * 1e9
	if ns < 0 {
		return Time(ns - 0.5)
	}
	return Time(ns + 0.5)
}

// Seconds returns t as a floating-point count of seconds, for reports.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// Duration returns t as a time.Duration.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// String formats t the way people write spans of time: "1m30s", "250ms",
// "0s". Never prints as "never".
func (t Time) String() string {
	if t == Never {
		return "never"
	}
	return time.Duration(t).String()
}
