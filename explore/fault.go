// Package explore runs a scenario under every schedule of injected
// faults up to a depth, at every distinct moment of the run, and finds the
// smallest schedules that break a property (docs/explore.md).
//
// A fault is a timeline step added to the scenario: a schedule is the
// scenario with extra steps, so every schedule replays exactly with
// bgsim run, from the file Counterexample writes.
package explore

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Kinds lists the faults, in the order schedules are enumerated.
var Kinds = model.FaultKinds

// KindNames lists the fault names, in Kinds' order.
func KindNames() []string { return model.FaultNames() }

// DefaultKinds lists the faults explored by default.
func DefaultKinds() []string {
	var out []string
	for _, k := range Kinds {
		if k.Default {
			out = append(out, k.Name)
		}
	}
	return out
}

// DefaultDurations are how long a fault that lasts (an outage, a Wi-Fi
// loss, Low Power Mode) lasts, by default: a short cut that a retry rides
// out, and a long one. Each duration is a fault of its own.
var DefaultDurations = []sim.Time{10 * sim.Second, 2 * sim.Minute}

// MaxDurations bounds the durations a fault may take.
const MaxDurations = 8

// kindIndex returns the index in Kinds of the fault called name, or an
// error naming the nearest.
func kindIndex(name string) (int, error) {
	i := slices.IndexFunc(Kinds, func(k model.FaultKind) bool { return k.Name == name })
	if i < 0 {
		hint := ""
		if n := model.Nearest(name, KindNames()); n != "" {
			hint = fmt.Sprintf("; did you mean %q?", n)
		}
		return -1, fmt.Errorf("no fault %q%s (faults: %s)", name, hint, strings.Join(KindNames(), ", "))
	}
	return i, nil
}

// Fault is one fault of a schedule: a kind at an instant, and for a fault
// that lasts its duration.
type Fault struct {
	Kind int // index in Kinds
	At   sim.Time
	For  sim.Time
}

// Name is the fault's kind as written.
func (f Fault) Name() string { return Kinds[f.Kind].Name }

// String writes the fault as people read it: "purge at 12.8s",
// "outage at 5s for 10s".
func (f Fault) String() string {
	s := f.Name() + " at " + f.At.String()
	if f.For > 0 {
		s += " for " + f.For.String()
	}
	return s
}

// step is the timeline step the fault adds at its instant.
func (f Fault) step() model.Action {
	a := model.Action{At: f.At, Do: Kinds[f.Kind].Do}
	if a.Do == model.Outage {
		a.For = f.For
	}
	return a
}

// end is the step that ends a fault that lasts (wifi-on after wifi-off),
// and whether it has one; an outage ends by itself.
func (f Fault) end() (model.Action, bool) {
	k := Kinds[f.Kind]
	if k.Until == "" {
		return model.Action{}, false
	}
	return model.Action{At: f.At + f.For, Do: k.Until}, true
}

// faultStep is a step a schedule adds, and the fault it is of.
type faultStep struct {
	a     model.Action
	fault int
	start bool
}

// steps lists the steps of a schedule in the order they go in the
// timeline: by time, and in schedule order at one instant (each fault's
// start before its end), as a variant's add_timeline orders its steps.
func steps(faults []Fault) []faultStep {
	var out []faultStep
	for i, f := range faults {
		out = append(out, faultStep{a: f.step(), fault: i, start: true})
		if e, ok := f.end(); ok {
			out = append(out, faultStep{a: e, fault: i})
		}
	}
	slices.SortStableFunc(out, func(x, y faultStep) int { return cmp.Compare(x.a.At, y.a.At) })
	return out
}

// less orders faults by time, then kind, then duration: the order in which
// a schedule lists them, and the order that makes one minimal
// counterexample earlier than another.
func (f Fault) less(g Fault) bool { return f.compare(g) < 0 }

func (f Fault) compare(g Fault) int {
	switch {
	case f.At != g.At:
		return cmp.Compare(f.At, g.At)
	case f.Kind != g.Kind:
		return cmp.Compare(f.Kind, g.Kind)
	}
	return cmp.Compare(f.For, g.For)
}

// compareSchedules orders schedules: fewer faults first, then the earlier
// one, fault by fault.
func compareSchedules(a, b []Fault) int {
	if len(a) != len(b) {
		return cmp.Compare(len(a), len(b))
	}
	for i := range a {
		if c := a[i].compare(b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// WithFaults returns cfg with each fault's steps added to its timeline
// (for a fault that lasts, the step that starts it and the one that ends
// it), and the index the step starting each fault takes there. A step at
// t goes after every step at or before t and before the first later one,
// the added steps in the order steps gives: the place a variant's
// add_timeline gives a step at t (scenarios: addSteps), so the file
// Counterexample writes runs the same timeline. Steps at one instant
// happen in the order they are listed, so a fault at t comes after the
// scenario's own steps at t and before what the run itself schedules at t.
// cfg's timeline is not changed.
func WithFaults(cfg model.Config, faults []Fault) (model.Config, []int) {
	cfg, at, _ := withFaults(cfg, faults)
	return cfg, at
}

// withFaults is WithFaults, and also returns the index each added step
// takes, in the order steps gives them.
func withFaults(cfg model.Config, faults []Fault) (model.Config, []int, []int) {
	add := steps(faults)
	tl := make([]model.Action, 0, len(cfg.Timeline)+len(add))
	at := make([]int, len(faults))
	pos := make([]int, len(add))
	j := 0
	put := func() {
		if add[j].start {
			at[add[j].fault] = len(tl)
		}
		pos[j] = len(tl)
		tl = append(tl, add[j].a)
		j++
	}
	for _, a := range cfg.Timeline {
		for j < len(add) && add[j].a.At < a.At {
			put()
		}
		tl = append(tl, a)
	}
	for j < len(add) {
		put()
	}
	cfg.Timeline = tl
	return cfg, at, pos
}
