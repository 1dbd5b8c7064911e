package model

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/bgsim/bgsim/sim"
)

// Fate is how an upload the app attempted ends a run. Every upload has
// exactly one.
type Fate string

// The fates. Their meanings are in DESIGN.md; the report explains each.
const (
	Delivered Fate = "delivered"  // the app's delegate or handler received the response
	Failed    Fate = "failed"     // the app was told the task ended with an error
	Lost      Fate = "lost"       // the app will never learn the outcome
	Pending   Fate = "pending"    // still in flight, or held where the app would get it
	NeverSent Fate = "never_sent" // the app crashed or could not hand the task over
)

// Fates lists the fates in report order.
var Fates = []Fate{Delivered, Failed, Lost, Pending, NeverSent}

// Error codes the model reports, with Apple's names.
const (
	ErrCancelled                        = -999  // NSURLErrorCancelled
	ErrTimedOut                         = -1001 // NSURLErrorTimedOut
	ErrNetworkConnectionLost            = -1005 // NSURLErrorNetworkConnectionLost
	ErrBackgroundSessionWasDisconnected = -997  // NSURLErrorBackgroundSessionWasDisconnected
	ErrNotConnectedToInternet           = -1009 // NSURLErrorNotConnectedToInternet
	ErrHTTPTooManyRedirects             = -1007 // NSURLErrorHTTPTooManyRedirects
	// ErrUnknown is what bgsim reports for a second use of upload resume
	// data, an assumption: Apple says only that used data is invalid.
	ErrUnknown = -1 // NSURLErrorUnknown
)

// ErrorName returns Apple's name for an error code the model uses.
func ErrorName(code int) string {
	switch code {
	case ErrCancelled:
		return "NSURLErrorCancelled"
	case ErrTimedOut:
		return "NSURLErrorTimedOut"
	case ErrNetworkConnectionLost:
		return "NSURLErrorNetworkConnectionLost"
	case ErrBackgroundSessionWasDisconnected:
		return "NSURLErrorBackgroundSessionWasDisconnected"
	case ErrNotConnectedToInternet:
		return "NSURLErrorNotConnectedToInternet"
	case ErrHTTPTooManyRedirects:
		return "NSURLErrorHTTPTooManyRedirects"
	case ErrUnknown:
		return "NSURLErrorUnknown"
	case ErrBackgroundSessionRequiresSharedContainer:
		return "NSURLErrorBackgroundSessionRequiresSharedContainer"
	case ErrBackgroundSessionInUseByAnotherProcess:
		return "NSURLErrorBackgroundSessionInUseByAnotherProcess"
	}
	return ""
}

// NoCancelReason marks an error without NSURLErrorBackgroundTaskCancelledReasonKey.
const NoCancelReason = -1

// CancelReasonBackgroundUpdatesDisabled is
// NSURLErrorCancelledReasonBackgroundUpdatesDisabled (R-BG-APP-REFRESH).
const CancelReasonBackgroundUpdatesDisabled = 1

// UploadRecord is the ledger's account of one upload. Times that did not
// happen are sim.Never.
type UploadRecord struct {
	ID         string // "u1", "u2", ... in creation order
	Spec       string // the Upload.Name it came from
	Session    string // the session's identifier, or its name for shared sessions
	Bytes      int64
	Background bool // created on a background session

	Fate   Fate
	Reason string // what happened, in words
	Rule   RuleID // the iOS rule that decided the fate
	// ErrorCode is the URL error the app was (or will be) told, 0 if none.
	ErrorCode int
	// CancelReason is NSURLErrorBackgroundTaskCancelledReasonKey, or NoCancelReason.
	CancelReason int
	// Status is the HTTP status the server answered, 0 if it never did.
	Status int
	// Delegate is who received the outcome in the app, if anyone.
	Delegate string
	// BytesSent counts every body byte put on the air, restarts included.
	BytesSent int64
	// Attempts counts transfer attempts (1 without retries).
	Attempts int
	// ServerReceipts counts how often the server got the whole body: more
	// than once when a retry sent it again.
	ServerReceipts int
	// Items is how many workload items the upload carries (0 if none).
	Items int
	// ResumedFrom is the upload whose resume data created this one's task
	// with uploadTask(withResumeData:) ("" if none), and ResumeOffset the
	// byte it resumed at (R-RESUMABLE-UPLOAD-17). The resumed task is an
	// upload of its own: the one it came from failed (its fate is final)
	// and this one has a fate of its own.
	ResumedFrom  string
	ResumeOffset int64
	// BytesOn is the body bytes put on the air over each interface, by
	// index (WiFi, Cellular), restarts included: BytesSent is their sum.
	// UsedOn says an attempt held the interface's radio, even if it
	// sent no body byte over it.
	BytesOn [NumInterfaces]int64
	UsedOn  [NumInterfaces]bool
	// LimiterDelay is the rate limiter's hold on the task when the daemon
	// took it (R-RATE-LIMITER), 0 if none.
	LimiterDelay sim.Time

	CreatedAt        sim.Time
	HandedOffAt      sim.Time // the daemon had the task
	StartedAt        sim.Time // the first transfer attempt began
	ServerReceivedAt sim.Time // the server had the last byte
	SettledAt        sim.Time // the fate became final; sim.Never for pending
}

