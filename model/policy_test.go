package model

import (
	"testing"

	"github.com/bgsim/bgsim/sim"
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
		reset  int64 // Params.RateLimiterResetAfter; 0 here means the default, 2
	}{
		{"doubles at each wake", 0, 2, []op{
			{0, "raise", 1 * m, 0}, {1 * m, "raise", 2 * m, 0}, {2 * m, "raise", 4 * m, 0}, {3 * m, "current", 4 * m, 0}}, 0},
		{"lapses after a full period without a wake", 0, 2, []op{
			{0, "raise", 1 * m, 0}, {2*m - 1, "current", 1 * m, 0}, {2 * m, "current", 0, 1 * m}, {3 * m, "raise", 1 * m, 0}}, 0},
		{"reset_after 1: lapses as soon as the delay runs out", 0, 2, []op{
			{0, "raise", 1 * m, 0}, {m - 1, "current", 1 * m, 0}, {m, "current", 0, 1 * m}}, 1},
		{"reset_after 3: lapses two full periods after it ran out", 0, 2, []op{
			{0, "raise", 1 * m, 0}, {3*m - 1, "current", 1 * m, 0}, {3 * m, "current", 0, 1 * m}}, 3},
		{"a raise after the lapse starts again from the first delay", 0, 2, []op{
			{0, "raise", 1 * m, 0}, {5 * m, "raise", 1 * m, 1 * m}}, 0},
		{"the cap holds", 90 * sim.Second, 2, []op{
			{0, "raise", 1 * m, 0}, {m, "raise", 90 * sim.Second, 0}, {2 * m, "raise", 90 * sim.Second, 0}}, 0},
		{"the user resets it", 0, 3, []op{
			{0, "raise", 1 * m, 0}, {m, "raise", 3 * m, 0}, {2 * m, "reset", 0, 0}, {2 * m, "current", 0, 0}, {3 * m, "raise", 1 * m, 0}}, 0},
		{"saturates at MaxDuration", 0, 100, func() []op {
			var ops []op
			for i := range 12 {
				ops = append(ops, op{sim.Time(i), "raise", -1, 0})
			}
			return append(ops, op{12, "current", MaxDuration, 0})
		}(), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reset := tt.reset
			if reset == 0 {
				reset = 2
			}
			r := rateLimiter{first: m, cap: tt.cap, factor: tt.factor, resetAfter: reset}
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

func TestStartGate(t *testing.T) {
	g := startGate{relaxAfter: 0.5, criticalBattery: 10, requires: DiscretionaryWiFiAndPower}
	s := sim.Second
	onBattery, charging := Power{BatteryPercent: 80}, Power{BatteryPercent: 80, Charging: true}
	disc := gateTask{resumedAt: 0, timeout: 100 * s, discretionary: true}
	tests := []struct {
		name  string
		now   sim.Time
		t     gateTask
		power Power
		wifi  bool
		rule  RuleID
		until sim.Time
	}{
		{"free to start", 1 * s, gateTask{timeout: 100 * s}, onBattery, false, "", 0},
		{"earliestBeginDate first", 1 * s, gateTask{beginAt: 5 * s, rateUntil: 9 * s, timeout: 100 * s}, charging, true, RuleEarliestBeginDate, 5 * s},
		{"then the rate limiter", 6 * s, gateTask{beginAt: 5 * s, rateUntil: 9 * s, timeout: 100 * s}, charging, true, RuleRateLimiter, 9 * s},
		{"discretionary on Wi-Fi and power", 1 * s, disc, charging, true, "", 0},
		{"discretionary waits for Wi-Fi", 1 * s, disc, charging, false, RuleDiscretionaryFlag, 50 * s},
		{"discretionary waits for power", 1 * s, disc, onBattery, true, RuleDiscretionaryFlag, 50 * s},
		{"critical battery", 1 * s, disc, Power{BatteryPercent: 10}, true, RuleCriticalBattery, 50 * s},
		{"relaxed near the resource timeout", 50 * s, disc, onBattery, false, "", 0},
		{"Low Power Mode is not relaxed", 60 * s, disc, Power{BatteryPercent: 80, Charging: true, LowPowerMode: true}, true, RuleLowPowerMode, 0},
	}
	for _, tt := range tests {
		rule, _, until := g.hold(tt.now, tt.t, tt.power, tt.wifi)
		if rule != tt.rule || until != tt.until {
			t.Errorf("%s: %q until %v, want %q until %v", tt.name, rule, until, tt.rule, tt.until)
		}
	}
}

func TestChoosePath(t *testing.T) {
	up, down := pathState{usable: true}, pathState{}
	expensive, constrained := pathState{usable: true, expensive: true}, pathState{usable: true, constrained: true}
	all := Access{}
	noCell, noExp, noCons := Access{Cellular: Denied}, Access{Expensive: Denied}, Access{Constrained: Denied}
	tests := []struct {
		name string
		ifs  [2]pathState
		acc  Access
		i    int
		rule RuleID
	}{
		{"Wi-Fi first", [2]pathState{up, up}, all, WiFi, ""},
		{"cellular when Wi-Fi is down", [2]pathState{down, up}, all, Cellular, ""},
		{"no path", [2]pathState{down, down}, all, -1, RuleBGAlwaysWaitsForConnectivity},
		{"cellular disallowed", [2]pathState{down, up}, noCell, -1, RuleCellularDisallowed},
		{"an expensive path denied", [2]pathState{down, expensive}, noExp, -1, RuleExpensiveConstrained},
		{"a constrained path denied", [2]pathState{constrained, down}, noCons, -1, RuleExpensiveConstrained},
		{"a denied path skipped for the other", [2]pathState{constrained, up}, noCons, Cellular, ""},
	}
	for _, tt := range tests {
		i, rule, _ := choosePath(tt.ifs, tt.acc)
		if i != tt.i || rule != tt.rule {
			t.Errorf("%s: %d %q, want %d %q", tt.name, i, rule, tt.i, tt.rule)
		}
	}
}

func TestDecideWake(t *testing.T) {
	idle := wakeInputs{launchEvents: true, fresh: true}
	with := func(f func(*wakeInputs)) wakeInputs { in := idle; f(&in); return in }
	tests := []struct {
		name string
		in   wakeInputs
		act  wakeAction
		rule RuleID
	}{
		{"fresh events, launch events on: wake", idle, wakeApp, ""},
		{"the running app has not created the session", with(func(in *wakeInputs) { in.running = true }), wakeHold, RuleReconnectSameID},
		{"the woken process is running", with(func(in *wakeInputs) { in.running, in.wokenRunning = true, true }), wakeNothing, ""},
		{"other tasks still running", with(func(in *wakeInputs) { in.outstanding = true }), wakeHold, RuleLaunchGranularity},
		{"force quit", with(func(in *wakeInputs) { in.forceQuit = true }), wakeHold, RuleForceQuitCancels},
		{"launch events off", with(func(in *wakeInputs) { in.launchEvents = false }), wakeHold, RuleSendLaunchEventsFalse},
		{"a wake under way", with(func(in *wakeInputs) { in.wakeUnderWay = true }), wakeNothing, ""},
		{"announced and refused, another identifier created", with(func(in *wakeInputs) { in.fresh, in.refused, in.otherID = false, true, true }), wakeHold, RuleWrongIDOnRecreate},
		{"announced and refused, no session created", with(func(in *wakeInputs) { in.fresh, in.refused = false, true }), wakeHold, RuleReconnectSameID},
		{"announced, offered, sent back", with(func(in *wakeInputs) { in.fresh = false }), wakeHold, RuleReconnectSameID},
	}
	for _, tt := range tests {
		act, rule, _ := decideWake(tt.in, "com.example")
		if act != tt.act || rule != tt.rule {
			t.Errorf("%s: %d %q, want %d %q", tt.name, act, rule, tt.act, tt.rule)
		}
	}
}
