package model

import (
	"fmt"
	"math/rand/v2"

	"github.com/bgsim/bgsim/sim"
)

// taskState is where a background task is in the daemon.
type taskState uint8

const (
	waiting      taskState = iota // handed over, not started (rate limiter)
	transferring                  // on the network or awaiting the response
	done                          // finished; its outcome is an event
)

// dtask is a background task as nsurlsessiond holds it.
type dtask struct {
	up       int32
	sess     *bgSession
	size     int64 // the body's size
	dataTask bool
	state    taskState
	// discretionary: the system picks when it runs. autoDiscretionary: it
	// is discretionary only because it was created in the background
	// (R-BG-CREATED-IS-DISCRETIONARY), which the foreground undoes.
	discretionary     bool
	autoDiscretionary bool
	resumedAt         sim.Time // resume(): the resource timeout counts from here
	beginAt           sim.Time // earliestBeginDate
	rateUntil         sim.Time // the rate limiter holds it until then
	offset            int64    // where the next attempt resumes the body
	access            Access
	requestTimeout    sim.Time
	waitRule          RuleID // why it waits, for the trace and the end of the run
	vanished          bool   // force_quit: vanish took it: done, with no event
	// challenge: an authentication challenge waits for the app's answer
	// (R-AUTH-WAKE); challengeTo is the process it was sent to (-1 none),
	// challengeNoted that the trace says why it waits. credential: a
	// challenge was answered, so the task's requests carry the credential.
	challenge      bool
	challengeTo    int32
	challengeNoted bool
	challengeWoken bool // a wake was made for the challenge
	credential     bool
	// cancelling: the app's code cancelled the task and the daemon waits
	// for the network to say what the server acknowledged; wantData: it
	// asked for resume data (cancel(byProducingResumeData:)).
	cancelling, wantData bool
}

// bgSession is a background session as the daemon knows it: by identifier.
type bgSession struct {
	id    string
	spec  Session // configuration the app last created it with
	tasks []*dtask
	open  int        // tasks not done
	held  heldEvents // outcomes waiting for a connected process
	// connected is the process that created this identifier, -1 if none.
	connected int32
	// wake is the session's latest wake, its index in the daemon's wake
	// log; -1 if the app was never woken for it.
	wake      int32
	heldNoted bool // the trace already says why the events wait
	// challenges counts its tasks whose challenge waits for the app.
	challenges int
}

// WakeCause is why the daemon woke the app: to relaunch it into the
// background, because it was not running (R-PURGED-APP-RELAUNCHED), or to
// resume it there, because it was suspended (R-SUSPENDED-APP-RESUMED).
type WakeCause string

const (
	WakeRelaunch WakeCause = "relaunch" // the app was not running: iOS launches it into the background
	WakeResume   WakeCause = "resume"   // the app was suspended: iOS resumes it in the background
)

// Rule returns the rule the cause applies.
func (c WakeCause) Rule() RuleID {
	if c == WakeRelaunch {
		return RulePurgedAppRelaunched
	}
	return RuleSuspendedAppResumed
}

// wakeState is where a wake is: sent, answered by a process that came up
// for it, or over.
type wakeState uint8

const (
	wakeSent wakeState = iota // the daemon sent it; no process has come up for it
	wakeUp                    // a process came up for it and has not been sent urlSessionDidFinishEvents
	wakeOver                  // see wakeEntry.end
)

// wakeEntry is one wake in the daemon's log: why the daemon woke the app,
// recorded when it decided to, and what came of it, recorded as the daemon
// learnt it. The delivery reasons and the wake decision read it; nothing
// guesses a wake's cause afterwards.
type wakeEntry struct {
	at     sim.Time
	id     string    // the session whose events it announced
	cause  WakeCause // from the app's state as the daemon knew it
	events int       // the held events it announced
	delay  sim.Time  // the rate limiter's delay the wake set (R-RATE-LIMITER)

	state wakeState
	// pid is the process that came up for the wake, at upAt, and came is
	// how, as that process's state change said (flagLaunched,
	// flagResumed); -1, sim.Never and "" until one does.
	pid  int32
	upAt sim.Time
	came WakeCause
	// otherID: that process created another identifier while the wake
	// was under way (R-WRONG-ID-ON-RECREATE).
	otherID bool
	// end is why the wake is over, at endAt: the daemon sent the woken
	// process urlSessionDidFinishEvents, that process ended, or the user
	// opened the app before any process came up for it.
	end   string
	endAt sim.Time
}

// Why a wake is over.
const (
	wakeEndFinished   = "finished"
	wakeEndProcess    = "process ended"
	wakeEndUserLaunch = "user opened the app"
)

// under tells whether the wake is under way: sent and not answered, or
// answered by a process that has not finished its events.
func (e *wakeEntry) under() bool { return e.state != wakeOver }

func (e *wakeEntry) close(now sim.Time, why string) {
	e.state, e.end, e.endAt = wakeOver, why, now
}

func (s *bgSession) outstanding() bool { return s.open > 0 }

// heldEvents is a session's outcomes waiting for a connected process, in
// delivery order: the events that came back from the app (newest first)
// before the others. What happens to every held event at once (they had to
// wait; a wake announced them) is a mark on the queue, so that it costs the
// same however many events are held.
type heldEvents struct {
	back  []event // events that came back, in reverse delivery order
	queue []event // the others, in delivery order
	seq   uint64  // the stamp of the next event held
	// Events stamped before waitedBefore had to wait; those stamped
	// before announcedBefore were announced by a wake.
	waitedBefore, announcedBefore uint64
	unannounced                   int // held events no wake has announced, quiet ones aside
	notOffered                    int // held events never sent to a process
	quiet                         int // held events no wake is made for (event.quiet)
	refused                       int // held events announced by a wake and never sent to a process
}

func (h *heldEvents) len() int { return len(h.back) + len(h.queue) }

// push holds the outcome of a task that just finished.
func (h *heldEvents) push(ev event) {
	ev.seq = h.seq
	h.seq++
	if ev.quiet {
		h.quiet++
	} else {
		h.unannounced++
	}
	h.notOffered++
	h.queue = append(h.queue, ev)
}

// requeue holds an event the app could not take, ahead of the others.
func (h *heldEvents) requeue(ev event) {
	ev.seq = h.seq
	h.seq++
	switch {
	case ev.quiet:
		h.quiet++
	case !ev.announced:
		h.unannounced++
	}
	if !ev.offered {
		h.notOffered++
		if ev.announced {
			h.refused++
		}
	}
	h.back = append(h.back, ev)
}

func (h *heldEvents) markWaited() { h.waitedBefore = h.seq }

func (h *heldEvents) announceAll() {
	h.announcedBefore = h.seq
	h.unannounced = 0
	h.refused = h.notOffered
}

