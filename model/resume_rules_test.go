package model

import (
	"strconv"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// The iOS 17 resumable uploads and the app cancelling a task (issue 12,
// "Behaviour to add"), one behaviour per test.

// inFlight2Mbps is what base()'s 2 Mbit/s uplink moves in one one-way
// delay (40 ms): the bytes the server has not acknowledged when the path
// goes.
const inFlight2Mbps = 2_000_000 * 40 / 1000 / 8

// longOutage is outageMidUpload with an outage of 10 minutes, twice the
// default params.resumable_wait.
func longOutage(ios int, resumable bool) Config {
	c := outageMidUpload(ios, resumable)
	c.Timeline[len(c.Timeline)-1].For = 10 * sim.Minute
	return c
}

// sentAtCut returns the bytes the device had sent when the path went (the
// transfer.path-lost record's sent).
func sentAtCut(t *testing.T, r *Result) int64 {
	t.Helper()
	recs := recordsOf(r, "transfer.path-lost")
	if len(recs) == 0 {
		t.Fatalf("no transfer.path-lost record:\n%s", dump(r))
	}
	v, err := strconv.ParseInt(attr(recs[0], "sent"), 10, 64)
	if err != nil {
		t.Fatalf("transfer.path-lost's sent: %v", err)
	}
	return v
}

// A longer outage fails the task with resume data: -1005 reaches the
// delegate params.resumable_wait after the path went (10 s), not before.
func TestRule_R_RESUMABLE_UPLOAD_17_LongOutageFailsWithResumeData(t *testing.T) {
	r := mustRun(t, longOutage(17, true))
	if len(r.Uploads) != 1 {
		t.Fatalf("%d uploads, want 1: without on_failure the code does not resume", len(r.Uploads))
	}
	u := wantUpload(t, r, 0, Failed, RuleResumableUpload17, ErrNetworkConnectionLost)
	want := 10*sim.Second + DefaultResumableWait + DefaultParams().XPCLatency
	if u.SettledAt != want {
		t.Errorf("settled at %v, want %v (the loss, the wait, one XPC hop)", u.SettledAt, want)
	}
	// A wait longer than the outage: the same outage is a short one.
	c := longOutage(17, true)
	c.Params.ResumableWait = 15 * sim.Minute
	r = mustRun(t, c)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.BytesSent != u.Bytes+inFlight2Mbps {
		t.Errorf("bytes sent %d, want %d: a silent resume at the acknowledged byte", u.BytesSent, u.Bytes+inFlight2Mbps)
	}
	// Before iOS 17, or to a plain server, there is no resume data: the
	// task waits and restarts from zero.
	for _, c := range []Config{longOutage(16, true), longOutage(17, false)} {
		r = mustRun(t, c)
		if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.BytesSent <= u.Bytes+inFlight2Mbps {
			t.Errorf("iOS %d, resumable %v: bytes sent %d, want a restart from zero", c.IOS, c.Server.Resumable, u.BytesSent)
		}
	}
}

// on_failure: resume: the delegate resumes from the resume data once; the
// resumed task is a new upload that starts at the byte the server
// acknowledged, not the one the device sent, and sends only the rest.
func TestRule_R_RESUMABLE_UPLOAD_17_ResumeFromAcknowledgedByte(t *testing.T) {
	c := longOutage(17, true)
	c.App.Uploads[0].OnFailure = OnFailureResume
	r := mustRun(t, c)
	if len(r.Uploads) != 2 {
		t.Fatalf("%d uploads, want 2", len(r.Uploads))
	}
	first := wantUpload(t, r, 0, Failed, RuleResumableUpload17, ErrNetworkConnectionLost)
	second := wantUpload(t, r, 1, Delivered, RuleUploadResponseDelivery, 0)
	sent := sentAtCut(t, r)
	if second.ResumedFrom != first.ID || second.ResumeOffset != sent-inFlight2Mbps {
		t.Errorf("resumed from %q at byte %d, want %s at %d (sent %d less %d in flight)",
			second.ResumedFrom, second.ResumeOffset, first.ID, sent-inFlight2Mbps, sent, inFlight2Mbps)
	}
	if second.BytesSent != second.Bytes-second.ResumeOffset {
		t.Errorf("the resumed task sent %d bytes, want total - acknowledged = %d", second.BytesSent, second.Bytes-second.ResumeOffset)
	}
	if first.BytesSent != sent {
		t.Errorf("the failed task sent %d, want %d", first.BytesSent, sent)
	}
	outageOver := 10*sim.Second + 10*sim.Minute
	if second.ServerReceivedAt < outageOver {
		t.Errorf("the server had the resumed body at %v, during the outage", second.ServerReceivedAt)
	}
	// Once: the resumed upload failing again with resume data is not
	// resumed again.
	c.Timeline = append(c.Timeline, Action{At: outageOver + sim.Second, Do: Outage, For: 10 * sim.Minute})
	c.App.Uploads[0].Bytes = 50_000_000
	r = mustRun(t, c)
	if len(r.Uploads) != 2 {
		t.Fatalf("%d uploads, want 2: the code resumes once", len(r.Uploads))
	}
	wantUpload(t, r, 1, Failed, RuleResumableUpload17, ErrNetworkConnectionLost)
}

// Resume data is single-use: the code using the same data a second time
// gets a task that fails at once.
func TestRule_R_RESUMABLE_UPLOAD_17_ResumeDataIsSingleUse(t *testing.T) {
	c := longOutage(17, true)
	c.App.Uploads[0].OnFailure = OnFailureResume
	second := 10*sim.Second + 10*sim.Minute + 2*sim.Minute
	c.Timeline = append(c.Timeline, Action{At: second, Do: Resume, Upload: "photo"})
	r := mustRun(t, c)
	if len(r.Uploads) != 3 {
		t.Fatalf("%d uploads, want 3", len(r.Uploads))
	}
	wantUpload(t, r, 1, Delivered, RuleUploadResponseDelivery, 0)
	u := wantUpload(t, r, 2, Failed, RuleResumableUpload17, ErrUnknown)
	if u.ResumedFrom != "u1" || u.Attempts != 0 || u.BytesSent != 0 {
		t.Errorf("resumed from %q, %d attempts, %d bytes: want u1's used data refused before any attempt", u.ResumedFrom, u.Attempts, u.BytesSent)
	}
	if want := second + 2*DefaultParams().XPCLatency; u.SettledAt != want {
		t.Errorf("settled at %v, want %v: refused as the daemon gets it", u.SettledAt, want)
	}
}

// The app cancelling a task: -999 without a cancel reason reaches the
// delegate through the daemon; resume data only when the code asked for it
// (cancel(byProducingResumeData:)), on iOS 17 with a resumable server.
func TestRule_R_TASK_STATE_AFTER_CANCEL(t *testing.T) {
	cancelAt := 8 * sim.Second
	resumeAt := 20 * sim.Second
	run := func(t *testing.T, ios int, resumable, data bool) *Result {
		t.Helper()
		c := base()
		c.IOS, c.Server.Resumable = ios, resumable
		then(&c, Action{At: cancelAt, Do: Cancel, Upload: "photo", ResumeData: data})
		if ios >= 17 {
			then(&c, Action{At: resumeAt, Do: Resume, Upload: "photo"})
		}
		return mustRun(t, c)
	}
	xpc := DefaultParams().XPCLatency
	for _, tt := range []struct {
		name            string
		ios             int
		resumable, data bool
		resumes         bool
	}{
		{"cancel()", 17, true, false, false},
		{"cancel(byProducingResumeData:)", 17, true, true, true},
		{"cancel(byProducingResumeData:), plain server", 17, false, true, false},
		{"cancel(), iOS 16", 16, true, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.ios, tt.resumable, tt.data)
			u := wantUpload(t, r, 0, Failed, RuleTaskStateAfterCancel, ErrCancelled)
			if u.CancelReason != NoCancelReason {
				t.Errorf("cancel reason %d: the app's own cancel carries none", u.CancelReason)
			}
			if want := cancelAt + 2*xpc; u.SettledAt != want {
				t.Errorf("settled at %v, want %v (two XPC hops)", u.SettledAt, want)
			}
			if u.ServerReceivedAt != sim.Never {
				t.Errorf("the server had the whole body at %v", u.ServerReceivedAt)
			}
			if !tt.resumes {
				if len(r.Uploads) != 1 {
					t.Errorf("%d uploads: without resume data do: resume does nothing", len(r.Uploads))
				}
				return
			}
			if len(r.Uploads) != 2 {
				t.Fatalf("%d uploads, want 2", len(r.Uploads))
			}
			v := wantUpload(t, r, 1, Delivered, RuleUploadResponseDelivery, 0)
			if v.ResumedFrom != "u1" || v.ResumeOffset <= 0 || v.ResumeOffset != u.BytesSent-inFlight2Mbps {
				t.Errorf("resumed from %q at %d; want u1 at %d (sent %d less %d in flight)", v.ResumedFrom, v.ResumeOffset, u.BytesSent-inFlight2Mbps, u.BytesSent, inFlight2Mbps)
			}
			if v.BytesSent != v.Bytes-v.ResumeOffset {
				t.Errorf("the resumed task sent %d, want %d", v.BytesSent, v.Bytes-v.ResumeOffset)
			}
		})
	}
}

