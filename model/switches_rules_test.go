package model

import (
	"math"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// The app's awake time in a background wake costs Params.WakeCPUWatts
// from the wake reaching the app to the completion handler's call (iOS
// then suspends it), or to the termination when it never calls it
// (R-NO-COMPLETION-CALL-PENALTY: the whole relaunch allowance).
func TestRule_R_NO_COMPLETION_CALL_PENALTY_cpu_energy(t *testing.T) {
	run := func(call bool) *Result {
		c := base()
		c.App.HandleEvents.CallCompletionHandler = call
		then(&c, at(2*sim.Second, Leave), at(10*sim.Second, Purge))
		return mustRun(t, c)
	}
	called, missed := run(true), run(false)
	const watts = DefaultWakeCPUWatts
	allowance := DefaultParams().RelaunchAllowance

	// Closed form for the missing call: awake for the whole allowance.
	if missed.WakeAwake != allowance {
		t.Errorf("missing call: awake %v, want the allowance %v\n%s", missed.WakeAwake, allowance, dump(missed))
	}
	if want := allowance.Seconds() * watts; math.Abs(missed.WakeCPUJoules-want) > 1e-9 {
		t.Errorf("missing call: CPU energy %g J, want %g J", missed.WakeCPUJoules, want)
	}

	// With the call: awake from the wake reaching the app to the call,
	// as the wake log says.
	if len(called.Wakes) != 1 || called.Wakes[0].App == nil || called.Wakes[0].App.HandlerCalledAt == sim.Never {
		t.Fatalf("want one wake with the handler called, got %+v", called.Wakes)
	}
	rep := called.Wakes[0].App
	awake := rep.HandlerCalledAt - rep.At
	if called.WakeAwake != awake || awake <= 0 || awake > sim.Second {
		t.Errorf("with the call: awake %v, want %v (wake at %v, call at %v), under a second", called.WakeAwake, awake, rep.At, rep.HandlerCalledAt)
	}
	// The difference is (allowance - awake) x power.
	diff := missed.WakeCPUJoules - called.WakeCPUJoules
	if want := (allowance - awake).Seconds() * watts; math.Abs(diff-want) > 1e-9 {
		t.Errorf("missing call costs %g J more, want %g J", diff, want)
	}
	// Apart from the radios: both runs' radio accounts are the same.
	if missed.Energy.AboveIdle() != called.Energy.AboveIdle() {
		t.Errorf("radio energy above idle %g vs %g; the CPU's cost is reported apart", missed.Energy.AboveIdle(), called.Energy.AboveIdle())
	}
}

// The awake time is counted up to the energy window's end, as the radios
// are; and a power of 0 counts nothing.
func TestWakeCPUEnergyWindowAndZeroPower(t *testing.T) {
	c := base()
	c.App.HandleEvents.CallCompletionHandler = false
	then(&c, at(2*sim.Second, Leave), at(10*sim.Second, Purge))
	full := mustRun(t, c)
	wakeAt := full.Wakes[0].App.At
	c.EnergyWindow = wakeAt + 10*sim.Second
	cut := mustRun(t, c)
	if cut.WakeAwake != 10*sim.Second {
		t.Errorf("window ends 10 s into the wake: awake %v, want 10s", cut.WakeAwake)
	}
	c.EnergyWindow = 0
	c.Params.WakeCPUWatts = 0
	if r := mustRun(t, c); r.WakeCPUJoules != 0 || r.WakeAwake != full.WakeAwake {
		t.Errorf("power 0: %g J over %v; want 0 J over %v", r.WakeCPUJoules, r.WakeAwake, full.WakeAwake)
	}
}

// force_quit: vanish, the outcome reported on iOS 17 (forum thread
// 740564): the task is gone and no event ever reaches the app, even at
// the next user launch, so its fate is lost under R-FORCE-QUIT-CANCELS.
func TestRule_R_FORCE_QUIT_CANCELS_vanish(t *testing.T) {
	c := base()
	c.Params.ForceQuit = ForceQuitVanish
	then(&c, at(5*sim.Second, ForceQuit), at(10*sim.Minute, Launch))
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Lost, RuleForceQuitCancels, 0)
	if u.SettledAt != sim.Never && u.SettledAt < r.EndedAt {
		t.Errorf("settled at %v; a vanished task has no event", u.SettledAt)
	}
	if r.BackgroundLaunches != 0 || r.ServerReceived() != 0 {
		t.Errorf("background launches %d, server received %d; want 0, 0", r.BackgroundLaunches, r.ServerReceived())
	}
	if n := len(recordsOf(r, string(KindTaskVanished))); n != 1 {
		t.Errorf("%d task.vanished records, want 1\n%s", n, dump(r))
	}
	for _, rec := range r.Trace {
		if rec.Kind == string(KindDelegateDidComplete) || rec.Kind == string(KindDelegateDidReceiveResponse) {
			t.Errorf("an event reached the app at %v: %s", rec.At, rec.Kind)
		}
	}
}

// Background App Refresh off: by default (refresh_off: none, per the
// secondary notes of WWDC20 10063) background sessions go on as with it
// on; with refresh_off: cancel, suspension cancels the task with -999,
// reason 1, delivered as any event (here by a resume for the session).
func TestRule_R_BG_APP_REFRESH(t *testing.T) {
	on := base()
	then(&on, at(2*sim.Second, Leave))
	withOn := mustRun(t, on)

	off := base()
	off.BackgroundAppRefreshOff = true
	then(&off, at(2*sim.Second, Leave))
	r := mustRun(t, off)
	if r.Fingerprint != withOn.Fingerprint {
		t.Errorf("refresh_off: none changed the run")
	}
	wantUpload(t, r, 0, Delivered, RuleSuspendedAppResumed, 0)

	off.Params.RefreshOff = RefreshOffCancel
	r = mustRun(t, off)
	u := wantUpload(t, r, 0, Failed, RuleBGAppRefresh, ErrCancelled)
	if u.CancelReason != CancelReasonBackgroundUpdatesDisabled {
		t.Errorf("cancel reason %d, want 1", u.CancelReason)
	}
	// Suspended at 2 s + the 5 s grace; the upload needs about 20 s, so
	// the server never has it all.
	susp := 2*sim.Second + DefaultParams().BackgroundGrace
	var cancelledAt sim.Time = sim.Never
	for _, rec := range recordsOf(r, string(KindTaskCancelled)) {
		cancelledAt = rec.At
	}
	if cancelledAt != susp+DefaultParams().XPCLatency {
		t.Errorf("cancelled at %v, want at the suspension (%v) plus one XPC hop", cancelledAt, susp)
	}
	if r.ServerReceived() != 0 {
		t.Errorf("server received %d, want 0", r.ServerReceived())
	}

	// refresh_off applies only when the switch is off.
	on.Params.RefreshOff = RefreshOffCancel
	if r := mustRun(t, on); r.Fingerprint != withOn.Fingerprint {
		t.Errorf("refresh_off: cancel changed a run with Background App Refresh on")
	}
}
