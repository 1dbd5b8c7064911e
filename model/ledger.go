package model

import (
	"fmt"

	"bgsim/sim"
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
	}
	return ""
}

// NoCancelReason marks an error without NSURLErrorBackgroundTaskCancelledReasonKey.
const NoCancelReason = -1

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

	CreatedAt        sim.Time
	HandedOffAt      sim.Time // the daemon had the task
	ServerReceivedAt sim.Time // the server had the last byte
	SettledAt        sim.Time // the fate became final; sim.Never for pending
}

// ledger keeps the upload records and enforces that each is settled once.
type ledger struct {
	uploads []UploadRecord
	settled []bool
	err     error
}

func (l *ledger) add(r UploadRecord) int32 {
	r.HandedOffAt, r.ServerReceivedAt, r.SettledAt = sim.Never, sim.Never, sim.Never
	r.CancelReason = NoCancelReason
	l.uploads = append(l.uploads, r)
	l.settled = append(l.settled, false)
	return int32(len(l.uploads) - 1)
}

func (l *ledger) get(i int32) *UploadRecord { return &l.uploads[i] }

// settle gives upload i its final fate. Settling twice is a bug in the
// model: the first error is kept and fails the run.
func (l *ledger) settle(i int32, at sim.Time, f Fate, rule RuleID, reason string) {
	if l.settled[i] {
		if l.err == nil {
			l.err = fmt.Errorf("model: ledger: upload %s settled twice (%s, then %s at %v)", l.uploads[i].ID, l.uploads[i].Fate, f, at)
		}
		return
	}
	l.settled[i] = true
	r := &l.uploads[i]
	r.Fate, r.Rule, r.Reason, r.SettledAt = f, rule, reason, at
	if f == Pending {
		r.SettledAt = sim.Never // nothing is settled yet
	}
}

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
