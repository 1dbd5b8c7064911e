package model

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// Code hooks (hooks.go): what the app's code does when an event reaches
// it, run at the event's instant in the process it reaches.

// withThumbnail is base() with a second, small upload, thumb, that the
// photo's hooks can start.
func withThumbnail() Config {
	c := base()
	c.App.Uploads = append(c.App.Uploads, Upload{Name: "thumb", Session: "up", API: UploadFromFile, Bytes: 100_000})
	return c
}

// hookRuns returns the hook.run records naming hook.
func hookRuns(r *Result, hook string) []sim.Record {
	var out []sim.Record
	for _, rec := range recordsOf(r, string(KindHookRun)) {
		if attr(rec, string(AttrHook)) == hook {
			out = append(out, rec)
		}
	}
	return out
}

// on_complete runs in the foreground process at the instant the 2xx
// response reaches the delegate: the next upload is created then, and,
// in the foreground, starts at once (no rate limiter, not discretionary).
func TestHookOnCompleteStartsTheNextUploadAtTheResponse(t *testing.T) {
	c := withThumbnail()
	c.App.Uploads[0].OnComplete = []HookStep{{Do: StartUpload, Upload: "thumb"}}
	r := mustRun(t, c)
	if len(r.Uploads) != 2 {
		t.Fatalf("%d uploads, want 2 (photo, then thumb from its on_complete):\n%s", len(r.Uploads), dump(r))
	}
	photo := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	thumb := wantUpload(t, r, 1, Delivered, RuleUploadResponseDelivery, 0)
	if thumb.Spec != "thumb" || thumb.CreatedAt != photo.SettledAt {
		t.Errorf("u2 is %s created at %v; want thumb created when photo's response reached the delegate, %v", thumb.Spec, thumb.CreatedAt, photo.SettledAt)
	}
	if thumb.LimiterDelay != 0 || thumb.StartedAt != thumb.HandedOffAt {
		t.Errorf("thumb held %v, started %v after hand-off %v: a foreground task starts at once", thumb.LimiterDelay, thumb.StartedAt, thumb.HandedOffAt)
	}
	runs := hookRuns(r, "on_complete of photo")
	if len(runs) != 1 || runs[0].At != photo.SettledAt || runs[0].Rule != string(RuleUploadResponseDelivery) || attr(runs[0], "upload") != "u1" {
		t.Errorf("on_complete runs %+v; want one, at %v, for u1, citing %s", runs, photo.SettledAt, RuleUploadResponseDelivery)
	}
	// thumb has no hook: nothing more is created.
	if n := len(recordsOf(r, string(KindHookRun))); n != 1 {
		t.Errorf("%d hook.run records, want 1", n)
	}
}

// A response whose status is not 2xx is didCompleteWithError(nil) all the
// same (R-UPLOAD-RESPONSE-DELIVERY); the code checks the status, so
// on_error runs and on_complete does not.
func TestHookNon2xxRunsOnError(t *testing.T) {
	c := withThumbnail()
	c.Server.Status = 503
	c.App.Uploads[0].OnComplete = []HookStep{{Do: StartUpload, Upload: "thumb"}}
	c.App.Uploads[0].OnError = []HookStep{{Do: Cancel, Upload: "thumb"}, {Do: StartUpload, Upload: "thumb"}}
	r := mustRun(t, c)
	if len(hookRuns(r, "on_complete of photo")) != 0 {
		t.Errorf("on_complete ran after a 503:\n%s", dump(r))
	}
	runs := hookRuns(r, "on_error of photo")
	if len(runs) != 1 || runs[0].Rule != string(RuleUploadResponseDelivery) {
		t.Fatalf("on_error runs %+v, want one citing %s", runs, RuleUploadResponseDelivery)
	}
	// Its cancel finds no thumb task (ignored), its upload makes one.
	if len(r.Uploads) != 2 || r.Uploads[1].Spec != "thumb" || r.Uploads[1].CreatedAt != runs[0].At {
		t.Fatalf("uploads %d; want photo and a thumb created at %v", len(r.Uploads), runs[0].At)
	}
	if ign := recordsOf(r, string(KindUserIgnored)); len(ign) != 1 || !strings.Contains(ign[0].Note, "no task of thumb") {
		t.Errorf("ignored steps %+v; want the cancel, with no thumb task yet", ign)
	}
}

