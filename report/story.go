package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// beat is one trace record told for people: who, a short phrase, the rule
// behind it, and what it means for an upload.
type beat struct {
	At    sim.Time
	Actor string // app, daemon, network, server, radio
	Text  string
	Rule  string
	Mark  string // "crash", "delivered", "failed", "lost", "pending", "never_sent" or ""
	rec   sim.Record
}

// Actors lists the actors in the order reports show them.
var Actors = []string{"app", "daemon", "network", "server", "radio"}

func attrOf(rec sim.Record, key string) string {
	for _, a := range rec.Attrs {
		if a.Key == key {
			return a.Value()
		}
	}
	return ""
}

func attrTime(rec sim.Record, key string) string {
	for _, a := range rec.Attrs {
		if a.Key == key && a.Kind == sim.AttrTime {
			return shortTime(sim.Time(a.Num))
		}
	}
	return ""
}

// shortTime rounds a span to the millisecond for phrases.
func shortTime(t sim.Time) string { return When(t)[1:] }

// story turns a run's trace into beats, leaving out records that would
// only repeat what the reader already sees (each workload item, say).
//
// The ledger writes every upload's fate (ledger.fate) when the run ends;
// the story tells it when the upload settled (UploadRecord.SettledAt),
// right after what settled it. A pending upload, which never settles, and
// one that settles only at the end keep the record's time. The trace
// itself, and so the fingerprint, is left as it is.
func story(r *model.Result) []beat {
	settled := make(map[string]sim.Time, len(r.Uploads))
	for _, u := range r.Uploads {
		settled[u.ID] = u.SettledAt
	}
	var out []beat
	moved := false
	for _, rec := range r.Trace {
		text, mark, ok := phrase(rec)
		if !ok {
			continue
		}
		at := rec.At
		if rec.Kind == string(model.KindLedgerFate) {
			if s, ok := settled[attrOf(rec, "upload")]; ok && s != sim.Never && s < at {
				at, moved = s, true
			}
		}
		out = append(out, beat{At: at, Actor: rec.Actor, Text: text, Rule: rec.Rule, Mark: mark, rec: rec})
	}
	if moved {
		// Stable: a fate comes after the other beats of its instant.
		slices.SortStableFunc(out, func(a, b beat) int { return cmp.Compare(a.At, b.At) })
	}
	return out
}