// A cancel in a background session while the app is suspended is delivered
// by the daemon like any other event: the code cannot run, so nothing is
// cancelled.
func TestCancelNeedsTheCodeToRun(t *testing.T) {
	c := base()
	then(&c, at(2*sim.Second, Leave), Action{At: 10 * sim.Second, Do: Cancel, Upload: "photo"})
	r := mustRun(t, c)
	wantUpload(t, r, 0, Delivered, RuleSuspendedAppResumed, 0)
	if len(recordsOf(r, "task.cancel")) != 0 {
		t.Error("a suspended app's code cancelled a task")
	}
}

// Check refuses what needs upload resume data before iOS 17, with the
// field's path, and steps naming no upload.
func TestCheckResumeData(t *testing.T) {
	c := base()
	c.IOS = 16
	c.App.Uploads[0].OnFailure = OnFailureResume
	then(&c, Action{At: 5 * sim.Second, Do: Cancel, Upload: "photo", ResumeData: true},
		Action{At: 6 * sim.Second, Do: Resume, Upload: "photo"}, Action{At: 7 * sim.Second, Do: Cancel, Upload: "phot"},
		Action{At: 8 * sim.Second, Do: Invalidate, Session: "uq"})
	err := c.Check()
	l, ok := err.(FieldErrors)
	if !ok {
		t.Fatalf("Check() = %v, want FieldErrors", err)
	}
	got := map[string]string{}
	for _, e := range l {
		got[e.Path] = e.Msg
	}
	want := map[string]string{
		"app.uploads.photo.on_failure": "on_failure: resume needs NSURLSessionUploadTaskResumeData, which iOS 17 introduced; this is iOS 16 (R-RESUMABLE-UPLOAD-17)",
		"timeline[2].resume_data":      "resume_data: true needs NSURLSessionUploadTaskResumeData, which iOS 17 introduced; this is iOS 16 (R-RESUMABLE-UPLOAD-17)",
		"timeline[3].do":               "do: resume needs NSURLSessionUploadTaskResumeData, which iOS 17 introduced; this is iOS 16 (R-RESUMABLE-UPLOAD-17)",
		"timeline[4].upload":           `no upload named "phot"; did you mean "photo"?`,
		"timeline[5].session":          `no session named "uq"; did you mean "up"? (its sessions: "up")`,
	}
	for p, m := range want {
		if got[p] != m {
			t.Errorf("%s: %q, want %q", p, got[p], m)
		}
	}
	if len(l) != len(want) {
		t.Errorf("%d errors, want %d: %v", len(l), len(want), err)
	}
}

