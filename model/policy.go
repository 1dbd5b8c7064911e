package model

import "bgsim/sim"

// rateLimiter is nsurlsessiond's resume rate limiter (R-RATE-LIMITER), a
// pure policy in the manner of raft's quorum package: it holds a delay and
// answers questions about it at a given instant; the daemon decides what to
// do with the answers and writes the trace.
//
// Every background wake raises the delay (first, then times factor, at most
// cap if cap > 0, saturating at MaxDuration); tasks the app creates in the
// background wait that long. The delay lapses when a full period passes,
// after it ran out, without a wake (2×delay after it was set), and resets
// when the user brings the app to the foreground.
type rateLimiter struct {
	first, cap sim.Time
	factor     int64
	delay      sim.Time
	setAt      sim.Time
}

func newRateLimiter(p Params) rateLimiter {
	return rateLimiter{first: p.RateLimiterFirst, cap: p.RateLimiterCap, factor: p.RateLimiterFactor}
}

// current returns the delay at now; lapsed is the delay that ran out
// without a wake just now (0 if none), after which the delay is 0.
func (r *rateLimiter) current(now sim.Time) (delay, lapsed sim.Time) {
	if r.delay > 0 && now-r.setAt >= 2*r.delay {
		lapsed, r.delay = r.delay, 0
	}
	return r.delay, lapsed
}

// raise is the limiter's step at a background wake at now; it returns the
// new delay and what current reported as lapsed on the way.
func (r *rateLimiter) raise(now sim.Time) (next, lapsed sim.Time) {
	cur, lapsed := r.current(now)
	next = r.first
	if cur > 0 {
		next = MaxDuration
		if cur <= MaxDuration/sim.Time(r.factor) {
			next = cur * sim.Time(r.factor)
		}
	}
	if r.cap > 0 && next > r.cap {
		next = r.cap
	}
	r.delay, r.setAt = next, now
	return next, lapsed
}

// reset drops the delay (the user opened the app) and reports whether there
// was one.
func (r *rateLimiter) reset() bool {
	had := r.delay > 0
	r.delay = 0
	return had
}