// settle writes the marks into ev's own flags.
func (h *heldEvents) settle(ev *event) {
	ev.waited = ev.waited || ev.seq < h.waitedBefore
	ev.announced = ev.announced || ev.seq < h.announcedBefore
}

// each calls f with every held event, in delivery order, marks settled.
func (h *heldEvents) each(f func(ev *event)) {
	for i := len(h.back) - 1; i >= 0; i-- {
		h.settle(&h.back[i])
		f(&h.back[i])
	}
	for i := range h.queue {
		h.settle(&h.queue[i])
		f(&h.queue[i])
	}
}

func (h *heldEvents) clear() {
	h.back, h.queue = h.back[:0], h.queue[:0]
	h.unannounced, h.notOffered, h.refused, h.quiet = 0, 0, 0, 0
}

// daemon is nsurlsessiond.
type daemon struct {
	cfg *Config
	// now and out are the current step's time and effects buffer.
	now      sim.Time
	out      *effects
	rng      *rand.Rand // the "force-quit" stream, made on first use
	rngSrc   *rand.PCG  // rng's source, which a fork copies
	sessions []*bgSession
	tasks    []*dtask // by upload index; nil for uploads it never had
	appState procState
	appPid   int32
	// forceQuit: the user force quit the app and has not launched it
	// since; iOS does not relaunch it (R-FORCE-QUIT-CANCELS).
	forceQuit bool
	limiter   rateLimiter // R-RATE-LIMITER
	power     Power
	usable    [2]bool  // the interfaces with a path, as the network reports
	heldIndex []*event // by upload index, built at the end of the run
	// wakes is the wake log: every wake, in order (appWake's wake is
	// the index).
	wakes []wakeEntry
	// resumeUsed: by upload index, the resume data that upload's task
	// produced was used already (R-RESUMABLE-UPLOAD-17: single-use).
	resumeUsed []bool
	// invalidating holds, by session, the process whose code invalidated
	// it and waits for didBecomeInvalidWithError.
	invalidating map[*bgSession]int32
	// refused are the connections refused under
	// R-ONE-PROCESS-PER-SESSION (model/extension.go).
	refused []refusal
	// The sessions and tasks come from slabs the Runner keeps from run to
	// run (slab.go).
	sessionSlab *slab[bgSession]
	taskSlab    *slab[dtask]
}

// init readies the daemon for a run; wakes is memory to reuse.
func (d *daemon) init(cfg *Config, wakes []wakeEntry) {
	d.cfg, d.power, d.wakes = cfg, cfg.Power, wakes
	d.limiter = newRateLimiter(cfg.Params)
	for i, f := range cfg.Network.Interfaces {
		d.usable[i] = f.Available
	}
}

func (d *daemon) note(kind TraceKind, rule RuleID, note string, attrs ...sim.Attr) {
	d.out.record(toDaemon, kind, rule, note, attrs...)
}

// step is the daemon's entry point: it handles m at now and appends what
// it wants done to out.
func (d *daemon) step(now sim.Time, m msg, out *effects) {
	d.now, d.out = now, out
	switch m.kind {
	case daemonAppState:
		d.appStateChanged(m.pid, m.state, m.exit, m.flags)
	case daemonConnect:
		if !d.connectOther(m.pid, m.id, *m.conf) {
			d.connect(m.pid, m.id, *m.conf)
		}
	case daemonNewTask:
		if !d.refusedTask(m) {
			d.newTask(m)
		}
	case daemonExtEnded:
		d.extEnded(m.pid)
	case daemonEligible:
		if t := d.task(m.up); t != nil && t.state == waiting {
			d.consider(t)
		}
	case daemonAction:
		d.powerAction(d.cfg.Timeline[m.step])
	case daemonNetChanged:
		d.usable = m.usable
		d.reconsider()
	case daemonTransferLost:
		d.transferLost(m.up, m.bytes, m.acked, int(m.code))
	case daemonResumeWait:
		d.resumeWaitOver(m.up)
	case daemonCancel:
		d.cancelTask(m.up, m.flags&flagResumeData != 0)
	case daemonCancelled:
		d.cancelled(m.up, m.acked)
	case daemonInvalidate:
		d.invalidate(m.pid, m.id, m.flags&flagCancelTasks != 0)
	case daemonResponse:
		d.response(m.up, int(m.status), m.flags&flagNoBody != 0)
	case daemonResourceOut:
		d.resourceTimeout(m.up)
	case daemonTaskFailed:
		d.requestFailed(m.up, int(m.code))
	case daemonChallenge:
		d.challenged(m.up)
	case daemonAuthAnswer:
		d.authAnswer(m.pid, m.up)
	case daemonUndelivered:
		s := d.session(m.id)
		s.held.requeue(m.ev)
		d.note(KindEventRequeued, RuleReconnectSameID, "the app could not take the event; the daemon keeps it until a process connects", str(AttrIdentifier, m.id))
		d.deliverOrWake(s)
	}
}

// task returns the daemon's task for upload up, or nil if the daemon never
// received it: the app's hand-off may still be on its way (an XPC hop
// longer than what is left of the run), or never have been made.
func (d *daemon) task(up int32) *dtask {
	if up < 0 || int(up) >= len(d.tasks) {
		return nil
	}
	return d.tasks[up]
}

func (d *daemon) session(id string) *bgSession {
	for _, s := range d.sessions {
		if s.id == id {
			return s
		}
	}
	s := d.sessionSlab.get()
	*s = bgSession{id: id, connected: -1, wake: -1}
	d.sessions = append(d.sessions, s)
	return s
}

func (d *daemon) sessionOf(up int32) *bgSession {
	return d.tasks[up].sess
}

// lastWake returns s's latest wake, or nil.
func (d *daemon) lastWake(s *bgSession) *wakeEntry {
	if s.wake < 0 {
		return nil
	}
	return &d.wakes[s.wake]
}

// woken returns the process that came up for s's wake and has not
// finished its events, or -1.
func (d *daemon) woken(s *bgSession) int32 {
	if e := d.lastWake(s); e != nil && e.state == wakeUp {
		return e.pid
	}
	return -1
}