// ledger keeps the upload records. It is an observer: it learns what
// happens only from facts (observe), which no actor writes but the world
// hands it, and it refuses a fact that is not a legal transition of its
// upload at the moment it comes, naming the upload, the fact and the time.
// The first refusal fails the run: it is a bug in the model.
type ledger struct {
	uploads []UploadRecord
	settled []bool
	// ended: the run is over; only now may an upload be pending.
	ended bool
	err   error
}

var factNames = [...]string{
	factCreated: "created", factHandedOff: "handed off", factAttempt: "attempt", factBytesSent: "bytes sent",
	factReceived: "received", factHeard: "outcome", factSettled: "settled", factTermination: "termination",
	factUserLaunch: "user launch", factBgLaunch: "background launch", factBgResume: "background resume",
	factEventReached: "event reached the app", factInProcessResponse: "in-process response", factInProcessError: "in-process error",
	factCut: "cut", factProcessEnded: "process ended", factCrash: "crash", factNotRunning: "not running", factInvalidated: "invalidated session",
	factDelayed: "rate limiter delay", factUnheard: "outcome unheard",
}

func (k factKind) String() string { return factNames[k] }

// observe applies fact f, which happened at at, unless it is illegal.
func (l *ledger) observe(at sim.Time, f *fact) {
	if l.err != nil {
		return
	}
	if err := l.apply(at, f); err != nil {
		l.err = err
	}
}

// reserve makes room for n uploads.
func (l *ledger) reserve(n int) {
	l.uploads = slices.Grow(l.uploads, n)
	l.settled = slices.Grow(l.settled, n)
}

