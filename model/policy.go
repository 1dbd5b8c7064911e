package model

import (
	"fmt"

	"github.com/bgsim/bgsim/sim"
)

// rateLimiter is nsurlsessiond's resume rate limiter (R-RATE-LIMITER), a
// pure policy in the manner of raft's quorum package: it holds a delay and
// answers questions about it at a given instant; the daemon decides what to
// do with the answers and writes the trace.
//
// Every background wake raises the delay (first, then times factor, at most
// cap if cap > 0, saturating at MaxDuration); tasks the app creates in the
// background wait that long. The delay lapses when resetAfter delays have
// passed since it was set without a wake, and resets when the user brings
// the app to the foreground. The source says the delay resets "when a full
// delay period passes without the daemon resuming the app"; resetAfter
// (Params.RateLimiterResetAfter, default 2: a full period after the delay
// ran out) is an assumption about where that period starts.
type rateLimiter struct {
	first, cap sim.Time
	factor     int64
	resetAfter int64 // at least 1
	delay      sim.Time
	setAt      sim.Time
}

func newRateLimiter(p Params) rateLimiter {
	return rateLimiter{first: p.RateLimiterFirst, cap: p.RateLimiterCap, factor: p.RateLimiterFactor, resetAfter: p.RateLimiterResetAfter}
}

