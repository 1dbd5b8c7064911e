package model

import "github.com/bgsim/bgsim/sim"

// Wake is one time the daemon woke the app for a session's events: why,
// as the daemon recorded it when it decided (its wake log), what came of
// it, as the daemon learnt it, and what the app reported doing on it.
type Wake struct {
	At      sim.Time  // when the daemon decided to wake the app
	Session string    // the identifier whose events it announced
	Cause   WakeCause // relaunch (the app was not running) or resume (it was suspended), as the daemon knew it
	Rule    RuleID    // the rule of the cause: R-PURGED-APP-RELAUNCHED or R-SUSPENDED-APP-RESUMED
	Events  int       // the held events it announced
	Delay   sim.Time  // the rate limiter's delay the wake set, in force for tasks created in the background after it (R-RATE-LIMITER)

	// Pid is the process that came up for the wake, at UpAt, and Came
	// is how it came up, as its state change said: launched for a wake
	// (relaunch) or resumed by one (resume). Came differs from Cause
	// when the app changed between the decision and the wake (purged
	// while suspended: relaunched). 0, sim.Never and "" if no process
	// came up for it.
	Pid  int32
	UpAt sim.Time
	Came WakeCause
	// End is why the wake is over, at EndAt: "finished" (the daemon sent
	// the woken process urlSessionDidFinishEvents), "process ended", or
	// "user opened the app" (before any process came up for it); "" and
	// sim.Never if it was under way when the run ended.
	End   string
	EndAt sim.Time

	// App is what the app reported doing on the wake; nil if the wake
	// never reached a process that handled it (it was dropped as meant
	// for an earlier process, or was still on its way).
	App *WakeReport
}

// WakeReport is what the app did when a wake reached it.
type WakeReport struct {
	At  sim.Time // when the wake reached the app
	Pid int32    // the process that handled it
	// Found is the state the wake found the app in: "not running" (it
	// launched a process), "suspended" (it resumed it), "background" or
	// "foreground" (already running).
	Found string
	// Recreated lists the identifiers the code the wake ran created, in
	// order: didFinishLaunching's when the wake launched the process,
	// then handleEventsForBackgroundURLSession's. An identifier the
	// process already had is not created again.
	Recreated []string
	// WrongID: handleEvents created another identifier and the process
	// has none for the session (R-WRONG-ID-ON-RECREATE).
	WrongID bool
	// StoredHandler: the code stored the completion handler;
	// HandlerCalledAt is when it called it, sim.Never if it never did.
	StoredHandler   bool
	HandlerCalledAt sim.Time
	// AwakeUntil is when the app's time awake in the background for
	// events, which the wake began or joined at At, ended: the completion
	// handler's call (iOS then suspends it), the allowance running out
	// (Params.RelaunchAllowance, counted from the wake that began it),
	// the process ending or the user opening the app; the run's end if
	// it was still awake then. AwakeUntil-At is the part of the
	// allowance the wake used. sim.Never if the wake found the app in the
	// foreground: it kept the app awake for nothing.
	AwakeUntil sim.Time
}

// joinWakes joins the daemon's wake log with the app's reports, by the
// wake's number, for the Result.
// end is the run's end.
func joinWakes(log []wakeEntry, reports []wakeReport, recreated []string, end sim.Time) []Wake {
	if len(log) == 0 {
		return nil
	}
	out := make([]Wake, len(log))
	for i := range log {
		e := &log[i]
		w := Wake{At: e.at, Session: e.id, Cause: e.cause, Rule: e.cause.Rule(), Events: e.events, Delay: e.delay,
			UpAt: e.upAt, Came: e.came, End: e.end, EndAt: e.endAt}
		if e.pid >= 0 {
			w.Pid = e.pid
		}
		out[i] = w
	}
	for i := range reports {
		r := &reports[i]
		rep := &WakeReport{At: r.at, Pid: r.pid, Found: r.found.String(), WrongID: r.wrongID, StoredHandler: r.stored,
			HandlerCalledAt: r.calledAt, AwakeUntil: r.awakeEnd}
		if r.awakeFrom != sim.Never && r.awakeEnd == sim.Never {
			rep.AwakeUntil = end
		}
		if r.hi > r.lo {
			rep.Recreated = append([]string(nil), recreated[r.lo:r.hi]...)
		}
		out[r.n].App = rep
	}
	return out
}