func (d *daemon) appStateChanged(pid int32, s procState, exit string, flags msgFlags) {
	d.appState, d.appPid = s, pid
	switch s {
	case notRunning:
		for _, sess := range d.sessions {
			if sess.connected == pid {
				sess.connected = -1
			}
			if d.woken(sess) == pid {
				d.lastWake(sess).close(d.now, wakeEndProcess)
			}
		}
		if exit == exitForceQuit {
			d.forceQuitApp()
		} else {
			d.failDataTasks("the app exited")
			d.refreshOff("the app exited")
		}
		if exit == exitUpdated {
			d.appUpdated()
		}
	case suspended:
		d.failDataTasks("the app was suspended")
		d.refreshOff("the app was suspended")
	case background:
		// A process a wake launched or resumed answers every wake sent.
		if came := wakeCame(flags); came != "" {
			for _, sess := range d.sessions {
				if e := d.lastWake(sess); e != nil && e.state == wakeSent {
					e.state, e.pid, e.upAt, e.came = wakeUp, pid, d.now, came
				}
			}
		}
	case foreground:
		d.forceQuit = false
		for _, sess := range d.sessions {
			if e := d.lastWake(sess); e != nil && e.state == wakeSent {
				e.close(d.now, wakeEndUserLaunch)
			}
		}
		d.userForeground()
	}
	for _, sess := range d.sessions {
		d.deliverOrWake(sess)
	}
}

// wakeCame is how a process came up, as its state change says: launched
// or resumed by a wake, or "" if not by one.
func wakeCame(flags msgFlags) WakeCause {
	switch {
	case flags&flagLaunched != 0:
		return WakeRelaunch
	case flags&flagResumed != 0:
		return WakeResume
	}
	return ""
}

// forceQuitApp applies R-FORCE-QUIT-CANCELS to every task of the app.
func (d *daemon) forceQuitApp() {
	d.forceQuit = true
	// A relaunch on its way to the app will not happen: iOS does not
	// launch an app the user force quit (the app refuses the wake).
	for _, s := range d.sessions {
		if e := d.lastWake(s); e != nil && e.state == wakeSent {
			e.close(d.now, "user force quit")
		}
	}
	p := d.cfg.Params
	if p.ForceQuit == ForceQuitVanish {
		d.vanishTasks()
		return
	}
	if p.ForceQuit == ForceQuitContinue {
		d.note(KindForceQuitContinue, RuleForceQuitCancels, "force_quit: continue — the transfers go on, but iOS will not relaunch the app for them")
		return
	}
	if p.ForceQuitContinueChance > 0 && d.rand().Float64() < p.ForceQuitContinueChance {
		d.note(KindForceQuitContinue, RuleForceQuitCancels,
			fmt.Sprintf("this time (chance %g) the transfers go on, as reported on iOS 17; iOS still will not relaunch the app for them", p.ForceQuitContinueChance))
		return
	}
	for _, sess := range d.sessions {
		for _, t := range sess.tasks {
			if t.state == done {
				continue
			}
			d.finishTask(t, event{up: t.up, code: ErrCancelled, cancelReason: 0, rule: RuleForceQuitCancels,
				reason: "the user force quit the app: the task was cancelled with NSURLErrorCancelled (-999), reason 0 (user force-quit), and the app learnt it at its next launch"})
			d.note(KindTaskCancelled, RuleForceQuitCancels, "force quit cancels the task", upAttr(t.up),
				num(AttrCode, ErrCancelled), num(AttrCancelReason, 0))
		}
	}
}

// rand returns the run's "force-quit" stream, as the kernel would give it.
func (d *daemon) rand() *rand.Rand {
	if d.rng == nil {
		d.rngSrc = sim.NewPCG(d.cfg.Seed, "force-quit")
		d.rng = rand.New(d.rngSrc)
	}
	return d.rng
}

// failDataTasks applies R-DATA-TASK-IN-BG-SESSION (iOS 8+): data tasks in
// background sessions run only while the app runs.
//
// How the app learns the -997 is Params.DataTaskDisconnect: by default
// (on-reconnect) the task is marked for failure when the app next
// connects to the session ([RE-CFN] failDisconnectedTasks,
// R-DAEMON-DISCONNECT), so its event is quiet: no wake is made for it and
// the rate limiter does not grow; under "wake" (an assumption, no source)
// the daemon wakes the app to deliver it like any other outcome.
func (d *daemon) failDataTasks(why string) {
	for _, sess := range d.sessions {
		for _, t := range sess.tasks {
			if t.dataTask && t.state != done {
				d.finishTask(t, d.disconnected(t.up, why+": a data task in a background session runs only while the app runs, so it failed with NSURLErrorBackgroundSessionWasDisconnected (-997)"))
				d.note(KindTaskFailed, RuleDataTaskInBGSession, why, upAttr(t.up),
					num(AttrCode, ErrBackgroundSessionWasDisconnected))
			}
		}
	}
}

// disconnected is a data task's -997 outcome (R-DATA-TASK-IN-BG-SESSION),
// quiet unless Params.DataTaskDisconnect is wake.
func (d *daemon) disconnected(up int32, reason string) event {
	ev := event{up: up, code: ErrBackgroundSessionWasDisconnected, cancelReason: NoCancelReason, rule: RuleDataTaskInBGSession, reason: reason}
	if d.cfg.Params.DataTaskDisconnect != DataTaskWake {
		ev.quiet = true
	}
	return ev
}

// userForeground applies what the user opening the app changes.
func (d *daemon) userForeground() {
	if d.limiter.reset() {
		d.note(KindRateLimiterReset, RuleRateLimiter, "Resetting request delay: the user brought the app to the foreground")
	}
	// Before iOS 8 the foreground leaves a background-created task
	// discretionary (R-BG-CREATED-IS-DISCRETIONARY).
	undo := d.cfg.IOS >= IOSForegroundUndoesDiscretionary
	for _, sess := range d.sessions {
		for _, t := range sess.tasks {
			if t.state != waiting || (t.rateUntil == 0 && !(t.autoDiscretionary && undo)) {
				continue
			}
			t.rateUntil = 0
			if t.autoDiscretionary && undo {
				t.discretionary, t.autoDiscretionary = false, false
				d.note(KindTaskNotDiscretionary, RuleBGCreatedIsDiscretionary, "the app came to the foreground: the task is no longer discretionary",
					upAttr(t.up))
			}
			d.consider(t)
		}
	}
}

// powerAction applies a power step of the timeline.
func (d *daemon) powerAction(a Action) {
	switch a.Do {
	case PlugIn:
		d.power.Charging = true
	case Unplug:
		d.power.Charging = false
	case LowPowerOn:
		d.power.LowPowerMode = true
	case LowPowerOff:
		d.power.LowPowerMode = false
	}
	d.note(KindPower, "", "the device's power state changes", str(AttrStep, string(a.Do)),
		str(AttrCharging, fmt.Sprint(d.power.Charging)), str(AttrLowPowerMode, fmt.Sprint(d.power.LowPowerMode)))
	d.reconsider()
}

// reconsider looks again at every waiting task after the conditions
// changed.
func (d *daemon) reconsider() {
	for _, sess := range d.sessions {
		for _, t := range sess.tasks {
			if t.state == waiting {
				d.consider(t)
			}
		}
	}
}

