package model

import (
	"fmt"

	"github.com/bgsim/bgsim/sim"
)

// procState is the app process's lifecycle state.
type procState uint8

const (
	notRunning procState = iota
	foreground
	background // running in the background: after the user left, or woken by iOS
	suspended
)

var procStateNames = [...]string{"not running", "foreground", "background", "suspended"}

func (s procState) String() string { return procStateNames[s] }

func (s procState) running() bool { return s == foreground || s == background }

// Why a process ended.
const (
	exitPurged    = "purged"
	exitForceQuit = "force-quit"
	exitCrashed   = "crashed"
	exitAllowance = "allowance expired"
)

// sessionObj is a URLSession object in the app's process.
type sessionObj struct {
	name       string // the Session.Name whose code created it
	kind       SessionKind
	identifier string
	delegate   string
	// invalidated: the code called finishTasksAndInvalidate or
	// invalidateAndCancel; the object stays in the process until
	// didBecomeInvalidWithError (R-DUP-ID-AFTER-INVALIDATE).
	invalidated bool
	// refused: the daemon refused the process's connection
	// (R-ONE-PROCESS-PER-SESSION, model/extension.go).
	refused bool
}

// inProcessTask is a shared-session task of the current process.
type inProcessTask struct {
	up  int32
	cut bool // suspension cut its connection
}

// pendingHandler is a completion handler iOS passed to
// handleEventsForBackgroundURLSession.
type pendingHandler struct {
	id     string
	stored bool
}

// app is the app's process and its code. Its code is data (Config.App);
// what the code does at each callback is in the methods below.
type app struct {
	cfg *Config
	// now and out are the current step's time and effects buffer.
	now       sim.Time
	out       *effects
	state     procState
	pid       int32
	sessions  []*sessionObj
	inProcess []inProcessTask
	forEvents bool // in the background because iOS woke it for session events
	// quit: the user force quit the app and has not launched it since;
	// iOS launches such an app for nothing (R-FORCE-QUIT-CANCELS).
	quit bool
	// awakeFrom is when forEvents last became true; awake is the time
	// the app spent so, up to the energy window's end, in the wakes that
	// are over (awakeTotal adds the one under way).
	awakeFrom sim.Time
	awake     sim.Time
	handlers  []pendingHandler
	ups       []appUpload // by upload index: every upload the code created
	wl        workloadState
	// wakes is what the app did on each wake, recorded as it did it;
	// recreated holds the identifiers each wake's code created
	// (wakeReport.lo, hi), and inWake says a wake's code is running.
	wakes     []wakeReport
	recreated []string
	inWake    bool
	// awakeLo is the first wake report endForEvents has not ended.
	awakeLo int
	// versions are the code updates replaced (update.go).
	versions []appVersion
	hooks    hookState // what the code hooks have used of the task limit (hooks.go)
	// ext is an app extension's process (model/extension.go).
	ext extProc
	// sessionSlab hands out the session objects; the Runner keeps it from
	// run to run (slab.go).
	sessionSlab *slab[sessionObj]
}

// wakeReport is what the app did when iOS woke it for an identifier's
// events: the causes the end-of-run verdict reads, recorded when they
// happen, never inferred afterwards.
type wakeReport struct {
	n     int32     // the daemon's number for the wake (appWake's wake)
	at    sim.Time  // when the wake reached the app
	pid   int32     // the process that handled it
	id    string    // the identifier iOS woke the app for
	found procState // the state the wake found the app in: not running (it launched a process), suspended (it resumed it), or running
	// lo, hi: the identifiers the code the wake ran created, in
	// app.recreated: didFinishLaunching's, when the wake launched the
	// process, then handleEventsForBackgroundURLSession's. An identifier
	// the process had already is not created again.
	lo, hi int32
	// wrongID: the code created another identifier and the process has
	// no session for id: id's events stay in the daemon
	// (R-WRONG-ID-ON-RECREATE).
	wrongID  bool
	stored   bool     // the code stored the completion handler
	calledAt sim.Time // when it called it; sim.Never if it never did
	// awakeFrom is when the wake kept the app awake in the background
	// for events (its arrival), sim.Never if it did not (the app was in
	// the foreground); awakeEnd is when that time awake ended
	// (endForEvents), sim.Never while it goes on.
	awakeFrom, awakeEnd sim.Time
}

// codeUse is where the app's code creates a background session
// identifier: the answer of App.creates.
type codeUse struct {
	launch       bool   // didFinishLaunching, at every launch or at user launches
	bgLaunch     bool   // didFinishLaunching, only when iOS launches the app in the background
	handleEvents bool   // handleEventsForBackgroundURLSession, when woken for the identifier
	upload       string // the first upload whose code creates it when it starts, "" if none
	extUpload    string // the first extension upload whose code creates it when it starts, "" if none
}

// any reports whether some code path creates the identifier.
func (u codeUse) any() bool {
	return u.launch || u.bgLaunch || u.handleEvents || u.upload != "" || u.extUpload != ""
}

// handleEventsSession returns the session the code's
// handleEventsForBackgroundURLSession creates when woken for id, or nil.
func (c *App) handleEventsSession(id string) *Session {
	switch r := c.HandleEvents.Recreate; r {
	case RecreateNone:
		return nil
	case RecreateGiven:
		// The code creates the identifier it is given, from the session
		// configuration that makes it.
		for i := range c.Sessions {
			if s := &c.Sessions[i]; s.Kind == Background && s.yieldsAfter(id, 0) {
				return s
			}
		}
		return c.extGivenSession(id)
	default:
		return c.session(r)
	}
}

