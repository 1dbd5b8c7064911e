package model

import (
	"fmt"
	"slices"
	"strconv"
)

// Code hooks: what the app's code does when an event reaches it, beyond
// the chain and workload shortcuts. A hook is a list of steps in the
// timeline's vocabulary, limited to what the app's code can call:
//
//	upload          start an upload (Upload)
//	resume          uploadTask(withResumeData:) with the resume data the
//	                code holds for an upload (Upload), iOS 17+
//	cancel          cancel the newest task of an upload (Upload;
//	                ResumeData: cancel(byProducingResumeData:))
//	create_session  create a session (Session)
//	invalidate      invalidate a background session (Session; CancelTasks)
//
// What the user and the system do (launch, background, purge, the
// network and power steps) is not the app's code and is refused, and so
// are at:, when: and after:: a hook runs at the instant of its event, in
// the process the event reaches, through the same code the timeline's
// steps run. The hooks are:
//
//   - Upload.OnComplete: didCompleteWithError(nil) after a 2xx response
//     (R-UPLOAD-RESPONSE-DELIVERY: HTTP errors are not transport errors;
//     the code checks the status, as most apps do).
//   - Upload.OnError: didCompleteWithError with an error, or after a
//     response whose status is not 2xx. For a background task the event
//     reaches the delegate of a session recreated with its identifier
//     (R-RECONNECT-SAME-ID); for a shared-session task, its own process
//     (R-IN-PROCESS-TRANSFER).
//   - HandleEvents.Then: the rest of
//     handleEventsForBackgroundURLSession, after it recreated the session
//     (R-COMPLETION-HANDLER-PROTOCOL).
//   - App.OnFinishEvents: urlSessionDidFinishEvents(forBackgroundURLSession:),
//     before it calls the stored completion handler, since once called,
//     iOS suspends the app (R-COMPLETION-HANDLER-PROTOCOL).
//
// Tasks a hook creates while the app is in the background are created in
// the background, with what that brings (R-BG-CREATED-IS-DISCRETIONARY,
// R-RATE-LIMITER): the daemon, not the hook, decides.
//
// Bound: a hook can start an upload whose hook starts it again. Every
// task a hook creates (with its chain) counts against MaxTasks, with the
// tasks the timeline and workload plan (PlannedTasks); a hook step that
// would cross it is refused and recorded (KindHookRefused), so a loop of
// hooks ends.

// hookState is what the app's code hooks have used of the task limit.
type hookState struct {
	ready  bool
	budget int // the tasks hooks may create in the run
	tasks  int // the tasks they created, chains included
}

// PlannedTasks is how many tasks the timeline's upload steps (with their
// chains) and the workload's items create: what the task limit counts
// before the run. Tasks the hooks create count at run time.
func (c *Config) PlannedTasks() int {
	tasks := 0
	if w := c.App.Workload; w != nil {
		tasks = max(w.Items, 0)
	}
	for _, a := range c.Timeline {
		if a.Do != StartUpload {
			continue
		}
		tasks++
		if u := c.App.upload(a.Upload); u != nil {
			tasks += max(u.Chain, 0)
		}
	}
	return tasks
}

// HookStep is one step of a hook: a timeline step's what, without its
// when (Action's fields of the same names).
type HookStep struct {
	Do          ActionKind
	Upload      string
	ResumeData  bool
	Session     string
	CancelTasks bool
}

// action is the timeline step the hook step runs as.
func (s HookStep) action() Action {
	return Action{Do: s.Do, Upload: s.Upload, ResumeData: s.ResumeData, Session: s.Session, CancelTasks: s.CancelTasks}
}

// hookDo lists what a hook step may do.
var hookDo = []ActionKind{StartUpload, Resume, Cancel, CreateSession, Invalidate}

// runHooks runs the steps of the hook called name, for the event that
// reached the running process; rule is the rule its event rests on, up
// the task it is about (-1: none).
func (a *app) runHooks(name string, rule RuleID, steps []HookStep, up int32) {
	if len(steps) == 0 || !a.state.running() {
		return
	}
	if !a.hooks.ready {
		a.hooks = hookState{ready: true, budget: MaxTasks - a.cfg.PlannedTasks()}
	}
	if up >= 0 {
		a.note(KindHookRun, rule, "the code in "+name+" runs", str(AttrHook, name), upAttr(up), num(AttrSteps, int64(len(steps))))
	} else {
		a.note(KindHookRun, rule, "the code in "+name+" runs", str(AttrHook, name), num(AttrSteps, int64(len(steps))))
	}
	for i, s := range steps {
		if !a.state.running() {
			// The code crashed (a misused API in an upload it started):
			// the rest of the hook does not run.
			return
		}
		need := 0
		if s.Do == StartUpload || s.Do == Resume {
			if u := a.cfg.App.upload(s.Upload); u != nil {
				need = 1 + max(u.Chain, 0)
			}
		}
		if need > 0 && a.hooks.tasks+need > a.hooks.budget {
			a.note(KindHookRefused, "", fmt.Sprintf("%s[%d] (do: %s %s) is not run: it would create %d tasks, past the run's limit of %d (the timeline and workload plan %d, the hooks have created %d)",
				name, i, s.Do, s.Upload, need, MaxTasks, MaxTasks-a.hooks.budget, a.hooks.tasks),
				str(AttrHook, name), str(AttrAction, string(s.Do)), str(AttrUpload, s.Upload))
			continue
		}
		before := len(a.ups)
		if s.Do == CreateSession {
			a.createSession(s.Session, name, "")
		} else {
			a.action(s.action())
		}
		if len(a.ups) > before {
			a.hooks.tasks += need
		}
	}
}

