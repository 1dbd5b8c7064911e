package scenarios

import (
	"slices"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// ExploreSpec is a scenario's own choice of what bgsim explore injects.
type ExploreSpec struct {
	Pos       Pos
	Faults    []Str      `yaml:"faults" doc:"the faults bgsim explore injects when its command line names none (bgsim explore -h lists them)"`
	Durations []Duration `yaml:"for" doc:"how long a fault that lasts (outage, wifi-loss, low-power, cellular-loss) lasts: each duration is a fault of its own (default [10s, 2m])"`
}

// Bounds of an explore: block.
const (
	maxExploreFaults    = 16
	maxExploreDurations = 8
	maxFaultDuration    = 7 * 24 * sim.Hour
)

// ExploreBlock is a checked explore: block.
type ExploreBlock struct {
	Faults    []string
	Durations []sim.Time
}

// Explore returns the scenario's explore: block (empty if it has none).
func (sc *Scenario) Explore() ExploreBlock { return sc.explore }

// checkExplore checks an explore: block and returns it.
func (d *decoder) checkExplore(e *ExploreSpec) ExploreBlock {
	var out ExploreBlock
	if e == nil {
		return out
	}
	names := model.FaultNames()
	if len(e.Faults) > maxExploreFaults {
		d.add(e.Pos, "explore.faults: %d faults; at most %d", len(e.Faults), maxExploreFaults)
	}
	for _, f := range e.Faults[:min(len(e.Faults), maxExploreFaults)] {
		if !slices.Contains(names, f.Value) {
			d.add(f.Pos, "explore.faults: no fault %q%s; the faults are %s", f.Value, didYouMean(f.Value, names), strings.Join(names, ", "))
			continue
		}
		out.Faults = append(out.Faults, f.Value)
	}
	if len(e.Durations) > maxExploreDurations {
		d.add(e.Pos, "explore.for: %d durations; at most %d", len(e.Durations), maxExploreDurations)
	}
	for _, o := range e.Durations[:min(len(e.Durations), maxExploreDurations)] {
		if o.Value <= 0 || o.Value > maxFaultDuration {
			d.add(o.Pos, "explore.for: %v: want above 0s and at most 7d", o.Value)
			continue
		}
		out.Durations = append(out.Durations, o.Value)
	}
	return out
}
