package model

import (
	"slices"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// The wake log records the cause the daemon decided on and, apart, how the
// process came up, as that process's state change says. With a slow XPC
// hop, the daemon decides to resume the suspended app, and the system
// purges it before the wake arrives: the wake launches a new process. The
// log says resume, then relaunch; the delivery cites the relaunch, read
// from the log, not guessed from the app's previous state.
func TestWakeLog_ResumeDecidedRelaunchCame(t *testing.T) {
	c := base()
	c.Params.XPCLatency = 3 * sim.Second
	then(&c, at(2*sim.Second, Leave))
	r := mustRun(t, c)
	wakes := recordsOf(r, "app.wake")
	if len(wakes) != 1 || attr(wakes[0], "how") != "resume" {
		t.Fatalf("want one resume, got %v\n%s", wakes, dump(r))
	}
	decided := wakes[0].At
	then(&c, at(decided+sim.Second, Purge))
	r = mustRun(t, c)
	if len(r.Wakes) != 1 {
		t.Fatalf("%d wakes in the log, want 1\n%s", len(r.Wakes), dump(r))
	}
	w := r.Wakes[0]
	arrived := decided + c.Params.XPCLatency
	if w.At != decided || w.Cause != WakeResume || w.Rule != RuleSuspendedAppResumed {
		t.Errorf("decided %s [%s] at %v; want resume at %v", w.Cause, w.Rule, w.At, decided)
	}
	if w.Came != WakeRelaunch || w.Pid != 2 || w.UpAt != arrived+c.Params.XPCLatency {
		t.Errorf("came %q, pid %d, up at %v; want relaunch, pid 2, at %v", w.Came, w.Pid, w.UpAt, arrived+c.Params.XPCLatency)
	}
	if a := w.App; a == nil || a.At != arrived || a.Found != "not running" || !slices.Equal(a.Recreated, []string{"com.example.upload"}) {
		t.Errorf("app report %+v; want the wake to find the app not running at %v and launch code to create com.example.upload", a, arrived)
	}
	if r.BackgroundLaunches != 1 || r.BackgroundResumes != 0 {
		t.Errorf("background launches %d, resumes %d; want 1, 0", r.BackgroundLaunches, r.BackgroundResumes)
	}
	u := wantUpload(t, r, 0, Delivered, RulePurgedAppRelaunched, 0)
	if !strings.Contains(u.Reason, "after iOS relaunched the app") {
		t.Errorf("reason %q; want the relaunch", u.Reason)
	}
}

// What the app reports of a wake is what its code did: a wake that resumes
// the suspended process, which has the identifier already, creates
// nothing; the handler the code stores and calls is called when
// urlSessionDidFinishEvents runs, and one it never calls is reported so.
func TestWakeReport_CalledAtDidFinishEvents(t *testing.T) {
	c := base()
	then(&c, at(2*sim.Second, Leave))
	r := mustRun(t, c)
	if len(r.Wakes) != 1 || r.Wakes[0].App == nil {
		t.Fatalf("wakes %+v\n%s", r.Wakes, dump(r))
	}
	a := r.Wakes[0].App
	if a.Found != "suspended" || len(a.Recreated) != 0 {
		t.Errorf("found %s, created %v; want suspended, nothing created", a.Found, a.Recreated)
	}
	finish := recordsOf(r, "delegate.did-finish-events")
	if len(finish) != 1 || a.HandlerCalledAt != finish[0].At || !a.StoredHandler {
		t.Errorf("handler called at %v; urlSessionDidFinishEvents at %v", a.HandlerCalledAt, finish)
	}
	if a.AwakeUntil != a.HandlerCalledAt {
		t.Errorf("awake until %v; want the handler's call at %v (iOS suspends the app)", a.AwakeUntil, a.HandlerCalledAt)
	}
	c.App.HandleEvents.CallCompletionHandler = false
	r = mustRun(t, c)
	if a := r.Wakes[0].App; a.HandlerCalledAt != sim.Never || !a.StoredHandler {
		t.Errorf("the code never calls the handler, but the report says called at %v (stored %v)", a.HandlerCalledAt, a.StoredHandler)
	}
	// Without the call, the app is awake until the allowance runs out.
	if a := r.Wakes[0].App; a.AwakeUntil != a.At+c.Params.RelaunchAllowance {
		t.Errorf("awake until %v; want the allowance's end at %v", a.AwakeUntil, a.At+c.Params.RelaunchAllowance)
	}
	// A run that ends with the app still awake counts to the run's end.
	c.Horizon = r.Wakes[0].App.At + c.Params.RelaunchAllowance/2
	r = mustRun(t, c)
	if a := r.Wakes[0].App; a.AwakeUntil != r.EndedAt || r.EndedAt != c.Horizon {
		t.Errorf("awake until %v, run ended at %v; want both at the horizon %v", a.AwakeUntil, r.EndedAt, c.Horizon)
	}
}

// A wake that finds the app in the foreground (the user opened it while
// the wake was on its way) keeps it awake for nothing: the report has no
// time awake for it.
func TestWakeReport_ForegroundNotAwakeForEvents(t *testing.T) {
	c := base()
	c.Params.XPCLatency = 3 * sim.Second
	then(&c, at(2*sim.Second, Leave))
	r := mustRun(t, c)
	if len(r.Wakes) != 1 || r.Wakes[0].App == nil || r.Wakes[0].App.AwakeUntil == sim.Never {
		t.Fatalf("the set-up does not wake the app for events: %+v\n%s", r.Wakes, dump(r))
	}
	then(&c, at(r.Wakes[0].At+sim.Second, Launch))
	r = mustRun(t, c)
	if len(r.Wakes) != 1 || r.Wakes[0].App == nil {
		t.Fatalf("want one wake that reached the app: %+v\n%s", r.Wakes, dump(r))
	}
	if a := r.Wakes[0].App; a.Found != "foreground" || a.AwakeUntil != sim.Never {
		t.Errorf("found %s, awake until %v; want foreground, never", a.Found, a.AwakeUntil)
	}
}

// The run ends while iOS relaunches the app for its session's events (the
// wake is in the daemon's log, under way). The app's launch code does not
// create the identifier, but handleEventsForBackgroundURLSession does when
// the wake arrives: the held response is pending, not lost. Before the
// verdict read the wake log it said lost (R-RECONNECT-SAME-ID: "none of the
// app's launch code recreates" it).
func TestVerdict_WakeUnderWayAtTheEnd(t *testing.T) {
	c := base()
	c.App.AtLaunch = nil
	then(&c, at(2*sim.Second, Leave), at(10*sim.Second, Purge))
	r := mustRun(t, c)
	wakes := recordsOf(r, "app.wake")
	if len(wakes) != 1 || r.Uploads[0].Fate != Delivered {
		t.Fatalf("the set-up does not relaunch and deliver: %v\n%s", wakes, dump(r))
	}
	c.Horizon = wakes[0].At + c.Params.LaunchLatency/2
	r = mustRun(t, c)
	if len(r.Wakes) != 1 || r.Wakes[0].End != "" || r.Wakes[0].App != nil {
		t.Fatalf("want the wake under way at the end: %+v", r.Wakes)
	}
	wantUpload(t, r, 0, Pending, RulePurgedAppRelaunched, 0)
}