// on_error with do: resume retries from the resume data the error
// carries (R-RESUMABLE-UPLOAD-17), as on_failure: resume does: the new
// task resumes at the acknowledged byte, and the event the hook ran on
// reached the delegate of the session with its identifier
// (R-RECONNECT-SAME-ID).
func TestHookOnErrorResumesFromResumeData(t *testing.T) {
	c := longOutage(17, true)
	c.App.Uploads[0].OnError = []HookStep{{Do: Resume, Upload: "photo"}}
	r := mustRun(t, c)
	if len(r.Uploads) != 2 {
		t.Fatalf("%d uploads, want 2:\n%s", len(r.Uploads), dump(r))
	}
	failed := wantUpload(t, r, 0, Failed, RuleResumableUpload17, ErrNetworkConnectionLost)
	resumed := wantUpload(t, r, 1, Delivered, RuleUploadResponseDelivery, 0)
	if resumed.ResumedFrom != "u1" || resumed.ResumeOffset <= 0 || resumed.CreatedAt != failed.SettledAt {
		t.Errorf("u2 resumed from %q at byte %d, created %v; want from u1, past byte 0, at %v", resumed.ResumedFrom, resumed.ResumeOffset, resumed.CreatedAt, failed.SettledAt)
	}
	if runs := hookRuns(r, "on_error of photo"); len(runs) != 1 || runs[0].Rule != string(RuleReconnectSameID) {
		t.Errorf("on_error runs %+v; want one citing %s (the resumed task was delivered: no second run)", runs, RuleReconnectSameID)
	}
	// On iOS 16 the error carries no resume data: the hook runs, and its
	// resume is ignored. Check refuses it first, so Run is not asked.
	c = longOutage(16, true)
	c.App.Uploads[0].OnError = []HookStep{{Do: Resume, Upload: "photo"}}
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "app.uploads.photo.on_error[0].do: do: resume needs NSURLSessionUploadTaskResumeData") {
		t.Errorf("Check on iOS 16: %v", err)
	}
}

// The point of hooks in a background wake: photo's response reaches a
// process iOS launched in the background, whose on_complete starts
// thumb. The task is created in the background, so it is discretionary
// (R-BG-CREATED-IS-DISCRETIONARY) and held by the rate limiter the wake
// raised (R-RATE-LIMITER): 60 s. Its own completion wakes the app again
// and doubles the delay. Started in the foreground, it would not wait.
func TestHookInABackgroundWakeIsRateLimited(t *testing.T) {
	c := withThumbnail()
	c.App.Uploads[0].OnComplete = []HookStep{{Do: StartUpload, Upload: "thumb"}}
	then(&c, at(2*sim.Second, Leave), at(3*sim.Second, Purge))
	r := mustRun(t, c)
	if len(r.Uploads) != 2 {
		t.Fatalf("%d uploads, want 2:\n%s", len(r.Uploads), dump(r))
	}
	photo := wantUpload(t, r, 0, Delivered, RulePurgedAppRelaunched, 0)
	thumb := wantUpload(t, r, 1, Delivered, RuleSuspendedAppResumed, 0)
	first := c.Params.RateLimiterFirst
	if thumb.CreatedAt != photo.SettledAt || thumb.LimiterDelay != first || thumb.StartedAt != thumb.HandedOffAt+first {
		t.Errorf("thumb created %v (photo delivered %v), held %v, started %v (handed off %v); want created at delivery, held %v",
			thumb.CreatedAt, photo.SettledAt, thumb.LimiterDelay, thumb.StartedAt, thumb.HandedOffAt, first)
	}
	wantCites(t, r, string(KindTaskDiscretionary), RuleBGCreatedIsDiscretionary)
	sets := recordsOf(r, string(KindRateLimiterSet))
	if len(sets) != 2 || attr(sets[1], "delay") != (2*first).String() {
		t.Errorf("rate-limiter.set records %+v; want 2, the second at %v", sets, 2*first)
	}
}

