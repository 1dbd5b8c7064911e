package model

import (
	"fmt"
	"runtime/debug"
	"slices"

	"github.com/bgsim/bgsim/sim"
)

// actor names who a message is for, and who a trace record is about.
type actor uint8

const (
	toApp actor = iota
	toDaemon
	toNetwork
	toServer
	toRadio
	toWorld // the world's own checks (a trigger's share of a body)
)

var actorNames = [...]string{"app", "daemon", "network", "server", "radio", "world"}

func (a actor) String() string { return actorNames[a] }

// kind is what a message asks its receiver to do.
type kind uint8

const (
	// To the app.
	appAction            kind = iota // timeline step arg
	appGraceOver                     // the background grace period of process pid ended
	appAllowanceOver                 // the background allowance of process pid ended
	appWake                          // iOS wakes process pid, or launches a new one if pid is not running, for session id (wake)
	appTaskEvent                     // the daemon delivers a task's outcome to session id
	appDidFinishEvents               // urlSessionDidFinishEvents for session id
	appInProcessResponse             // a shared-session task's response arrived (status)
	appInProcessError                // a shared-session task failed (code)
	appChallenge                     // the daemon asks session id's delegate to answer upload up's challenge
	appItem                          // the workload produces item arg
	appBatchWindow                   // the window of batch n is over
	appSessionInvalid                // didBecomeInvalidWithError for process pid's session id

	// To the daemon.
	daemonAppState     // the app process pid changed state (state, exit; flags: a wake launched or resumed it)
	daemonConnect      // process pid created background session id (session)
	daemonNewTask      // process pid handed over upload up (flags)
	daemonEligible     // upload up may start (rate limiter delay over)
	daemonResponse     // the response to upload up arrived (status)
	daemonResourceOut  // upload up reached its resource timeout
	daemonUndelivered  // the app could not take an event: keep it
	daemonAction       // a power step of the timeline (step)
	daemonNetChanged   // the usable interfaces changed (usable)
	daemonTaskFailed   // upload up's request failed for good, not to be retried (code)
	daemonChallenge    // upload up's request got an authentication challenge
	daemonAuthAnswer   // process pid's delegate answered upload up's challenge
	daemonTransferLost // upload up lost its connection or timed out (bytes, acked, code)
	daemonCancel       // process pid's code cancels upload up's task (flags: flagResumeData)
	daemonCancelled    // the network dropped upload up's transfer the daemon cancelled (acked)
	daemonResumeWait   // upload up has waited params.resumable_wait since it lost its connection
	daemonInvalidate   // process pid's code invalidated session id (flags: flagCancelTasks)

	// To the network.
	netStart          // start sending upload up (flags, bytes: resume offset, d: request timeout, access)
	netCancel         // drop upload up's transfer
	netRespond        // the server answers upload up (status; flags: a challenge)
	netAuthAnswer     // upload up's challenge is answered: send the request again with the credential
	netStep           // upload up's current phase is over
	netRequestTimeout // upload up's request timed out
	netAction         // a network step of the timeline (step)
	netOutageOver     // an outage ends
	netUplinkDone     // the first body on interface iface's uplink is all sent
	netDownlinkDone   // the first response on interface iface's downlink is all received

	// To the server.
	serverReceive // the last byte of upload up arrived

	// To a radio (iface).
	radioPromoted  // the promotion is over
	radioPhaseOver // the current tail phase is over

	// To the world.
	worldCheck // timeline step's trigger (step) on upload up's share of its body may hold

	// An app extension's process (model/extension.go).
	appSessionRefused // to the app: process pid's connection to session id was refused (code: -995 or -996)
	daemonExtEnded    // to the daemon: the extension's process pid ended
)