func (l *ledger) apply(at sim.Time, f *fact) error {
	if f.kind == factCreated {
		if int(f.up) != len(l.uploads) {
			return fmt.Errorf("model: ledger: upload #%d: fact %s at %v: the next upload is #%d", f.up, f.kind, at, len(l.uploads))
		}
		r := UploadRecord{ID: uploadID(len(l.uploads) + 1), Spec: f.spec, Session: f.session,
			Bytes: f.bytes, Items: int(f.items), Background: f.background, CreatedAt: at,
			HandedOffAt: sim.Never, StartedAt: sim.Never, ServerReceivedAt: sim.Never, SettledAt: sim.Never, CancelReason: NoCancelReason}
		if f.from > 0 {
			// Resume data comes with a failure the app heard of.
			from := f.from - 1
			if from >= f.up || !l.settled[from] || l.uploads[from].Fate != Failed || f.offset < 0 || f.offset > f.bytes {
				return fmt.Errorf("model: ledger: upload #%d: fact %s at %v refused: resumed from upload #%d at byte %d, which has no failure the app heard of, or no such byte", f.up, f.kind, at, from, f.offset)
			}
			r.ResumedFrom, r.ResumeOffset = l.uploads[from].ID, f.offset
		}
		l.uploads = append(l.uploads, r)
		l.settled = append(l.settled, false)
		return nil
	}
	if f.up < 0 || int(f.up) >= len(l.uploads) {
		return fmt.Errorf("model: ledger: upload #%d: fact %s at %v: no such upload", f.up, f.kind, at)
	}
	u, settled := &l.uploads[f.up], l.settled[f.up]
	refuse := func(why string) error {
		return fmt.Errorf("model: ledger: upload %s: fact %s at %v refused: %s", u.ID, f.kind, at, why)
	}
	switch f.kind {
	case factHandedOff:
		switch {
		case !u.Background:
			return refuse("an in-process task is never handed to the daemon")
		case u.HandedOffAt != sim.Never:
			return refuse(fmt.Sprintf("it was handed off at %v already", u.HandedOffAt))
		case settled:
			return refuse("its fate (" + string(u.Fate) + ") is final")
		}
		u.HandedOffAt = at
	case factAttempt:
		// An in-process task may start after its fate: the process that
		// asked for it ended at the same instant, before the network
		// took the request.
		switch {
		case u.Background && u.HandedOffAt == sim.Never:
			return refuse("the daemon does not have it")
		case u.Background && settled:
			return refuse("its fate (" + string(u.Fate) + ") is final")
		}
		u.Attempts++
		if u.StartedAt == sim.Never {
			u.StartedAt = at
		}
	case factBytesSent:
		// Bytes may follow a fate: an in-process task lost with its
		// process is torn down after.
		if f.bytes < 0 || u.Attempts == 0 {
			return refuse(fmt.Sprintf("%d bytes after %d attempts", f.bytes, u.Attempts))
		}
		if f.iface < 0 || int(f.iface) >= NumInterfaces {
			return refuse(fmt.Sprintf("bytes over interface %d", f.iface))
		}
		u.BytesSent += f.bytes
		u.BytesOn[f.iface] += f.bytes
		u.UsedOn[f.iface] = true
	case factDelayed:
		switch {
		case u.HandedOffAt != at:
			return refuse("the rate limiter holds a task only as the daemon takes it")
		case u.LimiterDelay != 0 || f.delay <= 0:
			return refuse(fmt.Sprintf("a hold of %v after one of %v", f.delay, u.LimiterDelay))
		}
		u.LimiterDelay = f.delay
	case factReceived:
		// The server may have it after the app's fate is final: that is
		// the lesson, not a bug.
		if u.Attempts == 0 {
			return refuse("no attempt sent it")
		}
		if u.ServerReceivedAt == sim.Never {
			u.ServerReceivedAt = at
		}
		u.ServerReceipts++
	case factHeard:
		if settled {
			return refuse("its fate (" + string(u.Fate) + ") is final")
		}
		u.Status, u.ErrorCode, u.CancelReason = f.status, f.code, f.cancelReason
	case factSettled:
		switch {
		case settled:
			return refuse(fmt.Sprintf("settled twice (%s, then %s)", u.Fate, f.fate))
		case !l.ended:
			return refuse("a verdict is for the end of the run; during it, a fate is drawn from what the app learnt")
		case f.fate != Pending && f.fate != Lost:
			return refuse("the run is over: its verdict is pending or lost")
		}
		if why := l.settle(f.up, ruling{f.fate, f.rule, f.reason}, at); why != "" {
			return refuse(why)
		}
	case factEventReached, factInProcessResponse, factInProcessError, factCut, factProcessEnded, factCrash, factNotRunning, factInvalidated, factUnheard:
		// What the app learnt: the ledger keeps what the app was told,
		// and the fate fateOf draws from it.
		switch {
		case settled:
			return refuse("its fate (" + string(u.Fate) + ") is final")
		case l.ended:
			return refuse("the run is over")
		}
		switch f.kind {
		case factEventReached:
			u.Status, u.ErrorCode, u.CancelReason = f.status, f.code, f.cancelReason
			if f.delegate != "" {
				u.Delegate = f.delegate
			}
		case factInProcessResponse:
			u.Status, u.Delegate = f.status, f.delegate
		case factInProcessError, factCut:
			u.ErrorCode = f.code
		}
		if why := l.settle(f.up, fateOf(f), at); why != "" {
			return refuse(why)
		}
	default:
		return refuse("not a fact about an upload")
	}
	return nil
}

// settle gives upload up fate r at at, or says why that is not legal.
func (l *ledger) settle(up int32, r ruling, at sim.Time) (refused string) {
	u := &l.uploads[up]
	if (r.fate == Delivered || r.fate == Failed) && u.Background && u.HandedOffAt == sim.Never {
		return "the daemon never had it, so the app cannot have heard its outcome"
	}
	l.settled[up] = true
	u.Fate, u.Rule, u.Reason, u.SettledAt = r.fate, r.rule, r.reason, at
	if r.fate == Pending {
		u.SettledAt = sim.Never // nothing is settled yet
	}
	return ""
}

func (l *ledger) get(i int32) *UploadRecord { return &l.uploads[i] }

func (l *ledger) isSettled(i int32) bool { return l.settled[i] }

// check verifies conservation: every upload has exactly one fate, and the
// counts by fate add up to the number of uploads.
func (l *ledger) check() error {
	if l.err != nil {
		return l.err
	}
	total := 0
	for _, f := range Fates {
		for _, u := range l.uploads {
			if u.Fate == f {
				total++
			}
		}
	}
	for i, u := range l.uploads {
		if !l.settled[i] || u.Fate == "" {
			return fmt.Errorf("model: ledger: upload %s ended the run without a fate", u.ID)
		}
	}
	if total != len(l.uploads) {
		return fmt.Errorf("model: ledger: %d uploads but %d fates", len(l.uploads), total)
	}
	return nil
}

// uploadIDs are the first uploads' names, made once: a sweep's run
// names its uploads without allocating.
var uploadIDs = func() (ids [64]string) {
	for i := range ids {
		ids[i] = "u" + strconv.Itoa(i+1)
	}
	return ids
}()

// uploadID names the nth upload (from 1): "u1", "u2", ...
func uploadID(n int) string {
	if n <= len(uploadIDs) {
		return uploadIDs[n-1]
	}
	return "u" + strconv.Itoa(n)
}
