package model

import (
	"math"
	"strconv"
	"strings"

	"github.com/bgsim/bgsim/sim"
)

// Unit is how a parameter's values are measured and written.
type Unit int

// The units of the parameter table.
const (
	UnitDuration     Unit = iota // a span of virtual time, written 1m30s or 7d
	UnitBitrate                  // bits per second, written 10Mbps
	UnitSize                     // bytes, written 1MB
	UnitInt                      // a whole number
	UnitFloat                    // a number
	UnitWatts                    // W
	UnitWattsPerMbps             // W per Mbit/s of throughput
	UnitJoules                   // J
	UnitPercent                  // a whole percentage
	UnitChance                   // a fraction from 0 to 1
	UnitCount                    // how many items a list holds
)

// Exact reports whether the unit's values are whole numbers (held as
// int64 in a Config), compared exactly.
func (u Unit) Exact() bool {
	switch u {
	case UnitDuration, UnitBitrate, UnitSize, UnitInt, UnitPercent, UnitCount:
		return true
	}
	return false
}

// Text writes a bound or a value exactly, in the unit's own notation.
func (u Unit) Text(v float64) string {
	if u == UnitDuration && v == math.Trunc(v) && math.Abs(v) < 1<<62 {
		return durationText(sim.Time(v))
	}
	switch u {
	case UnitBitrate:
		return scaled(v, "bps", []scale{{1e9, "Gbps"}, {1e6, "Mbps"}, {1e3, "kbps"}})
	case UnitSize:
		return scaled(v, "B", []scale{{1e9, "GB"}, {1e6, "MB"}, {1e3, "KB"}})
	case UnitWatts:
		return strconv.FormatFloat(v, 'g', -1, 64) + " W"
	case UnitWattsPerMbps:
		return strconv.FormatFloat(v, 'g', -1, 64) + " W per Mbit/s"
	case UnitJoules:
		return strconv.FormatFloat(v, 'g', -1, 64) + " J"
	case UnitPercent:
		return strconv.FormatFloat(v, 'g', -1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// textInt writes a whole value of the unit exactly.
func (u Unit) textInt(v int64) string {
	if u == UnitDuration {
		return durationText(sim.Time(v))
	}
	return u.Text(float64(v))
}

func durationText(d sim.Time) string {
	if d != 0 && d%(24*sim.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*sim.Hour)), 10) + "d"
	}
	return d.String()
}

type scale struct {
	mult float64
	name string
}

func scaled(v float64, base string, scales []scale) string {
	for _, s := range scales {
		if v >= s.mult {
			return strconv.FormatFloat(v/s.mult, 'f', -1, 64) + s.name
		}
	}
	return strconv.FormatFloat(v, 'g', -1, 64) + base
}

// Param is one parameter of the scenario language: where it is written,
// its unit, its valid values, what it means and, if a sweep can vary
// it, how a value is set in a Config.
type Param struct {
	// Path is generic: <interface> stands for wifi or cellular, <name>
	// for a session's or an upload's name, [] for an index.
	Path     string
	Unit     Unit
	Min, Max float64
	// Doc says what the parameter is, in one line, with its default.
	Doc string
	// Set, for a parameter a sweep can vary, writes v into c; at is the
	// interface, session, upload or timeline step the path names.
	// Sweeps vary exactly the parameters with one.
	Set func(c *Config, at int, v float64)
	// each calls f.value with every value of the parameter c holds (a
	// whole number in i for exact units, a number in x for the others)
	// and where it is (as at for Set; a tail phase is iface<<16|phase).
	// Nil for the sweep's own parameters, which are not part of a Config.
	each func(c *Config, f emit)
}

// Contains tells whether v is a valid value; NaN never is.
func (p *Param) Contains(v float64) bool { return v >= p.Min && v <= p.Max }

// Clamp holds v to the range.
func (p *Param) Clamp(v float64) float64 { return min(max(v, p.Min), p.Max) }

