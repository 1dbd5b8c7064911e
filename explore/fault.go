// Package explore runs a scenario under every schedule of injected
// faults up to a depth, at every distinct moment of the run, and finds the
// smallest schedules that break a property (docs/explore.md).
//
// A fault is a timeline step added to the scenario: a schedule is the
// scenario with extra steps, so every schedule replays exactly with
// bgsim run, from the file Counterexample writes.
package explore

import (
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

// DefaultOutages are the durations an outage fault lasts, by default: a
// short cut that a retry rides out, and a long one.
var DefaultOutages = []sim.Time{10 * sim.Second, 2 * sim.Minute}

// MaxOutages bounds the durations an outage fault may take.
const MaxOutages = 8

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

// Fault is one fault of a schedule: a kind at an instant, and for an
// outage its duration.
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

// step is the timeline step the fault adds.
func (f Fault) step() model.Action {
	a := model.Action{At: f.At, Do: Kinds[f.Kind].Do}
	if a.Do == model.Outage {
		a.For = f.For
	}
	return a
}

// less orders faults by time, then kind, then duration: the order in which
// a schedule lists them, and the order that makes one minimal
// counterexample earlier than another.
func (f Fault) less(g Fault) bool { return f.compare(g) < 0 }

func (f Fault) compare(g Fault) int {
	switch {
	case f.At != g.At:
		return cmp(f.At, g.At)
	case f.Kind != g.Kind:
		return cmp(f.Kind, g.Kind)
	}
	return cmp(f.For, g.For)
}

func cmp[T ~int | ~int64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareSchedules orders schedules: fewer faults first, then the earlier
// one, fault by fault.
func compareSchedules(a, b []Fault) int {
	if len(a) != len(b) {
		return cmp(len(a), len(b))
	}
	for i := range a {
		if c := a[i].compare(b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// WithFaults returns cfg with each fault's step added to its timeline,
// and the index each fault's step takes there. A fault at t goes after
// every step at or before t and before the first later one, faults in
// schedule order: the place a variant's add_timeline gives a step at t
// (scenarios: addSteps), so the file Counterexample writes runs the same
// timeline. Steps at one instant happen in the order they are listed, so
// a fault at t comes after the scenario's own steps at t and before what
// the run itself schedules at t. cfg's timeline is not changed.
func WithFaults(cfg model.Config, faults []Fault) (model.Config, []int) {
	tl := make([]model.Action, 0, len(cfg.Timeline)+len(faults))
	at := make([]int, len(faults))
	j := 0
	for _, a := range cfg.Timeline {
		for j < len(faults) && faults[j].At < a.At {
			at[j] = len(tl)
			tl = append(tl, faults[j].step())
			j++
		}
		tl = append(tl, a)
	}
	for ; j < len(faults); j++ {
		at[j] = len(tl)
		tl = append(tl, faults[j].step())
	}
	cfg.Timeline = tl
	return cfg, at
}