// hold says why waiting task t may not start yet, and until when if a known
// instant will change that (0: until conditions change). "" means it may.
func (d *daemon) hold(t *dtask) (rule RuleID, why string, until sim.Time) {
	return d.gate().hold(d.now, d.gateTask(t), d.power, d.usable[WiFi])
}

func (d *daemon) gate() startGate {
	p := &d.cfg.Params
	return startGate{relaxAfter: p.DiscretionaryRelaxAfter, criticalBattery: p.CriticalBatteryPercent, requires: p.DiscretionaryRequires,
		noRelax: d.cfg.IOS < IOSDiscretionaryRelaxation}
}

func (d *daemon) gateTask(t *dtask) gateTask {
	return gateTask{beginAt: t.beginAt, rateUntil: t.rateUntil, resumedAt: t.resumedAt, timeout: d.timeoutOf(t), discretionary: t.discretionary}
}

func (d *daemon) timeoutOf(t *dtask) sim.Time {
	if to := d.sessionOf(t.up).spec.ResourceTimeout; to > 0 {
		return to
	}
	return DefaultResourceTimeout
}

// consider starts waiting task t if nothing holds it, and otherwise notes
// why it waits and arranges to look again when a known instant comes.
func (d *daemon) consider(t *dtask) {
	rule, why, until := d.hold(t)
	if rule == "" {
		if t.waitRule == RuleDiscretionaryFlag || t.waitRule == RuleCriticalBattery {
			if d.now >= d.gate().relaxAt(d.gateTask(t)) {
				d.note(KindTaskRelaxed, RuleDiscretionaryRelaxation, "the resource timeout is near: the discretionary conditions are lifted",
					upAttr(t.up))
			}
		}
		d.out.cancel(timerID{kind: timerEligible, i: t.up})
		d.start(t)
		return
	}
	if rule != t.waitRule {
		d.note(KindTaskWaiting, rule, why, upAttr(t.up))
	}
	t.waitRule = rule
	d.out.cancel(timerID{kind: timerEligible, i: t.up})
	if until > 0 {
		d.out.setTimer(timerID{kind: timerEligible, i: t.up}, until-d.now, msg{to: toDaemon, kind: daemonEligible, up: t.up})
	}
}

// transferLost retries a task whose connection went away or whose request
// timed out: background sessions retry by themselves, without telling the
// app (R-NETWORK-LOSS-MIDTRANSFER, R-TIMEOUT-RETRY). From iOS 17, to a
// server that supports resumable uploads, an upload resumes at the bytes
// the server acknowledged (acked), not those the device sent; if no path
// comes back within params.resumable_wait, it fails with resume data
// (R-RESUMABLE-UPLOAD-17, resumeWaitOver).
func (d *daemon) transferLost(up int32, sent, acked int64, code int) {
	t := d.task(up)
	if t == nil || t.state != transferring || t.cancelling {
		return
	}
	rule := RuleNetworkLossMidtransfer
	if code == ErrTimedOut {
		rule = RuleTimeoutRetry
	}
	id := upAttr(up)
	switch {
	case d.resumable(t):
		t.offset = acked
		d.note(KindTaskRetry, RuleResumableUpload17, fmt.Sprintf("the upload will resume at byte %d, what the server acknowledged (%d were sent): iOS %d and a server that supports resumable uploads; without a path within %v it fails with resume data", acked, sent, d.cfg.IOS, d.cfg.Params.ResumableWait),
			id, num(AttrOffset, acked))
		d.out.cancel(timerID{kind: timerResumeWait, i: up})
		d.out.setTimer(timerID{kind: timerResumeWait, i: up}, d.cfg.Params.ResumableWait, msg{to: toDaemon, kind: daemonResumeWait, up: up})
	default:
		t.offset = 0
		why := "the server does not support resumable uploads"
		if d.cfg.IOS < 17 {
			why = fmt.Sprintf("uploads cannot resume before iOS 17 (this is iOS %d)", d.cfg.IOS)
		}
		d.note(KindTaskRetry, rule, fmt.Sprintf("the task is retried silently, from byte 0: %s; %d bytes are sent again", why, sent),
			id, num(AttrLostBytes, sent))
	}
	t.state, t.waitRule = waiting, ""
	d.consider(t)
}

// resumable tells whether t can resume where the server stopped: an
// upload task on iOS 17+ to a server that supports the resumable-uploads
// draft (R-RESUMABLE-UPLOAD-17).
func (d *daemon) resumable(t *dtask) bool {
	return d.cfg.IOS >= IOSResumableUpload && d.cfg.Server.Resumable && !t.dataTask
}

// resumeWaitOver: upload up lost its connection params.resumable_wait ago.
// If it still has no path it may use, the outage was a long one: the task
// fails with NSURLErrorNetworkConnectionLost (-1005) and
// NSURLSessionUploadTaskResumeData in the error's userInfo, for resuming
// at the acknowledged offset (R-RESUMABLE-UPLOAD-17). The error code is an
// assumption: Apple says only that the task fails with resume data. A
// later loss of connection starts the wait again (transferLost).
func (d *daemon) resumeWaitOver(up int32) {
	t := d.task(up)
	if t == nil || t.state == done || t.cancelling || d.hasPath(t) {
		return
	}
	wait := d.cfg.Params.ResumableWait
	d.finishTask(t, event{up: up, code: ErrNetworkConnectionLost, cancelReason: NoCancelReason, rule: RuleResumableUpload17,
		resumeData: true, resumeOffset: t.offset,
		reason: fmt.Sprintf("no network path for %v after the connection was lost: the upload failed with NSURLErrorNetworkConnectionLost (-1005) and NSURLSessionUploadTaskResumeData for byte %d", wait, t.offset)})
	d.note(KindTaskFailed, RuleResumableUpload17, fmt.Sprintf("a longer outage: no path for %v; the task fails with resume data", wait), upAttr(up),
		num(AttrCode, ErrNetworkConnectionLost), num(AttrOffset, t.offset))
	d.deliverOrWake(d.sessionOf(up))
}

// hasPath tells whether an interface the network last reported usable is
// one t may use (path selection, on what the daemon knows).
func (d *daemon) hasPath(t *dtask) bool {
	var ps [2]pathState
	for i := range ps {
		f := &d.cfg.Network.Interfaces[i]
		ps[i] = pathState{usable: d.usable[i], expensive: f.Expensive, constrained: f.Constrained}
	}
	i, _, _ := choosePath(ps, t.access)
	return i >= 0
}