// Range describes the valid values as the docs and errors write them.
func (p *Param) Range() string {
	if p.Unit == UnitDuration && p.Min == 1 {
		return "positive, at most " + p.Unit.Text(p.Max)
	}
	return p.Unit.Text(p.Min) + " to " + p.Unit.Text(p.Max)
}

// pathAt is p's path for the item at in c: network.wifi.up,
// app.uploads.photo.size, timeline[3].at.
func (p *Param) pathAt(c *Config, at int) string {
	path := p.Path
	if strings.Contains(path, "<interface>") {
		iface := at
		if strings.Contains(path, "tail[]") {
			iface = at >> 16
			path = strings.Replace(path, "tail[]", "tail["+strconv.Itoa(at&0xffff)+"]", 1)
		}
		return strings.Replace(path, "<interface>", ifaceNames[iface], 1)
	}
	switch {
	case strings.HasPrefix(path, "app.sessions.<name>"):
		return strings.Replace(path, "<name>", c.App.Sessions[at].Name, 1)
	case strings.HasPrefix(path, "app.uploads.<name>"):
		return strings.Replace(path, "<name>", c.App.Uploads[at].Name, 1)
	case strings.HasPrefix(path, "timeline[]"):
		return "timeline[" + strconv.Itoa(at) + "]" + strings.TrimPrefix(path, "timeline[]")
	}
	return path
}

// check adds an error for every value of p in c outside its range.
func (p *Param) check(c *Config, k *checker) {
	if p.each != nil {
		p.each(c, emit{p, c, k})
	}
}

// emit receives the values of one parameter of a Config and checks each;
// a value, not a closure, so that checking a valid Config allocates
// nothing.
type emit struct {
	p *Param
	c *Config
	k *checker
}

func (e emit) value(at int, i int64, x float64) {
	p := e.p
	if p.Unit.Exact() {
		// Exact units compare as integers: a float64 cannot tell 3650d
		// from 3650d1ns.
		if i < int64(p.Min) || i > int64(p.Max) {
			e.k.add(p.pathAt(e.c, at), "%s, found %s", p.Range(), p.Unit.textInt(i))
		}
		return
	}
	if !p.Contains(x) {
		e.k.add(p.pathAt(e.c, at), "%s, found %s", p.Range(), p.Unit.Text(x))
	}
}

// Bounds of the language that are not the model's clock: a run's horizon
// and event budget.
const (
	MaxHorizon       = 365 * 24 * sim.Hour
	MaxEventsCeiling = 100_000_000
)

// Enumerators of the values a Config holds, for the table below.

func one(get func(c *Config) int64) func(*Config, emit) {
	return func(c *Config, f emit) { f.value(0, get(c), 0) }
}

func oneF(get func(c *Config) float64) func(*Config, emit) {
	return func(c *Config, f emit) { f.value(0, 0, get(c)) }
}

func perIface(get func(n *Interface) int64) func(*Config, emit) {
	return func(c *Config, f emit) {
		for i := range c.Network.Interfaces {
			f.value(i, get(&c.Network.Interfaces[i]), 0)
		}
	}
}

func perRadio(get func(r *RadioProfile) float64) func(*Config, emit) {
	return func(c *Config, f emit) {
		for i := range c.Network.Interfaces {
			f.value(i, 0, get(&c.Network.Interfaces[i].Radio))
		}
	}
}

func perTail(get func(t *TailPhase) (int64, float64)) func(*Config, emit) {
	return func(c *Config, f emit) {
		for i := range c.Network.Interfaces {
			tail := c.Network.Interfaces[i].Radio.Tail
			for j := range tail[:min(len(tail), MaxTailPhases)] {
				v, x := get(&tail[j])
				f.value(i<<16|j, v, x)
			}
		}
	}
}

// perSession yields a session timeout of each session; zero, the
// default, is not checked.
func perSession(get func(s *Session) sim.Time) func(*Config, emit) {
	return func(c *Config, f emit) {
		for i := range c.App.Sessions {
			if v := get(&c.App.Sessions[i]); v != 0 {
				f.value(i, int64(v), 0)
			}
		}
	}
}