// invalidateThenUpload invalidates the session at 5 s, mid-upload (cancel:
// invalidateAndCancel), and has the code start the upload again right
// after, at the same instant, and at 60 s.
func invalidateThenUpload(cancel bool) Config {
	c := base()
	then(&c, Action{At: 5 * sim.Second, Do: Invalidate, Session: "up", CancelTasks: cancel},
		Action{At: 5 * sim.Second, Do: StartUpload, Upload: "photo"}, Action{At: 60 * sim.Second, Do: StartUpload, Upload: "photo"})
	return c
}

// A task created on an invalidated session never runs: the daemon never
// has it.
func TestRule_R_INVALIDATED_SESSION_NEW_TASK(t *testing.T) {
	for _, cancel := range []bool{false, true} {
		r := mustRun(t, invalidateThenUpload(cancel))
		if len(r.Uploads) != 3 {
			t.Fatalf("cancel %v: %d uploads, want 3", cancel, len(r.Uploads))
		}
		u := wantUpload(t, r, 1, NeverSent, RuleInvalidatedSessionNewTask, 0)
		if u.HandedOffAt != sim.Never || u.Attempts != 0 {
			t.Errorf("cancel %v: handed off at %v, %d attempts: the task never runs", cancel, u.HandedOffAt, u.Attempts)
		}
	}
}

// finishTasksAndInvalidate lets the task finish; invalidateAndCancel
// cancels it with -999. The identifier leaves the process only at
// didBecomeInvalidWithError, after the last event: creating it before
// returns the invalidated session (5 s), after gives a fresh one (60 s).
func TestRule_R_DUP_ID_AFTER_INVALIDATE(t *testing.T) {
	xpc := DefaultParams().XPCLatency
	r := mustRun(t, invalidateThenUpload(false))
	first := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	wantUpload(t, r, 2, Delivered, RuleUploadResponseDelivery, 0)
	inv := recordsOf(r, "session.invalid")
	if len(inv) != 1 || inv[0].At != first.SettledAt || inv[0].At < 20*sim.Second {
		t.Errorf("didBecomeInvalidWithError at %v, want once, with the last event (%v)", inv, first.SettledAt)
	}
	r = mustRun(t, invalidateThenUpload(true))
	u := wantUpload(t, r, 0, Failed, RuleTaskStateAfterCancel, ErrCancelled)
	if want := 5*sim.Second + 2*xpc; u.SettledAt != want || u.CancelReason != NoCancelReason {
		t.Errorf("settled at %v, cancel reason %d; want %v, none", u.SettledAt, u.CancelReason, want)
	}
	wantUpload(t, r, 2, Delivered, RuleUploadResponseDelivery, 0)
	if inv := recordsOf(r, "session.invalid"); len(inv) != 1 || inv[0].At != u.SettledAt {
		t.Errorf("didBecomeInvalidWithError at %v, want at %v, with the cancellation", inv, u.SettledAt)
	}
}