// handle_events.then runs in handleEventsForBackgroundURLSession, after
// the session is recreated; on_finish_events runs in
// urlSessionDidFinishEvents before the completion handler is called,
// while the app still runs (R-COMPLETION-HANDLER-PROTOCOL).
func TestHookWakeHooksRunInTheirCallbacks(t *testing.T) {
	c := withThumbnail()
	c.App.Uploads = append(c.App.Uploads, Upload{Name: "log", Session: "up", API: UploadFromFile, Bytes: 1000})
	c.App.HandleEvents.Then = []HookStep{{Do: StartUpload, Upload: "log"}}
	c.App.OnFinishEvents = []HookStep{{Do: StartUpload, Upload: "thumb"}}
	then(&c, at(2*sim.Second, Leave), at(3*sim.Second, Purge))
	c.Horizon = 10 * sim.Minute
	r := mustRun(t, c)
	order := []string{}
	for _, rec := range r.Trace {
		switch TraceKind(rec.Kind) {
		case KindAppHandleEvents, KindHookRun, KindDelegateDidFinishEvents, KindCompletionHandlerCalled:
			order = append(order, rec.Kind+" "+attr(rec, string(AttrHook)))
		case KindUploadStart:
			order = append(order, "start "+attr(rec, "upload"))
		}
	}
	got := strings.Join(order[:min(len(order), 7)], "; ")
	want := "start u1; app.handle-events ; hook.run handle_events.then; start u2; delegate.did-finish-events ; hook.run on_finish_events; start u3"
	if got != want {
		t.Errorf("first wake:\n got %s\nwant %s", got, want)
	}
	if len(order) < 8 || order[7] != "completion-handler.called " {
		t.Errorf("after on_finish_events: %v; want the completion handler called", order[7:])
	}
	for _, h := range []string{"handle_events.then", "on_finish_events"} {
		for _, rec := range hookRuns(r, h) {
			if rec.Rule != string(RuleCompletionHandlerProtocol) {
				t.Errorf("%s cites %s", h, rec.Rule)
			}
		}
	}
	// Both tasks are created in the background wake: both are held.
	for _, u := range r.Uploads[1:3] {
		if u.LimiterDelay != c.Params.RateLimiterFirst {
			t.Errorf("%s (%s) held %v, want %v", u.ID, u.Spec, u.LimiterDelay, c.Params.RateLimiterFirst)
		}
	}
}

// A hook that starts its own upload again loops only as long as time
// goes: each round is a real upload. The run ends at its horizon with a
// count of uploads that the time allows.
func TestHookLoopEndsWithTheRun(t *testing.T) {
	c := base()
	c.App.Uploads[0].Bytes = 250_000 // about a second on the 2 Mbit/s uplink
	c.App.Uploads[0].OnComplete = []HookStep{{Do: StartUpload, Upload: "photo"}}
	c.Horizon = sim.Minute
	r := mustRun(t, c)
	n := len(r.Uploads)
	if n < 20 || n > 60 {
		t.Fatalf("%d uploads in a minute of one-second uploads", n)
	}
	if runs := len(hookRuns(r, "on_complete of photo")); runs != n-1 {
		t.Errorf("%d hook runs for %d uploads, want %d: every delivered one ran it", runs, n, n-1)
	}
}

