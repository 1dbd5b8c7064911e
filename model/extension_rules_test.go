package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

const shareID = "com.example.app.share"

// TestRule_R_ONE_PROCESS_PER_SESSION: an app extension is a second
// process; the daemon keeps one connected process per identifier.
func TestRule_R_ONE_PROCESS_PER_SESSION(t *testing.T) {
	t.Run("the containing app is launched for the events of an ended extension", extEventsLaunchContainingApp)
	t.Run("an open extension gets its own events", extOpenGetsItsOwnEvents)
	t.Run("no shared container: -995", extWithoutSharedContainer995)
	t.Run("the app holds the identifier: the extension gets -996", extRefused996)
	t.Run("the extension holds the identifier: the app gets -996", appRefused996)
	t.Run("a suspended containing app is resumed for the events", extEventsResumeSuspendedApp)
	t.Run("the woken app keeps the identifier: a second share gets -996", secondShareRefused)
	t.Run("an invalidated session lets go of the identifier", invalidatedLetsGo)
	t.Run("the app recreates its own identifier, not the extension's", appRecreatesOwnID)
	t.Run("the extension ends before its refusal reaches it", refusalUnheard)
}

// withShare adds a share extension to c: one background session with an
// app group and a 5 MB upload on it; the timeline opens the extension at
// 0 s, starts the upload at 1 s and closes the extension at close.
func withShare(c *Config, close sim.Time) {
	c.App.Extensions = []Extension{{Name: "share",
		Sessions: []Session{{Name: "share-up", Kind: Background, Identifier: shareID, Delegate: "ShareDelegate",
			SendsLaunchEvents: true, ResourceTimeout: DefaultResourceTimeout, SharedContainer: "group.com.example"}},
		Uploads: []Upload{{Name: "shared-photo", Session: "share-up", API: UploadFromFile, Bytes: 5_000_000}}}}
	c.Timeline = []Action{{At: 0, Do: ExtensionOpen, Extension: "share"}, {At: sim.Second, Do: StartUpload, Upload: "shared-photo"},
		{At: close, Do: ExtensionClose, Extension: "share"}}
}

// R-ONE-PROCESS-PER-SESSION: the events of an extension's session whose
// process has ended launch the containing app with the extension's
// identifier; the app recreates it (recreate: given) and gets them.
func extEventsLaunchContainingApp(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Delivered, RulePurgedAppRelaunched, 0)
	if u.Delegate != "ShareDelegate" || u.ServerReceipts != 1 {
		t.Errorf("delegate %q, receipts %d; want ShareDelegate, 1", u.Delegate, u.ServerReceipts)
	}
	// 5 MB at 2 Mbit/s is 20 s on the air, so the response cannot be in
	// before 21 s; the launch takes 400 ms more.
	if u.SettledAt < 21*sim.Second || u.SettledAt > 25*sim.Second {
		t.Errorf("settled at %v, want between 21s and 25s", u.SettledAt)
	}
	if r.UserLaunches != 0 || r.BackgroundLaunches != 1 {
		t.Errorf("user launches %d, background launches %d; want 0, 1", r.UserLaunches, r.BackgroundLaunches)
	}
	if len(r.Wakes) != 1 || r.Wakes[0].Session != shareID || r.Wakes[0].Cause != WakeRelaunch || r.Wakes[0].Pid != 1 {
		t.Errorf("wakes %+v; want one relaunch for %s, answered by the app's process 1", r.Wakes, shareID)
	}
	// The extension's process is numbered apart: the app's first process
	// is still pid 1.
	for _, rec := range recordsOf(r, string(KindExtensionState)) {
		if attr(rec, "pid") != "16777216" {
			t.Errorf("extension pid %s, want 16777216 (extPidBase)", attr(rec, "pid"))
		}
	}
}

// The containing app is alive, suspended, when the extension's session
// goes quiet: iOS resumes it (no launch) with the extension's identifier,
// and its handleEvents creates it.
func extEventsResumeSuspendedApp(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	c.Timeline = append([]Action{at(0, Launch), at(0, Leave)}, c.Timeline...)
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Delivered, RuleSuspendedAppResumed, 0)
	if u.SettledAt < 21*sim.Second || u.SettledAt > 23*sim.Second {
		t.Errorf("settled at %v, want between 21s and 23s", u.SettledAt)
	}
	if r.UserLaunches != 1 || r.BackgroundLaunches != 0 || r.BackgroundResumes != 1 {
		t.Errorf("user launches %d, background launches %d, resumes %d; want 1, 0, 1", r.UserLaunches, r.BackgroundLaunches, r.BackgroundResumes)
	}
	if len(r.Wakes) != 1 || r.Wakes[0].Session != shareID || r.Wakes[0].Cause != WakeResume || r.Wakes[0].Pid != 1 {
		t.Errorf("wakes %+v; want one resume of process 1 for %s", r.Wakes, shareID)
	}
}

