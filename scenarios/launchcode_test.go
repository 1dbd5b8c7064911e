package scenarios

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// launchCodeDoc is an app whose launch code the tests vary (code, under
// app:), with launch events on or off, and whose handleEvents creates
// nothing: a held response reaches the app only when some code creates
// its identifier. The upload (5MB at 2Mbps) ends at about 21s, after the
// app was purged at 10s.
func launchCodeDoc(launchEvents bool, code, steps string) string {
	ev := "true"
	if !launchEvents {
		ev = "false"
	}
	return `name: l
title: t
horizon: 30m
network:
  wifi: {up: 2Mbps, down: 20Mbps, rtt: 80ms}
  cellular: {available: false}
app:
  sessions:
    uploads: {identifier: com.example.upload, delegate: UploadDelegate, sends_launch_events: ` + ev + `}
  uploads:
    photo: {session: uploads, size: 5MB}
  handle_events: {recreate: none}
` + code + `timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
  - {at: 3s, do: background}
  - {at: 10s, do: purge}
` + steps
}

func runLaunchCode(t *testing.T, doc string) *model.Result {
	t.Helper()
	sc, err := Load("l.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Variants[0].Config
	c.KeepTrace = true
	r, err := model.Run(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Uploads) != 1 {
		t.Fatalf("%d uploads, want 1", len(r.Uploads))
	}
	return r
}

// deliveredAt is when the daemon delivered the upload's event to the app
// (sim.Never if it never did).
func deliveredAt(r *model.Result) sim.Time {
	for _, rec := range r.Trace {
		if rec.Kind == string(model.KindEventDelivered) {
			return rec.At
		}
	}
	return sim.Never
}

// A wake that launches the app in the background runs the code's
// at_background_launch, which creates the identifier: the held response
// is delivered in that process. Without it, nothing creates the
// identifier until the upload code next runs (R-RECONNECT-SAME-ID).
func TestRule_R_RECONNECT_SAME_ID_BackgroundLaunchCodeCreatesSession(t *testing.T) {
	r := runLaunchCode(t, launchCodeDoc(true, "  at_background_launch: [uploads]\n", ""))
	if u := r.Uploads[0]; u.Fate != model.Delivered || r.BackgroundLaunches != 1 {
		t.Errorf("with at_background_launch: %s %s after %d background launches; want delivered after 1", u.Fate, u.Rule, r.BackgroundLaunches)
	}
	r = runLaunchCode(t, launchCodeDoc(true, "  at_user_launch: [uploads]\n", ""))
	if u := r.Uploads[0]; u.Fate != model.Pending || u.Rule != model.RuleReconnectSameID || r.BackgroundLaunches != 1 {
		t.Errorf("with at_user_launch only: %s %s after %d background launches; want pending by R-RECONNECT-SAME-ID after 1", u.Fate, u.Rule, r.BackgroundLaunches)
	}
}

// With launch events off, iOS never launches the app in the background
// for the session: code that creates it only at background launches
// never runs for it. The response is pending only because the upload
// code creates the session when it next starts, and a user launch alone
// (whose code does not create it) delivers nothing. Code that creates it
// at user launches gets the response at the next user launch.
func TestRule_R_SEND_LAUNCH_EVENTS_FALSE_LaunchKinds(t *testing.T) {
	relaunch := "  - {at: 5m, do: launch}\n"
	r := runLaunchCode(t, launchCodeDoc(false, "  at_background_launch: [uploads]\n", relaunch))
	if u := r.Uploads[0]; u.Fate != model.Pending || u.Rule != model.RuleSendLaunchEventsFalse || r.BackgroundLaunches != 0 {
		t.Errorf("at_background_launch, a user launch at 5m: %s %s, %d background launches; want pending by R-SEND-LAUNCH-EVENTS-FALSE, none",
			r.Uploads[0].Fate, r.Uploads[0].Rule, r.BackgroundLaunches)
	} else if !strings.Contains(u.Reason, "its upload code does") {
		t.Errorf("pending for %q; want the upload code to be what creates the session", u.Reason)
	}
	if at := deliveredAt(r); at != sim.Never {
		t.Errorf("delivered at %v; the user launch's code does not create the session", at)
	}
	r = runLaunchCode(t, launchCodeDoc(false, "  at_user_launch: [uploads]\n", relaunch))
	if u := r.Uploads[0]; u.Fate != model.Delivered {
		t.Errorf("at_user_launch, a user launch at 5m: %s %s; want delivered", u.Fate, u.Rule)
	}
	if at := deliveredAt(r); at < 5*sim.Minute || at > 5*sim.Minute+sim.Second {
		t.Errorf("delivered at %v; want at the user launch at 5m", at)
	}
}

// do: create_session is the code creating the session when the step
// comes: a held response reaches the process then (R-RECONNECT-SAME-ID).
// When no process runs, the step is skipped.
func TestRule_R_RECONNECT_SAME_ID_CreateSessionStep(t *testing.T) {
	r := runLaunchCode(t, launchCodeDoc(false, "", "  - {at: 5m, do: create_session, session: uploads}\n  - {at: 6m, do: launch}\n  - {at: 7m, do: create_session, session: uploads}\n"))
	if u := r.Uploads[0]; u.Fate != model.Delivered {
		t.Fatalf("%s %s; want delivered", u.Fate, u.Rule)
	}
	if at := deliveredAt(r); at < 7*sim.Minute || at > 7*sim.Minute+sim.Second {
		t.Errorf("delivered at %v; want at the step at 7m (the one at 5m found no process)", at)
	}
	skipped := false
	for _, rec := range r.Trace {
		if rec.Kind == string(model.KindUserIgnored) && rec.At == 5*sim.Minute {
			skipped = true
		}
	}
	if !skipped {
		t.Error("the step at 5m, with the app not running, was not skipped")
	}
}

// The new lists and the step name sessions; a wrong name is reported
// where it is written, with the nearest name.
func TestLaunchCodeErrorsArePositioned(t *testing.T) {
	for _, tt := range []struct{ code, steps, want string }{
		{"  at_user_launch: [upload]\n", "", `l.yaml:13:20: app.at_user_launch[0]: no session named "upload"; did you mean "uploads"?`},
		{"  at_background_launch: [uploads, upload]\n", "", `l.yaml:13:35: app.at_background_launch[1]: no session named "upload"; did you mean "uploads"?`},
		{"", "  - {at: 1m, do: create_session, session: upload}\n", `l.yaml:18:43: timeline[4].session: no session named "upload"; did you mean "uploads"?`},
		{"", "  - {at: 1m, do: create_session}\n", `l.yaml:18:5: timeline: do: create_session needs session: NAME`},
	} {
		_, err := Load("l.yaml", []byte(launchCodeDoc(true, tt.code, tt.steps)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s%s\n got %v\nwant %s", tt.code, tt.steps, err, tt.want)
		}
	}
}
