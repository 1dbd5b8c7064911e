package model

import "github.com/bgsim/bgsim/sim"

// Bounds of the model's parameters. ParamTable (params.go) gives each
// parameter its range from these; Config.Check refuses a Config that
// breaks one, the scenarios package reports it at the value, and sweeps
// hold every value they draw to them.
//
// They also keep every instant the model computes inside the kernel's
// int64 clock (sim.Never is about 292 years): the longest sum it forms is
// the current time (at most the horizon) plus a radio promotion plus
// MaxHandshakeRTTs round trips, each at most MaxDuration, or the time to
// send MaxUploadBytes at MinBitsPerSecond (800 000 s), all far below
// sim.Never. The resume rate limiter, which multiplies its delay at every
// wake, saturates at MaxDuration instead.
const (
	// MaxDuration bounds every span of time a Config holds: latencies,
	// timeouts, delays, radio phases, outages, the horizon.
	MaxDuration = 3650 * 24 * sim.Hour // 10 years
	// MaxUploadBytes bounds a body, a response, and a workload's items together.
	MaxUploadBytes = 100e9 // 100 GB
	// MinBitsPerSecond and MaxBitsPerSecond bound every bit rate.
	MinBitsPerSecond = 1000 // 1 kbit/s
	MaxBitsPerSecond = 1e12 // 1 Tbit/s
	// MaxWatts bounds every radio power, and every radio's W per Mbit/s.
	MaxWatts = 100
	// MaxWakeJoules bounds Params.WakeJoules.
	MaxWakeJoules = 1000
	// MaxTailPhases bounds the phases of a radio's tail.
	MaxTailPhases = 10
	// MaxHandshakeRTTs bounds Params.HandshakeRTTs.
	MaxHandshakeRTTs = 10
	// MaxRedirects bounds Server.Redirect.Times and Params.MaxRedirects.
	MaxRedirects = 100
	// MaxRateLimiterFactor bounds Params.RateLimiterFactor (at least 1).
	MaxRateLimiterFactor = 100
	// MaxRateLimiterResetAfter bounds Params.RateLimiterResetAfter (at least 1).
	MaxRateLimiterResetAfter = 100
	// MinURLErrorCode bounds Params.InProcessCutCode, an NSURLError code
	// (negative; Apple's run from -1 to about -3000).
	MinURLErrorCode = -9999
	// MinIOS and MaxIOS are the iOS versions the model covers.
	MinIOS, MaxIOS = 7, 26
	// MaxChain bounds Upload.Chain; MaxItems bounds Workload.Items and
	// Workload.BatchCount.
	MaxChain = 1000
	MaxItems = 100_000
	// MaxTasks is the most tasks one run creates: the timeline's upload
	// steps with their chains and the workload's items, refused before
	// the run (the scenarios package), and the tasks code hooks create,
	// refused at run time (hooks.go).
	MaxTasks = 200_000
)

// addTime returns now+d, saturating at sim.Never instead of overflowing.
func addTime(now, d sim.Time) sim.Time {
	if d > sim.Never-now {
		return sim.Never
	}
	return now + d
}