// cancelTask is the app's code cancelling upload up's task: cancel(), or
// cancel(byProducingResumeData:) when wantData. A task on the network is
// finished when the network says what the server acknowledged
// (cancelled); one the daemon holds, at once.
func (d *daemon) cancelTask(up int32, wantData bool) {
	t := d.task(up)
	if t == nil || t.state == done || t.cancelling {
		return
	}
	t.cancelling, t.wantData = true, wantData
	d.out.cancel(timerID{kind: timerResumeWait, i: up})
	if t.state == transferring {
		d.out.send(0, msg{to: toNetwork, kind: netCancel, up: up, flags: flagReport})
		return
	}
	d.cancelled(up, t.offset)
}

// cancelled finishes a task the app cancelled, now that the server's
// acknowledged bytes are known: didCompleteWithError gets
// NSURLErrorCancelled (-999) without a cancel reason, since the app, not
// the system, cancelled it (R-TASK-STATE-AFTER-CANCEL). The code gets
// resume data only if it asked for it, on iOS 17+, from a server that
// supports resumable uploads (R-RESUMABLE-UPLOAD-17; otherwise
// cancel(byProducingResumeData:)'s handler gets nil, an assumption taken
// from the download API's documented behaviour).
func (d *daemon) cancelled(up int32, acked int64) {
	t := d.task(up)
	if t == nil || t.state == done || !t.cancelling {
		return
	}
	ev := event{up: up, code: ErrCancelled, cancelReason: NoCancelReason, rule: RuleTaskStateAfterCancel,
		reason: "the app's code cancelled the task: didCompleteWithError got NSURLErrorCancelled (-999), without a cancel reason"}
	note := "the app cancels the task"
	if t.wantData {
		if d.resumable(t) {
			ev.resumeData, ev.resumeOffset = true, acked
			ev.reason += fmt.Sprintf(", and cancel(byProducingResumeData:) gave resume data for byte %d", acked)
			note += fmt.Sprintf(" and gets resume data for byte %d", acked)
		} else {
			ev.reason += ", and cancel(byProducingResumeData:) gave nil: the server does not support resumable uploads"
			note += "; no resume data: the server does not support resumable uploads"
		}
	}
	t.state = waiting // the network dropped the transfer already, or never had it
	d.finishTask(t, ev)
	d.note(KindTaskCancelled, RuleTaskStateAfterCancel, note, upAttr(up), num(AttrCode, ErrCancelled), num(AttrOffset, ev.resumeOffset))
	d.deliverOrWake(d.sessionOf(up))
}

// invalidate is process pid's code invalidating session id:
// finishTasksAndInvalidate lets its tasks finish; invalidateAndCancel
// cancels them, each with -999 and no cancel reason
// (R-TASK-STATE-AFTER-CANCEL). Their events still go to the session's
// delegate; when none is left, the process gets didBecomeInvalidWithError
// (R-DUP-ID-AFTER-INVALIDATE).
func (d *daemon) invalidate(pid int32, id string, cancel bool) {
	s := d.session(id)
	if cancel {
		for _, t := range s.tasks {
			if t.state == done {
				continue
			}
			d.finishTask(t, event{up: t.up, code: ErrCancelled, cancelReason: NoCancelReason, rule: RuleTaskStateAfterCancel,
				reason: "the app's code called invalidateAndCancel(): the task was cancelled with NSURLErrorCancelled (-999), without a cancel reason"})
			d.note(KindTaskCancelled, RuleTaskStateAfterCancel, "invalidateAndCancel() cancels the task", upAttr(t.up), num(AttrCode, ErrCancelled), num(AttrOffset, 0))
		}
	}
	if d.invalidating == nil {
		d.invalidating = map[*bgSession]int32{}
	}
	d.invalidating[s] = pid
	d.deliverOrWake(s)
	d.invalidated(s)
}

// invalidated sends didBecomeInvalidWithError to the process that
// invalidated s once s has no open task and no held event.
func (d *daemon) invalidated(s *bgSession) {
	pid, ok := d.invalidating[s]
	if !ok || s.outstanding() || s.held.len() > 0 {
		return
	}
	delete(d.invalidating, s)
	if s.connected == pid {
		// The process no longer has the session: it lets go of the
		// identifier (R-ONE-PROCESS-PER-SESSION).
		s.connected = -1
	}
	d.out.send(d.cfg.Params.XPCLatency, msg{to: toApp, kind: appSessionInvalid, pid: pid, id: s.id, up: -1})
}

// useResumeData applies uploadTask(withResumeData:) to new task t: the
// data of upload from, for resuming at byte offset. Resume data is
// single-use (R-RESUMABLE-UPLOAD-17, DTS): a second use fails at once. It
// reports whether the task may go on.
func (d *daemon) useResumeData(t *dtask, from int32, offset int64) bool {
	for int(from) >= len(d.resumeUsed) {
		d.resumeUsed = append(d.resumeUsed, false)
	}
	if d.resumeUsed[from] {
		d.finishTask(t, event{up: t.up, code: ErrUnknown, cancelReason: NoCancelReason, rule: RuleResumableUpload17,
			reason: "the resume data was used already, and resume data is single-use: the task failed at once (NSURLErrorUnknown, -1, is bgsim's assumption; Apple says only that used data is invalid)"})
		d.note(KindTaskFailed, RuleResumableUpload17, "the resume data was used already: it is single-use", upAttr(t.up), num(AttrCode, ErrUnknown))
		d.deliverOrWake(t.sess)
		return false
	}
	d.resumeUsed[from] = true
	t.offset = min(offset, t.size)
	d.note(KindTaskRetry, RuleResumableUpload17, fmt.Sprintf("uploadTask(withResumeData:): the task resumes at byte %d, what the server acknowledged", t.offset),
		upAttr(t.up), num(AttrOffset, t.offset))
	return true
}

func (d *daemon) connect(pid int32, id string, spec Session) {
	if pid != d.appPid && d.appState != notRunning {
		// A message from a process that has since gone.
		return
	}
	s := d.session(id)
	s.spec = spec
	s.connected = pid
	for _, o := range d.sessions {
		if o != s && d.woken(o) == pid {
			d.lastWake(o).otherID = true
		}
	}
	if s.held.len() > 0 || s.outstanding() {
		d.note(KindSessionReconnected, RuleReconnectSameID, "a process created "+id+": the daemon will replay its pending events",
			str(AttrIdentifier, id), num(AttrHeld, int64(s.held.len())))
	}
	d.deliverOrWake(s)
}