// creates is the one query of the app's code: would it ever create the
// background session identifier id in a process launched after process
// pid, and on which paths: at every launch or at user launches (launch),
// only at background launches (bgLaunch), in
// handleEventsForBackgroundURLSession when woken for id, or in an
// upload's code when it starts (which creates its session lazily). The
// app's handleEvents (handleEventsSession) and the end-of-run verdict
// both ask it.
func (c *App) creates(id string, pid int32) codeUse {
	var u codeUse
	yields := func(names []string) bool {
		for _, name := range names {
			if sp := c.session(name); sp != nil && sp.Kind == Background && sp.yieldsAfter(id, pid) {
				return true
			}
		}
		return false
	}
	u.launch = yields(c.AtLaunch) || yields(c.AtUserLaunch)
	u.bgLaunch = !u.launch && yields(c.AtBackgroundLaunch)
	if sp := c.handleEventsSession(id); sp != nil && sp.Kind == Background {
		u.handleEvents = c.HandleEvents.Recreate == RecreateGiven || sp.yieldsAfter(id, pid)
	}
	u.handleEvents = u.handleEvents || c.thenCreates(id, pid)
	for i := range c.Uploads {
		if sp := c.session(c.Uploads[i].Session); sp != nil && sp.Kind == Background && sp.yieldsAfter(id, pid) {
			u.upload = c.Uploads[i].Name
			break
		}
	}
	u.extUpload = c.extUploadCreating(id)
	return u
}

// appUpload is what the app's code knows of an upload it created.
type appUpload struct {
	spec      *Upload
	chainLeft int // how many more times its code restarts it
	// resumeData: the code holds upload resume data from this upload's
	// task, for resuming at byte resumeOffset (R-RESUMABLE-UPLOAD-17).
	// The code keeps it after using it: resume data is single-use, and a
	// second use is the daemon's to refuse.
	resumeData   bool
	resumeOffset int64
	// resumed: the task was created from resume data; on_failure: resume
	// resumes only an upload that was not itself resumed (once).
	resumed bool
}

// resumeArg is the resume data a task is created from: the upload that
// produced it (from < 0: none) and the byte it resumes at.
type resumeArg struct {
	from   int32
	offset int64
}

var noResume = resumeArg{from: -1}

// init readies the app for a run; wakes and recreated are memory to
// reuse.
func (a *app) init(cfg *Config, wakes []wakeReport, recreated []string) {
	a.cfg, a.wakes, a.recreated = cfg, wakes, recreated
}

// forProcess tells whether messages of kind k are meant for one
// incarnation of the app's process (the others are for the device: the
// user's steps, the workload's clock).
func forProcess(k kind) bool {
	switch k {
	case appGraceOver, appAllowanceOver, appWake, appTaskEvent, appDidFinishEvents, appInProcessResponse, appInProcessError, appChallenge, appSessionInvalid,
		appSessionRefused:
		return true
	}
	return false
}

var staleNames = map[kind]string{appGraceOver: "grace period over", appAllowanceOver: "allowance over", appWake: "wake",
	appDidFinishEvents: "urlSessionDidFinishEvents", appInProcessResponse: "in-process response", appInProcessError: "in-process error", appChallenge: "authentication challenge"}

// step is the app's entry point: it handles m at now and appends what it
// wants done to out.
func (a *app) step(now sim.Time, m msg, out *effects) {
	a.now, a.out = now, out
	if forProcess(m.kind) && isExtPid(m.pid) {
		a.extStep(m)
		return
	}
	if forProcess(m.kind) && m.pid != a.pid {
		a.stale(m)
		return
	}
	switch m.kind {
	case appAction:
		a.action(a.cfg.Timeline[m.step])
	case appGraceOver:
		if a.state == background && !a.forEvents {
			a.suspend("the background grace period is over", "")
		}
	case appAllowanceOver:
		a.allowanceOver()
	case appWake:
		if a.quit && a.state == notRunning {
			// A relaunch decided before the force quit reaches an app the
			// user has since swiped away: iOS does not launch it.
			a.note(KindWakeRefused, RuleForceQuitCancels, "the user force quit the app: iOS does not launch it in the background for "+m.id,
				str(AttrIdentifier, m.id))
			return
		}
		a.wake(m)
	case appTaskEvent:
		a.taskEvent(m)
	case appDidFinishEvents:
		a.didFinishEvents(m)
	case appInProcessResponse:
		a.inProcessResponse(m)
	case appInProcessError:
		a.inProcessError(m)
	case appChallenge:
		a.challenge(m)
	case appItem:
		a.item(int(m.item))
	case appBatchWindow:
		if m.item == int32(a.wl.batchGen) {
			a.flush("the batch window is over")
		}
	case appSessionInvalid:
		a.sessionInvalid(m.id)
	case appSessionRefused:
		a.appRefused(m)
	}
}

// stale drops message m, meant for an earlier incarnation of the process:
// the check raft makes on a message's term. A task event goes back to the
// daemon, as an XPC message to a dead process fails; a wake is recorded,
// since the process now running was not woken (issue 11, bug 2).
func (a *app) stale(m msg) {
	switch m.kind {
	case appTaskEvent:
		a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonUndelivered, up: m.up, id: m.id, ev: m.ev})
	case appWake:
		a.note(KindMessageStale, "", "a wake meant for an earlier process reaches a later one and is dropped",
			str(AttrMessage, staleNames[m.kind]), str(AttrIdentifier, m.id), num(AttrPid, int64(m.pid)), num(AttrCurrent, int64(a.pid)))
	}
}

