package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// paramRange is the valid values of one parameter of the scenario
// language: the loader checks written values against it, sweeps check
// grid values and distributions against it and hold draws to it, and
// docs/scenarios.md prints it (TestRangeTableInDocs keeps them equal). Its
// bounds come from the model's (model.MaxDuration and friends), which
// Config.Check enforces for every run.
type paramRange struct {
	Path     string // generic: <interface>, <name> and [] stand for any
	unit     unit
	Min, Max float64
	// set, for a parameter a sweep can vary, writes a value into a
	// Config; at is the interface, session, upload or timeline step the
	// path names (see index). Sweeps vary exactly the parameters with one.
	set func(c *model.Config, at int, v float64)
}

func setTime(f func(c *model.Config, at int) *sim.Time) func(*model.Config, int, float64) {
	return func(c *model.Config, at int, v float64) { *f(c, at) = sim.Time(v) }
}

func setI64(f func(c *model.Config, at int) *int64) func(*model.Config, int, float64) {
	return func(c *model.Config, at int, v float64) { *f(c, at) = int64(math.Round(v)) }
}

func setInt(f func(c *model.Config, at int) *int) func(*model.Config, int, float64) {
	return func(c *model.Config, at int, v float64) { *f(c, at) = int(math.Round(v)) }
}

const (
	maxDur  = float64(model.MaxDuration)
	maxRate = model.MaxBitsPerSecond
	minRate = model.MinBitsPerSecond
)