func (d *daemon) newTask(m msg) {
	up, id := m.up, m.id
	inBackground, discretionaryFlag := m.flags&flagInBackground != 0, m.flags&flagDiscretionary != 0
	now := d.now
	s := d.session(id)
	d.out.fact(fact{kind: factHandedOff, up: up})
	t := d.taskSlab.get()
	*t = dtask{up: up, sess: s, size: m.size, dataTask: m.flags&flagDataTask != 0}
	for int(up) >= len(d.tasks) {
		d.tasks = append(d.tasks, nil)
	}
	d.tasks[up] = t
	s.tasks = append(s.tasks, t)
	s.open++
	timeout := s.spec.ResourceTimeout
	if timeout <= 0 {
		timeout = DefaultResourceTimeout
	}
	d.out.setTimer(timerID{kind: timerResource, i: up}, timeout, msg{to: toDaemon, kind: daemonResourceOut, up: up})
	if t.dataTask {
		// A data task carries its body in the request; there is no file
		// for the daemon to take (R-DAEMON-OWNS-UPLOAD-FILE is for
		// upload-from-file tasks), and it runs only while the app does.
		d.note(KindTaskReceived, RuleDataTaskInBGSession, "the daemon has the data task and its request body; it runs only while the app runs", upAttr(up),
			str(AttrIdentifier, id))
	} else {
		d.note(KindTaskReceived, RuleDaemonOwnsUploadFile, "the daemon has the task and its own copy of the body", upAttr(up),
			str(AttrIdentifier, id))
	}
	if m.flags&flagResumeData != 0 && !d.useResumeData(t, m.item, m.bytes) {
		return
	}
	if t.dataTask && d.appState != foreground && d.appState != background {
		d.finishTask(t, d.disconnected(up, "the app was no longer running when the data task reached the daemon; it failed with -997"))
		d.deliverOrWake(s)
		return
	}
	t.resumedAt, t.access, t.requestTimeout = now, m.access.over(s.spec.Access), s.spec.RequestTimeout
	if t.requestTimeout <= 0 {
		t.requestTimeout = DefaultRequestTimeout
	}
	if m.begin > 0 {
		t.beginAt = now + m.begin
	}
	if s.spec.Discretionary || discretionaryFlag {
		t.discretionary = true
		d.note(KindTaskDiscretionary, RuleDiscretionaryFlag, "the task is discretionary: the system picks when it runs",
			upAttr(up))
	} else if inBackground {
		t.discretionary, t.autoDiscretionary = true, true
		d.note(KindTaskDiscretionary, RuleBGCreatedIsDiscretionary, "created while the app is in the background: treated as discretionary",
			upAttr(up))
	}
	if inBackground {
		if delay := d.currentDelay(); delay > 0 {
			t.rateUntil = now + delay
			d.note(KindTaskDelayed, RuleRateLimiter, fmt.Sprintf("the rate limiter holds the task for %v", delay),
				upAttr(up), span(AttrDelay, delay))
			t.waitRule = RuleRateLimiter // noted just above
			d.out.fact(fact{kind: factDelayed, up: up, delay: delay})
		}
	}
	d.consider(t)
}

// currentDelay returns the rate limiter's delay, after letting it lapse if
// a full delay period has passed since it ran out without a wake.
func (d *daemon) currentDelay() sim.Time {
	delay, lapsed := d.limiter.current(d.now)
	d.noteLapsed(lapsed)
	return delay
}

func (d *daemon) noteLapsed(lapsed sim.Time) {
	if lapsed > 0 {
		d.note(KindRateLimiterReset, RuleRateLimiter, "Resetting request delay: a full period passed without a background wake",
			span(AttrWas, lapsed))
	}
}

// raiseDelay is the rate limiter's step at each background wake; it
// returns the delay it set.
func (d *daemon) raiseDelay() sim.Time {
	next, lapsed := d.limiter.raise(d.now)
	d.noteLapsed(lapsed)
	note := "" // formatted only for a trace
	if d.out.tracing() {
		note = fmt.Sprintf("Set request delay for the app to %v", next)
	}
	d.note(KindRateLimiterSet, RuleRateLimiter, note, span(AttrDelay, next))
	return next
}

func (d *daemon) start(t *dtask) {
	t.state, t.waitRule = transferring, ""
	d.note(KindTaskStart, RuleOutOfProcess, "the daemon starts the transfer", upAttr(t.up),
		num(AttrFromByte, t.offset))
	var f msgFlags
	if t.credential {
		f = flagCredential
	}
	d.out.send(0, msg{to: toNetwork, kind: netStart, up: t.up, size: t.size, bytes: t.offset, d: t.requestTimeout, access: t.access, flags: f})
}

// finishTask ends t with outcome ev and queues ev for its session.
func (d *daemon) finishTask(t *dtask, ev event) {
	s := d.dropTask(t)
	s.held.push(ev)
	s.heldNoted = false
}

// dropTask ends t in the daemon, whatever comes of it next (an event
// held for the app, or nothing at all): its transfer, its timers and its
// challenge go, and its session counts one task fewer. It returns the
// session.
func (d *daemon) dropTask(t *dtask) *bgSession {
	if t.state == transferring {
		d.out.send(0, msg{to: toNetwork, kind: netCancel, up: t.up})
	}
	d.out.cancel(timerID{kind: timerEligible, i: t.up})
	d.out.cancel(timerID{kind: timerResource, i: t.up})
	if d.resumable(t) {
		d.out.cancel(timerID{kind: timerResumeWait, i: t.up})
	}
	s := d.sessionOf(t.up)
	if t.state != done {
		s.open--
	}
	if t.challenge {
		t.challenge = false
		s.challenges--
	}
	t.state = done
	return s
}

// response finishes t with its final response; noBody: a redirect turned
// the request into a GET, so the response is not to the upload's body
// (R-REDIRECTS-ALWAYS-FOLLOWED).
func (d *daemon) response(up int32, status int, noBody bool) {
	t := d.task(up)
	if t == nil || t.state != transferring {
		return
	}
	reason := fmt.Sprintf("the daemon received the response (HTTP %d) and delivered it to the session delegate", status)
	if noBody {
		reason = fmt.Sprintf("the daemon received the response (HTTP %d) to the GET a redirect turned the upload into, without the body, and delivered it to the session delegate: the server never had the upload", status)
	}
	d.finishTask(t, event{up: up, status: status, cancelReason: NoCancelReason, rule: RuleUploadResponseDelivery, reason: reason})
	d.note(KindTaskCompleted, RuleOutOfProcess, "the response arrived at the daemon", upAttr(up),
		num(AttrStatus, int64(status)))
	d.deliverOrWake(d.sessionOf(up))
}

func (d *daemon) resourceTimeout(up int32) {
	t := d.task(up)
	if t == nil || t.state == done {
		return
	}
	d.finishTask(t, event{up: up, code: ErrTimedOut, cancelReason: NoCancelReason, rule: RuleResourceTimeout,
		reason: "the task did not finish within timeoutIntervalForResource and failed with NSURLErrorTimedOut (-1001)"})
	d.note(KindTaskFailed, RuleResourceTimeout, "resource timeout", upAttr(up), num(AttrCode, ErrTimedOut))
	d.deliverOrWake(d.sessionOf(up))
}

