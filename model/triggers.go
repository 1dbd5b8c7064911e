package model

import (
	"math/bits"
	"strconv"

	"github.com/bgsim/bgsim/sim"
)

// A timeline step with a trigger (Action.When) happens After past the
// instant its condition first holds, once. The world evaluates the
// triggers, since it sees every change they wait for: the ledger's facts
// (an upload created, handed off, its first attempt, the server's receipt,
// its fate) and the background launches, as it applies them; and, for a
// share of an upload's body on the air, the uplink the body is on. A
// body's progress is continuous on a shared link (link.go), so the world
// computes the instant the share is reached at the link's current share
// and sets a check there; after every step it computes it again (a flow
// joined or left, the rate changed, the body was cut) and moves the check.
// The step, when the trigger fires, is scheduled through the kernel as an
// at: step is, to the actor it is for. A config without triggers schedules
// and records nothing more: its trace is what it was.

// trigger is the run's state of one step with a condition.
type trigger struct {
	step   int32
	up     int32 // the upload the condition names, once created; -1 before
	target int64 // for Sent: the body byte the share reaches
	fired  bool
	ran    bool     // the step happened
	heldAt sim.Time // when the condition held
	check  sim.Handle
	armed  bool     // check is pending
	at     sim.Time // when check fires
}

// UnfiredStep is a timeline step with a trigger that did not happen in
// the run: its condition never held (HeldAt is sim.Never), or it held but
// the step, After later, came past the run's end.
type UnfiredStep struct {
	Step   int // its index in the timeline
	Do     ActionKind
	When   string // the condition, as the scenario writes it
	After  sim.Time
	HeldAt sim.Time
}

// initTriggers notes the steps with a condition.
func (w *world) initTriggers() {
	for i := range w.cfg.Timeline {
		a := &w.cfg.Timeline[i]
		if !a.When.Set() {
			continue
		}
		w.trigs = append(w.trigs, trigger{step: int32(i), up: -1, heldAt: sim.Never})
	}
}

// fire schedules trigger t's step, After from now, to the actor it is for.
func (w *world) fire(t *trigger) {
	now := w.s.Now()
	a := &w.cfg.Timeline[t.step]
	t.fired, t.heldAt = true, now
	if t.armed {
		w.s.Cancel(t.check)
		t.armed = false
	}
	to := a.Do.owner()
	w.s.At(addTime(now, a.After), msg{to: to, kind: timelineKind[to], up: -1, step: t.step})
	w.record(to, KindTriggerFired, "", "when "+a.When.String()+" holds: "+string(a.Do)+" after "+a.After.String(),
		num(AttrStep, int64(t.step)), str(AttrAction, string(a.Do)), span(AttrDelay, a.After))
}

// onFact fires the triggers that fact f, just applied, makes hold.
func (w *world) onFact(f *fact) {
	for i := range w.trigs {
		t := &w.trigs[i]
		if t.fired {
			continue
		}
		c := &w.cfg.Timeline[t.step].When
		if c.BackgroundLaunches > 0 {
			if f.kind == factBgLaunch && w.bgLaunches >= c.BackgroundLaunches {
				w.fire(t)
			}
			continue
		}
		switch f.kind {
		case factTermination, factUserLaunch, factBgLaunch, factBgResume:
			continue
		}
		if t.up < 0 {
			if f.kind != factCreated || w.ledger.get(f.up).Spec != c.Upload {
				continue
			}
			t.up = f.up
			if c.Sent > 0 {
				// ceil(Sent% of the body), at least its first byte.
				b := w.ledger.get(f.up).Bytes
				t.target = max((b*int64(c.Sent)+99)/100, 1)
			}
		}
		if f.up != t.up {
			continue
		}
		var holds bool
		switch {
		case c.State != "":
			holds = f.kind == stateFact[c.State]
		case c.Fate != "":
			holds = w.ledger.isSettled(t.up) && w.ledger.get(t.up).Fate == c.Fate
		}
		if holds {
			w.fire(t)
		}
	}
}

// stateFact is the fact with which an upload reaches each state.
var stateFact = map[string]factKind{
	UploadCreated:      factCreated,
	UploadHandedOff:    factHandedOff,
	UploadTransferring: factAttempt,
	UploadReceived:     factReceived,
}

