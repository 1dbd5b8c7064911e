package model

import (
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// Issue 12, item 7: rule citations an iOS engineer would reject.

// A process relaunched in the background, suspended and then resumed for
// another session's events is resumed, not relaunched: the later delivery
// cites R-SUSPENDED-APP-RESUMED.
func TestRule_R_PURGED_APP_RELAUNCHED_OnlyOnRelaunch(t *testing.T) {
	c := base()
	c.App.Sessions = append(c.App.Sessions, Session{Name: "big", Kind: Background, Identifier: "com.example.big",
		Delegate: "UploadDelegate", SendsLaunchEvents: true, ResourceTimeout: DefaultResourceTimeout})
	c.App.AtLaunch = []string{"up", "big"}
	c.App.Uploads = append(c.App.Uploads, Upload{Name: "video", Session: "big", API: UploadFromFile, Bytes: 50_000_000})
	then(&c, Action{At: sim.Second, Do: StartUpload, Upload: "video"}, at(2*sim.Second, Leave), at(10*sim.Second, Purge))
	r := mustRun(t, c)
	if r.BackgroundLaunches != 1 || r.BackgroundResumes != 1 {
		t.Fatalf("background launches %d, resumes %d; want 1, 1\n%s", r.BackgroundLaunches, r.BackgroundResumes, dump(r))
	}
	wantUpload(t, r, 0, Delivered, RulePurgedAppRelaunched, 0)
	wantUpload(t, r, 1, Delivered, RuleSuspendedAppResumed, 0)
	for _, rec := range recordsOf(r, "event.delivered") {
		if attr(rec, "upload") == "u2" && rec.Rule != string(RuleSuspendedAppResumed) {
			t.Errorf("u2 delivered citing %s; the process was resumed, not relaunched", rec.Rule)
		}
	}
}

// The daemon copies the body of upload-from-file tasks only: a data task's
// hand-off does not cite R-DAEMON-OWNS-UPLOAD-FILE.
func TestRule_R_DAEMON_OWNS_UPLOAD_FILE_FileTasksOnly(t *testing.T) {
	c := base()
	c.App.Uploads[0].API = DataTask
	r := mustRun(t, c)
	if cites(r, "", RuleDaemonOwnsUploadFile) {
		t.Errorf("a data task cites %s\n%s", RuleDaemonOwnsUploadFile, dump(r))
	}
	wantCites(t, r, "task.received", RuleDataTaskInBGSession)

	c = base()
	r = mustRun(t, c)
	wantCites(t, r, "task.received", RuleDaemonOwnsUploadFile)
	// The behaviour behind the citation: a file task survives the app
	// deleting its file at once, since the daemon has its own copy.
	c.App.Uploads[0].DeleteFile = true
	r = mustRun(t, c)
	wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
}

// An app told to recreate no session in handleEvents recreated no wrong
// identifier: the note cites R-RECONNECT-SAME-ID (events are replayed only
// to a process that creates the identifier), not R-WRONG-ID-ON-RECREATE.
func TestRule_R_WRONG_ID_ON_RECREATE_NotForRecreateNone(t *testing.T) {
	c := base()
	c.App.AtLaunch = nil
	c.App.HandleEvents.Recreate = RecreateNone
	then(&c, at(2*sim.Second, Leave), at(10*sim.Second, Purge))
	r := mustRun(t, c)
	recs := recordsOf(r, "session.not-recreated")
	if len(recs) == 0 {
		t.Fatalf("no session.not-recreated record\n%s", dump(r))
	}
	for _, rec := range recs {
		if rec.Rule != string(RuleReconnectSameID) {
			t.Errorf("session.not-recreated cites %s; want %s", rec.Rule, RuleReconnectSameID)
		}
	}
	if cites(r, "", RuleWrongIDOnRecreate) {
		t.Errorf("the trace cites %s, but the app recreated no identifier at all\n%s", RuleWrongIDOnRecreate, dump(r))
	}
	// The upload code creates the identifier when it next starts.
	wantUpload(t, r, 0, Pending, RuleReconnectSameID, 0)
}