func (a *app) note(kind TraceKind, rule RuleID, note string, attrs ...sim.Attr) {
	a.out.record(toApp, kind, rule, note, attrs...)
}

// ignore notes a timeline step that changes nothing, and marks it so
// (Result.Ignored): the step returns without touching the app's state.
func (a *app) ignore(kind TraceKind, note string, attrs ...sim.Attr) {
	a.out.ignored = true
	a.note(kind, "", note, attrs...)
}

func (a *app) action(act Action) {
	switch act.Do {
	case Launch, Return:
		switch a.state {
		case notRunning:
			a.launchByUser()
		case background, suspended:
			a.toForeground()
		default:
			a.ignore(KindUserIgnored, "the app is already in the foreground", str(AttrAction, string(act.Do)))
		}
	case Leave:
		if a.state != foreground {
			a.ignore(KindUserIgnored, "the app is not in the foreground", str(AttrAction, string(act.Do)))
			return
		}
		a.setState(background, "the user left the app", "", 0)
		a.out.setTimer(timerID{kind: timerGrace}, a.cfg.Params.BackgroundGrace, msg{to: toApp, kind: appGraceOver, pid: a.pid, up: -1})
	case ForceQuit:
		a.quit = true
		if a.state == notRunning {
			// The app switcher still lists an app the system purged;
			// swiping it away is a force quit all the same.
			a.note(KindAppForceQuit, RuleForceQuitCancels, "the user swiped away the app, which was not running")
			a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonAppState, pid: a.pid, state: notRunning, exit: exitForceQuit, up: -1})
			return
		}
		a.terminate(exitForceQuit, RuleForceQuitCancels, "the user force quit the app")
	case Purge:
		switch a.state {
		case background, suspended:
			a.terminate(exitPurged, "", "the system terminated the app to reclaim memory")
		default:
			a.ignore(KindSystemIgnored, "the system purges only apps in the background or suspended", str(AttrState, a.state.String()))
		}
	case StartUpload:
		if a.extStartUpload(act.Upload) {
			return
		}
		a.startUpload(a.cfg.App.upload(act.Upload), 0, true)
	case ExtensionOpen, ExtensionClose:
		a.extAction(act)
	case Cancel:
		a.cancel(act)
	case Resume:
		a.resumeStep(act.Upload)
	case Invalidate:
		a.invalidate(act)
	case CreateSession:
		if !a.state.running() {
			a.note(KindUserIgnored, "", "the app's code cannot run: it is "+a.state.String(), str(AttrAction, string(act.Do)), str(AttrSession, act.Session))
			return
		}
		a.createSession(act.Session, "a timeline step (do: create_session)", "")
	case UpdateApp:
		a.update(act)
	}
}

// invalidate is the code calling finishTasksAndInvalidate(), or
// invalidateAndCancel() (CancelTasks), on its background session. The
// object stays in the process, and creating the identifier again returns
// it, until didBecomeInvalidWithError (R-DUP-ID-AFTER-INVALIDATE); a task
// created on it never runs (R-INVALIDATED-SESSION-NEW-TASK).
func (a *app) invalidate(act Action) {
	spec := a.cfg.App.session(act.Session)
	var s *sessionObj
	if a.state.running() {
		s = a.findSession(Background, spec.Identifier)
	}
	if s == nil || s.invalidated {
		why := "the app's code cannot run: it is " + a.state.String()
		switch {
		case s != nil:
			why = "the session is invalidated already"
		case a.state.running():
			why = "the process has no session " + spec.Identifier + " to invalidate"
		}
		a.note(KindUserIgnored, "", why, str(AttrAction, string(act.Do)), str(AttrSession, act.Session))
		return
	}
	s.invalidated = true
	call, flags := "finishTasksAndInvalidate()", msgFlags(0)
	if act.CancelTasks {
		call, flags = "invalidateAndCancel()", flagCancelTasks
	}
	a.note(KindSessionInvalidate, RuleDupIDAfterInvalidate, "the code calls "+call+"; the session is gone from the process only at didBecomeInvalidWithError",
		str(AttrIdentifier, s.identifier))
	a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonInvalidate, pid: a.pid, id: s.identifier, flags: flags, up: -1})
}

// sessionInvalid is didBecomeInvalidWithError: the process forgets the
// session, and creating the identifier again gives a fresh one
// (R-DUP-ID-AFTER-INVALIDATE).
func (a *app) sessionInvalid(id string) {
	for i, s := range a.sessions {
		if s.kind == Background && s.identifier == id && s.invalidated {
			a.sessions = append(a.sessions[:i], a.sessions[i+1:]...)
			a.note(KindSessionInvalid, RuleDupIDAfterInvalidate, "didBecomeInvalidWithError: the session is gone; creating "+id+" again gives a fresh one",
				str(AttrIdentifier, id))
			return
		}
	}
}

// latest returns the newest upload the code created from spec name for
// which ok holds, or -1.
func (a *app) latest(name string, ok func(*appUpload) bool) int32 {
	for i := len(a.ups) - 1; i >= 0; i-- {
		if a.ups[i].spec.Name == name && ok(&a.ups[i]) {
			return int32(i)
		}
	}
	return -1
}