// requestFailed ends a task whose request failed in a way the daemon does
// not retry: the redirects ran past the limit (R-REDIRECTS-ALWAYS-FOLLOWED,
// -1007), or its authentication challenge went unanswered for the request
// timeout (R-AUTH-WAKE, -1001).
func (d *daemon) requestFailed(up int32, code int) {
	t := d.task(up)
	if t == nil || t.state != transferring {
		return
	}
	rule, why := RuleRedirectsAlwaysFollowed, "too many redirects"
	reason := fmt.Sprintf("the daemon followed %d redirects and the server sent another: the task failed with %s (%d)",
		d.cfg.Params.MaxRedirects, ErrorName(code), code)
	if code == ErrTimedOut {
		rule, why = RuleAuthWake, "the authentication challenge was not answered"
		reason = fmt.Sprintf("the server's authentication challenge was not answered within timeoutIntervalForRequest (%v): the task failed with %s (%d)",
			t.requestTimeout, ErrorName(code), code)
	}
	d.finishTask(t, event{up: up, code: code, cancelReason: NoCancelReason, rule: rule, reason: reason})
	d.note(KindTaskFailed, rule, why, upAttr(up), num(AttrCode, int64(code)))
	d.deliverOrWake(d.sessionOf(up))
}

// challenged handles an authentication challenge on t's request
// (R-AUTH-WAKE): a credential in the session's credential storage is
// proxied to the daemon, which answers without the app; otherwise the
// challenge waits for the app's delegate.
func (d *daemon) challenged(up int32) {
	t := d.task(up)
	if t == nil || t.state != transferring || t.challenge {
		return
	}
	s := d.sessionOf(up)
	if s.spec.Auth == AuthCredentialStorage {
		t.credential = true
		d.note(KindAuthAnswered, RuleAuthWake, "the daemon answers the challenge with the credential in the session's credential storage; the app is not woken",
			upAttr(up))
		d.out.send(0, msg{to: toNetwork, kind: netAuthAnswer, up: up})
		return
	}
	t.challenge, t.challengeTo, t.challengeNoted, t.challengeWoken = true, -1, false, false
	s.challenges++
	d.note(KindAuthChallenge, RuleAuthWake, "the task needs the app's delegate to answer an authentication challenge", upAttr(up),
		str(AttrIdentifier, s.id))
	d.offerChallenges(s)
}

// offerChallenges moves s's challenges towards the app (R-AUTH-WAKE): to a
// running process connected to s, else by waking the app through the wake
// decision, as for events, but without waiting for the session's other
// tasks (R-LAUNCH-GRANULARITY: a task that needs authentication wakes the
// app), else nowhere: the request then times out.
func (d *daemon) offerChallenges(s *bgSession) {
	if s.challenges == 0 {
		return
	}
	if d.appState.running() && s.connected == d.appPid {
		for _, t := range s.tasks {
			if t.challenge && t.challengeTo != d.appPid {
				t.challengeTo = d.appPid
				d.note(KindAuthChallenge, RuleAuthWake, "the daemon asks the app's delegate to answer the challenge", upAttr(t.up))
				d.out.send(d.cfg.Params.XPCLatency, msg{to: toApp, kind: appChallenge, up: t.up, pid: d.appPid, id: s.id})
			}
		}
		return
	}
	// A challenge wakes the app once: a woken process that does not
	// answer it leaves it to a later process that creates the session, or
	// to the request timeout.
	fresh := false
	for _, t := range s.tasks {
		fresh = fresh || (t.challenge && !t.challengeWoken)
	}
	e := d.lastWake(s)
	act, rule, why := decideWake(wakeInputs{
		running:      d.appState.running(),
		wokenRunning: d.woken(s) == d.appPid,
		forceQuit:    d.forceQuit,
		launchEvents: s.spec.SendsLaunchEvents,
		wakeUnderWay: e != nil && e.under(),
		fresh:        true,
	}, s.id)
	if !fresh && act == wakeApp {
		act, rule, why = wakeHold, RuleAuthWake, "the app was woken for it and did not answer; it waits for a process that creates "+s.id
	}
	switch act {
	case wakeApp:
		d.wakeForChallenge(s)
	case wakeHold:
		if rule != RuleAuthWake {
			why += " (" + string(rule) + ")"
		}
		for _, t := range s.tasks {
			if t.challenge && !t.challengeNoted {
				t.challengeNoted = true
				d.note(KindAuthUnanswered, RuleAuthWake, "the challenge cannot reach the app: "+why+"; unanswered, the request will time out",
					upAttr(t.up), str(AttrIdentifier, s.id))
			}
		}
	}
}

// wakeForChallenge wakes the app for s's challenges, as wake does for
// events: recorded in the wake log, and raising the rate limiter.
func (d *daemon) wakeForChallenge(s *bgSession) {
	s.held.announceAll()
	for _, t := range s.tasks {
		if t.challenge {
			t.challengeWoken, t.challengeNoted = true, false
		}
	}
	e, delay := d.logWake(s)
	note := "" // formatted only for a trace
	if d.out.tracing() {
		note = fmt.Sprintf("a task of %s needs the app to answer an authentication challenge and launch events are on: iOS will %s the app in the background (%s)", s.id, e.cause, e.cause.Rule())
	}
	d.note(KindAppWake, RuleAuthWake, note, str(AttrIdentifier, s.id), str(AttrHow, string(e.cause)))
	d.out.send(delay, msg{to: toApp, kind: appWake, pid: d.appPid, id: s.id, wake: s.wake, up: -1})
}

// authAnswer: process pid's delegate answered upload up's challenge; the
// request goes again with the credential. A wake made for the challenge
// ends when nothing else waits for the app.
func (d *daemon) authAnswer(pid, up int32) {
	t := d.task(up)
	if t == nil || !t.challenge || t.state != transferring {
		return
	}
	s := d.sessionOf(up)
	t.challenge, t.credential = false, true
	s.challenges--
	d.note(KindAuthAnswered, RuleAuthWake, "the app's delegate answered the challenge: the request goes again with the credential", upAttr(up))
	d.out.send(0, msg{to: toNetwork, kind: netAuthAnswer, up: up})
	if d.woken(s) == pid && pid == d.appPid && s.challenges == 0 && s.held.len() == 0 {
		d.lastWake(s).close(d.now, wakeEndFinished)
		d.out.send(d.cfg.Params.XPCLatency, msg{to: toApp, kind: appDidFinishEvents, pid: pid, id: s.id, up: -1})
	}
}

