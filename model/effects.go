package model

import (
	"slices"

	"github.com/bgsim/bgsim/sim"
)

// effects is what an actor's step wants done, in the order it wants it:
// messages to send after a latency, timers to set, cancel or move, trace
// records, and facts for the ledger. The world passes one buffer to every
// step and drains it, in order, when the step returns: it is the only
// router. The buffer's slices are reused from step to step and run to run,
// so a step allocates nothing.
type effects struct {
	// noTrace: the run keeps no trace (Config.NoTrace), so a record is
	// dropped once its rule is noted.
	noTrace bool
	ops     []op
	sends   []sendOp
	timers  []timerOp
	recs    []recordOp
	attrs   []sim.Attr
	facts   []fact
	// rules are the rule ids the run's records cited, in first-seen
	// order: kept for the whole run, not one step.
	rules []RuleID
	// ignored: the step changed nothing and said so (a timeline step the
	// app ignores: a purge of an app in the foreground, say).
	ignored bool
}

type opKind uint8

const (
	opSend     opKind = iota // sends[i]: a message after a delay, maybe kept as a timer
	opAt                     // sends[i]: a message at an absolute time
	opCancel                 // timers[i]: cancel the timer
	opMove                   // timers[i]: move the timer
	opRecord                 // recs[i]: a trace record
	opFact                   // facts[i]: a fact for the ledger
	opCiteFate               // a run without a trace: cite the rule of upload i's fate
)

// op is one effect: its kind and its index in the slice of its kind.
type op struct {
	kind opKind
	i    int32
}

type sendOp struct {
	at    sim.Time // opSend: the delay; opAt, opMove: the time
	timer timerID  // the timer the handle is kept as; timerNone if none
	m     msg
}

type timerOp struct {
	at    sim.Time // opMove: the new time
	timer timerID
}

type recordOp struct {
	actor  actor
	kind   TraceKind
	rule   RuleID
	note   string
	lo, hi int32 // the record's attributes in effects.attrs
	// fateOf is 1 + the upload whose fate's rule the record cites, 0 if
	// none: the world writes that rule in when it drains the record,
	// after the fact that decided the fate.
	fateOf int32
}

// timerKind names a timer an actor keeps. The actor never holds the
// kernel's handle: the world keeps it, by timerID, so that an actor can
// cancel or move a timer it set in the same step.
type timerKind uint8

const (
	timerNone       timerKind = iota
	timerGrace                // app: the background grace period
	timerAllowance            // app: the background allowance of a woken process
	timerWindow               // app: the workload's batch window
	timerEligible             // daemon, per upload: the task may start
	timerResource             // daemon, per upload: the resource timeout
	timerXfer                 // network, per upload: the current phase is over
	timerRequest              // network, per upload: the request timeout
	timerRadio                // network, per interface: the radio's promotion or tail phase
	timerLink                 // network, per interface and direction (2·iface + dir): the first flow's end
	timerResumeWait           // daemon, per upload: params.resumable_wait since the connection was lost
	numTimers
)

// timerID is one timer: its kind and the upload or interface it is for.
type timerID struct {
	kind timerKind
	i    int32
}

// reset empties the buffer after a step has been carried out.
func (e *effects) reset() {
	e.ops, e.sends, e.timers, e.recs, e.attrs = e.ops[:0], e.sends[:0], e.timers[:0], e.recs[:0], e.attrs[:0]
	clear(e.facts) // let go of strings
	e.facts = e.facts[:0]
	e.ignored = false
}

// reserve makes room for n messages in one step without growing: a step
// can send one message per upload (a relaunch delivering every held
// event), and a buffer of messages grown by copying costs more than its
// size suggests when it is large.
func (e *effects) reserve(n int) {
	e.ops = slices.Grow(e.ops, n)
	e.sends = slices.Grow(e.sends, n)
}

func (e *effects) push(k opKind, s sendOp) {
	e.ops = append(e.ops, op{kind: k, i: int32(len(e.sends))})
	e.sends = append(e.sends, s)
}

// send asks for m to be delivered after delay.
func (e *effects) send(delay sim.Time, m msg) { e.push(opSend, sendOp{at: delay, m: m}) }

// sendAt asks for m to be delivered at time t.
func (e *effects) sendAt(t sim.Time, m msg) { e.push(opAt, sendOp{at: t, m: m}) }

// setTimer sends m after delay as timer t, which may then be cancelled or
// moved.
func (e *effects) setTimer(t timerID, delay sim.Time, m msg) {
	e.push(opSend, sendOp{at: delay, timer: t, m: m})
}

// cancel cancels timer t; a timer that fired or was cancelled is left be.
func (e *effects) cancel(t timerID) {
	e.ops = append(e.ops, op{kind: opCancel, i: int32(len(e.timers))})
	e.timers = append(e.timers, timerOp{timer: t})
}

// move reschedules timer t to time at.
func (e *effects) move(t timerID, at sim.Time) {
	e.ops = append(e.ops, op{kind: opMove, i: int32(len(e.timers))})
	e.timers = append(e.timers, timerOp{at: at, timer: t})
}

