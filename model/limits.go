package model

import (
	"fmt"

	"github.com/bgsim/bgsim/sim"
)

// Bounds of the model's parameters. The scenarios package reports a value
// outside them at its position (docs/scenarios.md has the table), sweeps
// hold every value they draw to them, and Config.Check refuses a Config
// that breaks one.
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
	// MaxRateLimiterFactor bounds Params.RateLimiterFactor (at least 1).
	MaxRateLimiterFactor = 100
	// MinIOS and MaxIOS are the iOS versions the model covers.
	MinIOS, MaxIOS = 7, 26
	// MaxChain bounds Upload.Chain; MaxItems bounds Workload.Items and
	// Workload.BatchCount.
	MaxChain = 1000
	MaxItems = 100_000
)

const maxDurationText = "3650d"

// within tells whether v lies in [lo, hi]; NaN never does.
func within(v, lo, hi float64) bool { return v >= lo && v <= hi }

// checkDuration refuses a span of time outside [lo, MaxDuration].
func checkDuration(what string, d, lo sim.Time) error {
	if d < lo || d > MaxDuration {
		if lo > 0 {
			return fmt.Errorf("%s %v: must be positive and at most %s", what, d, maxDurationText)
		}
		return fmt.Errorf("%s %v: want 0 to %s", what, d, maxDurationText)
	}
	return nil
}

// checkRate refuses a bit rate outside [MinBitsPerSecond, MaxBitsPerSecond].
func checkRate(what string, bps int64) error {
	if bps < MinBitsPerSecond || bps > MaxBitsPerSecond {
		return fmt.Errorf("%s %d bit/s: want %d to %d", what, bps, MinBitsPerSecond, int64(MaxBitsPerSecond))
	}
	return nil
}

// checkWatts refuses a power (or W per Mbit/s) outside [0, MaxWatts].
func checkWatts(what string, w float64) error {
	if !within(w, 0, MaxWatts) {
		return fmt.Errorf("%s %v: want 0 to %d", what, w, MaxWatts)
	}
	return nil
}

// addTime returns now+d, saturating at sim.Never instead of overflowing.
func addTime(now, d sim.Time) sim.Time {
	if d > sim.Never-now {
		return sim.Never
	}
	return now + d
}