// deliverOrWake moves s's held events towards the app: straight to a
// running process connected to s, else by waking the app when the rules
// allow it, else nowhere (the reason goes in the trace).
func (d *daemon) deliverOrWake(s *bgSession) {
	d.offerChallenges(s)
	if s.held.len() == 0 {
		return
	}
	p := d.cfg.Params
	e := d.lastWake(s)
	woken := d.woken(s)
	if to := d.holderRunning(s); to >= 0 {
		// The events go to a process the wake log says came up for
		// them, by the cause it records, or to one that created the
		// identifier later.
		var why RuleID
		if woken == to {
			why = e.came.Rule()
		}
		s.held.each(func(e *event) {
			ev := *e
			via := why
			if via == "" && ev.waited {
				via = RuleReconnectSameID
			}
			if ev.said == "" {
				ev.said = ev.reason
			}
			ev.reason = deliveryReason(ev, via)
			if via != "" && ev.code == 0 {
				ev.rule = via
			}
			ev.offered = true
			d.out.send(p.XPCLatency, msg{to: toApp, kind: appTaskEvent, up: ev.up, pid: to, id: s.id, ev: ev})
			d.note(KindEventDelivered, ev.rule, "the daemon sends the task's outcome to the app", upAttr(ev.up))
		})
		s.held.clear()
		d.invalidated(s)
		if woken == to {
			e.close(d.now, wakeEndFinished)
			d.out.send(p.XPCLatency, msg{to: toApp, kind: appDidFinishEvents, pid: d.appPid, id: s.id, up: -1})
		}
		return
	}
	s.held.markWaited()
	act, rule, why := decideWake(wakeInputs{
		running:      d.appState.running(),
		wokenRunning: woken == d.appPid,
		outstanding:  s.outstanding(),
		forceQuit:    d.forceQuit,
		launchEvents: s.spec.SendsLaunchEvents,
		wakeUnderWay: e != nil && e.under(),
		fresh:        s.held.unannounced > 0,
		quietOnly:    s.held.quiet == s.held.len(),
		refused:      s.held.refused > 0,
		otherID:      e != nil && e.otherID,
		rewake:       d.cfg.Params.RewakeUnfinished,
	}, s.id)
	switch act {
	case wakeHold:
		d.noteHeld(s, rule, why)
	case wakeApp:
		d.wake(s)
	}
}

func (d *daemon) noteHeld(s *bgSession, rule RuleID, why string) {
	if s.heldNoted {
		return
	}
	s.heldNoted = true
	d.note(KindEventsHeld, rule, why, str(AttrIdentifier, s.id), num(AttrEvents, int64(s.held.len())))
}

// logWake records a wake for session s in the wake log, raising the rate
// limiter, and returns it with the time iOS takes to resume the app, or
// to launch it if it is not running.
func (d *daemon) logWake(s *bgSession) (wakeEntry, sim.Time) {
	p := &d.cfg.Params
	e := wakeEntry{at: d.now, id: s.id, cause: WakeResume, events: s.held.len(), delay: d.raiseDelay(),
		pid: -1, upAt: sim.Never, endAt: sim.Never}
	delay := p.XPCLatency
	if d.appState == notRunning {
		delay, e.cause = p.LaunchLatency, WakeRelaunch
	}
	s.wake = int32(len(d.wakes))
	d.wakes = append(d.wakes, e)
	return e, delay
}

// wake wakes the app for s's held events and records why in the wake log.
func (d *daemon) wake(s *bgSession) {
	s.held.announceAll()
	e, delay := d.logWake(s)
	note := "" // formatted only for a trace
	if d.out.tracing() {
		note = fmt.Sprintf("all tasks of %s are done and launch events are on: iOS will %s the app in the background (%s)", s.id, e.cause, e.cause.Rule())
	}
	d.note(KindAppWake, RuleSendLaunchEventsTrue, note, str(AttrIdentifier, s.id), str(AttrHow, string(e.cause)))
	d.out.send(delay, msg{to: toApp, kind: appWake, pid: d.appPid, id: s.id, wake: s.wake, up: -1})
}

func deliveryReason(ev event, via RuleID) string {
	switch via {
	case RulePurgedAppRelaunched:
		return ev.said + " after iOS relaunched the app in the background and the app recreated the session"
	case RuleSuspendedAppResumed:
		return ev.said + " after iOS resumed the suspended app in the background"
	case RuleReconnectSameID:
		if ev.quiet {
			return ev.said + "; iOS made no wake for it: the app learnt it when it next ran with the session"
		}
		return ev.said + ", replayed when the app next ran with the session (a later process created it again, or the process that had it ran)"
	}
	return ev.said
}

// taskReport is what the daemon knows of an upload at the end of the run:
// the causes its verdict is drawn from (see verdict).
type taskReport struct {
	known    bool      // the daemon has the task
	state    taskState // where the task is, if known
	holdRule RuleID    // waiting: what holds it ("" if nothing)
	holdWhy  string
	held     *event // done: its outcome, if the daemon holds it
	session  string
	// launchEvents: the session sends launch events; forceQuit: the user
	// force quit the app and has not launched it since.
	launchEvents, forceQuit bool
	// vanished: force_quit: vanish took the task; no event will come.
	vanished bool
	// wake is how the session's wake under way wakes the app, by the
	// wake log: how the process came up for it, or the cause the daemon
	// decided on if none has yet ("" if no wake is under way).
	wake WakeCause
	// challenge: transferring, its authentication challenge waits for the
	// app's answer (R-AUTH-WAKE).
	challenge bool
}

// report answers the world's question about upload up at the end of the
// run.
func (d *daemon) report(now sim.Time, up int32) taskReport {
	d.now = now
	t := d.task(up)
	if t == nil {
		return taskReport{}
	}
	r := taskReport{known: true, state: t.state, session: t.sess.id, launchEvents: t.sess.spec.SendsLaunchEvents, forceQuit: d.forceQuit,
		vanished: t.vanished, challenge: t.challenge}
	if e := d.lastWake(t.sess); e != nil && e.under() {
		r.wake = e.cause
		if e.came != "" {
			r.wake = e.came
		}
	}
	switch t.state {
	case waiting:
		r.holdRule, r.holdWhy, _ = d.hold(t)
	case done:
		r.held = d.heldEvent(up)
	}
	return r
}

// heldEvent returns upload up's event if the daemon holds it, or nil. The
// first call indexes every held event, for the end of the run.
func (d *daemon) heldEvent(up int32) *event {
	if d.heldIndex == nil {
		d.heldIndex = make([]*event, len(d.tasks))
		for _, s := range d.sessions {
			s.held.each(func(ev *event) { d.heldIndex[ev.up] = ev })
		}
	}
	if int(up) >= len(d.heldIndex) {
		return nil
	}
	return d.heldIndex[up]
}