func perUpload(get func(u *Upload) (int64, bool)) func(*Config, emit) {
	return func(c *Config, f emit) {
		for i := range c.App.Uploads {
			if v, ok := get(&c.App.Uploads[i]); ok {
				f.value(i, v, 0)
			}
		}
	}
}

func ofWorkload(get func(w *Workload) int64) func(*Config, emit) {
	return func(c *Config, f emit) {
		if w := c.App.Workload; w != nil {
			f.value(0, get(w), 0)
		}
	}
}

func perStep(get func(a *Action) (int64, bool)) func(*Config, emit) {
	return func(c *Config, f emit) {
		for i := range c.Timeline {
			if v, ok := get(&c.Timeline[i]); ok {
				f.value(i, v, 0)
			}
		}
	}
}

func setTime(f func(c *Config, at int) *sim.Time) func(*Config, int, float64) {
	return func(c *Config, at int, v float64) { *f(c, at) = sim.Time(v) }
}

func setI64(f func(c *Config, at int) *int64) func(*Config, int, float64) {
	return func(c *Config, at int, v float64) { *f(c, at) = int64(math.Round(v)) }
}

func setInt(f func(c *Config, at int) *int) func(*Config, int, float64) {
	return func(c *Config, at int, v float64) { *f(c, at) = int(math.Round(v)) }
}

const (
	maxDur  = float64(MaxDuration)
	maxRate = MaxBitsPerSecond
	minRate = MinBitsPerSecond
)