// msg is what actors send each other through the kernel. Every field has
// one meaning; a message uses those its kind needs.
type msg struct {
	to     actor
	kind   kind
	flags  msgFlags
	state  procState // daemonAppState: the process's new state
	iface  int8      // the radio a radio message is for
	usable [2]bool   // daemonNetChanged: the interfaces with a path
	up     int32     // upload index in the ledger, -1 if none
	pid    int32     // the app process incarnation the message is for or from
	step   int32     // index of the timeline step (appAction, netAction, daemonAction)
	status int32     // an HTTP status
	code   int32     // a URL error code
	item   int32     // appItem: the workload item; appBatchWindow: the batch generation; daemonNewTask with flagResumeData: the upload whose resume data it uses
	id     string    // session identifier
	hop    int32     // serverReceive: the redirects this attempt followed before the request
	bytes  int64     // netStart, daemonNewTask: resume offset; daemonTransferLost: body bytes the device sent
	acked  int64     // daemonTransferLost, daemonCancelled: body bytes the server acknowledged (the resume offset)
	size   int64     // netStart, daemonNewTask, serverReceive: the body's size
	d      sim.Time  // netStart: the request timeout
	begin  sim.Time  // daemonNewTask: the task's earliestBeginDate, from its creation
	access Access    // netStart: the task's network access; daemonNewTask: the upload's own
	wake   int32     // appWake: the daemon's number for the wake, its index in the daemon's log
	conf   *Session  // daemonConnect: the session's configuration
	ev     event     // for appTaskEvent and daemonUndelivered
	exit   string    // daemonAppState: why the process ended
}

// msgFlags are the flags of netStart, daemonNewTask and daemonAppState
// messages.
type msgFlags uint16

const (
	flagInProcess     msgFlags = 1 << iota // netStart: a shared-session task of the app's process
	flagInBackground                       // daemonNewTask: created while the app was not in the foreground
	flagDiscretionary                      // daemonNewTask: the app's code marked it discretionary
	flagDataTask                           // daemonNewTask: a data task
	flagLaunched                           // daemonAppState: a wake launched this process into the background
	flagResumed                            // daemonAppState: a wake resumed this suspended process in the background
	flagNoBody                             // serverReceive, daemonResponse: a GET that follows a redirect, without the body
	flagCredential                         // netStart, serverReceive: the request carries the answered challenge's credential
	flagAnswersAuth                        // netStart: an in-process task whose session's code answers a challenge
	flagChallenge                          // netRespond: the answer is an authentication challenge (401)
	flagResumeData                         // daemonNewTask: created with uploadTask(withResumeData:) (item: the upload whose data it is); daemonCancel: cancel(byProducingResumeData:)
	flagReport                             // netCancel: tell the daemon what the server acknowledged (daemonCancelled)
	flagCancelTasks                        // daemonInvalidate: invalidateAndCancel()
)

// event is a task outcome as the daemon holds and delivers it.
type event struct {
	up           int32
	status       int // HTTP status, 0 if none
	code         int // URL error code, 0 if none
	cancelReason int
	rule         RuleID
	reason       string
	// said is the reason before a delivery added how it was delivered:
	// an event offered to a process that ended before taking it is
	// offered again from it.
	said      string
	announced bool // a wake has told the app about it
	waited    bool // it had to wait for a process to create its session
	// offered: the daemon sent it to a process that had created its
	// session. An offered event that comes back was not refused for a
	// wrong identifier: the process ended or was suspended first.
	offered bool
	// quiet: the daemon makes no wake for it; the app learns it when a
	// process next connects to its session (a data task's -997 under
	// Params.DataTaskDisconnect on-reconnect, R-DATA-TASK-IN-BG-SESSION).
	quiet bool
	seq   uint64 // stamp in its session's queue of held events
	// resumeData: the outcome carries upload resume data
	// (NSURLSessionUploadTaskResumeData, or cancel(byProducingResumeData:)'s
	// result) for resuming at byte resumeOffset (R-RESUMABLE-UPLOAD-17).
	resumeData   bool
	resumeOffset int64
}