// cancel is the code cancelling the newest task of an upload: cancel(),
// or cancel(byProducingResumeData:) (R-TASK-STATE-AFTER-CANCEL,
// R-RESUMABLE-UPLOAD-17). The daemon cancels it and the outcome comes
// back to the delegate like any other.
func (a *app) cancel(act Action) {
	up := a.latest(act.Upload, func(*appUpload) bool { return true })
	if !a.state.running() || up < 0 {
		why := "the app's code cannot run: it is " + a.state.String()
		if up < 0 {
			why = "the code has no task of " + act.Upload + " to cancel"
		}
		a.note(KindUserIgnored, "", why, str(AttrAction, string(act.Do)), str(AttrUpload, act.Upload))
		return
	}
	call := "cancel()"
	var flags msgFlags
	if act.ResumeData {
		call, flags = "cancel(byProducingResumeData:)", flagResumeData
	}
	a.note(KindTaskCancel, RuleTaskStateAfterCancel, "the code calls "+call, upAttr(up))
	a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonCancel, up: up, pid: a.pid, flags: flags})
}

// resumeStep is the code calling uploadTask(withResumeData:) with the
// resume data it holds for the newest upload of spec name that has some.
func (a *app) resumeStep(name string) {
	up := a.latest(name, func(u *appUpload) bool { return u.resumeData })
	if !a.state.running() || up < 0 {
		why := "the app's code cannot run: it is " + a.state.String()
		if up < 0 {
			why = "the code holds no resume data for " + name
		}
		a.note(KindUserIgnored, "", why, str(AttrAction, string(Resume)), str(AttrUpload, name))
		return
	}
	a.resumeFrom(up, "the code")
}

// resumeFrom creates a task with uploadTask(withResumeData:) from the
// resume data upload from's task produced: a new upload of the same spec,
// resuming at the byte the server acknowledged.
func (a *app) resumeFrom(from int32, who string) {
	f := &a.ups[from]
	a.note(KindUploadResume, RuleResumableUpload17, fmt.Sprintf("%s calls uploadTask(withResumeData:) with the resume data of the failed task, for byte %d", who, f.resumeOffset),
		upAttr(from), num(AttrOffset, f.resumeOffset))
	a.createTask(f.spec, f.spec.Bytes, 0, false, f.chainLeft, resumeArg{from: from, offset: f.resumeOffset})
}

// setState moves the process to s and tells the daemon, which learns of
// process changes from the system; flags say whether a wake launched or
// resumed it (flagLaunched, flagResumed).
func (a *app) setState(s procState, why string, rule RuleID, flags msgFlags) {
	from := a.state
	a.state = s
	a.note(KindAppState, rule, why, str(AttrFrom, from.String()), str(AttrTo, s.String()), num(AttrPid, int64(a.pid)))
	a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonAppState, pid: a.pid, state: s, flags: flags, up: -1})
}

// newProcess starts a process in state s and runs didFinishLaunching.
func (a *app) newProcess(s procState, why string, rule RuleID, flags msgFlags) {
	a.pid++
	a.sessions, a.inProcess, a.handlers = nil, nil, nil
	a.forEvents = false
	a.setState(s, why, rule, flags)
	for _, name := range a.cfg.App.AtLaunch {
		a.createSession(name, "didFinishLaunching", "")
	}
	// The code tells a user launch from a background one (it is launched
	// in the background state for a wake: R-PURGED-APP-RELAUNCHED).
	kind, names := "didFinishLaunching, at a user launch", a.cfg.App.AtUserLaunch
	if s != foreground {
		kind, names = "didFinishLaunching, at a background launch", a.cfg.App.AtBackgroundLaunch
	}
	for _, name := range names {
		a.createSession(name, kind, "")
	}
}

func (a *app) launchByUser() {
	a.quit = false
	a.out.fact(fact{kind: factUserLaunch})
	a.newProcess(foreground, "the user launched the app", "", 0)
	a.foregroundFlush()
}

func (a *app) toForeground() {
	a.out.cancel(timerID{kind: timerGrace})
	a.out.cancel(timerID{kind: timerAllowance})
	a.endForEvents()
	a.setState(foreground, "the user opened the app", "", 0)
	// Shared-session tasks that suspension cut now learn it, with the
	// code Params.InProcessCutCode assumes (-1005 by default).
	code := a.cfg.Params.InProcessCutCode
	var cut []int32 // for their on_error hooks, once the cut tasks are gone
	for _, t := range a.inProcess {
		if t.cut {
			a.out.fact(fact{kind: factCut, up: t.up, code: code})
			a.note(KindTaskFailed, RuleInProcessTransfer, fmt.Sprintf("the cut task fails with %d", code), upAttr(t.up), num(AttrCode, int64(code)))
			cut = append(cut, t.up)
		}
	}
	a.dropCut()
	for _, up := range cut {
		a.onComplete(up, 0, code, RuleInProcessTransfer)
	}
	a.foregroundFlush()
}

func (a *app) suspend(why string, rule RuleID) {
	a.out.cancel(timerID{kind: timerAllowance})
	a.endForEvents()
	a.setState(suspended, why, rule, 0)
	for i := range a.inProcess {
		t := &a.inProcess[i]
		if !t.cut {
			t.cut = true
			a.out.send(0, msg{to: toNetwork, kind: netCancel, up: t.up})
			a.note(KindTaskCut, RuleInProcessTransfer, "suspension cuts the in-process connection", upAttr(t.up))
		}
	}
}