// phrase says what a record means in a few words.
func phrase(rec sim.Record) (text, mark string, ok bool) {
	up := attrOf(rec, "upload")
	id := attrOf(rec, "identifier")
	iface := attrOf(rec, "interface")
	withUp := func(s string) string {
		if up == "" {
			return s
		}
		return up + ": " + s
	}
	code := func() string {
		c, _ := strconv.Atoi(attrOf(rec, "code"))
		if name := model.ErrorName(c); name != "" {
			return fmt.Sprintf("%d %s", c, name)
		}
		return strconv.Itoa(c)
	}
	switch rec.Actor + " " + rec.Kind {
	case "app trigger.fired", "daemon trigger.fired", "network trigger.fired",
		"app trigger.unfired", "daemon trigger.unfired", "network trigger.unfired":
		// The note says the condition and the step.
		text = rec.Note
	case "app app.state":
		text = rec.Note + " → " + attrOf(rec, "to")
	case "app session.created":
		text = "creates session " + id
	case "app session.duplicate":
		text = "a second session " + id + ": the first is returned, its delegate kept"
	case "app upload.start":
		n, _ := strconv.ParseInt(attrOf(rec, "bytes"), 10, 64)
		text = withUp("the code starts an upload (" + Bytes(n) + ", " + attrOf(rec, "api") + ")")
	case "app task.resume":
		text = withUp("resume(): handed to nsurlsessiond")
	case "app file.deleted":
		text = withUp("deletes its file (the daemon has a copy)")
	case "app app.update":
		text = rec.Note
	case "app app.crash":
		text, mark = "CRASH "+attrOf(rec, "exception")+": "+rec.Note, "crash"
	case "app app.handle-events":
		text = "handleEventsForBackgroundURLSession(" + id + ")"
	case "app session.not-recreated":
		text = "recreates no session for " + id
	case "app session.wrong-identifier":
		text = "recreates " + attrOf(rec, "recreated") + ", not " + id
	case "app delegate.did-receive-response":
		text, mark = withUp(attrOf(rec, "delegate")+" gets the response (HTTP "+attrOf(rec, "status")+")"), "delivered"
	case "app delegate.did-complete":
		text, mark = withUp(attrOf(rec, "delegate")+" gets error "+code()), "failed"
	case "app task.event.dropped":
		text, mark = withUp("no delegate: the events are dropped"), "lost"
	case "app delegate.did-finish-events":
		text = "urlSessionDidFinishEvents(" + id + ")"
	case "app completion-handler.called":
		text = "calls the completion handler"
	case "app completion-handler.not-called":
		text = "never calls the completion handler"
	case "app upload.chain":
		text = "the delegate starts the next upload"
	case "app task.cancel":
		text = withUp(rec.Note)
	case "app session.invalidate":
		text = "invalidates " + id
	case "app session.invalid":
		text = "didBecomeInvalidWithError(" + id + ")"
		if c := attrOf(rec, "code"); c != "" {
			text = "didBecomeInvalidWithError(" + id + ", " + code() + ")"
		}
	case "app extension.state":
		text = "extension " + attrOf(rec, "extension") + " (pid " + attrOf(rec, "pid") + "): " + attrOf(rec, "to")
	case "daemon session.refused":
		text = "refuses process " + attrOf(rec, "pid") + "'s connection to " + id + ": " + code()
	case "app task.invalid-session":
		text, mark = withUp("created on an invalidated session: never runs"), "never_sent"
	case "app upload.resume":
		text = withUp("uploadTask(withResumeData:) from byte " + attrOf(rec, "offset"))
	case "app upload.skipped":
		text = withUp(rec.Note)
	case "app task.cut":
		text = withUp("suspension cuts the connection")
	case "app task.failed":
		text, mark = withUp("fails with "+code()), "failed"
	case "app task.response":
		text, mark = withUp("the response reaches the app (HTTP "+attrOf(rec, "status")+")"), "delivered"
	case "app batch.flush":
		text = "sends a batch of " + attrOf(rec, "items") + " items"
	case "app wake.refused":
		text = "iOS does not launch the app: the user force quit it"
	case "app message.stale":
		text = "a " + attrOf(rec, "message") + " meant for an earlier process is dropped"
	case "app hook.run", "app hook.refused":
		text = rec.Note
	case "app batch.due", "app user.ignored", "app system.ignored", "app app.force-quit":
		text = rec.Note
	case "app item", "app item.skipped":
		return "", "", false // one per item: the batch and the uploads tell it
	case "app ledger.fate":
		f := attrOf(rec, "fate")
		text, mark = withUp(strings.ToUpper(f)), f

	case "daemon task.received":
		text = withUp("has the task and its own copy of the body")
	case "daemon task.start":
		if b := attrOf(rec, "from_byte"); b != "0" && b != "" {
			text = withUp("starts the transfer again, from byte " + b)
		} else {
			text = withUp("starts the transfer")
		}
	case "daemon task.discretionary":
		text = withUp("discretionary: the system picks when")
	case "daemon task.delayed":
		text = withUp("held " + attrTime(rec, "delay") + " by the rate limiter")
	case "daemon task.waiting", "daemon task.relaxed", "daemon events.held", "daemon force-quit.continue", "daemon event.requeued":
		text = withUp(rec.Note)
	case "daemon task.not-discretionary":
		text = withUp("no longer discretionary")
	case "daemon task.retry":
		text = withUp(rec.Note)
	case "daemon task.completed":
		text = withUp("has the response (HTTP " + attrOf(rec, "status") + ")")
	case "daemon task.cancelled":
		if r := attrOf(rec, "cancel_reason"); r != "" {
			text = withUp("cancelled: " + code() + ", reason " + r)
		} else {
			text = withUp("cancelled by the app: " + code())
			if o := attrOf(rec, "offset"); o != "" && o != "0" {
				text += ", resume data for byte " + o
			}
		}
	case "daemon task.failed":
		text = withUp("fails: " + code())
	case "daemon task.vanished":
		text = withUp("vanishes: no event will come")
	case "daemon session.reconnected":
		text = id + " recreated: replays " + attrOf(rec, "held") + " held event(s)"
	case "daemon event.delivered":
		text = withUp("sends the outcome to the app")
	case "daemon app.wake":
		text = attrOf(rec, "how") + " the app for " + id
	case "daemon rate-limiter.set":
		text = "request delay now " + attrTime(rec, "delay")
	case "daemon rate-limiter.reset":
		text = "request delay reset"
	case "daemon power":
		text = "power: " + attrOf(rec, "step")

	case "network transfer.connecting":
		text = withUp("connects over " + iface)
		if b := attrOf(rec, "from_byte"); b != "0" {
			text += ", resuming at byte " + b
		}
	case "network transfer.waiting":
		text = withUp("no usable path: waits")
	case "network transfer.path-lost":
		text = withUp(iface + " lost after " + attrOf(rec, "sent") + " bytes")
	case "network transfer.cut":
		text = withUp("connection torn down")
	case "network transfer.no-path", "network response.dropped", "network request.timed-out",
		"server redirect.answered", "network redirect.followed", "network redirect.too-many",
		"server auth.challenge", "network auth.challenge", "daemon auth.challenge",
		"app auth.answered", "daemon auth.answered", "network auth.answered", "app auth.unanswered", "daemon auth.unanswered":
		text = withUp(rec.Note)
	case "network interface.up", "network interface.down":
		text = rec.Note
	case "network outage":
		text = "OUTAGE for " + attrTime(rec, "for")
	case "network outage.over":
		text = "the outage ends"
	case "network interface.bandwidth":
		up, _ := strconv.ParseInt(attrOf(rec, "up_bps"), 10, 64)
		text = fmt.Sprintf("%s up %s", iface, rate(up))

	case "server upload.received":
		text = withUp("has the whole body")
		if attrOf(rec, "bytes") == "0" {
			// A redirect (301, 302, 303) turned the upload into a GET.
			text = withUp("gets a GET without the body: the upload never arrives")
		}
		if n := attrOf(rec, "receipt"); n != "1" && n != "" {
			text += " (again: receipt " + n + ")"
		}

	case "radio radio.promotion":
		text = iface + ": promotion " + attrTime(rec, "takes")
	case "radio radio.active":
		text = iface + ": active"
	case "radio radio.tail":
		text = iface + ": tail"
		if ph := attrOf(rec, "phase"); ph != "tail" {
			text += " (" + ph + ")"
		}
	case "radio radio.idle":
		text = iface + ": idle"
	case "radio radio.off":
		text = iface + ": off (no path)"
	default:
		text = rec.Kind + ": " + rec.Note
	}
	return text, mark, true
}

func rate(bps int64) string {
	switch {
	case bps >= 1e9:
		return fmt.Sprintf("%gGbps", float64(bps)/1e9)
	case bps >= 1e6:
		return fmt.Sprintf("%gMbps", float64(bps)/1e6)
	case bps >= 1e3:
		return fmt.Sprintf("%gkbps", float64(bps)/1e3)
	}
	return fmt.Sprintf("%dbps", bps)
}