// world is one run: the kernel, the actors, and the ledger. It is the only
// router: each actor's step appends what it wants done to out, and the
// world drains out in order, scheduling messages and timers on the kernel,
// writing trace records and handing facts to the ledger.
type world struct {
	cfg    *Config
	s      *sim.Sim[msg]
	app    app
	daemon daemon
	net    network
	server server
	ledger ledger
	out    effects
	// timers holds the kernel's handle of each actor's timers, by kind,
	// then by upload or interface.
	timers [numTimers][]sim.Handle

	crashes      []Crash
	terminations []Termination
	userLaunches int
	bgLaunches   int
	bgResumes    int
	// trigs are the timeline steps with a condition (triggers.go).
	trigs []trigger
	// ignored are the timeline steps that changed nothing (Result.Ignored).
	ignored []int
	// moments, when not nil, collects the distinct instants at which
	// events happened (Runner.RunMoments).
	moments *[]sim.Time
	// gap is the first of the MaxInjected sequence numbers kept for the
	// steps a fork injects (Live.Inject); injected counts those used.
	gap      uint64
	injected int
	// watch, when above 0, stops the kernel after timeline step watch-1
	// ran (Live.RunThrough).
	watch int32
}

// record adds a trace record about actor a, citing rule (may be "").
func (w *world) record(a actor, kind TraceKind, rule RuleID, note string, attrs ...sim.Attr) {
	w.out.cite(rule)
	w.s.Emit(a.String(), string(kind), string(rule), note, attrs...)
}

// timerSlot returns where the world keeps timer t's handle.
func (w *world) timerSlot(t timerID) *sim.Handle {
	hs := &w.timers[t.kind]
	for int(t.i) >= len(*hs) {
		*hs = append(*hs, sim.Handle{})
	}
	return &(*hs)[t.i]
}

// drain carries out what the last step asked, in the order it asked it.
func (w *world) drain() {
	out := &w.out
	if len(out.ops) == 0 {
		return
	}
	now := w.s.Now()
	for _, o := range out.ops {
		switch o.kind {
		case opSend:
			// The bounds of Config keep now+delay far inside the
			// clock; should a sum ever pass sim.Never it waits there,
			// past every horizon, instead of wrapping into the past.
			s := &out.sends[o.i]
			h := w.s.At(addTime(now, s.at), s.m)
			if s.timer.kind != timerNone {
				*w.timerSlot(s.timer) = h
			}
		case opAt:
			s := &out.sends[o.i]
			w.s.At(s.at, s.m)
		case opCancel:
			w.s.Cancel(*w.timerSlot(out.timers[o.i].timer))
		case opMove:
			t := &out.timers[o.i]
			w.s.Move(*w.timerSlot(t.timer), t.at)
		case opRecord:
			r := &out.recs[o.i]
			attrs := out.attrs[r.lo:r.hi]
			for j := range attrs {
				if a := &attrs[j]; a.Kind == sim.AttrString && a.Num > 0 {
					a.Str, a.Num = w.ledger.uploads[a.Num-1].ID, 0
				}
			}
			if r.fateOf > 0 {
				r.rule = w.ledger.uploads[r.fateOf-1].Rule
			}
			out.cite(r.rule)
			w.s.Emit(r.actor.String(), string(r.kind), string(r.rule), r.note, attrs...)
		case opCiteFate:
			out.cite(w.ledger.uploads[o.i].Rule)
		case opFact:
			w.apply(&out.facts[o.i])
		}
	}
	out.reset()
}

// apply hands fact f to the ledger, or to the Result's counts. The
// ledger refuses an illegal fact; the run then stops with its error.
func (w *world) apply(f *fact) {
	now := w.s.Now()
	switch f.kind {
	case factTermination:
		w.terminations = append(w.terminations, Termination{At: now, Reason: f.name, Rule: f.rule})
	case factUserLaunch:
		w.userLaunches++
	case factBgLaunch:
		w.bgLaunches++
	case factBgResume:
		w.bgResumes++
	default:
		// The ledger draws the fate of a fact of what the app learnt
		// (fateOf) as it observes it.
		w.ledger.observe(now, f)
		if w.ledger.err != nil {
			w.s.Stop()
			return
		}
		if f.kind == factCrash {
			w.crashes = append(w.crashes, Crash{At: now, Exception: f.name, Reason: f.reason, Rule: f.rule, Upload: w.ledger.get(f.up).ID})
		}
	}
	w.afterFact(f)
}

