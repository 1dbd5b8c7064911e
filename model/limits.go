package model

import (
	"fmt"
	"strconv"
	"strings"

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
func checkDuration(d, lo sim.Time, what ...string) error {
	if d < lo || d > MaxDuration {
		if lo > 0 {
			return fmt.Errorf("%s %v: must be positive and at most %s", strings.Join(what, ""), d, maxDurationText)
		}
		return fmt.Errorf("%s %v: want 0 to %s", strings.Join(what, ""), d, maxDurationText)
	}
	return nil
}

// checkRate refuses a bit rate outside [MinBitsPerSecond, MaxBitsPerSecond].
func checkRate(bps int64, what ...string) error {
	if bps < MinBitsPerSecond || bps > MaxBitsPerSecond {
		return fmt.Errorf("%s %d bit/s: want %d to %d", strings.Join(what, ""), bps, MinBitsPerSecond, int64(MaxBitsPerSecond))
	}
	return nil
}

// checkWatts refuses a power (or W per Mbit/s) outside [0, MaxWatts].
func checkWatts(w float64, what ...string) error {
	if !within(w, 0, MaxWatts) {
		return fmt.Errorf("%s %v: want 0 to %d", strings.Join(what, ""), w, MaxWatts)
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
		return fieldAt("device.ios", fmt.Errorf("iOS %d: the model covers iOS %d to %d", c.IOS, MinIOS, MaxIOS))
	}
	if err := checkDuration(c.Horizon, 0, "horizon"); err != nil {
		return fieldAt("horizon", err)
	}
	if err := checkDuration(c.EnergyWindow, 0, "energy window"); err != nil {
		return fieldAt("energy.window", err)
	}
	if c.Horizon > 0 && c.EnergyWindow > c.Horizon {
		return fieldAt("energy.window", fmt.Errorf("energy window %v: at most the horizon, %v (past it the run's state is not known)", c.EnergyWindow, c.Horizon))
	}
	p := c.Params
	for _, d := range []struct {
		what, path string
		v          sim.Time
	}{
		{"XPC latency", "params.xpc_latency", p.XPCLatency}, {"launch latency", "params.launch_latency", p.LaunchLatency},
		{"background grace", "params.background_grace", p.BackgroundGrace},
		{"relaunch allowance", "params.relaunch_allowance", p.RelaunchAllowance},
		{"rate limiter first delay", "params.rate_limiter.first", p.RateLimiterFirst},
		{"rate limiter cap", "params.rate_limiter.cap", p.RateLimiterCap},
		{"server latency", "server.latency", c.Server.Latency},
		{"server unresponsive until", "server.unresponsive_until", c.Server.UnresponsiveUntil},
	} {
		if err := checkDuration(d.v, 0, d.what); err != nil {
			return fieldAt(d.path, err)
		}
	}
	if p.RateLimiterFactor < 1 || p.RateLimiterFactor > MaxRateLimiterFactor {
		return fieldAt("params.rate_limiter.factor", fmt.Errorf("rate limiter factor %d: want 1 to %d", p.RateLimiterFactor, MaxRateLimiterFactor))
	}
	if !within(p.ForceQuitContinueChance, 0, 1) {
		return fieldAt("params.force_quit_continue_chance", fmt.Errorf("force-quit continue chance %v: want 0 to 1", p.ForceQuitContinueChance))
	}
	if !within(p.DiscretionaryRelaxAfter, 0, 1) {
		return fieldAt("params.discretionary_relax_after", fmt.Errorf("discretionary relaxation at %v of the resource timeout: want 0 to 1", p.DiscretionaryRelaxAfter))
	}
	if p.HandshakeRTTs < 0 || p.HandshakeRTTs > MaxHandshakeRTTs {
		return fieldAt("params.handshake_rtts", fmt.Errorf("handshake round trips %d: want 0 to %d", p.HandshakeRTTs, MaxHandshakeRTTs))
	}
	if p.CriticalBatteryPercent < 0 || p.CriticalBatteryPercent > 100 {
		return fieldAt("params.critical_battery", fmt.Errorf("critical battery %d%%: want 0 to 100", p.CriticalBatteryPercent))
	}
	if c.Power.BatteryPercent < 0 || c.Power.BatteryPercent > 100 {
		return fieldAt("power.battery", fmt.Errorf("battery %d%%: want 0 to 100", c.Power.BatteryPercent))
	}
	if !within(p.WakeJoules, 0, MaxWakeJoules) {
		return fieldAt("params.wake_joules", fmt.Errorf("wake energy %v J: want 0 to %d", p.WakeJoules, MaxWakeJoules))
	}
	if c.Server.Status < 100 || c.Server.Status > 599 {
		return fieldAt("server.status", fmt.Errorf("server status %d: want 100 to 599", c.Server.Status))
	}
	for i, n := range c.Network.Interfaces {
		name := ifaceNames[i]
		path := func(field string) string { return "network." + name + "." + field }
		if err := checkRate(n.UpBitsPerSecond, name, " up"); err != nil {
			return fieldAt(path("up"), err)
		}
		if err := checkRate(n.DownBitsPerSecond, name, " down"); err != nil {
			return fieldAt(path("down"), err)
		}
		if err := checkDuration(n.RTT, 0, name, " RTT"); err != nil {
			return fieldAt(path("rtt"), err)
		}
		r := n.Radio
		if err := checkDuration(r.PromotionTime, 0, name, " radio promotion time"); err != nil {
			return fieldAt(path("radio.promotion_time"), err)
		}
		for _, w := range []struct {
			what, key string
			v         float64
		}{{"promotion watts", "promotion_watts", r.PromotionWatts}, {"beta watts", "beta_watts", r.BetaWatts},
			{"alpha up (W per Mbit/s)", "alpha_up", r.AlphaUp}, {"alpha down (W per Mbit/s)", "alpha_down", r.AlphaDown},
			{"idle watts", "idle_watts", r.IdleWatts}} {
			if err := checkWatts(w.v, name, " radio ", w.what); err != nil {
				return fieldAt(path("radio."+w.key), err)
			}
		}
		if len(r.Tail) > MaxTailPhases {
			return fieldAt(path("radio.tail"), fmt.Errorf("%s radio: %d tail phases, at most %d", name, len(r.Tail), MaxTailPhases))
		}
		for j, ph := range r.Tail {
			tp := func(field string) string { return fmt.Sprintf("network.%s.radio.tail[%d].%s", name, j, field) }
			if err := checkDuration(ph.Duration, 1, name, " radio tail ", ph.Name, " duration"); err != nil {
				return fieldAt(tp("duration"), err)
			}
			if err := checkDuration(ph.RepromotionTime, 0, name, " radio tail ", ph.Name, " repromotion time"); err != nil {
				return fieldAt(tp("repromotion_time"), err)
			}
			if err := checkWatts(ph.Watts, name, " radio tail ", ph.Name, " watts"); err != nil {
				return fieldAt(tp("watts"), err)
			}
			if err := checkWatts(ph.RepromotionWatts, name, " radio tail ", ph.Name, " repromotion watts"); err != nil {
				return fieldAt(tp("repromotion_watts"), err)
			}
		}
	}
	for _, s := range c.App.Sessions {
		// Zero timeouts mean the defaults.
		if err := checkDuration(s.ResourceTimeout, 0, "session ", s.Name, " resource timeout"); err != nil {
			return fieldAt("app.sessions."+s.Name+".resource_timeout", err)
		}
		if err := checkDuration(s.RequestTimeout, 0, "session ", s.Name, " request timeout"); err != nil {
			return fieldAt("app.sessions."+s.Name+".request_timeout", err)
		}
	}
	for _, u := range c.App.Uploads {
		if err := checkDuration(u.BeginAfter, 0, "upload ", u.Name, " begin after"); err != nil {
			return fieldAt("app.uploads."+u.Name+".begin_after", err)
		}
		if u.Chain < 0 || u.Chain > MaxChain {
			return fieldAt("app.uploads."+u.Name+".chain", fmt.Errorf("upload %s chain %d: want 0 to %d", u.Name, u.Chain, MaxChain))
		}
	}
	if w := c.App.Workload; w != nil {
		path := "app.workload.items"
		if w.Items >= 1 && w.Items <= MaxItems {
			path = "app.workload.batch.count"
		}
		if w.Items < 1 || w.Items > MaxItems || w.BatchCount < 0 || w.BatchCount > MaxItems {
			return fieldAt(path, fmt.Errorf("workload: %d items in batches of %d: want 1 to %d items, batches of 0 to %d", w.Items, w.BatchCount, MaxItems, MaxItems))
		}
		if err := checkDuration(w.Start, 0, "workload start"); err != nil {
			return fieldAt("app.workload.start", err)
		}
		if err := checkDuration(w.Every, 1, "workload spacing"); err != nil {
			return fieldAt("app.workload.every", err)
		}
		if err := checkDuration(w.BatchWindow, 0, "workload batch window"); err != nil {
			return fieldAt("app.workload.batch.window", err)
		}
	}
	for i, a := range c.Timeline {
		step := func(field string) string { return fmt.Sprintf("timeline[%d].%s", i, field) }
		if err := checkDuration(a.At, 0, "timeline step ", strconv.Itoa(i+1), " at"); err != nil {
			return fieldAt(step("at"), err)
		}
		if err := checkDuration(a.For, 0, "timeline step ", strconv.Itoa(i+1), " outage"); err != nil {
			return fieldAt(step("for"), err)
		}
		if (a.Up != 0 && checkRate(a.Up, "") != nil) || (a.Down != 0 && checkRate(a.Down, "") != nil) {
			field := "down"
			if a.Up != 0 && checkRate(a.Up, "") != nil {
				field = "up"
			}
			return fieldAt(step(field), fmt.Errorf("timeline step %d: bandwidth must be %d to %d bit/s", i+1, MinBitsPerSecond, int64(MaxBitsPerSecond)))
		}
	}
	return nil
}