// The hooks' tasks count against the run's task limit: a hook step that
// would cross it is refused and recorded, and the hook's other steps go
// on. Here the budget the timeline leaves is set small by hand.
func TestHookTasksCountAgainstTheLimit(t *testing.T) {
	cfg := withThumbnail()
	cfg.App.Uploads[1].Chain = 2 // a thumb is three tasks with its chain
	var a app
	a.init(&cfg, nil, nil)
	var out effects
	a.step(0, msg{to: toApp, kind: appAction, step: 0, up: -1}, &out) // the user launches the app
	a.hooks = hookState{ready: true, budget: 7}
	steps := []HookStep{{Do: StartUpload, Upload: "thumb"}, {Do: StartUpload, Upload: "photo"}}
	for round := 0; round < 3; round++ {
		out.reset()
		a.runHooks("test", RuleUploadResponseDelivery, steps, -1)
	}
	// Round 1: thumb (3) and photo (1); round 2: thumb (3), photo refused
	// (8 > 7); round 3: both refused.
	if a.hooks.tasks != 7 || len(a.ups) != 3 {
		t.Errorf("hook tasks %d, uploads created %d; want 7 counted (chains included), 3 created", a.hooks.tasks, len(a.ups))
	}
	refused := 0
	for _, r := range out.recs {
		if r.kind == KindHookRefused {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("the last round refused %d steps, want 2", refused)
	}
	// The budget a real run starts from: the limit less what is planned.
	cfg.Timeline = append(cfg.Timeline, Action{At: 2 * sim.Second, Do: StartUpload, Upload: "thumb"})
	if p := cfg.PlannedTasks(); p != 1+3 {
		t.Errorf("planned %d tasks, want 4 (photo, thumb with its chain of 2)", p)
	}
}

// Check refuses a hook step the app's code cannot take, and names the
// nearest upload or session for a misspelt one, at the step's field.
func TestHookCheck(t *testing.T) {
	c := withThumbnail()
	c.App.Uploads[0].OnComplete = []HookStep{{Do: StartUpload, Upload: "thunb"}, {Do: Launch}}
	c.App.HandleEvents.Then = []HookStep{{Do: CreateSession, Session: "upp"}}
	c.App.OnFinishEvents = []HookStep{{Do: Invalidate, Session: "up"}, {Do: Purge}}
	err := c.Check()
	for _, want := range []string{
		`app.uploads.photo.on_complete[0].upload: no upload named "thunb"; did you mean "thumb"?`,
		`app.uploads.photo.on_complete[1].do: "launch" is not something the app's code does in a hook`,
		`app.handle_events.then[0].session: no session named "upp"; did you mean "up"?`,
		`app.on_finish_events[1].do: "purge" is not something`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check: %v\nwant %s", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "on_finish_events[0]") {
		t.Errorf("the valid invalidate step was refused: %v", err)
	}
}

// handle_events.then can create the session the wake is for: code that
// recreates nothing, or the wrong identifier, and fixes it in its next
// line. The held response is delivered by that wake
// (R-RECONNECT-SAME-ID), and the end-of-run query of the code counts the
// hook as handleEventsForBackgroundURLSession's.
func TestHookThenCreatesTheWokenSession(t *testing.T) {
	for _, recreate := range []string{RecreateNone, "other"} {
		c := base()
		c.App.Sessions = append(c.App.Sessions, Session{Name: "other", Kind: Background, Identifier: "com.example.other", Delegate: "D",
			SendsLaunchEvents: true, ResourceTimeout: DefaultResourceTimeout})
		c.App.AtLaunch = nil
		c.App.HandleEvents.Recreate = recreate
		c.App.HandleEvents.Then = []HookStep{{Do: CreateSession, Session: "up"}}
		then(&c, at(2*sim.Second, Leave), at(3*sim.Second, Purge))
		r := mustRun(t, c)
		wantUpload(t, r, 0, Delivered, RulePurgedAppRelaunched, 0)
		if len(r.Wakes) != 1 || len(hookRuns(r, "handle_events.then")) != 1 {
			t.Errorf("recreate %s: wakes %+v, then runs %d; want one of each", recreate, r.Wakes, len(hookRuns(r, "handle_events.then")))
		}
		if got := c.App.creates("com.example.upload", 1); !got.handleEvents {
			t.Errorf("recreate %s: creates = %+v, want handleEvents", recreate, got)
		}
	}
}

// A shared session's task runs its hooks in its own process: on_complete
// after its 2xx response (R-IN-PROCESS-TRANSFER).
func TestHookInProcessTask(t *testing.T) {
	c := withThumbnail()
	c.App.Sessions = append(c.App.Sessions, Session{Name: "shared", Kind: Shared, Delegate: "D"})
	c.App.Uploads[0].Session = "shared"
	c.App.Uploads[0].API = DataTask
	c.App.Uploads[0].OnComplete = []HookStep{{Do: StartUpload, Upload: "thumb"}}
	r := mustRun(t, c)
	runs := hookRuns(r, "on_complete of photo")
	if len(r.Uploads) != 2 || len(runs) != 1 || runs[0].Rule != string(RuleUploadResponseDelivery) || r.Uploads[1].CreatedAt != runs[0].At {
		t.Fatalf("uploads %d, on_complete runs %+v:\n%s", len(r.Uploads), runs, dump(r))
	}
	wantUpload(t, r, 1, Delivered, RuleUploadResponseDelivery, 0)
	// Cut by suspension, it fails when the user comes back: on_error
	// runs then.
	c.App.Uploads[0].OnComplete = nil
	c.App.Uploads[0].OnError = []HookStep{{Do: StartUpload, Upload: "thumb"}}
	then(&c, at(2*sim.Second, Leave), at(time30s, Return))
	r = mustRun(t, c)
	runs = hookRuns(r, "on_error of photo")
	if len(runs) != 1 || runs[0].At != time30s || runs[0].Rule != string(RuleInProcessTransfer) {
		t.Errorf("on_error runs %+v; want one at %v citing %s:\n%s", runs, time30s, RuleInProcessTransfer, dump(r))
	}
}