// ParamTable is every parameter of the scenario language with a unit and
// a range: the one source of each bound. Config.Check refuses a value
// outside its range (so the loader reports it at the value), sweeps
// check their grids and distributions against it, hold their draws to it
// and set values through it, suggestions for a misspelt sweep path come
// from it, and the JSON schema and the table in docs/scenarios.md are
// generated from it. The three sweep.outages rows bound the sweep's outage
// process, which the scenarios package turns into timeline outages; a
// Config holds nothing of them.
var ParamTable = []Param{
	{"horizon", UnitDuration, 1, float64(MaxHorizon),
		"the run stops at this virtual time (default 1h)", nil,
		one(func(c *Config) int64 { return int64(c.Horizon) })},
	{"max_events", UnitInt, 1, MaxEventsCeiling,
		"the most events one run may take (default 1000000)", nil,
		one(func(c *Config) int64 { return int64(min(c.MaxEvents, math.MaxInt64)) })},
	{"energy.window", UnitDuration, 1, float64(MaxHorizon),
		"every radio's energy is integrated from 0 to this time, in every variant; at most the horizon (default: the horizon)", nil,
		func(c *Config, f emit) {
			if c.EnergyWindow != 0 { // zero: the horizon
				f.value(0, int64(c.EnergyWindow), 0)
			}
		}},
	{"device.ios", UnitInt, MinIOS, MaxIOS,
		"major iOS version (default 26)", nil,
		one(func(c *Config) int64 { return int64(c.IOS) })},
	{"network.<interface>.up", UnitBitrate, minRate, maxRate,
		"upload bandwidth (default 10Mbps Wi-Fi, 5Mbps cellular)",
		setI64(func(c *Config, at int) *int64 { return &c.Network.Interfaces[at].UpBitsPerSecond }),
		perIface(func(n *Interface) int64 { return n.UpBitsPerSecond })},
	{"network.<interface>.down", UnitBitrate, minRate, maxRate,
		"download bandwidth (default 50Mbps Wi-Fi, 20Mbps cellular)",
		setI64(func(c *Config, at int) *int64 { return &c.Network.Interfaces[at].DownBitsPerSecond }),
		perIface(func(n *Interface) int64 { return n.DownBitsPerSecond })},
	{"network.<interface>.rtt", UnitDuration, 0, maxDur,
		"round-trip time (default 50ms Wi-Fi, 70ms cellular)",
		setTime(func(c *Config, at int) *sim.Time { return &c.Network.Interfaces[at].RTT }),
		perIface(func(n *Interface) int64 { return int64(n.RTT) })},
	{"network.<interface>.radio.promotion_time", UnitDuration, 0, maxDur,
		"promotion from idle (default: the profile's)", nil,
		perIface(func(n *Interface) int64 { return int64(n.Radio.PromotionTime) })},
	{"network.<interface>.radio.promotion_watts", UnitWatts, 0, MaxWatts,
		"power during promotion", nil,
		perRadio(func(r *RadioProfile) float64 { return r.PromotionWatts })},
	{"network.<interface>.radio.beta_watts", UnitWatts, 0, MaxWatts,
		"power while transferring at zero throughput", nil,
		perRadio(func(r *RadioProfile) float64 { return r.BetaWatts })},
	{"network.<interface>.radio.alpha_up", UnitWattsPerMbps, 0, MaxWatts,
		"power per Mbit/s of uplink throughput", nil,
		perRadio(func(r *RadioProfile) float64 { return r.AlphaUp })},
	{"network.<interface>.radio.alpha_down", UnitWattsPerMbps, 0, MaxWatts,
		"power per Mbit/s of downlink throughput", nil,
		perRadio(func(r *RadioProfile) float64 { return r.AlphaDown })},
	{"network.<interface>.radio.idle_watts", UnitWatts, 0, MaxWatts,
		"average idle power", nil,
		perRadio(func(r *RadioProfile) float64 { return r.IdleWatts })},
	{"network.<interface>.radio.tail", UnitCount, 0, MaxTailPhases,
		"the tail phases, replacing the profile's", nil,
		perIface(func(n *Interface) int64 { return int64(len(n.Radio.Tail)) })},
	{"network.<interface>.radio.tail[].duration", UnitDuration, 1, maxDur,
		"how long the phase lasts", nil,
		perTail(func(t *TailPhase) (int64, float64) { return int64(t.Duration), 0 })},
	{"network.<interface>.radio.tail[].watts", UnitWatts, 0, MaxWatts,
		"the phase's power", nil,
		perTail(func(t *TailPhase) (int64, float64) { return 0, t.Watts })},
	{"network.<interface>.radio.tail[].repromotion_time", UnitDuration, 0, maxDur,
		"traffic in this phase waits this long (3G FACH to DCH)", nil,
		perTail(func(t *TailPhase) (int64, float64) { return int64(t.RepromotionTime), 0 })},
	{"network.<interface>.radio.tail[].repromotion_watts", UnitWatts, 0, MaxWatts,
		"power during that promotion", nil,
		perTail(func(t *TailPhase) (int64, float64) { return 0, t.RepromotionWatts })},
	{"power.battery", UnitPercent, 0, 100,
		"battery level (default 80%)",
		func(c *Config, _ int, v float64) { c.Power.BatteryPercent = int(math.Min(math.Round(v), 100)) },
		one(func(c *Config) int64 { return int64(c.Power.BatteryPercent) })},
	{"server.latency", UnitDuration, 0, maxDur,
		"time from the last byte received to the first byte of the answer (default 100ms)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.Server.Latency }),
		one(func(c *Config) int64 { return int64(c.Server.Latency) })},
	{"server.status", UnitInt, 200, 599,
		"HTTP status of every response (default 200); a 5xx is a response, not a transport error", nil,
		one(func(c *Config) int64 { return int64(c.Server.Status) })},
	{"server.response_size", UnitSize, 0, MaxUploadBytes,
		"size of each response body (default 512B)",
		setI64(func(c *Config, _ int) *int64 { return &c.Server.ResponseBytes }),
		one(func(c *Config) int64 { return c.Server.ResponseBytes })},
	{"server.unresponsive_until", UnitDuration, 0, maxDur,
		"requests arriving before this time get no answer, so they time out (default 0)", nil,
		one(func(c *Config) int64 { return int64(c.Server.UnresponsiveUntil) })},
	{"server.redirect.status", UnitInt, 301, 308,
		"the redirect's status, 301, 302, 303, 307 or 308 (default none: no redirects); 307 and 308 send the body again, the others a GET without it", nil,
		func(c *Config, f emit) {
			if s := c.Server.Redirect.Status; s != 0 { // zero: no redirects
				f.value(0, int64(s), 0)
			}
		}},
	{"server.redirect.times", UnitInt, 0, MaxRedirects,
		"how many redirects each attempt of an upload meets before the answer (default 1 when status is set)", nil,
		one(func(c *Config) int64 { return int64(c.Server.Redirect.Times) })},
	{"server.redirect.latency", UnitDuration, 0, maxDur,
		"the server's time to answer with the redirect (default: server.latency)", nil,
		one(func(c *Config) int64 { return int64(c.Server.Redirect.Latency) })},
	{"params.xpc_latency", UnitDuration, 0, maxDur,
		"one hop between the app and nsurlsessiond (default 2ms)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.Params.XPCLatency }),
		one(func(c *Config) int64 { return int64(c.Params.XPCLatency) })},
	{"params.launch_latency", UnitDuration, 0, maxDur,
		"time iOS takes to launch the app's process (default 400ms)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.Params.LaunchLatency }),
		one(func(c *Config) int64 { return int64(c.Params.LaunchLatency) })},
	{"params.background_grace", UnitDuration, 0, maxDur,
		"how long an app the user left runs before it is suspended (default 5s)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.Params.BackgroundGrace }),
		one(func(c *Config) int64 { return int64(c.Params.BackgroundGrace) })},
	{"params.relaunch_allowance", UnitDuration, 0, maxDur,
		"run time of an app woken for session events, R-RELAUNCH-TIME (default 30s)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.Params.RelaunchAllowance }),
		one(func(c *Config) int64 { return int64(c.Params.RelaunchAllowance) })},
	{"params.rate_limiter.first", UnitDuration, 0, maxDur,
		"the resume rate limiter's first delay, R-RATE-LIMITER (default 60s)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.Params.RateLimiterFirst }),
		one(func(c *Config) int64 { return int64(c.Params.RateLimiterFirst) })},
	{"params.rate_limiter.factor", UnitInt, 1, MaxRateLimiterFactor,
		"the delay is multiplied by this at each later wake (default 2)", nil,
		one(func(c *Config) int64 { return c.Params.RateLimiterFactor })},
	{"params.rate_limiter.cap", UnitDuration, 0, maxDur,
		"the largest delay; 0 for no cap (default 0)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.Params.RateLimiterCap }),
		one(func(c *Config) int64 { return int64(c.Params.RateLimiterCap) })},
	{"params.rate_limiter.reset_after", UnitInt, 1, MaxRateLimiterResetAfter,
		"the delay lapses this many delays after it was set without a wake; an assumption: the source says only \"a full delay period\" (default 2)",
		setI64(func(c *Config, _ int) *int64 { return &c.Params.RateLimiterResetAfter }),
		one(func(c *Config) int64 { return c.Params.RateLimiterResetAfter })},
	{"params.force_quit_continue_chance", UnitChance, 0, 1,
		"with force_quit: cancel, the chance a force quit leaves the transfers going (default 0)",
		func(c *Config, _ int, v float64) { c.Params.ForceQuitContinueChance = math.Min(v, 1) },
		oneF(func(c *Config) float64 { return c.Params.ForceQuitContinueChance })},
	{"params.in_process_cut_code", UnitInt, MinURLErrorCode, -1,
		"the error a shared-session task cut by suspension fails with when the app comes back, R-IN-PROCESS-TRANSFER; an assumption: no source gives the code (default -1005)", nil,
		one(func(c *Config) int64 { return int64(c.Params.InProcessCutCode) })},
	{"params.handshake_rtts", UnitInt, 0, MaxHandshakeRTTs,
		"round trips a new connection costs before the body flows (default 2)",
		setInt(func(c *Config, _ int) *int { return &c.Params.HandshakeRTTs }),
		one(func(c *Config) int64 { return int64(c.Params.HandshakeRTTs) })},
	{"params.max_redirects", UnitInt, 0, MaxRedirects,
		"redirects one attempt follows; one more fails the task with -1007 (default 16, Apple's \"currently 16\")", nil,
		one(func(c *Config) int64 { return int64(c.Params.MaxRedirects) })},
	{"params.discretionary_relax_after", UnitChance, 0, 1,
		"fraction of the resource timeout after which discretionary conditions lift, R-DISCRETIONARY-RELAXATION; an assumption: Apple publishes no curve (default 0.9)",
		func(c *Config, _ int, v float64) { c.Params.DiscretionaryRelaxAfter = math.Min(v, 1) },
		oneF(func(c *Config) float64 { return c.Params.DiscretionaryRelaxAfter })},
	{"params.critical_battery", UnitPercent, 0, 100,
		"battery percent at or below which discretionary work is held when not charging (default 20)",
		setInt(func(c *Config, _ int) *int { return &c.Params.CriticalBatteryPercent }),
		one(func(c *Config) int64 { return int64(c.Params.CriticalBatteryPercent) })},
	{"params.wake_joules", UnitJoules, 0, MaxWakeJoules,
		"a fixed energy per background launch or resume of the app, reported apart, on top of wake_cpu_watts (default 0: not counted)", nil,
		oneF(func(c *Config) float64 { return c.Params.WakeJoules })},
	{"params.wake_cpu_watts", UnitWatts, 0, MaxWatts,
		"power above sleep while the app is awake in a background wake, until it calls the completion handler or is suspended or terminated; an assumption (default 0.2 W: Carroll and Heiser 2010, awake-idle less suspended)",
		func(c *Config, _ int, v float64) { c.Params.WakeCPUWatts = v },
		oneF(func(c *Config) float64 { return c.Params.WakeCPUWatts })},
	{"params.resumable_wait", UnitDuration, 1, maxDur,
		"iOS 17+, resumable server: how long an upload that lost its connection waits for a path before it fails with resume data, R-RESUMABLE-UPLOAD-17 (default 5m; an assumption)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.Params.ResumableWait }),
		one(func(c *Config) int64 { return int64(c.Params.ResumableWait) })},
	{"app.sessions.<name>.resource_timeout", UnitDuration, 1, maxDur,
		"timeoutIntervalForResource (default 7d)",
		func(c *Config, at int, v float64) { c.App.Sessions[at].ResourceTimeout = max(sim.Time(v), 1) },
		perSession(func(s *Session) sim.Time { return s.ResourceTimeout })},
	{"app.sessions.<name>.request_timeout", UnitDuration, 1, maxDur,
		"timeoutIntervalForRequest (default 60s)",
		func(c *Config, at int, v float64) { c.App.Sessions[at].RequestTimeout = max(sim.Time(v), 1) },
		perSession(func(s *Session) sim.Time { return s.RequestTimeout })},
	{"app.uploads.<name>.size", UnitSize, 1, MaxUploadBytes,
		"the body's size; required except for stream tasks",
		setI64(func(c *Config, at int) *int64 { return &c.App.Uploads[at].Bytes }),
		perUpload(func(u *Upload) (int64, bool) { return u.Bytes, u.API != StreamTask || u.Bytes != 0 })},
	{"app.uploads.<name>.chain", UnitInt, 0, MaxChain,
		"when the response arrives, the code starts this upload again, up to this many more times (default 0)", nil,
		perUpload(func(u *Upload) (int64, bool) { return int64(u.Chain), true })},
	{"app.uploads.<name>.begin_after", UnitDuration, 0, maxDur,
		"earliestBeginDate, this long after the task is created (default none)",
		setTime(func(c *Config, at int) *sim.Time { return &c.App.Uploads[at].BeginAfter }),
		perUpload(func(u *Upload) (int64, bool) { return int64(u.BeginAfter), true })},
	{"app.workload.items", UnitInt, 1, MaxItems,
		"how many items",
		func(c *Config, _ int, v float64) { c.App.Workload.Items = max(int(math.Round(v)), 1) },
		ofWorkload(func(w *Workload) int64 { return int64(w.Items) })},
	{"app.workload.size", UnitSize, 1, MaxUploadBytes,
		"each item's size",
		setI64(func(c *Config, _ int) *int64 { return &c.App.Workload.Bytes }),
		ofWorkload(func(w *Workload) int64 { return w.Bytes })},
	{"app.workload.start", UnitDuration, 0, maxDur,
		"when the first item comes (default 0s)",
		setTime(func(c *Config, _ int) *sim.Time { return &c.App.Workload.Start }),
		ofWorkload(func(w *Workload) int64 { return int64(w.Start) })},
	{"app.workload.every", UnitDuration, 1, maxDur,
		"the spacing, or the mean spacing when random",
		func(c *Config, _ int, v float64) { c.App.Workload.Every = max(sim.Time(v), 1) },
		ofWorkload(func(w *Workload) int64 { return int64(w.Every) })},
	{"app.workload.batch.count", UnitInt, 0, MaxItems,
		"a batch goes when it holds this many items",
		setInt(func(c *Config, _ int) *int { return &c.App.Workload.BatchCount }),
		ofWorkload(func(w *Workload) int64 { return int64(w.BatchCount) })},
	{"app.workload.batch.window", UnitDuration, 0, maxDur,
		"a batch goes this long after its first item",
		setTime(func(c *Config, _ int) *sim.Time { return &c.App.Workload.BatchWindow }),
		ofWorkload(func(w *Workload) int64 { return int64(w.BatchWindow) })},
	{"timeline[].at", UnitDuration, 0, maxDur,
		"when the step happens, from the start of the run",
		setTime(func(c *Config, at int) *sim.Time { return &c.Timeline[at].At }),
		perStep(func(a *Action) (int64, bool) { return int64(a.At), !a.When.Set() })},
	{"timeline[].after", UnitDuration, 0, maxDur,
		"for a step with when:, how long after the condition first holds the step happens (default 0s)",
		setTime(func(c *Config, at int) *sim.Time { return &c.Timeline[at].After }),
		perStep(func(a *Action) (int64, bool) { return int64(a.After), a.After != 0 || a.When.Set() })},
	{"timeline[].when.sent", UnitPercent, 1, 100,
		"the step's condition: this share of the upload's body is on the air",
		setInt(func(c *Config, at int) *int { return &c.Timeline[at].When.Sent }),
		perStep(func(a *Action) (int64, bool) { return int64(a.When.Sent), a.When.Sent != 0 })},
	{"timeline[].when.background_launches", UnitInt, 1, MaxEventsCeiling,
		"the step's condition: iOS has launched the app into the background this many times", nil,
		perStep(func(a *Action) (int64, bool) {
			return int64(a.When.BackgroundLaunches), a.When.BackgroundLaunches != 0
		})},
	{"timeline[].for", UnitDuration, 1, maxDur,
		"for do: outage, how long every path is cut", nil,
		perStep(func(a *Action) (int64, bool) { return int64(a.For), a.Do == Outage })},
	{"timeline[].up", UnitBitrate, minRate, maxRate,
		"for do: bandwidth, the new upload bandwidth", nil,
		perStep(func(a *Action) (int64, bool) { return a.Up, a.Up != 0 })},
	{"timeline[].down", UnitBitrate, minRate, maxRate,
		"for do: bandwidth, the new download bandwidth", nil,
		perStep(func(a *Action) (int64, bool) { return a.Down, a.Down != 0 })},
	{"sweep.outages.every", UnitDuration, 1, maxDur, "the mean time between a sweep's outages", nil, nil},
	{"sweep.outages.for", UnitDuration, 1, maxDur, "how long each lasts (the shortest, with for_max)", nil, nil},
	{"sweep.outages.for_max", UnitDuration, 1, maxDur, "the longest, drawn uniformly between for and this", nil, nil},
}