// terminate ends the process. In-process tasks die with it.
func (a *app) terminate(exit string, rule RuleID, why string) {
	a.out.cancel(timerID{kind: timerGrace})
	a.out.cancel(timerID{kind: timerAllowance})
	for _, t := range a.inProcess {
		a.out.send(0, msg{to: toNetwork, kind: netCancel, up: t.up})
		a.out.fact(fact{kind: factProcessEnded, up: t.up, name: exit})
	}
	a.inProcess = nil
	a.sessions, a.handlers = nil, nil
	a.endForEvents()
	a.out.fact(fact{kind: factTermination, name: exit, rule: rule})
	from := a.state
	a.state = notRunning
	a.note(KindAppState, rule, why, str(AttrFrom, from.String()), str(AttrTo, notRunning.String()),
		num(AttrPid, int64(a.pid)), str(AttrExit, exit))
	a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonAppState, pid: a.pid, state: notRunning, exit: exit, up: -1})
}

// endForEvents ends the app's time awake for session events: the
// completion handler was called and iOS suspends it, the allowance ran
// out, the process ended, or the user opened the app.
func (a *app) endForEvents() {
	if a.forEvents {
		a.awake += awakeWithin(a.awakeFrom, a.now, a.cfg.energyWindow())
	}
	a.forEvents = false
	for i := a.awakeLo; i < len(a.wakes); i++ {
		if w := &a.wakes[i]; w.awakeFrom != sim.Never && w.awakeEnd == sim.Never {
			w.awakeEnd = a.now
		}
	}
	a.awakeLo = len(a.wakes)
}

// awakeTotal is the app's time awake in background wakes at now, the
// wake under way included, counted up to the energy window's end: what
// Params.WakeCPUWatts is paid for.
func (a *app) awakeTotal(now sim.Time) sim.Time {
	t := a.awake
	if a.forEvents {
		t += awakeWithin(a.awakeFrom, now, a.cfg.energyWindow())
	}
	return t
}

// awakeWithin is the part of [from, to) before end (no end when 0).
func awakeWithin(from, to, end sim.Time) sim.Time {
	if end > 0 {
		to = min(to, end)
	}
	return max(to-from, 0)
}

// findSession returns the process's session object with the identifier
// (background) or name (shared), or nil.
func (a *app) findSession(kind SessionKind, key string) *sessionObj {
	for _, s := range a.sessions {
		if s.kind == kind && ((kind == Background && s.identifier == key) || (kind == Shared && s.name == key)) {
			return s
		}
	}
	return nil
}

// createSession runs the code that creates session name and returns the
// session object the process ends up with. A background session gets
// identifier id, or if id is "" the one its configuration makes in this
// process.
func (a *app) createSession(name, where, id string) *sessionObj {
	spec := a.cfg.App.session(name)
	if id == "" {
		id = spec.identifierIn(a.pid)
	}
	if spec.Kind == Shared {
		if s := a.findSession(Shared, name); s != nil {
			return s
		}
		s := a.sessionSlab.get()
		*s = sessionObj{name: name, kind: Shared, identifier: name, delegate: spec.Delegate}
		a.sessions = append(a.sessions, s)
		return s
	}
	a.dropRefused(id)
	if s := a.findSession(Background, id); s != nil {
		if s.name != name {
			// Another piece of the code created this identifier first.
			a.note(KindSessionDuplicate, RuleDupIDSameProcess,
				fmt.Sprintf("A background URLSession with identifier %s already exists! The existing session (delegate %s) is returned; delegate %s is ignored", id, orNone(s.delegate), orNone(spec.Delegate)),
				str(AttrIdentifier, id), str(AttrIgnoredDelegate, spec.Delegate))
		}
		return s
	}
	s := a.sessionSlab.get()
	*s = sessionObj{name: name, kind: Background, identifier: id, delegate: spec.Delegate}
	a.sessions = append(a.sessions, s)
	if a.inWake {
		a.recreated = append(a.recreated, id)
	}
	a.note(KindSessionCreated, RuleIDDefinesSession, "the code creates a background session in "+where,
		str(AttrIdentifier, id), str(AttrDelegate, spec.Delegate))
	// The daemon learns the session's configuration from the message, as
	// nsurlsessiond does from the XPC call: it never reads the app's code.
	conf := spec
	for i := range a.cfg.App.Sessions {
		if a.cfg.App.Sessions[i].Name == name {
			conf = &a.cfg.App.Sessions[i]
		}
	}
	a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonConnect, pid: a.pid, id: id, conf: conf, up: -1})
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// startUpload runs the app's code for upload spec u. chainLeft is how many
// more times a delivered response restarts it (first: whether this start
// comes from the timeline, which sets the count from the spec).
func (a *app) startUpload(u *Upload, chainLeft int, first bool) {
	if first {
		chainLeft = u.Chain
	}
	a.createTask(u, u.Bytes, 0, false, chainLeft, noResume)
}