var paramRanges = []paramRange{
	{"horizon", unitDuration, 1, float64(maxHorizon), nil},
	{"max_events", unitInt, 1, MaxEventsCeiling, nil},
	{"energy.window", unitDuration, 1, float64(maxHorizon), nil},
	{"device.ios", unitInt, model.MinIOS, model.MaxIOS, nil},
	{"network.<interface>.up", unitBitrate, minRate, maxRate, setI64(func(c *model.Config, at int) *int64 { return &c.Network.Interfaces[at].UpBitsPerSecond })},
	{"network.<interface>.down", unitBitrate, minRate, maxRate, setI64(func(c *model.Config, at int) *int64 { return &c.Network.Interfaces[at].DownBitsPerSecond })},
	{"network.<interface>.rtt", unitDuration, 0, maxDur, setTime(func(c *model.Config, at int) *sim.Time { return &c.Network.Interfaces[at].RTT })},
	{"network.<interface>.radio.promotion_time", unitDuration, 0, maxDur, nil},
	{"network.<interface>.radio.promotion_watts", unitWatts, 0, model.MaxWatts, nil},
	{"network.<interface>.radio.beta_watts", unitWatts, 0, model.MaxWatts, nil},
	{"network.<interface>.radio.alpha_up", unitWattsPerMbps, 0, model.MaxWatts, nil},
	{"network.<interface>.radio.alpha_down", unitWattsPerMbps, 0, model.MaxWatts, nil},
	{"network.<interface>.radio.idle_watts", unitWatts, 0, model.MaxWatts, nil},
	{"network.<interface>.radio.tail", unitCount, 0, model.MaxTailPhases, nil},
	{"network.<interface>.radio.tail[].duration", unitDuration, 1, maxDur, nil},
	{"network.<interface>.radio.tail[].watts", unitWatts, 0, model.MaxWatts, nil},
	{"network.<interface>.radio.tail[].repromotion_time", unitDuration, 0, maxDur, nil},
	{"network.<interface>.radio.tail[].repromotion_watts", unitWatts, 0, model.MaxWatts, nil},
	{"power.battery", unitPercent, 0, 100, func(c *model.Config, _ int, v float64) { c.Power.BatteryPercent = int(math.Min(math.Round(v), 100)) }},
	{"server.latency", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.Server.Latency })},
	{"server.status", unitInt, 100, 599, nil},
	{"server.response_size", unitSize, 0, model.MaxUploadBytes, setI64(func(c *model.Config, _ int) *int64 { return &c.Server.ResponseBytes })},
	{"server.unresponsive_until", unitDuration, 0, maxDur, nil},
	{"params.xpc_latency", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.Params.XPCLatency })},
	{"params.launch_latency", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.Params.LaunchLatency })},
	{"params.background_grace", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.Params.BackgroundGrace })},
	{"params.relaunch_allowance", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.Params.RelaunchAllowance })},
	{"params.rate_limiter.first", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.Params.RateLimiterFirst })},
	{"params.rate_limiter.factor", unitInt, 1, model.MaxRateLimiterFactor, nil},
	{"params.rate_limiter.cap", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.Params.RateLimiterCap })},
	{"params.force_quit_continue_chance", unitChance, 0, 1, func(c *model.Config, _ int, v float64) { c.Params.ForceQuitContinueChance = math.Min(v, 1) }},
	{"params.handshake_rtts", unitInt, 0, model.MaxHandshakeRTTs, setInt(func(c *model.Config, _ int) *int { return &c.Params.HandshakeRTTs })},
	{"params.discretionary_relax_after", unitChance, 0, 1, func(c *model.Config, _ int, v float64) { c.Params.DiscretionaryRelaxAfter = math.Min(v, 1) }},
	{"params.critical_battery", unitPercent, 0, 100, setInt(func(c *model.Config, _ int) *int { return &c.Params.CriticalBatteryPercent })},
	{"params.wake_joules", unitJoules, 0, model.MaxWakeJoules, nil},
	{"app.sessions.<name>.resource_timeout", unitDuration, 1, maxDur, func(c *model.Config, at int, v float64) { c.App.Sessions[at].ResourceTimeout = max(sim.Time(v), 1) }},
	{"app.sessions.<name>.request_timeout", unitDuration, 1, maxDur, func(c *model.Config, at int, v float64) { c.App.Sessions[at].RequestTimeout = max(sim.Time(v), 1) }},
	{"app.uploads.<name>.size", unitSize, 1, model.MaxUploadBytes, setI64(func(c *model.Config, at int) *int64 { return &c.App.Uploads[at].Bytes })},
	{"app.uploads.<name>.chain", unitInt, 0, model.MaxChain, nil},
	{"app.uploads.<name>.begin_after", unitDuration, 0, maxDur, setTime(func(c *model.Config, at int) *sim.Time { return &c.App.Uploads[at].BeginAfter })},
	{"app.workload.items", unitInt, 1, model.MaxItems, func(c *model.Config, _ int, v float64) { c.App.Workload.Items = max(int(math.Round(v)), 1) }},
	{"app.workload.size", unitSize, 1, model.MaxUploadBytes, setI64(func(c *model.Config, _ int) *int64 { return &c.App.Workload.Bytes })},
	{"app.workload.start", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.App.Workload.Start })},
	{"app.workload.every", unitDuration, 1, maxDur, func(c *model.Config, _ int, v float64) { c.App.Workload.Every = max(sim.Time(v), 1) }},
	{"app.workload.batch.count", unitInt, 0, model.MaxItems, setInt(func(c *model.Config, _ int) *int { return &c.App.Workload.BatchCount })},
	{"app.workload.batch.window", unitDuration, 0, maxDur, setTime(func(c *model.Config, _ int) *sim.Time { return &c.App.Workload.BatchWindow })},
	{"timeline[].at", unitDuration, 0, maxDur, setTime(func(c *model.Config, at int) *sim.Time { return &c.Timeline[at].At })},
	{"timeline[].for", unitDuration, 1, maxDur, nil},
	{"timeline[].up", unitBitrate, minRate, maxRate, nil},
	{"timeline[].down", unitBitrate, minRate, maxRate, nil},
	{"sweep.outages.every", unitDuration, 1, maxDur, nil},
	{"sweep.outages.for", unitDuration, 1, maxDur, nil},
	{"sweep.outages.for_max", unitDuration, 1, maxDur, nil},
}