// The app woken for the extension's identifier creates it and, suspended
// after its completion handler, is still alive with the session: a second
// share, in a new extension process, is refused with -996 (bgsim's
// reading of one process per identifier: a live process holds it).
func secondShareRefused(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	then(&c, Action{At: 60 * sim.Second, Do: ExtensionOpen, Extension: "share"},
		Action{At: 61 * sim.Second, Do: StartUpload, Upload: "shared-photo"},
		Action{At: 63 * sim.Second, Do: ExtensionClose, Extension: "share"})
	r := mustRun(t, c)
	wantUpload(t, r, 0, Delivered, RulePurgedAppRelaunched, 0)
	u := wantUpload(t, r, 1, Failed, RuleOneProcessPerSession, ErrBackgroundSessionInUseByAnotherProcess)
	if u.SettledAt > 61*sim.Second+10*sim.Millisecond || u.Attempts != 0 {
		t.Errorf("settled at %v, attempts %d; want by 61.01s, 0", u.SettledAt, u.Attempts)
	}
	pids := map[string]bool{}
	for _, rec := range recordsOf(r, string(KindExtensionState)) {
		pids[attr(rec, "pid")] = true
	}
	if len(pids) != 2 || !pids["16777216"] || !pids["16777217"] {
		t.Errorf("extension pids %v; want 16777216 and 16777217", pids)
	}
}

// The app's own session uses the extension's identifier, but its code
// invalidates it before the user shares: at didBecomeInvalidWithError the
// process lets go of the identifier, and the extension connects.
func invalidatedLetsGo(t *testing.T) {
	c := base()
	withShare(&c, 30*sim.Second)
	c.App.Sessions[0].Identifier = shareID
	c.Timeline = append([]Action{at(0, Launch), {At: 100 * sim.Millisecond, Do: Invalidate, Session: "up"}}, c.Timeline...)
	c.Timeline[2].At = 200 * sim.Millisecond // extension-open
	r := mustRun(t, c)
	wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	if n := len(recordsOf(r, string(KindSessionRefused))); n != 0 {
		t.Errorf("%d session.refused records, want 0:\n%s", n, dump(r))
	}
}

// Woken with the extension's identifier (another than its own, which is
// legitimate: R-WRONG-ID-ON-RECREATE's exception for extensions), an app
// whose handleEvents recreates its own session by name leaves the
// extension's events in the daemon: the completion handler is never
// called and the app is terminated when its allowance runs out. The
// response stays pending: only the extension's upload code, the next
// time the user shares, creates the identifier again.
func appRecreatesOwnID(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	c.App.AtLaunch = nil
	c.App.HandleEvents.Recreate = "up"
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Pending, RuleWrongIDOnRecreate, 0)
	if !strings.Contains(u.Reason, "extension's process next creates") {
		t.Errorf("reason %q; want the extension's upload code named", u.Reason)
	}
	if len(r.Terminations) != 1 || r.Terminations[0].Rule != RuleNoCompletionCallPenalty {
		t.Errorf("terminations %+v; want one, at the end of the allowance", r.Terminations)
	}
}

// The extension closes at the instant its code starts the upload, on a
// session without a shared container: the -995 comes back to a process
// that has ended. The upload is lost at once, not pending to the end.
func refusalUnheard(t *testing.T) {
	c := base()
	withShare(&c, sim.Second)
	c.App.Extensions[0].Sessions[0].SharedContainer = ""
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Lost, RuleOneProcessPerSession, 0)
	if u.SettledAt > sim.Second+10*sim.Millisecond || r.BackgroundLaunches != 0 {
		t.Errorf("settled at %v, background launches %d; want by 1.01s, 0", u.SettledAt, r.BackgroundLaunches)
	}
}

// While the extension's process runs and holds the session, the outcome
// goes to it: no wake, no launch of the app.
func extOpenGetsItsOwnEvents(t *testing.T) {
	c := base()
	withShare(&c, 60*sim.Second)
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	if u.SettledAt > 25*sim.Second {
		t.Errorf("settled at %v, want before 25s (the extension is open until 60s)", u.SettledAt)
	}
	if r.BackgroundLaunches != 0 || len(r.Wakes) != 0 {
		t.Errorf("background launches %d, wakes %d; want 0, 0", r.BackgroundLaunches, len(r.Wakes))
	}
}

// An extension's background session without a shared container fails
// with -995 at once: nothing is sent, the app is not launched.
func extWithoutSharedContainer995(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	c.App.Extensions[0].Sessions[0].SharedContainer = ""
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Failed, RuleOneProcessPerSession, ErrBackgroundSessionRequiresSharedContainer)
	if u.SettledAt > sim.Second+10*sim.Millisecond || u.Attempts != 0 || u.ServerReceipts != 0 {
		t.Errorf("settled at %v, attempts %d, receipts %d; want by 1.01s, 0, 0", u.SettledAt, u.Attempts, u.ServerReceipts)
	}
	if r.BackgroundLaunches != 0 || len(r.Wakes) != 0 {
		t.Errorf("background launches %d, wakes %d; want 0, 0", r.BackgroundLaunches, len(r.Wakes))
	}
	if len(recordsOf(r, string(KindSessionRefused))) != 1 {
		t.Errorf("want one session.refused record:\n%s", dump(r))
	}
}