// createTask runs the code that creates and resumes one task for spec u
// with a body of bytes carrying items workload items, and returns its
// ledger index.
func (a *app) createTask(u *Upload, bytes int64, items int, discretionary bool, chainLeft int, res resumeArg) int32 {
	spec := a.cfg.App.session(u.Session)
	key := spec.identifierIn(a.pid)
	if spec.Kind == Shared {
		key = spec.Name
	}
	up := int32(len(a.ups))
	a.out.fact(fact{kind: factCreated, up: up, spec: u.Name, session: key, bytes: bytes, items: int32(items), background: spec.Kind == Background,
		from: res.from + 1, offset: res.offset})
	a.ups = append(a.ups, appUpload{spec: u, chainLeft: chainLeft, resumed: res.from >= 0})
	if !a.state.running() {
		a.out.fact(fact{kind: factNotRunning, up: up, name: a.state.String()})
		a.note(KindUploadSkipped, "", "the app's code cannot run: it is "+a.state.String(), upAttr(up))
		return up
	}
	a.note(KindUploadStart, "", "the code starts an upload", upAttr(up), str(AttrApi, string(u.API)),
		num(AttrBytes, bytes), str(AttrSession, key))
	if s := a.createSession(u.Session, "the upload code", ""); s.invalidated {
		a.out.fact(fact{kind: factInvalidated, up: up})
		a.note(KindTaskInvalidSession, RuleInvalidatedSessionNewTask, "attempted to create a NSURLSessionUploadTask in a session that has been invalidated: the task never runs",
			upAttr(up), str(AttrIdentifier, s.identifier))
		return up
	}
	if spec.Kind == Shared {
		a.inProcess = append(a.inProcess, inProcessTask{up: up})
		f := flagInProcess
		if spec.answers() {
			f |= flagAnswersAuth
		}
		a.out.send(0, msg{to: toNetwork, kind: netStart, up: up, pid: a.pid, flags: f, size: bytes,
			d: DefaultRequestTimeout, access: u.Access.over(spec.Access)})
		return up
	}
	if exc, reason, rule := a.misuse(u); exc != "" {
		a.crash(up, exc, reason, rule)
		return up
	}
	var flags msgFlags
	if a.state != foreground {
		flags |= flagInBackground
	}
	if discretionary {
		flags |= flagDiscretionary
	}
	if u.API == DataTask {
		flags |= flagDataTask
	}
	var item int32
	var offset int64
	if res.from >= 0 {
		flags |= flagResumeData
		item, offset = res.from, res.offset
	}
	a.note(KindTaskResume, RuleOutOfProcess, "the task is handed to nsurlsessiond", upAttr(up))
	a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonNewTask, up: up, pid: a.pid, id: key, flags: flags,
		access: u.Access, begin: u.BeginAfter, size: bytes, item: item, bytes: offset})
	if u.DeleteFile && u.API == UploadFromFile {
		a.note(KindFileDeleted, RuleDaemonOwnsUploadFile, "the code deletes its file; the daemon took its own copy at hand-off", upAttr(up))
	}
	return up
}

// misuse returns the exception CFNetwork throws for u on a background
// session, or "" if the call is allowed. The checks run in the order
// CFNetwork makes them: the request, then the completion block, then the
// body, then the task kind, then the task delegate.
func (a *app) misuse(u *Upload) (exception, reason string, rule RuleID) {
	const nsGeneric = "NSGenericException"
	switch {
	case u.RequestClass != "":
		return nsGeneric, "Custom subclasses of NSURLRequest are not supported in background sessions. Attempted to use a request of class " + u.RequestClass, RuleUnsupportedTaskKinds
	case u.CompletionHandler:
		return nsGeneric, "Completion handler blocks are not supported in background sessions. Use a delegate instead.", RuleNoCompletionHandler
	case u.API == UploadFromData:
		return nsGeneric, "Upload tasks from NSData are not supported in background sessions.", RuleUploadFromFile
	case u.API == StreamTask:
		return nsGeneric, "Stream tasks are not supported in background sessions", RuleUnsupportedTaskKinds
	case u.API == DataTask && a.cfg.IOS < IOSDataTaskInBGSession:
		return nsGeneric, "Data tasks are not supported in background sessions.", RuleDataTaskInBGSession
	case u.TaskDelegate:
		return nsGeneric, "Task delegate is not supported on background session task", RuleNoPerTaskDelegate
	}
	return "", "", ""
}

func (a *app) crash(up int32, exception, reason string, rule RuleID) {
	a.out.fact(fact{kind: factCrash, up: up, name: exception, reason: reason, rule: rule})
	a.note(KindAppCrash, rule, reason, upAttr(up), str(AttrException, exception))
	a.terminate(exitCrashed, rule, "uncaught exception "+exception)
}

// wake is iOS resuming or launching the app for session m.id's events, as
// the daemon's wake number m.wake. What the code does is recorded in a
// wakeReport as it does it.
func (a *app) wake(m msg) {
	id := m.id
	rep := wakeReport{n: m.wake, at: a.now, id: id, found: a.state, lo: int32(len(a.recreated)), calledAt: sim.Never,
		awakeFrom: sim.Never, awakeEnd: sim.Never}
	a.inWake = true
	switch a.state {
	case notRunning:
		a.out.fact(fact{kind: factBgLaunch})
		a.newProcess(background, "iOS launched the app in the background for "+id, RulePurgedAppRelaunched, flagLaunched)
	case suspended:
		a.out.fact(fact{kind: factBgResume})
		a.setState(background, "iOS resumed the app in the background for "+id, RuleSuspendedAppResumed, flagResumed)
	}
	if a.state == background && !a.forEvents {
		a.forEvents, a.awakeFrom = true, a.now
		a.out.setTimer(timerID{kind: timerAllowance}, a.cfg.Params.RelaunchAllowance, msg{to: toApp, kind: appAllowanceOver, pid: a.pid, up: -1})
	}
	if a.forEvents {
		rep.awakeFrom = a.now
	}
	rep.pid = a.pid
	a.handleEvents(id, &rep)
	a.inWake = false
	rep.hi = int32(len(a.recreated))
	if rep.awakeFrom != sim.Never && !a.forEvents {
		rep.awakeEnd = a.now // the time awake ended in the wake's own code
	}
	a.wakes = append(a.wakes, rep)
}