// current returns the delay at now; lapsed is the delay that ran out
// without a wake just now (0 if none), after which the delay is 0.
func (r *rateLimiter) current(now sim.Time) (delay, lapsed sim.Time) {
	// (now-setAt)/resetAfter >= delay is now-setAt >= resetAfter*delay
	// for whole numbers, without overflowing.
	if r.delay > 0 && (now-r.setAt)/sim.Time(r.resetAfter) >= r.delay {
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

// startGate is nsurlsessiond's decision whether a waiting task may start
// (R-EARLIEST-BEGIN-DATE, R-RATE-LIMITER, and for discretionary tasks
// R-LOW-POWER-MODE, R-CRITICAL-BATTERY, R-DISCRETIONARY-FLAG, lifted by
// R-DISCRETIONARY-RELAXATION), a pure policy: it answers for one task at one
// instant; the daemon acts on the answer and writes the trace.
type startGate struct {
	relaxAfter      float64                  // Params.DiscretionaryRelaxAfter
	criticalBattery int                      // Params.CriticalBatteryPercent
	requires        DiscretionaryRequirement // Params.DiscretionaryRequires
	// noRelax: the discretionary conditions are never lifted, as on iOS 7
	// (R-DISCRETIONARY-RELAXATION is iOS 8+: IOSDiscretionaryRelaxation).
	noRelax bool
}

// gateTask is what the gate needs to know of a task.
type gateTask struct {
	beginAt, rateUntil sim.Time // earliestBeginDate; the rate limiter's hold
	resumedAt, timeout sim.Time // resume() and the resource timeout
	discretionary      bool
}

// relaxAt is when the discretionary conditions are lifted for t: the
// resource timeout is near; never if the gate does not relax.
func (g startGate) relaxAt(t gateTask) sim.Time {
	if g.noRelax {
		return sim.Never
	}
	return t.resumedAt + sim.Time(float64(t.timeout)*g.relaxAfter)
}

// hold says why t may not start at now, and until when if a known instant
// will change that (0: until conditions change). "" means it may start.
func (g startGate) hold(now sim.Time, t gateTask, power Power, wifi bool) (rule RuleID, why string, until sim.Time) {
	if now < t.beginAt {
		return RuleEarliestBeginDate, fmt.Sprintf("earliestBeginDate is %v away", t.beginAt-now), t.beginAt
	}
	if now < t.rateUntil {
		return RuleRateLimiter, fmt.Sprintf("the rate limiter holds the task for %v", t.rateUntil-now), t.rateUntil
	}
	if !t.discretionary {
		return "", "", 0
	}
	if power.LowPowerMode {
		return RuleLowPowerMode, "Low Power Mode pauses discretionary transfers", 0
	}
	relaxAt := g.relaxAt(t)
	if now >= relaxAt {
		return "", "", 0
	}
	if relaxAt == sim.Never {
		relaxAt = 0 // no known instant changes it
	}
	switch {
	case !power.Charging && power.BatteryPercent <= g.criticalBattery:
		return RuleCriticalBattery, "the battery is critically low and not charging: discretionary work is held", relaxAt
	case !wifi && g.requires != DiscretionaryNone:
		return RuleDiscretionaryFlag, "a discretionary task waits for Wi-Fi", relaxAt
	case !power.Charging && g.requires == DiscretionaryWiFiAndPower:
		return RuleDiscretionaryFlag, "a discretionary task waits for external power", relaxAt
	}
	return "", "", 0
}

// pathState is what path selection needs to know of an interface.
type pathState struct {
	usable, expensive, constrained bool
}

// choosePath is path selection (R-BG-ALWAYS-WAITS-FOR-CONNECTIVITY,
// R-CELLULAR-DISALLOWED, R-EXPENSIVE-CONSTRAINED), a pure policy: the first
// interface, Wi-Fi before cellular, that a task with access acc may use,
// or -1 and the rule that keeps it off every path.
func choosePath(ifs [2]pathState, acc Access) (i int, rule RuleID, why string) {
	for _, c := range []int{WiFi, Cellular} {
		if mayUse(c, ifs[c], acc) {
			return c, "", ""
		}
	}
	for c, f := range ifs {
		if !f.usable {
			continue
		}
		switch {
		case c == Cellular && acc.Cellular == Denied:
			return -1, RuleCellularDisallowed, "only cellular is up and the task may not use it: it waits for Wi-Fi"
		case f.constrained && acc.Constrained == Denied:
			return -1, RuleExpensiveConstrained, "the only path is in Low Data Mode and the task may not use constrained paths: it waits"
		case f.expensive && acc.Expensive == Denied:
			return -1, RuleExpensiveConstrained, "the only path is expensive and the task may not use expensive paths: it waits"
		}
	}
	return -1, RuleBGAlwaysWaitsForConnectivity, "no network path: a background task waits for connectivity instead of failing"
}

// mayUse tells whether a task with access acc may use interface i in state f.
func mayUse(i int, f pathState, acc Access) bool {
	switch {
	case !f.usable:
		return false
	case i == Cellular && acc.Cellular == Denied:
		return false
	case f.expensive && acc.Expensive == Denied:
		return false
	case f.constrained && acc.Constrained == Denied:
		return false
	}
	return true
}

// wakeInputs is what the wake decision needs to know of a session whose
// held events cannot go straight to a connected process.
type wakeInputs struct {
	running      bool // the app's process runs (but has not created the session)
	wokenRunning bool // the running process is the one woken for the session
	outstanding  bool // the session has tasks not done
	forceQuit    bool // the user force quit the app and has not launched it since
	launchEvents bool // sessionSendsLaunchEvents
	wakeUnderWay bool // a wake was sent, or the woken process has not finished the events
	fresh        bool // some held event no wake has announced
	refused      bool // some held event announced by a wake and never sent to a process
	otherID      bool // the process woken for id created another identifier
	quietOnly    bool // every held event is quiet: no wake is made for it
	rewake       bool // Params.RewakeUnfinished
}

// wakeAction is what the daemon does with such a session's held events.
type wakeAction uint8

const (
	wakeNothing wakeAction = iota // wait, with nothing to say
	wakeHold                      // wait, for the rule given
	wakeApp                       // wake (resume or relaunch) the app
)

// decideWake is the wake and launch decision (R-RECONNECT-SAME-ID,
// R-LAUNCH-GRANULARITY, R-FORCE-QUIT-CANCELS, R-SEND-LAUNCH-EVENTS-FALSE/TRUE,
// R-WRONG-ID-ON-RECREATE, R-DATA-TASK-IN-BG-SESSION), a pure policy for
// session id.
func decideWake(in wakeInputs, id string) (act wakeAction, rule RuleID, why string) {
	switch {
	case in.running:
		if !in.wokenRunning {
			return wakeHold, RuleReconnectSameID, "the running app has not created " + id + ": the events wait for it"
		}
		return wakeNothing, "", ""
	case in.outstanding:
		return wakeHold, RuleLaunchGranularity, "other tasks of " + id + " are still running: the app is woken once, when all are done"
	case in.forceQuit:
		return wakeHold, RuleForceQuitCancels, "the user force quit the app: iOS will not launch it; the events wait for the next user launch"
	case !in.launchEvents:
		return wakeHold, RuleSendLaunchEventsFalse, "sessionSendsLaunchEvents is false: no wake; the events wait until a process creates " + id
	case in.wakeUnderWay:
		return wakeNothing, "", ""
	case in.quietOnly:
		return wakeHold, RuleDataTaskInBGSession, "a data task's -997 is marked for the app's next connection to " + id + ": no wake is made for it; it reaches the app when it next runs with a session " + id
	case !in.fresh && in.refused && in.otherID:
		return wakeHold, RuleWrongIDOnRecreate, "the app was already woken for these events; they wait until a process creates " + id
	case !in.fresh && in.refused:
		// The woken process created no session at all: not a wrong
		// identifier, but none, so the events wait for one that does.
		return wakeHold, RuleReconnectSameID, "the app was already woken for these events and created no session " + id + "; they wait until a process creates " + id
	case !in.fresh && !in.rewake:
		// The woken process created the identifier and was sent the
		// events, but ended or was suspended before it took them.
		// Whether iOS wakes the app again is not documented: under
		// Params.RewakeUnfinished, the default, it does (the wake
		// below).
		return wakeHold, RuleReconnectSameID, "the process woken for these events recreated " + id + " but did not take them; they wait until a process creates " + id
	}
	return wakeApp, "", ""
}