// checkSent fires the share triggers whose share is on the air, and sets
// or moves the check of the others whose body is on its uplink to the
// instant, at the current share, it will be.
func (w *world) checkSent() {
	now := w.s.Now()
	for i := range w.trigs {
		t := &w.trigs[i]
		if t.fired || t.up < 0 || w.cfg.Timeline[t.step].When.Sent == 0 {
			continue
		}
		at := w.sentAt(t.up, t.target)
		switch {
		case at <= now:
			w.fire(t)
		case at == sim.Never:
			if t.armed {
				w.s.Cancel(t.check)
				t.armed = false
			}
		case !t.armed:
			t.check = w.s.At(at, msg{to: toWorld, kind: worldCheck, up: t.up, step: t.step})
			t.armed, t.at = true, at
		case t.at != at:
			w.s.Move(t.check, at)
			t.at = at
		}
	}
}

// sentAt returns when upload up's body reaches byte target on the air, at
// its uplink's current share: now or earlier if it has, sim.Never if the
// body is not going out. It reads the link without bringing it up to now,
// so that the link's own arithmetic stays what it is without triggers.
func (w *world) sentAt(up int32, target int64) sim.Time {
	now := w.s.Now()
	if int(up) >= len(w.net.xfers) {
		return sim.Never
	}
	x := &w.net.xfers[up]
	if x.sent >= target {
		return now
	}
	if x.phase != phBody || x.flow.pos < 0 {
		return sim.Never
	}
	if target <= x.fromBytes {
		return now
	}
	l := &w.net.ifs[x.iface].links[uplink]
	n := uint64(len(l.flows))
	if n == 0 || l.rate <= 0 {
		return sim.Never
	}
	v := l.v
	if now > l.at {
		hi, lo := bits.Mul64(uint64(now-l.at), uint64(l.rate))
		v = v.add(u128{hi, lo}.div(n))
	}
	hi, lo := bits.Mul64(uint64(target-x.fromBytes), unitsPerByte)
	vt := x.flow.v0.add(u128{hi, lo})
	if vt.cmp(v) <= 0 {
		return now
	}
	return addTime(now, serviceTime(vt.sub(v), n, l.rate))
}

// unfired lists the steps with a trigger that did not happen, and records
// each at the run's end.
func (w *world) unfired() []UnfiredStep {
	var out []UnfiredStep
	for i := range w.trigs {
		t := &w.trigs[i]
		if t.ran {
			continue
		}
		a := &w.cfg.Timeline[t.step]
		out = append(out, UnfiredStep{Step: int(t.step), Do: a.Do, When: a.When.String(), After: a.After, HeldAt: t.heldAt})
		note := "when " + a.When.String() + " never held: " + string(a.Do) + " did not happen"
		if t.fired {
			note = "when " + a.When.String() + " held at " + t.heldAt.String() + ", but " + string(a.Do) + " after " + a.After.String() + " came past the run's end"
		}
		w.record(a.Do.owner(), KindTriggerUnfired, "", note,
			num(AttrStep, int64(t.step)), str(AttrAction, string(a.Do)))
	}
	return out
}

// stepRan notes that timeline step m.step, if it has a trigger, happened.
func (w *world) stepRan(m *msg) {
	for i := range w.trigs {
		if w.trigs[i].step == m.step {
			w.trigs[i].ran = true
			return
		}
	}
}

// String writes a step's index as the scenario's paths do.
func (u UnfiredStep) String() string {
	s := "timeline[" + strconv.Itoa(u.Step) + "] (do: " + string(u.Do) + ", when: " + u.When
	if u.After > 0 {
		s += ", after: " + u.After.String()
	}
	s += ")"
	if u.HeldAt == sim.Never {
		return s + ": the condition never held"
	}
	return s + ": held at " + u.HeldAt.String() + ", the step came past the run's end"
}

// trigIndex returns the index in w.trigs of step's trigger.
func (w *world) trigIndex(step int32) int {
	for i := range w.trigs {
		if w.trigs[i].step == step {
			return i
		}
	}
	panic("model: a trigger check for step " + strconv.Itoa(int(step)) + ", which has none")
}