// record adds a trace record about actor a, citing rule (may be ""). The
// world notes the rule for Result.Rules as it writes the record; in a run
// without a trace, the record is dropped here once its rule is noted.
// tracing reports whether records are kept: a note worth formatting.
func (e *effects) tracing() bool { return !e.noTrace }

func (e *effects) record(a actor, kind TraceKind, rule RuleID, note string, attrs ...sim.Attr) {
	if e.noTrace {
		e.cite(rule)
		return
	}
	e.pushRecord(recordOp{actor: a, kind: kind, rule: rule, note: note}, attrs)
}

// recordFate adds a trace record about actor a that cites the rule of
// upload up's fate. The step has handed the world, just before, the fact
// the fate is drawn from (fateOf): the actor does not know the rule, the
// world writes it in as it drains the record.
func (e *effects) recordFate(a actor, kind TraceKind, up int32, note string, attrs ...sim.Attr) {
	if e.noTrace {
		e.ops = append(e.ops, op{kind: opCiteFate, i: up})
		return
	}
	e.pushRecord(recordOp{actor: a, kind: kind, note: note, fateOf: up + 1}, attrs)
}

func (e *effects) pushRecord(r recordOp, attrs []sim.Attr) {
	r.lo = int32(len(e.attrs))
	e.attrs = append(e.attrs, attrs...)
	r.hi = int32(len(e.attrs))
	e.ops = append(e.ops, op{kind: opRecord, i: int32(len(e.recs))})
	e.recs = append(e.recs, r)
}

// cite notes that a record cites rule (may be ""). The world cites each
// record's rule as it writes the record, so first seen here is first seen
// in the trace. A run without a trace cites a record's rule when the step
// makes it, and a fate's rule when the world draws it: Result.Rules then
// holds the same rules, in an order that may differ.
func (e *effects) cite(rule RuleID) {
	if rule != "" && !slices.Contains(e.rules, rule) {
		e.rules = append(e.rules, rule)
	}
}

// fact hands the ledger a fact.
func (e *effects) fact(f fact) {
	e.ops = append(e.ops, op{kind: opFact, i: int32(len(e.facts))})
	e.facts = append(e.facts, f)
}

// upAttr is the trace attribute naming upload up. Actors know uploads by
// their index; the world writes the ledger's name for it ("u3") into the
// record when it drains the step's effects.
func upAttr(up int32) sim.Attr {
	return sim.Attr{Key: string(AttrUpload), Kind: sim.AttrString, Num: int64(up) + 1}
}

// factKind is what happened to an upload, or to the app, for the ledger.
type factKind uint8

const (
	factCreated     factKind = iota // the app's code created upload up (spec, session, bytes, items, background)
	factHandedOff                   // the daemon has the task
	factAttempt                     // a transfer attempt began
	factBytesSent                   // an attempt put bytes on the air over interface iface
	factReceived                    // the server has the whole body
	factHeard                       // end of the run: the outcome the app will be told (status, code, cancelReason)
	factSettled                     // end of the run: the upload's verdict (fate, rule, reason)
	factTermination                 // the app's process ended (name: why, rule)
	factUserLaunch                  // the user launched the app
	factBgLaunch                    // iOS launched the app into the background
	factBgResume                    // iOS resumed the suspended app in the background

	// What the app's code learned of upload up during the run: the causes
	// fateOf (fates.go) draws the upload's fate from, as the ledger
	// observes them.

	// A background task's outcome reached the app's session with
	// identifier session: status, code, cancelReason, and the rule and
	// reason the daemon gave it (rule, reason); delegate is the session's
	// delegate ("" if none), specDelegate the one the code gave the
	// upload's own session.
	factEventReached
	factInProcessResponse // an in-process task's response (status) reached the app's handler or delegate (delegate)
	factInProcessError    // an in-process task failed with code
	factCut               // suspension cut an in-process task, and the app, back, learnt it failed with code
	factProcessEnded      // the process ended (name: why) with the in-process task inside it
	factCrash             // creating upload up threw an exception (name) and crashed the app (reason, rule)
	factNotRunning        // the code could not start upload up: the process was not running (name: its state)
	factInvalidated       // the code created upload up's task on an invalidated session: it never runs

	// factDelayed: the rate limiter held upload up's task for delay as
	// the daemon took it (R-RATE-LIMITER).
	factDelayed

	// factUnheard: upload up's outcome (code, under rule) reached no
	// process: the one it was sent to had ended (name), and the daemon
	// keeps nothing for it (an extension's refused task,
	// R-ONE-PROCESS-PER-SESSION).
	factUnheard
)

// fact is one thing that happened, as the ledger (and the Result's
// counts) learn it. A fact uses the fields its kind needs.
type fact struct {
	kind         factKind
	background   bool
	up           int32
	items        int32
	status       int
	code         int
	cancelReason int
	bytes        int64
	fate         Fate
	rule         RuleID
	spec         string
	session      string
	name         string
	reason       string
	delegate     string
	specDelegate string
	// factCreated by uploadTask(withResumeData:): 1 + the upload whose
	// resume data the task uses (0 if none), and the byte it resumes at.
	from   int32
	offset int64
	// factBytesSent: the interface the bytes went over (WiFi, Cellular).
	iface int8
	// factDelayed: the rate limiter's hold.
	delay sim.Time
}