// afterFact fires the triggers fact f makes hold, during the run.
func (w *world) afterFact(f *fact) {
	if len(w.trigs) > 0 && !w.ledger.ended && w.ledger.err == nil {
		w.onFact(f)
	}
}

// timelineKind is the message a timeline step becomes, by its owner.
var timelineKind = map[actor]kind{toApp: appAction, toNetwork: netAction, toDaemon: daemonAction}

// dispatch hands m to the actor it is for and carries out what it asks.
// The network owns the radios: their timers go to it.
func (w *world) dispatch(m msg) {
	now := w.s.Now()
	switch m.to {
	case toApp:
		w.app.step(now, m, &w.out)
	case toDaemon:
		w.daemon.step(now, m, &w.out)
	case toNetwork, toRadio:
		w.net.step(now, m, &w.out)
	case toServer:
		w.server.step(now, m, &w.out)
	case toWorld:
		w.trigs[w.trigIndex(m.step)].armed = false
	}
	if w.out.ignored {
		if m.kind == appAction {
			w.ignored = append(w.ignored, int(m.step))
		}
		w.out.ignored = false
	}
	if w.moments != nil {
		if ts := *w.moments; len(ts) == 0 || ts[len(ts)-1] != now {
			*w.moments = append(ts, now)
		}
	}
	w.drain()
	if w.watch > 0 && m.step == w.watch-1 && (m.kind == appAction || m.kind == netAction || m.kind == daemonAction) {
		w.s.Stop()
	}
	if len(w.trigs) > 0 {
		switch m.kind {
		case appAction, netAction, daemonAction:
			w.stepRan(&m)
		}
		w.checkSent()
	}
}

// Crash is an uncaught exception that terminated the app.
type Crash struct {
	At        sim.Time
	Exception string
	Reason    string
	Rule      RuleID
	Upload    string // the upload whose creation crashed, if any
}

// Termination is the system ending the app's process.
type Termination struct {
	At     sim.Time
	Reason string // "purged", "force-quit", "crashed", "allowance expired", "updated"
	Rule   RuleID
}

// Result is what a run produced.
type Result struct {
	Scenario    string
	Variant     string
	Title       string
	About       string
	Seed        uint64
	IOS         int
	Fingerprint sim.Fingerprint
	EndedAt     sim.Time
	Events      uint64

	Uploads            []UploadRecord
	Crashes            []Crash
	Terminations       []Termination
	UserLaunches       int
	BackgroundLaunches int // the app's process launched into the background
	BackgroundResumes  int // the suspended app resumed in the background
	// Rules are the rule ids the run cited, in first-seen order (without
	// a trace: the same ids, in an order that may differ).
	Rules []RuleID
	Trace []sim.Record
	// Wakes is the daemon's wake log, each joined with what the app
	// reported doing on that wake; kept with the trace (nil when
	// Config.NoTrace).
	Wakes []Wake

	// Radios is each interface's energy account; Energy is their sum.
	Radios []RadioEnergy
	Energy Energy
	// WakeJoules is Params.WakeJoules times the background launches and
	// resumes: a fixed cost of being woken, apart from the radios.
	WakeJoules float64
	// WakeAwake is the time the app spent awake in background wakes: from
	// each wake reaching it to the completion handler's call (iOS then
	// suspends it), or to the suspension, termination or user launch
	// that ended the wake; counted up to the energy window's end.
	// WakeCPUJoules is WakeAwake times Params.WakeCPUWatts, the CPU's
	// cost of it, apart from the radios.
	WakeAwake     sim.Time
	WakeCPUJoules float64
	// Items is the workload's freshness, when there is one.
	Items *Items
	// Unfired are the timeline steps with a trigger (Action.When) that
	// did not happen: the condition never held, or the step came past
	// the run's end.
	Unfired []UnfiredStep
	// Ignored are the indexes in Config.Timeline of the steps that
	// changed nothing: the app ignored them (a purge of an app in the
	// foreground, a launch of an app already there, the user leaving an
	// app not in the foreground), so the world after such a step is the
	// world before it. bgsim explore prunes on it.
	Ignored []int
}

