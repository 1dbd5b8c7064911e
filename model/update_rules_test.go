package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// updateTo is base()'s code with the session's identifier changed to id.
func updateTo(c *Config, id string) *App {
	v2 := c.App.clone()
	v2.Sessions[0].Identifier = id
	return v2
}

// A 5 MB photo at 2 Mbit/s is on the air for about 20 s; the update comes
// at 10 s, while it is in flight, with the app suspended.
func updateMidUpload(c *Config, v2 *App) {
	then(c, at(2*sim.Second, Leave), Action{At: 10 * sim.Second, Do: UpdateApp, App: v2})
}

func TestRule_R_APP_UPDATE(t *testing.T) {
	// Version 2 renames the identifier: the upload goes on in the daemon
	// (update_keeps_tasks: true), iOS launches the app for
	// com.example.upload, and version 2's code creates only .v2, at launch
	// and in handleEventsForBackgroundURLSession (which recreates the
	// code's own session, not the identifier it is given).
	c := base()
	v2 := updateTo(&c, "com.example.upload.v2")
	v2.HandleEvents.Recreate = "up"
	updateMidUpload(&c, v2)
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Lost, RuleWrongIDOnRecreate, 0)
	if !strings.Contains(u.Reason, "the app update at 10s installed code that no longer creates com.example.upload") {
		t.Errorf("reason %q; want it to name the update that removed the identifier", u.Reason)
	}
	if len(r.Terminations) == 0 || r.Terminations[0].Reason != exitUpdated || r.Terminations[0].At != 10*sim.Second || r.Terminations[0].Rule != RuleAppUpdate {
		t.Errorf("terminations %+v; want the update's first, at 10s", r.Terminations)
	}
	if r.ServerReceived() != 1 || u.ServerReceivedAt <= 10*sim.Second {
		t.Errorf("the server has %d uploads, the last byte at %v; want the photo, after the update", r.ServerReceived(), u.ServerReceivedAt)
	}
	// Not a force quit: iOS launches the updated app for the events.
	if r.BackgroundLaunches != 1 {
		t.Errorf("%d background launches; want 1, for com.example.upload", r.BackgroundLaunches)
	}
	if rec := recordsOf(r, "session.wrong-identifier"); len(rec) != 1 || attr(rec[0], "recreated") != "com.example.upload.v2" {
		t.Errorf("session.wrong-identifier records %v; want one, recreating com.example.upload.v2", rec)
	}
	wantCites(t, r, string(KindAppUpdate), RuleAppUpdate)

	// The fix: version 2 also recreates the old identifier at launch, so
	// the wake's process reconnects to it and the response arrives.
	c = base()
	v2 = updateTo(&c, "com.example.upload.v2")
	v2.HandleEvents.Recreate = "up"
	v2.Sessions = append(v2.Sessions, Session{Name: "legacy", Kind: Background, Identifier: "com.example.upload", Delegate: "UploadDelegate",
		SendsLaunchEvents: true, ResourceTimeout: DefaultResourceTimeout})
	v2.AtLaunch = []string{"up", "legacy"}
	updateMidUpload(&c, v2)
	r = mustRun(t, c)
	u = wantUpload(t, r, 0, Delivered, RulePurgedAppRelaunched, 0)
	if r.BackgroundLaunches != 1 || u.SettledAt < u.ServerReceivedAt || u.SettledAt > u.ServerReceivedAt+5*sim.Second {
		t.Errorf("%d background launches, settled at %v, received at %v; want the one wake to deliver it within seconds",
			r.BackgroundLaunches, u.SettledAt, u.ServerReceivedAt)
	}
}

func TestRule_R_APP_UPDATE_cancels_tasks(t *testing.T) {
	// update_keeps_tasks: false: the task is cancelled at the update, and
	// the same identifier in version 2 learns the -999.
	c := base()
	c.Params.UpdateCancelsTasks = true
	updateMidUpload(&c, updateTo(&c, "com.example.upload"))
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Failed, RuleAppUpdate, ErrCancelled)
	if r.ServerReceived() != 0 || u.SettledAt < 10*sim.Second {
		t.Errorf("server has %d, settled at %v; want nothing received and the -999 after the update", r.ServerReceived(), u.SettledAt)
	}
	if n := len(recordsOf(r, string(KindTaskCancelled))); n != 1 {
		t.Errorf("%d task.cancelled records; want 1", n)
	}
}