// onComplete runs an upload's completion hooks for task up's outcome:
// OnComplete after a 2xx response, OnError after an error (code != 0) or
// another status. rule is the rule the delivery rests on.
func (a *app) onComplete(up int32, status, code int, rule RuleID) {
	u := a.ups[up].spec
	if code == 0 && status >= 200 && status <= 299 {
		a.runHooks("on_complete of "+u.Name, RuleUploadResponseDelivery, u.OnComplete, up)
		return
	}
	if code == 0 {
		// A response with another status: didCompleteWithError(nil), and
		// the code finds the status is not a success.
		rule = RuleUploadResponseDelivery
	}
	a.runHooks("on_error of "+u.Name, rule, u.OnError, up)
}

// thenCreates reports whether handle_events.then creates the background
// session identifier id in a process numbered after pid: App.creates
// counts it as handleEventsForBackgroundURLSession's.
func (c *App) thenCreates(id string, pid int32) bool {
	for _, s := range c.HandleEvents.Then {
		if sp := c.session(s.Session); s.Do == CreateSession && sp != nil && sp.Kind == Background && sp.yieldsAfter(id, pid) {
			return true
		}
	}
	return false
}

// cloneHooks gives a cloned App its own hook lists.
func (a *App) cloneHooks() {
	for i := range a.Uploads {
		a.Uploads[i].OnComplete = slices.Clone(a.Uploads[i].OnComplete)
		a.Uploads[i].OnError = slices.Clone(a.Uploads[i].OnError)
	}
	a.HandleEvents.Then = slices.Clone(a.HandleEvents.Then)
	a.OnFinishEvents = slices.Clone(a.OnFinishEvents)
}

// hookPath is the schema path of field of step i of a hook: of upload's
// on_complete or on_error, or (upload "") handle_events.then or
// on_finish_events. Built only for an error, so that checking a valid
// Config does not allocate.
func hookPath(hook, upload string, i int, field string) string {
	p := "app." + hook
	if upload != "" {
		p = "app.uploads." + upload + "." + hook
	}
	return p + "[" + strconv.Itoa(i) + "]." + field
}

// checkHooks checks every hook step: what it does is the app's code, and
// the upload or session it names exists and suits it, as for a timeline
// step.
func (c *Config) checkHooks(k *checker) {
	for i := range c.App.Uploads {
		u := &c.App.Uploads[i]
		c.checkHook(k, "on_complete", u.Name, u.OnComplete)
		c.checkHook(k, "on_error", u.Name, u.OnError)
	}
	c.checkHook(k, "handle_events.then", "", c.App.HandleEvents.Then)
	c.checkHook(k, "on_finish_events", "", c.App.OnFinishEvents)
}

func (c *Config) checkHook(k *checker, hook, upload string, steps []HookStep) {
	for i, s := range steps {
		if !slices.Contains(hookDo, s.Do) {
			k.add(hookPath(hook, upload, i, "do"), "%q is not something the app's code does in a hook: upload, resume, cancel, create_session or invalidate", s.Do)
			continue
		}
		switch s.Do {
		case StartUpload, Cancel, Resume:
			if e := c.App.uploadExtension(s.Upload); e != nil {
				// The app's code holds no task of the extension's, and
				// the extension's code runs in its own process.
				names := make([]string, len(c.App.Uploads))
				for j, u := range c.App.Uploads {
					names[j] = u.Name
				}
				k.add(hookPath(hook, upload, i, "upload"), "%q is extension %s's upload: the app's code cannot start, cancel or resume it (the extension's code starts it: do: upload on the timeline while %s is open)%s",
					s.Upload, e.Name, e.Name, didYouMean(s.Upload, names))
				continue
			}
			u := c.App.upload(s.Upload)
			if u == nil {
				c.noUpload(k, hookPath(hook, upload, i, "upload"), s.Upload)
				continue
			}
			if s.Do == StartUpload {
				continue
			}
			if sp := c.App.session(u.Session); sp != nil && sp.Kind != Background {
				k.add(hookPath(hook, upload, i, "upload"), "do: %s is modelled for background sessions only; %q uploads on the shared session %q", s.Do, u.Name, u.Session)
			}
			// checkResumeData's conditions, tested first so that a
			// valid step builds no path.
			if noData := c.IOS < IOSResumableUpload || (u.API != UploadFromFile && u.API != ""); !noData {
				continue
			}
			switch {
			case s.Do == Resume:
				c.checkResumeData(k, hookPath(hook, upload, i, "do"), u, "do: resume")
			case s.ResumeData:
				c.checkResumeData(k, hookPath(hook, upload, i, "resume_data"), u, "resume_data: true")
			}
		case CreateSession, Invalidate:
			switch sp := c.App.session(s.Session); {
			case sp != nil && c.App.sessionExtension(s.Session) != nil:
				k.add(hookPath(hook, upload, i, "session"), "%q is extension %s's session: the app's code creates and invalidates only its own%s",
					s.Session, c.App.sessionExtension(s.Session).Name, c.App.sessionChoices(s.Session))
			case sp == nil:
				k.add(hookPath(hook, upload, i, "session"), "no session named %q%s", s.Session, c.App.sessionChoices(s.Session))
			case s.Do == Invalidate && sp.Kind != Background:
				k.add(hookPath(hook, upload, i, "session"), "do: invalidate is modelled for background sessions only; %q is shared", s.Session)
			}
		}
	}
}