// RadioEnergy is one interface's radio account.
type RadioEnergy struct {
	Interface string
	Profile   string
	Energy
	// Intervals are the radio's states over time, when the trace is kept.
	Intervals []RadioInterval
}

// Count returns how many uploads ended with fate f.
func (r *Result) Count(f Fate) int {
	n := 0
	for _, u := range r.Uploads {
		if u.Fate == f {
			n++
		}
	}
	return n
}

// ServerReceived returns how many uploads the server received in full.
func (r *Result) ServerReceived() int {
	n := 0
	for _, u := range r.Uploads {
		if u.ServerReceivedAt != sim.Never {
			n++
		}
	}
	return n
}

// Run simulates cfg and returns what happened. What goes wrong inside the
// simulated world (a crash, a failed task) is in the Result; the error is
// for a Config that cannot run, a run that exceeded its limits, and a
// ledger that does not add up (a bug in the model, never an outcome).
func Run(cfg Config) (*Result, error) {
	var r Runner
	return r.Run(cfg)
}

// Runner runs configurations one after another, reusing its kernel's and
// its world's memory, which is what a sweep of many thousands of runs
// wants. Results do not share memory with the Runner. A Runner is not safe
// for concurrent use: give each goroutine its own.
type Runner struct {
	cfg Config
	s   *sim.Sim[msg]
	w   world
	// moments collects the event instants when record is set
	// (RunMoments).
	moments []sim.Time
	record  bool
	// The slabs the world's sessions and tasks come from (slab.go), and
	// the tables of them, kept from run to run.
	appSessions slab[sessionObj]
	sessions    slab[bgSession]
	tasks       slab[dtask]
}

// RunMoments simulates cfg as Run does, and appends to moments the
// distinct instants at which events happened, in order: between two of
// them the world's discrete state does not change. It returns the grown
// slice, whatever the error.
func (run *Runner) RunMoments(cfg Config, moments []sim.Time) (*Result, []sim.Time, error) {
	run.moments, run.record = moments, true
	defer func() { run.moments, run.record = nil, false }()
	res, err := run.Run(cfg)
	return res, run.moments, err
}

// Run simulates cfg, as the package's Run does.
func (run *Runner) Run(cfg Config) (*Result, error) {
	return guard(&cfg, func() (*Result, error) { return run.run(cfg) }, func() {
		// The kernel and the world are in an unknown state: the next
		// run starts from fresh ones.
		run.s, run.w = nil, world{}
	})
}

// guard runs f and turns a panic into an *InternalError naming cfg's run,
// after calling reset.
func guard(cfg *Config, f func() (*Result, error), reset func()) (res *Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			reset()
			res, err = nil, &InternalError{Scenario: cfg.Scenario, Variant: cfg.Variant, Seed: cfg.Seed, Value: v, Stack: debug.Stack()}
		}
	}()
	return f()
}

func (run *Runner) run(cfg Config) (*Result, error) {
	if err := run.start(cfg); err != nil {
		return nil, err
	}
	w := &run.w
	if err := w.s.Run(w.dispatch); err != nil {
		return nil, fmt.Errorf("model: %s: %w", runName(&run.cfg), err)
	}
	return w.result()
}