// handleEvents is the app delegate's
// application(_:handleEventsForBackgroundURLSession:completionHandler:).
func (a *app) handleEvents(id string, rep *wakeReport) {
	he := a.cfg.App.HandleEvents
	a.note(KindAppHandleEvents, RuleCompletionHandlerProtocol, "handleEventsForBackgroundURLSession", str(AttrIdentifier, id),
		str(AttrRecreate, he.Recreate))
	a.handlers = append(a.handlers, pendingHandler{id: id, stored: he.StoreCompletionHandler})
	rep.stored = he.StoreCompletionHandler
	if he.Recreate == RecreateNone {
		// Recreating none is not recreating a wrong identifier: the
		// events reach a process only once it creates id
		// (R-RECONNECT-SAME-ID), whether here or earlier.
		why := "the code creates no session for " + id
		if a.findSession(Background, id) != nil {
			why += "; the process already has it"
		} else {
			why += ": its events wait until a process creates it"
		}
		a.note(KindSessionNotRecreated, RuleReconnectSameID, why, str(AttrIdentifier, id))
	} else if s := a.cfg.App.handleEventsSession(id); s != nil {
		made := "" // the identifier its configuration makes in this process
		if he.Recreate == RecreateGiven {
			made = id // the code uses the identifier it is given
		}
		made = a.createSession(s.Name, "handleEventsForBackgroundURLSession", made).identifier
		if made != id && a.findSession(Background, id) == nil {
			rep.wrongID = true
			a.note(KindSessionWrongIdentifier, RuleWrongIDOnRecreate,
				fmt.Sprintf("woken for %s, the code recreates %s: %s's events stay in the daemon", id, made, id),
				str(AttrIdentifier, id), str(AttrRecreated, made))
		}
	}
	a.runHooks("handle_events.then", RuleCompletionHandlerProtocol, he.Then, -1)
	if rep.wrongID && a.findSession(Background, id) != nil {
		rep.wrongID = false // the hook created id after all
	}
}

func (a *app) allowanceOver() {
	if a.state != background || !a.forEvents {
		return
	}
	if len(a.handlers) > 0 {
		a.terminate(exitAllowance, RuleNoCompletionCallPenalty,
			fmt.Sprintf("the completion handler for %s was never called: the app is terminated, not suspended", a.handlers[0].id))
		return
	}
	a.suspend("the background allowance is over", RuleRelaunchTime)
}

// taskEvent is a task's outcome reaching the session delegate.
// challenge is the session delegate's
// urlSession(_:task:didReceive:completionHandler:) for a background task's
// authentication challenge (R-AUTH-WAKE): the code answers with a
// credential when its session says the delegate does, and otherwise never
// answers, so the request times out.
func (a *app) challenge(m msg) {
	var sess *sessionObj
	if a.state.running() {
		sess = a.findSession(Background, m.id)
	}
	if sess == nil {
		a.note(KindAuthUnanswered, RuleAuthWake, "the challenge reaches no session of a running process", upAttr(m.up), str(AttrIdentifier, m.id))
		return
	}
	if sess.delegate == "" || a.cfg.App.session(sess.name).Auth != AuthDelegate {
		a.note(KindAuthUnanswered, RuleAuthWake, "the code does not answer the challenge: the request will time out", upAttr(m.up),
			str(AttrDelegate, sess.delegate))
		return
	}
	a.note(KindAuthAnswered, RuleAuthWake, "the session delegate answers the challenge with a credential", upAttr(m.up),
		str(AttrDelegate, sess.delegate))
	a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonAuthAnswer, up: m.up, pid: a.pid})
}

func (a *app) taskEvent(m msg) {
	var sess *sessionObj
	if a.state.running() {
		sess = a.findSession(Background, m.id)
	}
	if sess == nil {
		// The process the daemon wrote to is gone or suspended: the XPC
		// message fails and the daemon keeps the event.
		a.out.send(a.cfg.Params.XPCLatency, msg{to: toDaemon, kind: daemonUndelivered, up: m.up, id: m.id, ev: m.ev})
		return
	}
	// The app reports what reached which delegate; the fate, and the
	// rule the records below cite, are drawn from it (fateOf).
	ev := m.ev
	a.out.fact(fact{kind: factEventReached, up: m.up, status: ev.status, code: ev.code, cancelReason: ev.cancelReason,
		rule: ev.rule, reason: ev.reason, session: sess.identifier, delegate: sess.delegate,
		specDelegate: a.cfg.App.session(a.ups[m.up].spec.Session).Delegate})
	if sess.delegate == "" {
		a.out.recordFate(toApp, KindTaskEventDropped, m.up, "no delegate", upAttr(m.up))
		return
	}
	if ev.code != 0 {
		a.out.recordFate(toApp, KindDelegateDidComplete, m.up, "didCompleteWithError", upAttr(m.up), num(AttrCode, int64(ev.code)),
			num(AttrCancelReason, int64(ev.cancelReason)), str(AttrDelegate, sess.delegate))
		a.onFailure(m.up, ev)
		a.onComplete(m.up, 0, ev.code, RuleReconnectSameID)
		return
	}
	a.out.recordFate(toApp, KindDelegateDidReceiveResponse, m.up, "didReceive response, data, didCompleteWithError(nil)",
		upAttr(m.up), num(AttrStatus, int64(ev.status)), str(AttrDelegate, sess.delegate))
	a.chain(m.up)
	a.onComplete(m.up, ev.status, 0, RuleReconnectSameID)
}

