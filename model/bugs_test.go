package model

import (
	"slices"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// Issue 11, bug 1: with a slow XPC hop, the app is purged one second after
// iOS relaunched it for its session's events. The relaunched process did
// recreate the right identifier (its launch code does), so the events that
// bounced back wait for the next process under R-RECONNECT-SAME-ID; the
// trace must not call it a wrong identifier. (Under
// params.rewake_unfinished: false; by default iOS wakes the app for them
// again: TestRule_R_RECONNECT_SAME_ID_PurgedBeforeTakingTheEvents.)
func TestBug_PurgedSoonAfterRelaunchIsNotWrongIdentifier(t *testing.T) {
	c := base()
	c.Params.XPCLatency = 3 * sim.Second
	c.Params.RewakeUnfinished = false
	then(&c, at(2*sim.Second, Leave), at(10*sim.Second, Purge))
	r := mustRun(t, c)
	relaunch := sim.Never
	for _, rec := range recordsOf(r, "app.state") {
		if attr(rec, "from") == "not running" && attr(rec, "to") == "background" {
			relaunch = rec.At
			break
		}
	}
	if relaunch == sim.Never {
		t.Fatalf("no background relaunch to purge after:\n%s", dump(r))
	}
	then(&c, at(relaunch+sim.Second, Purge))
	r = mustRun(t, c)
	if len(r.Terminations) != 2 || r.Terminations[1].At != relaunch+sim.Second {
		t.Fatalf("terminations %+v; want the purge 1 s after the relaunch at %v", r.Terminations, relaunch)
	}
	if !slices.ContainsFunc(recordsOf(r, "session.created"), func(rec sim.Record) bool { return rec.At == relaunch }) {
		t.Fatalf("the relaunched process did not recreate the identifier:\n%s", dump(r))
	}
	wantUpload(t, r, 0, Pending, RuleReconnectSameID, 0)
	if cites(r, "", RuleWrongIDOnRecreate) || slices.Contains(r.Rules, RuleWrongIDOnRecreate) {
		t.Errorf("the trace cites R-WRONG-ID-ON-RECREATE; the app recreated the right identifier\n%s", dump(r))
	}
	wantCites(t, r, "events.held", RuleReconnectSameID)
}

// Issue 11, bug 2: iOS takes 60 s to relaunch the purged app; the user
// launches it first. The wake, meant for a process that never came to be,
// reaches the process the user launched and must be dropped there: no
// handleEventsForBackgroundURLSession, no completion handler left uncalled.
func TestBug_StaleWakeDroppedByUserLaunchedProcess(t *testing.T) {
	c := base()
	c.Params.LaunchLatency = 60 * sim.Second
	then(&c, at(2*sim.Second, Leave), at(10*sim.Second, Purge), at(40*sim.Second, Launch))
	r := mustRun(t, c)
	wakes := recordsOf(r, "app.wake")
	if len(wakes) != 1 || wakes[0].At+c.Params.LaunchLatency <= 40*sim.Second {
		t.Fatalf("the set-up misses the window: wakes %v\n%s", wakes, dump(r))
	}
	if n := len(recordsOf(r, "app.handle-events")); n != 0 {
		t.Errorf("handleEventsForBackgroundURLSession ran %d times in the process the user launched\n%s", n, dump(r))
	}
	if n := len(recordsOf(r, "completion-handler.not-called")); n != 0 {
		t.Errorf("a completion handler was left uncalled\n%s", dump(r))
	}
	stale := recordsOf(r, "message.stale")
	if len(stale) != 1 || stale[0].At != wakes[0].At+c.Params.LaunchLatency || attr(stale[0], "message") != "wake" {
		t.Errorf("want one stale wake dropped at %v, got %v\n%s", wakes[0].At+c.Params.LaunchLatency, stale, dump(r))
	}
	u := wantUpload(t, r, 0, Delivered, RuleReconnectSameID, 0)
	if u.SettledAt < 40*sim.Second {
		t.Errorf("delivered at %v, before the user launched the app", u.SettledAt)
	}
	if r.BackgroundLaunches != 0 || r.UserLaunches != 2 {
		t.Errorf("background launches %d, user launches %d; want 0, 2", r.BackgroundLaunches, r.UserLaunches)
	}
}