// start sets the world up for cfg at time zero, with the timeline's steps
// and the workload's first events scheduled.
func (run *Runner) start(cfg Config) error {
	// Checked in the Runner's own copy: Check hands the Config to the
	// parameter table's functions, which would move a local copy to the
	// heap at every run.
	run.cfg = cfg
	if err := run.cfg.Check(); err != nil {
		return &ConfigError{err}
	}
	if wl := cfg.App.Workload; wl != nil {
		// The workload's tasks are uploads from a file on its session. The
		// slice is copied: the caller's Config is never changed.
		cfg.App.Uploads = append(slices.Clone(cfg.App.Uploads),
			Upload{Name: workloadUpload, Session: wl.Session, API: UploadFromFile, Bytes: wl.Bytes})
	}
	run.cfg = cfg
	sc := sim.Config{Seed: cfg.Seed, Horizon: cfg.Horizon, MaxEvents: cfg.MaxEvents, KeepTrace: cfg.KeepTrace, MaxRecords: cfg.MaxRecords, NoTrace: cfg.NoTrace}
	if run.s == nil {
		run.s = sim.New[msg](sc)
	} else {
		run.s.Reset(sc)
	}
	// The effects buffer, the timer tables and the network's transfer
	// table keep their memory from run to run.
	out, timers, receipts, xfers := run.w.out, run.w.timers, run.w.server.receipts, run.w.net.xfers
	wakes, recreated, wakeLog := run.w.app.wakes, run.w.app.recreated, run.w.daemon.wakes
	out.reset()
	out.noTrace, out.rules = cfg.NoTrace, out.rules[:0]
	for i := range timers {
		timers[i] = timers[i][:0]
	}
	links := run.w.net.links()
	run.w = world{cfg: &run.cfg, s: run.s, out: out, timers: timers}
	w := &run.w
	if run.record {
		w.moments = &run.moments
	}
	w.net.reuse(links)
	w.app.init(&run.cfg, wakes[:0], recreated[:0])
	w.daemon.init(&run.cfg, wakeLog[:0])
	run.appSessions.reset()
	run.sessions.reset()
	run.tasks.reset()
	w.app.sessionSlab, w.daemon.sessionSlab, w.daemon.taskSlab = &run.appSessions, &run.sessions, &run.tasks
	w.net.init(&run.cfg)
	for i := range w.net.radios {
		w.net.radios[i].end = cfg.energyWindow()
	}
	w.net.xfers = xfers[:0] // x zeroes each transfer it adds
	w.server.init(&run.cfg, receipts[:0])
	// Each upload step creates an upload. The tables that grow with the
	// uploads take room for them at once rather than copying themselves
	// as they grow; the ledger's every run (the Result keeps its
	// records), the others once for a Runner.
	uploads := 0
	for _, a := range cfg.Timeline {
		if a.Do == StartUpload {
			uploads++
		}
	}
	w.ledger.reserve(uploads)
	w.net.xfers = slices.Grow(w.net.xfers, uploads)
	w.out.reserve(uploads)
	w.initTriggers()
	for i, a := range cfg.Timeline {
		if a.When.Set() {
			continue // triggers.go
		}
		to := a.Do.owner()
		w.s.At(a.At, msg{to: to, kind: timelineKind[to], up: -1, step: int32(i)})
	}
	// The sequence numbers a fork's injected steps take (Live.Inject):
	// after every timeline step, before everything the run schedules.
	// Sequence numbers are not in the trace: reserving them changes no
	// fingerprint.
	w.gap = w.s.Reserve(MaxInjected)
	w.app.scheduleWorkload(&w.out)
	w.drain()
	return nil
}