// onFailure is the didCompleteWithError code after a failure. The code
// keeps resume data the outcome carries; with on_failure: resume, an error
// carrying NSURLSessionUploadTaskResumeData is retried from it once, unless
// the code itself cancelled the task (R-RESUMABLE-UPLOAD-17).
func (a *app) onFailure(up int32, ev event) {
	u := &a.ups[up]
	if !ev.resumeData {
		return
	}
	u.resumeData, u.resumeOffset = true, ev.resumeOffset
	if u.spec.OnFailure == OnFailureResume && ev.code != ErrCancelled && !u.resumed {
		a.resumeFrom(up, "the delegate (on_failure: resume)")
	}
}

// chain restarts an upload whose response arrived, if its code does so.
func (a *app) chain(up int32) {
	if left := a.ups[up].chainLeft; left > 0 {
		u := a.ups[up].spec
		a.note(KindUploadChain, RuleOneTaskAtATimeAntipattern, "the delegate starts the next upload", num(AttrLeft, int64(left-1)))
		a.startUpload(u, left-1, false)
	}
}

func (a *app) didFinishEvents(m msg) {
	if !a.state.running() {
		return
	}
	a.note(KindDelegateDidFinishEvents, RuleCompletionHandlerProtocol, "urlSessionDidFinishEvents", str(AttrIdentifier, m.id))
	a.runHooks("on_finish_events", RuleCompletionHandlerProtocol, a.cfg.App.OnFinishEvents, -1)
	if !a.state.running() {
		return // the hook's code crashed
	}
	he := a.cfg.App.HandleEvents
	for i, h := range a.handlers {
		if h.id != m.id {
			continue
		}
		if !h.stored || !he.CallCompletionHandler {
			a.note(KindCompletionHandlerNotCalled, RuleNoCompletionCallPenalty, "the code does not call the completion handler", str(AttrIdentifier, m.id))
			return
		}
		a.handlers = append(a.handlers[:i], a.handlers[i+1:]...)
		for j := len(a.wakes) - 1; j >= 0; j-- {
			if w := &a.wakes[j]; w.pid == a.pid && w.id == m.id && w.stored && w.calledAt == sim.Never {
				w.calledAt = a.now
				break
			}
		}
		a.note(KindCompletionHandlerCalled, RuleCompletionHandlerProtocol, "the code calls the stored completion handler on the main queue", str(AttrIdentifier, m.id))
		if a.forEvents && len(a.handlers) == 0 && a.state == background {
			a.suspend("the completion handler was called, so iOS suspends the app", RuleCompletionHandlerProtocol)
		}
		return
	}
}

// takeInProcess removes and reports the live shared-session task m is
// about, if the process m was meant for is the running one.
func (a *app) takeInProcess(m msg) bool {
	if !a.state.running() {
		return false
	}
	for i, t := range a.inProcess {
		if t.up == m.up && !t.cut {
			a.inProcess = append(a.inProcess[:i], a.inProcess[i+1:]...)
			return true
		}
	}
	return false
}

func (a *app) inProcessResponse(m msg) {
	if !a.takeInProcess(m) {
		return
	}
	u := a.ups[m.up].spec
	to := "completion handler"
	if !u.CompletionHandler {
		to = a.cfg.App.session(u.Session).Delegate
	}
	a.out.fact(fact{kind: factInProcessResponse, up: m.up, status: int(m.status), delegate: to})
	a.note(KindTaskResponse, RuleInProcessTransfer, "the in-process task completes", upAttr(m.up), num(AttrStatus, int64(m.status)))
	a.chain(m.up)
	a.onComplete(m.up, int(m.status), 0, RuleInProcessTransfer)
}

// dropCut forgets the tasks suspension cut, which have just failed: the
// others are still running.
func (a *app) dropCut() {
	kept := a.inProcess[:0]
	for _, t := range a.inProcess {
		if !t.cut {
			kept = append(kept, t)
		}
	}
	a.inProcess = kept
}

// cut tells whether shared-session upload up is a task of the process
// that suspension cut, for the end-of-run verdict.
func (a *app) cut(up int32) bool {
	for _, t := range a.inProcess {
		if t.up == up && t.cut {
			return true
		}
	}
	return false
}

// inProcessError is a shared-session task failing: a default session does
// not wait for connectivity or retry.
func (a *app) inProcessError(m msg) {
	if !a.takeInProcess(m) {
		return
	}
	a.out.fact(fact{kind: factInProcessError, up: m.up, code: int(m.code)})
	a.note(KindTaskFailed, RuleInProcessTransfer, "the in-process task fails", upAttr(m.up), num(AttrCode, int64(m.code)))
	a.onComplete(m.up, 0, int(m.code), RuleInProcessTransfer)
}