// checkBounds reports the first value of c outside the bounds above.
func (c *Config) checkBounds() error {
	if c.IOS < MinIOS || c.IOS > MaxIOS {
		return fmt.Errorf("iOS %d: the model covers iOS %d to %d", c.IOS, MinIOS, MaxIOS)
	}
	if err := checkDuration("horizon", c.Horizon, 0); err != nil {
		return err
	}
	p := c.Params
	for _, d := range []struct {
		what string
		v    sim.Time
	}{
		{"XPC latency", p.XPCLatency}, {"launch latency", p.LaunchLatency}, {"background grace", p.BackgroundGrace},
		{"relaunch allowance", p.RelaunchAllowance}, {"rate limiter first delay", p.RateLimiterFirst}, {"rate limiter cap", p.RateLimiterCap},
		{"server latency", c.Server.Latency}, {"server unresponsive until", c.Server.UnresponsiveUntil},
	} {
		if err := checkDuration(d.what, d.v, 0); err != nil {
			return err
		}
	}
	if p.RateLimiterFactor < 1 || p.RateLimiterFactor > MaxRateLimiterFactor {
		return fmt.Errorf("rate limiter factor %d: want 1 to %d", p.RateLimiterFactor, MaxRateLimiterFactor)
	}
	if !within(p.ForceQuitContinueChance, 0, 1) {
		return fmt.Errorf("force-quit continue chance %v: want 0 to 1", p.ForceQuitContinueChance)
	}
	if !within(p.DiscretionaryRelaxAfter, 0, 1) {
		return fmt.Errorf("discretionary relaxation at %v of the resource timeout: want 0 to 1", p.DiscretionaryRelaxAfter)
	}
	if p.HandshakeRTTs < 0 || p.HandshakeRTTs > MaxHandshakeRTTs {
		return fmt.Errorf("handshake round trips %d: want 0 to %d", p.HandshakeRTTs, MaxHandshakeRTTs)
	}
	if p.CriticalBatteryPercent < 0 || p.CriticalBatteryPercent > 100 {
		return fmt.Errorf("critical battery %d%%: want 0 to 100", p.CriticalBatteryPercent)
	}
	if c.Power.BatteryPercent < 0 || c.Power.BatteryPercent > 100 {
		return fmt.Errorf("battery %d%%: want 0 to 100", c.Power.BatteryPercent)
	}
	if !within(p.WakeJoules, 0, MaxWakeJoules) {
		return fmt.Errorf("wake energy %v J: want 0 to %d", p.WakeJoules, MaxWakeJoules)
	}
	if c.Server.Status < 100 || c.Server.Status > 599 {
		return fmt.Errorf("server status %d: want 100 to 599", c.Server.Status)
	}
	for i, n := range c.Network.Interfaces {
		name := ifaceNames[i]
		if err := checkRate(name+" up", n.UpBitsPerSecond); err != nil {
			return err
		}
		if err := checkRate(name+" down", n.DownBitsPerSecond); err != nil {
			return err
		}
		if err := checkDuration(name+" RTT", n.RTT, 0); err != nil {
			return err
		}
		r := n.Radio
		if err := checkDuration(name+" radio promotion time", r.PromotionTime, 0); err != nil {
			return err
		}
		for _, w := range []struct {
			what string
			v    float64
		}{{"promotion watts", r.PromotionWatts}, {"beta watts", r.BetaWatts}, {"alpha up (W per Mbit/s)", r.AlphaUp},
			{"alpha down (W per Mbit/s)", r.AlphaDown}, {"idle watts", r.IdleWatts}} {
			if err := checkWatts(name+" radio "+w.what, w.v); err != nil {
				return err
			}
		}
		if len(r.Tail) > MaxTailPhases {
			return fmt.Errorf("%s radio: %d tail phases, at most %d", name, len(r.Tail), MaxTailPhases)
		}
		for _, ph := range r.Tail {
			if err := checkDuration(name+" radio tail "+ph.Name+" duration", ph.Duration, 1); err != nil {
				return err
			}
			if err := checkDuration(name+" radio tail "+ph.Name+" repromotion time", ph.RepromotionTime, 0); err != nil {
				return err
			}
			if err := checkWatts(name+" radio tail "+ph.Name+" watts", ph.Watts); err != nil {
				return err
			}
			if err := checkWatts(name+" radio tail "+ph.Name+" repromotion watts", ph.RepromotionWatts); err != nil {
				return err
			}
		}
	}
	for _, s := range c.App.Sessions {
		// Zero timeouts mean the defaults.
		if err := checkDuration("session "+s.Name+" resource timeout", s.ResourceTimeout, 0); err != nil {
			return err
		}
		if err := checkDuration("session "+s.Name+" request timeout", s.RequestTimeout, 0); err != nil {
			return err
		}
	}
	for _, u := range c.App.Uploads {
		if err := checkDuration("upload "+u.Name+" begin after", u.BeginAfter, 0); err != nil {
			return err
		}
		if u.Chain < 0 || u.Chain > MaxChain {
			return fmt.Errorf("upload %s chain %d: want 0 to %d", u.Name, u.Chain, MaxChain)
		}
	}
	if w := c.App.Workload; w != nil {
		if w.Items < 1 || w.Items > MaxItems || w.BatchCount < 0 || w.BatchCount > MaxItems {
			return fmt.Errorf("workload: %d items in batches of %d: want 1 to %d items, batches of 0 to %d", w.Items, w.BatchCount, MaxItems, MaxItems)
		}
		if err := checkDuration("workload start", w.Start, 0); err != nil {
			return err
		}
		if err := checkDuration("workload spacing", w.Every, 1); err != nil {
			return err
		}
		if err := checkDuration("workload batch window", w.BatchWindow, 0); err != nil {
			return err
		}
	}
	for i, a := range c.Timeline {
		if err := checkDuration(fmt.Sprintf("timeline step %d at", i+1), a.At, 0); err != nil {
			return err
		}
		if err := checkDuration(fmt.Sprintf("timeline step %d outage", i+1), a.For, 0); err != nil {
			return err
		}
		if (a.Up != 0 && checkRate("", a.Up) != nil) || (a.Down != 0 && checkRate("", a.Down) != nil) {
			return fmt.Errorf("timeline step %d: bandwidth must be %d to %d bit/s", i+1, MinBitsPerSecond, int64(MaxBitsPerSecond))
		}
	}
	return nil
}
