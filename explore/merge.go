package explore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

// SourceHash identifies a scenario as written: the SHA-256 of its file.
func SourceHash(sc *scenarios.Scenario) string {
	h := sha256.Sum256(sc.Source)
	return hex.EncodeToString(h[:])
}

// Merge joins the reports of the slices of one exploration (Options.Shard)
// into the report one machine would have made. The slices must all be of
// sc as written, explored with the same options, one report per slice
// and every slice there. A slice's counts are taken as given, but not its
// counterexamples: Merge runs each group's minimal one again and refuses
// a report whose failure does not happen, so a tampered file cannot put
// a failure in the result that the model does not show (nor a random
// schedule's seed that does not draw it). The upload,
// reason, rules and fingerprint come from that run.
func Merge(sc *scenarios.Scenario, parts []*Report) (*Report, error) {
	if len(parts) == 0 {
		return nil, errors.New("no reports to merge")
	}
	first := parts[0]
	if first.Shards == 0 {
		return nil, errors.New("the reports are not slices of an exploration (made with --shard K/N)")
	}
	if len(parts) != first.Shards {
		return nil, fmt.Errorf("%d reports for %d slices: every slice once", len(parts), first.Shards)
	}
	seen := make([]bool, first.Shards+1)
	for i, p := range parts {
		switch {
		case p.Scenario != sc.Name || p.Source != SourceHash(sc):
			return nil, fmt.Errorf("report %d explored another scenario, or another version of %s", i+1, sc.Name)
		case p.Model != first.Model:
			return nil, fmt.Errorf("report %d was made by a bgsim whose model differs from report 1's", i+1)
		case p.Shards != first.Shards || p.Variant != first.Variant || p.Depth != first.Depth || p.Random != first.Random || p.Seed != first.Seed ||
			!slices.Equal(p.Faults, first.Faults) || !slices.Equal(p.Durations, first.Durations) || !slices.Equal(p.Property, first.Property):
			return nil, fmt.Errorf("report %d explored with other options than report 1 (variant, depth, faults, durations, property, random, seed or slices)", i+1)
		case p.Shard < 1 || p.Shard > p.Shards || seen[p.Shard]:
			return nil, fmt.Errorf("report %d is slice %d/%d, which is missing from or given twice in the others", i+1, p.Shard, p.Shards)
		}
		seen[p.Shard] = true
	}
	e := &explorer{sc: sc, opt: Options{Variant: first.Variant, Faults: first.Faults, Durations: first.Durations, Depth: first.Depth,
		Property: first.Property, Random: first.Random, Seed: first.Seed}}
	if err := e.setUp(); err != nil {
		return nil, err
	}
	moments, err := e.runBases()
	if err != nil {
		return nil, err
	}
	out := &Report{Scenario: sc.Name, Source: first.Source, Model: first.Model, Variant: first.Variant, Depth: first.Depth, Faults: first.Faults,
		Durations: first.Durations, Property: first.Property, Random: first.Random, Seed: first.Seed}
	var all tally
	for _, p := range parts {
		out.Schedules += p.Schedules
		out.Pruned += p.Pruned
		var t tally
		for _, f := range p.Failures {
			v := slices.IndexFunc(sc.Variants, func(x scenarios.Variant) bool { return x.Name == f.Variant })
			if v < 0 || !slices.Contains(e.variants, v) {
				return nil, fmt.Errorf("slice %d: a failure of variant %q, which %s does not have", p.Shard, f.Variant, sc.Name)
			}
			if t.groups == nil {
				t.groups = map[key]*group{}
			}
			k := key{v, f.Fate, f.Rule}
			if t.groups[k] != nil {
				return nil, fmt.Errorf("slice %d: the failure %s %s of %q twice", p.Shard, f.Fate, f.Rule, f.Variant)
			}
			t.groups[k] = &group{count: f.Count, faults: f.Faults, seed: f.Seed, first: f.First, last: f.Last}
		}
		all.merge(&t)
	}
	out.Failures = all.failures(e)
	for i := range out.Failures {
		f := &out.Failures[i]
		if at := lastAt(f.Faults); at < f.First || at > f.Last {
			return nil, fmt.Errorf("the window %s to %s of %s %s (%s) does not hold its minimal counterexample's last fault (at %s): the report was altered",
				f.First, f.Last, f.Fate, f.Rule, runName(sc.Name, f.Variant), at)
		}
		if err := e.verify(f); err != nil {
			return nil, err
		}
		if v := slices.IndexFunc(sc.Variants, func(x scenarios.Variant) bool { return x.Name == f.Variant }); e.opt.Random > 0 && len(f.Faults) > 0 &&
			(f.Seed-e.opt.Seed >= uint64(e.opt.Random) || !slices.Equal(e.draw(v, f.Seed, moments[v]), f.Faults)) {
			return nil, fmt.Errorf("the counterexample of %s %s (%s) gives seed %d, which does not draw it in this exploration: the report was altered, or made by another model",
				f.Fate, f.Rule, runName(sc.Name, f.Variant), f.Seed)
		}
	}
	return out, nil
}

// runBases runs every explored variant as written, for the expectations
// that compare variants, and returns each one's event instants (by
// variant index), from which random schedules are drawn.
func (e *explorer) runBases() ([][]sim.Time, error) {
	e.bases = make([]*model.Result, len(e.sc.Variants))
	moments := make([][]sim.Time, len(e.sc.Variants))
	var r model.Runner
	for _, v := range e.variants {
		res, ms, err := r.RunMoments(e.config(v, nil), nil)
		if err != nil {
			return nil, err
		}
		e.bases[v], moments[v] = res, ms
	}
	return moments, nil
}

// verify runs f's minimal counterexample and checks that it fails as f
// says, then describes it.
func (e *explorer) verify(f *Failure) error {
	v := slices.IndexFunc(e.sc.Variants, func(x scenarios.Variant) bool { return x.Name == f.Variant })
	if len(f.Faults) > e.opt.Depth {
		return fmt.Errorf("the counterexample of %s %s (%s) has %d faults, more faults than the depth (%d) this exploration runs",
			f.Fate, f.Rule, runName(e.sc.Name, f.Variant), len(f.Faults), e.opt.Depth)
	}
	for _, x := range f.Faults {
		if h := e.horizon(v, e.bases[v]); x.At >= h && h > 0 || !slices.ContainsFunc(e.kinds, func(k Fault) bool { return k.Kind == x.Kind && k.For == x.For }) {
			return fmt.Errorf("the counterexample of %s %s (%s) has a fault this exploration does not inject: %s", f.Fate, f.Rule, runName(e.sc.Name, f.Variant), x)
		}
	}
	res, err := model.Run(e.config(v, f.Faults))
	if err != nil {
		return err
	}
	if !slices.Contains(e.violations(v, res), key{v, f.Fate, f.Rule}) {
		return fmt.Errorf("a report claims %s %s in %s with %s, but that run does not fail that way: the report was altered, or made by another model",
			f.Fate, f.Rule, runName(e.sc.Name, f.Variant), faultList(f.Faults))
	}
	return e.describe(f)
}