// result ends the run: the fates of the uploads still open, the ledger's
// check, and the Result.
func (w *world) result() (*Result, error) {
	cfg := w.cfg
	if w.ledger.err != nil {
		return nil, w.ledger.err
	}
	w.finish()
	if err := w.ledger.check(); err != nil {
		return nil, err
	}
	unfired := w.unfired()
	res := &Result{
		Scenario:           cfg.Scenario,
		Variant:            cfg.Variant,
		Title:              cfg.Title,
		About:              cfg.About,
		Seed:               cfg.Seed,
		IOS:                cfg.IOS,
		Fingerprint:        w.s.Trace().Fingerprint(),
		EndedAt:            w.s.Now(),
		Events:             w.s.Fired(),
		Uploads:            w.ledger.uploads,
		Crashes:            w.crashes,
		Terminations:       w.terminations,
		UserLaunches:       w.userLaunches,
		BackgroundLaunches: w.bgLaunches,
		BackgroundResumes:  w.bgResumes,
		Rules:              cloneRules(w.out.rules),
		Trace:              w.s.Trace().Records(),
		WakeJoules:         float64(w.bgLaunches+w.bgResumes) * cfg.Params.WakeJoules,
		WakeAwake:          w.app.awakeTotal(w.s.Now()),
		Unfired:            unfired,
		Ignored:            w.ignored,
	}
	res.WakeCPUJoules = res.WakeAwake.Seconds() * cfg.Params.WakeCPUWatts
	if !cfg.NoTrace {
		res.Wakes = joinWakes(w.daemon.wakes, w.app.wakes, w.app.recreated, w.s.Now())
	}
	end := cfg.energyWindow()
	if end == 0 {
		end = w.s.Now() // no horizon and no window: the run's own length
	}
	for i := range w.net.radios {
		r := &w.net.radios[i]
		e := r.finish(w.s.Now(), end)
		res.Radios = append(res.Radios, RadioEnergy{Interface: ifaceNames[i], Profile: r.prof.Name, Energy: e,
			Intervals: r.intervals})
		res.Energy = res.Energy.Add(e)
	}
	if cfg.App.Workload != nil {
		st := w.app.itemStats(w.ledger.uploads)
		res.Items = &st
	}
	return res, nil
}

// cloneRules copies the run's rules out of the buffer the Runner reuses;
// nil if there are none.
func cloneRules(rules []RuleID) []RuleID {
	if len(rules) == 0 {
		return nil
	}
	return slices.Clone(rules)
}

// InternalError is a panic inside the model: a bug in bgsim, never an
// outcome of the simulated world. It names the run, so that the run can
// be reproduced.
type InternalError struct {
	Scenario, Variant string
	Seed              uint64
	Value             any    // what the model panicked with
	Stack             []byte // where
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error in the model, running %s with seed %d: %v",
		runName(&Config{Scenario: e.Scenario, Variant: e.Variant}), e.Seed, e.Value)
}

// ConfigError is a Config that Check refuses: the run did not start.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return "model: " + e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

func runName(c *Config) string {
	if c.Variant == "" {
		return c.Scenario
	}
	return c.Scenario + "/" + c.Variant
}

// finish gives every upload still open at the end of the run its fate:
// pending if it is in flight or held where the app would get it, lost if
// no code path of the app will ever collect it.
func (w *world) finish() {
	now := w.s.Now()
	w.ledger.ended = true
	for i := range w.ledger.uploads {
		up := int32(i)
		if w.ledger.isSettled(up) {
			continue
		}
		var f fact
		if !w.ledger.get(up).Background {
			f.fate, f.rule, f.reason = inProcessVerdict(w.app.cut(up), w.cfg.Params.InProcessCutCode)
		} else {
			t := w.daemon.report(now, up)
			if ev := t.held; ev != nil {
				w.apply(&fact{kind: factHeard, up: up, status: ev.status, code: ev.code, cancelReason: ev.cancelReason})
			}
			// The app's process, if it is alive (suspended, say), may
			// still hold the session: it hears of the event when it runs.
			running := w.app.state != notRunning
			live := running && w.app.findSession(Background, t.session) != nil
			f.fate, f.rule, f.reason = verdict(t, w.net.waiting(up), &w.cfg.App, w.app.pid, live, running, w.app.wakes)
			f.reason = w.app.updateReason(f.fate, t.session, f.reason)
		}
		f.kind, f.up = factSettled, up
		w.apply(&f)
	}
	for i := range w.ledger.uploads {
		w.record(toApp, KindLedgerFate, w.ledger.uploads[i].Rule, w.ledger.uploads[i].Reason,
			str(AttrUpload, w.ledger.uploads[i].ID), str(AttrFate, string(w.ledger.uploads[i].Fate)))
	}
}