func TestUpdateWhileNotRunning(t *testing.T) {
	// The app was purged before the update: nothing is terminated, and
	// the user's next launch runs version 2, which renames the identifier
	// and so never reconnects: the response is lost, though the server
	// has it.
	c := base()
	c.App.Sessions[0].SendsLaunchEvents = false
	then(&c, at(2*sim.Second, Leave), at(5*sim.Second, Purge),
		Action{At: 10 * sim.Second, Do: UpdateApp, App: updateTo(&c, "com.example.upload.v2")}, at(time1m, Launch))
	r := mustRun(t, c)
	wantUpload(t, r, 0, Lost, RuleReconnectSameID, 0)
	for _, tm := range r.Terminations {
		if tm.Reason == exitUpdated {
			t.Errorf("terminations %+v: the update found no process to end", r.Terminations)
		}
	}
	if rec := recordsOf(r, "session.created"); len(rec) != 2 || attr(rec[1], "identifier") != "com.example.upload.v2" {
		t.Errorf("sessions created %v; want version 1's, then version 2's at the user's launch", rec)
	}
}

const time1m = sim.Minute

func TestCheckUpdate(t *testing.T) {
	problems := func(c Config) []string {
		var fe FieldErrors
		if !errors.As(c.Check(), &fe) {
			return nil
		}
		var out []string
		for _, e := range fe {
			out = append(out, e.Error())
		}
		return out
	}
	c := base()
	then(&c, Action{At: sim.Minute, Do: UpdateApp})
	if p := problems(c); len(p) != 1 || !strings.HasPrefix(p[0], "timeline[2].app: do: update_app needs app:") {
		t.Errorf("problems %q; want the missing app", p)
	}
	c = base()
	v2 := c.App.clone()
	v2.Sessions = nil
	v2.AtLaunch = []string{"upp"}
	then(&c, Action{At: sim.Minute, Do: UpdateApp, App: v2})
	p := strings.Join(problems(c), "\n")
	for _, want := range []string{`timeline[2].app.sessions: the new code has no session "up"`, `timeline[2].app.at_launch[0]: no session named "upp"`} {
		if !strings.Contains(p, want) {
			t.Errorf("problems:\n%s\nwant %q", p, want)
		}
	}
	// A problem of the code before the update is reported once, under
	// app, not again under the step.
	c = base()
	c.App.Uploads[0].Bytes = 0
	then(&c, Action{At: sim.Minute, Do: UpdateApp, App: updateTo(&c, "com.example.upload.v2")})
	if p := problems(c); len(p) != 1 || !strings.HasPrefix(p[0], "app.uploads.photo.size") {
		t.Errorf("problems %q; want only app.uploads.photo.size", p)
	}
}

// Two updates: each replaces the code before it, the relaunch runs the
// last, and the reason names the update that removed the identifier, not
// the last one.
func TestUpdateTwice(t *testing.T) {
	c := base()
	v2 := updateTo(&c, "com.example.upload.v2")
	v2.HandleEvents.Recreate = "up"
	v3 := v2.clone()
	v3.HandleEvents.Recreate = RecreateNone
	then(&c, at(2*sim.Second, Leave), Action{At: 10 * sim.Second, Do: UpdateApp, App: v2}, Action{At: 15 * sim.Second, Do: UpdateApp, App: v3})
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Lost, RuleReconnectSameID, 0)
	if !strings.Contains(u.Reason, "the app update at 10s installed code that no longer creates com.example.upload (version 2 does not; version 1 did)") {
		t.Errorf("reason %q; want it to name the first update", u.Reason)
	}
	if rec := recordsOf(r, string(KindAppUpdate)); len(rec) != 2 || attr(rec[1], "version") != "3" {
		t.Errorf("app.update records %v; want versions 2 and 3", rec)
	}
	// Version 3's handleEvents recreates nothing: not version 2's wrong
	// identifier.
	if len(recordsOf(r, "session.not-recreated")) != 1 || len(recordsOf(r, "session.wrong-identifier")) != 0 {
		t.Error("the relaunch did not run version 3's handleEventsForBackgroundURLSession")
	}
	// Only the first update found a process to end.
	if n := len(r.Terminations); n == 0 || r.Terminations[0].Reason != exitUpdated || (n > 1 && r.Terminations[1].Reason == exitUpdated) {
		t.Errorf("terminations %+v; want only the first update's", r.Terminations)
	}
}