// rangeRes are the table's paths as patterns, in the table's order.
var rangeRes = func() []*regexp.Regexp {
	var res []*regexp.Regexp
	for _, r := range paramRanges {
		p := regexp.QuoteMeta(r.Path)
		p = strings.ReplaceAll(p, "<interface>", "(wifi|cellular)")
		p = strings.ReplaceAll(p, "<name>", ".*") // names may be empty or hold dots
		p = strings.ReplaceAll(p, `\[\]`, `\[[0-9]+\]`)
		if rest, ok := strings.CutPrefix(p, `timeline\[[0-9]+\]`); ok {
			p = `timeline(\[[0-9]+\]|\.[a-z-]+)` + rest // a sweep's timeline.purge.at
		}
		res = append(res, regexp.MustCompile(`(?s)^`+p+`$`))
	}
	return res
}()

// rangeOf returns the range of a parameter by its path as written
// (network.wifi.up, app.sessions.up.request_timeout, timeline.purge.at,
// timeline[3].at).
func rangeOf(path string) (paramRange, bool) {
	for i, re := range rangeRes {
		if re.MatchString(path) {
			return paramRanges[i], true
		}
	}
	return paramRange{}, false
}

func (r paramRange) contains(v float64) bool { return v >= r.Min && v <= r.Max }

// clamp holds v to the range, rounding as the parameter's setter will.
func (r paramRange) clamp(v float64) float64 { return min(max(v, r.Min), r.Max) }

// String describes the range as the docs and errors write it.
func (r paramRange) String() string {
	if r.unit == unitDuration && r.Min == 1 {
		return "positive, at most " + r.unit.text(r.Max)
	}
	return r.unit.text(r.Min) + " to " + r.unit.text(r.Max)
}

// text writes a bound or a value exactly, in the unit's own notation.
func (u unit) text(v float64) string {
	switch u {
	case unitDuration:
		d := sim.Time(v)
		if d != 0 && d%(24*sim.Hour) == 0 {
			return strconv.FormatInt(int64(d/(24*sim.Hour)), 10) + "d"
		}
		return d.String()
	case unitBitrate:
		for _, s := range []struct {
			mult float64
			name string
		}{{1e9, "Gbps"}, {1e6, "Mbps"}, {1e3, "kbps"}} {
			if v >= s.mult {
				return strconv.FormatFloat(v/s.mult, 'f', -1, 64) + s.name
			}
		}
		return strconv.FormatFloat(v, 'g', -1, 64) + "bps"
	case unitSize:
		for _, s := range []struct {
			mult float64
			name string
		}{{1e9, "GB"}, {1e6, "MB"}, {1e3, "KB"}} {
			if v >= s.mult {
				return strconv.FormatFloat(v/s.mult, 'f', -1, 64) + s.name
			}
		}
		return strconv.FormatFloat(v, 'g', -1, 64) + "B"
	case unitWatts:
		return strconv.FormatFloat(v, 'g', -1, 64) + " W"
	case unitWattsPerMbps:
		return strconv.FormatFloat(v, 'g', -1, 64) + " W per Mbit/s"
	case unitJoules:
		return strconv.FormatFloat(v, 'g', -1, 64) + " J"
	case unitPercent:
		return strconv.FormatFloat(v, 'g', -1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// inRange reports a set value outside its parameter's range at pos. key
// is the value's path, as in rangeOf; path, if not "", is how the error
// names it.
func (d *decoder) inRange(pos Pos, set bool, v float64, key string) bool {
	r, ok := rangeOf(key)
	if !ok {
		panic("scenarios: no range for " + key)
	}
	if !set || r.contains(v) {
		return true
	}
	d.add(pos, "%s: %s, found %s", key, r, r.unit.text(v))
	return false
}

// rangeTable is the table of parameter ranges, as docs/scenarios.md has it.
func rangeTable() string {
	var b strings.Builder
	b.WriteString("| parameter | valid values |\n|---|---|\n")
	for _, r := range paramRanges {
		fmt.Fprintf(&b, "| `%s` | %s |\n", r.Path, r)
	}
	return b.String()
}