// The app alive with the identifier: the extension's connection is
// refused with -996 and its upload fails; the app's own upload on the
// same identifier is untouched.
func extRefused996(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	c.App.Sessions[0].Identifier = shareID
	c.Timeline = append([]Action{{At: 0, Do: Launch}, {At: 0, Do: StartUpload, Upload: "photo"}}, c.Timeline...)
	r := mustRun(t, c)
	if len(r.Uploads) != 2 {
		t.Fatalf("%d uploads, want 2", len(r.Uploads))
	}
	wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	u := wantUpload(t, r, 1, Failed, RuleOneProcessPerSession, ErrBackgroundSessionInUseByAnotherProcess)
	if u.Attempts != 0 || u.Delegate != "ShareDelegate" {
		t.Errorf("attempts %d, delegate %q; want 0, ShareDelegate", u.Attempts, u.Delegate)
	}
}

// The extension holds the identifier: the app's process that connects to
// it is refused with -996, at launch and again when its upload code
// creates the session afresh, whose task fails at once with -996; the
// extension's upload goes on to the extension. Once the extension has
// ended, the app's next upload connects.
func appRefused996(t *testing.T) {
	c := base()
	withShare(&c, 60*sim.Second)
	c.App.Sessions[0].Identifier = shareID
	c.Timeline = append(c.Timeline[:2], Action{At: 2 * sim.Second, Do: Launch}, Action{At: 3 * sim.Second, Do: StartUpload, Upload: "photo"},
		c.Timeline[2], Action{At: 61 * sim.Second, Do: StartUpload, Upload: "photo"})
	r := mustRun(t, c)
	if len(r.Uploads) != 3 {
		t.Fatalf("%d uploads, want 3", len(r.Uploads))
	}
	wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	u := wantUpload(t, r, 1, Failed, RuleOneProcessPerSession, ErrBackgroundSessionInUseByAnotherProcess)
	if u.Delegate != "UploadDelegate" || u.Attempts != 0 || u.SettledAt > 3*sim.Second+10*sim.Millisecond {
		t.Errorf("delegate %q, attempts %d, settled at %v; want UploadDelegate, 0, by 3.01s", u.Delegate, u.Attempts, u.SettledAt)
	}
	if n := len(recordsOf(r, string(KindSessionRefused))); n != 2 {
		t.Errorf("%d session.refused records, want 2 (at launch, at the upload):\n%s", n, dump(r))
	}
	last := wantUpload(t, r, 2, Delivered, RuleUploadResponseDelivery, 0)
	if last.ServerReceipts != 1 || last.SettledAt < 81*sim.Second {
		t.Errorf("receipts %d, settled at %v; want 1, after 81s", last.ServerReceipts, last.SettledAt)
	}
}

// The verdict knows the extension's code: with handle_events recreating
// none, the held response waits for a process that creates the
// identifier, and the extension's upload code does.
func TestVerdictKnowsExtensionCode(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	c.App.HandleEvents.Recreate = RecreateNone
	c.Horizon = 10 * sim.Minute
	r := mustRun(t, c)
	u := wantUpload(t, r, 0, Pending, RuleReconnectSameID, 0)
	if !strings.Contains(u.Reason, "extension's process next creates "+shareID) || !strings.Contains(u.Reason, "shared-photo") {
		t.Errorf("reason %q; want it to name the extension's upload code", u.Reason)
	}
	if r.BackgroundLaunches != 1 {
		t.Errorf("background launches %d, want 1", r.BackgroundLaunches)
	}
	use := c.App.creates(shareID, 1)
	if use.extUpload != "shared-photo" || use.handleEvents || use.upload != "" {
		t.Errorf("creates(%s) = %+v; want only the extension upload shared-photo", shareID, use)
	}
}

// An extension upload started while the extension is closed never runs.
func TestExtensionUploadWhileClosed(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	then(&c, Action{At: 4 * sim.Second, Do: StartUpload, Upload: "shared-photo"})
	r := mustRun(t, c)
	wantUpload(t, r, 1, NeverSent, "", 0)
}

func TestCheckExtensions(t *testing.T) {
	c := base()
	withShare(&c, 3*sim.Second)
	c.App.Extensions[0].Uploads[0].API = DataTask
	c.App.AtLaunch = []string{"share-up"}
	c.Timeline[0].Extension = "shar"
	c.Server.AuthChallenge = true
	err := c.Check()
	var fe FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("Check: %v, want FieldErrors", err)
	}
	want := map[string]string{
		"app.extensions.share.uploads.shared-photo.api": "upload-from-file only",
		"app.at_launch[0]":      "is an extension's session",
		"timeline[0].extension": `did you mean "share"`,
		"server.auth_challenge": "not modelled with app extensions",
	}
	for _, e := range fe {
		if w, ok := want[e.Path]; ok && strings.Contains(e.Msg, w) {
			delete(want, e.Path)
		}
	}
	for p, w := range want {
		t.Errorf("no error at %s containing %q; got %v", p, w, err)
	}
}
