package explore

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

// Properties a schedule must keep; Options.Property holds some of them.
const (
	NoLost    = "no-lost"    // no upload ends lost, or never sent by code that ran
	NoPending = "no-pending" // no upload is still pending at the horizon
	Expect    = "expect"     // the variant's expect: block holds
)

// Properties lists the properties, in the order reports name them.
var Properties = []string{NoLost, NoPending, Expect}

// DefaultProperties are what a schedule must keep unless told otherwise:
// every upload delivered, or failed with an error the app learns, by the
// horizon. A scenario's expect: block describes one story, often to the
// second and the rule, so it is checked only when asked for.
var DefaultProperties = []string{NoLost, NoPending}

// Limits on what one exploration may ask for, checked before any run.
const (
	MaxDepth     = 4
	MaxRandom    = 10_000_000
	MaxSchedules = 5_000_000 // the default of Options.MaxSchedules
	MaxShards    = 100_000
	// MaxWorkersPerCore bounds Options.Workers: more are clamped.
	MaxWorkersPerCore = 4
)

// Options say what Explore explores.
type Options struct {
	// Faults are the fault kinds, by name; empty: the scenario's explore:
	// block, else DefaultKinds.
	Faults []string
	// Durations are how long a fault that lasts (outage, wifi-loss,
	// low-power, cellular-loss) lasts, each a fault of its own; empty: the
	// scenario's, else DefaultDurations.
	Durations []sim.Time
	// Depth is the most faults a schedule injects.
	Depth int
	// Property lists what a schedule must keep; empty: DefaultProperties.
	Property []string
	// Variant, if not "", explores only that variant.
	Variant string
	// Workers run schedules at once (at least 1, at most
	// MaxWorkersPerCore per core: more are clamped); the report is the
	// same for any number.
	Workers int
	// Random, if above 0, runs that many random schedules of 1 to Depth
	// faults per variant instead of every schedule. Schedule i is drawn
	// from the seed Seed+i alone, so Random 1 with that seed replays it.
	Random int
	Seed   uint64
	// MaxSchedules bounds the runs; an exploration that would make more
	// stops with an error (0: the package's MaxSchedules).
	MaxSchedules int
	// Shard and Shards, when Shards > 0, run only the Shard-th of Shards
	// slices of the schedules (1-based), for Merge to join: the subtrees
	// of the first faults (or the random schedules) are dealt out in
	// turn. The scenario as written counts in the first slice only.
	Shard, Shards int
	// NoSnapshots runs every schedule from time zero instead of
	// branching from a snapshot of the world at the fault's moment
	// (model.Live). The report is the same; it is the benchmark's
	// baseline.
	NoSnapshots bool
}

// Report is what an exploration found.
type Report struct {
	Scenario string
	// Source identifies the scenario as written: the SHA-256 of its file.
	Source string
	// Model identifies the model's physics, when the caller sets it (bgsim
	// explore does, as sweep shards do); a merge refuses to mix them.
	Model         string
	Shard, Shards int
	// Variant is the one variant explored (Options.Variant), or "" for
	// every variant.
	Variant   string
	Depth     int
	Faults    []string
	Durations []sim.Time
	Property  []string
	Random    int
	Seed      uint64
	// Schedules is how many schedules ran, the scenario as written (depth
	// 0) included.
	Schedules int
	// Pruned counts the schedules whose last fault the model ignored (a
	// purge of an app in the foreground, say): the world after it is the
	// world before it, so nothing is built on such a schedule (the
	// schedules that would add faults after it are the ones without it).
	Pruned int
	// Failures are the failing schedules grouped by variant, fate and
	// rule, in that order.
	Failures []Failure
}

// Failure is a group of failing schedules, and its minimal counterexample.
type Failure struct {
	Variant string
	// Fate is the fate that broke the property (lost, pending), or
	// "expect" for an expectation that did not hold.
	Fate string
	// Rule is the rule that decided the fate; for "expect", the
	// expectation as written (expect.delivered).
	Rule string
	// Count is how many schedules failed this way.
	Count int
	// Faults is the minimal counterexample: the fewest faults, then the
	// earliest.
	Faults []Fault
	// Seed is the random schedule's seed (random exploration only).
	Seed uint64
	// First and Last bound the window of the group's failing schedules
	// with as many faults as the minimal one: the earliest and the latest
	// instant of their last fault. At depth 1, every moment from First to
	// Last at which the group fails is in it (not every moment between
	// need fail).
	First, Last sim.Time
	// What the minimal counterexample's run shows, from a run of it with
	// a trace: the upload that failed and why (or the expectation), the
	// rules its run cited in order, and its trace's fingerprint.
	Upload      string
	Reason      string
	Chain       []model.RuleID
	Fingerprint sim.Fingerprint
	// File is where the counterexample was written, if it was.
	File string
}

// ErrTooMany is returned (wrapped) when an exploration would make more
// runs than Options.MaxSchedules.
var ErrTooMany = errors.New("too many schedules")

// explorer is one exploration's fixed part, shared by its workers.
type explorer struct {
	sc       *scenarios.Scenario
	opt      Options
	variants []int // indexes in sc.Variants
	kinds    []Fault
	props    [3]bool
	// bases are each variant's run with no fault, for expectations that
	// compare variants.
	bases []*model.Result
	runs  atomic.Int64
	max   int64
	// replayed counts the schedules a fork could not inject and that
	// were replayed from time zero instead (snapshot.go).
	replayed atomic.Int64
}

// Explore explores sc as opt says.
func Explore(sc *scenarios.Scenario, opt Options) (*Report, error) {
	return (&explorer{sc: sc, opt: opt}).explore()
}

func (e *explorer) explore() (*Report, error) {
	sc := e.sc
	if err := e.setUp(); err != nil {
		return nil, err
	}
	opt := e.opt
	rep := &Report{Scenario: sc.Name, Source: SourceHash(sc), Depth: opt.Depth, Random: opt.Random, Seed: opt.Seed,
		Shard: opt.Shard, Shards: opt.Shards, Variant: opt.Variant}
	for _, k := range e.kinds {
		if n := k.Name(); len(rep.Faults) == 0 || rep.Faults[len(rep.Faults)-1] != n {
			rep.Faults = append(rep.Faults, n)
		}
	}
	rep.Durations = e.opt.Durations
	for i, p := range Properties {
		if e.props[i] {
			rep.Property = append(rep.Property, p)
		}
	}
	if opt.Random == 0 {
		rep.Random, rep.Seed = 0, 0
	}

	// The runs of every variant as written: the roots of the search.
	var r model.Runner
	e.bases = make([]*model.Result, len(sc.Variants))
	roots := make([]node, len(e.variants))
	for j, v := range e.variants {
		res, moments, err := r.RunMoments(e.config(v, nil), nil)
		if err != nil {
			return nil, err
		}
		e.runs.Add(1)
		e.bases[v] = res
		roots[j] = node{variant: v, res: res, moments: moments}
	}
	for j := range roots {
		roots[j].fails = e.violations(roots[j].variant, roots[j].res)
	}

	// The units of work: each child of a root, or each random schedule
	// (not listed: there may be millions; a worker draws the one it
	// takes). With Options.Shards, this slice's are every Shards-th from
	// the Shard-th.
	n := 0
	if opt.Random > 0 {
		n = opt.Random * len(roots)
	} else if opt.Depth > 0 {
		// Every fault kind at every moment: counted, not listed, until
		// the count is known to be within bounds.
		for _, root := range roots {
			n += len(Moments(root.moments, e.horizon(root.variant, root.res))) * len(e.kinds)
		}
	}
	stride, first := 1, 0
	if opt.Shards > 0 {
		stride, first = opt.Shards, opt.Shard-1
	}
	count := 0
	if n > first {
		count = (n - first + stride - 1) / stride
	}
	if int64(count)+e.runs.Load() > e.max {
		return nil, e.tooMany(int64(count) + e.runs.Load())
	}
	if opt.Random == 0 && opt.Depth > 0 && !opt.NoSnapshots {
		tallies, err := e.branch(roots)
		return e.finish(rep, roots, tallies, err)
	}
	var units []unit
	if opt.Random == 0 {
		for _, root := range roots {
			for _, f := range e.children(root.variant, root.res, root.moments, nil) {
				units = append(units, unit{variant: root.variant, faults: []Fault{f}})
			}
		}
	}
	unitAt := func(i int) unit {
		g := first + i*stride
		if opt.Random > 0 {
			root := roots[g/opt.Random]
			return unit{variant: root.variant, seed: opt.Seed + uint64(g%opt.Random), random: true,
				faults: e.draw(root.variant, opt.Seed+uint64(g%opt.Random), root.moments)}
		}
		return units[g]
	}

	// Each worker explores whole units and keeps its own tally; the
	// tallies merge by sums and minimums, so the report is the same
	// whatever the workers and whichever unit each took.
	workers := min(e.opt.Workers, max(count, 1))
	tallies := make([]tally, workers)
	errs := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	var moments [][]sim.Time
	for range workers {
		moments = append(moments, nil)
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			var r model.Runner
			for {
				i := int(next.Add(1)) - 1
				if i >= count || errs[w] != nil {
					return
				}
				if err := e.search(&r, t, unitAt(i), &moments[w]); err != nil {
					errs[w] = err
					next.Store(int64(count)) // the others stop too
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return e.finish(rep, roots, tallies, nil)
}

// finish merges the workers' tallies into rep.
func (e *explorer) finish(rep *Report, roots []node, tallies []tally, err error) (*Report, error) {
	if err != nil {
		return nil, err
	}
	var all tally
	if e.opt.Shard <= 1 {
		for _, root := range roots {
			all.add(root.variant, nil, 0, root.fails)
		}
	} else {
		// The runs of the scenario as written count in the first slice.
		e.runs.Add(-int64(len(roots)))
	}
	for i := range tallies {
		all.merge(&tallies[i])
	}
	rep.Schedules = int(e.runs.Load())
	rep.Pruned = all.pruned
	rep.Failures = all.failures(e)
	for i := range rep.Failures {
		if err := e.describe(&rep.Failures[i]); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func (e *explorer) tooMany(n int64) error {
	return fmt.Errorf("%w: this exploration makes more than %d runs (%d at least); lower --depth, pick fewer --faults, or sample with --random N",
		ErrTooMany, e.max, n)
}

// setUp checks the options and settles the defaults.
func (e *explorer) setUp() error {
	o := &e.opt
	if o.Depth < 0 || o.Depth > MaxDepth {
		if o.Random > 0 {
			return fmt.Errorf("depth %d: want 0 to %d, random schedules included", o.Depth, MaxDepth)
		}
		return fmt.Errorf("depth %d: want 0 to %d (for large explorations, sample with --random)", o.Depth, MaxDepth)
	}
	if o.Random < 0 || o.Random > MaxRandom {
		return fmt.Errorf("random %d: want 0 to %d schedules", o.Random, MaxRandom)
	}
	if o.Random > 0 && o.Depth == 0 {
		return errors.New("random schedules need a depth of at least 1")
	}
	if o.Shards < 0 || o.Shards > MaxShards || o.Shards > 0 && (o.Shard < 1 || o.Shard > o.Shards) {
		return fmt.Errorf("shard %d/%d: want K/N with 1 ≤ K ≤ N ≤ %d", o.Shard, o.Shards, MaxShards)
	}
	// The report is the same for any number of workers: more than the
	// cores can run only cost memory (each starts every variant's run).
	o.Workers = min(max(o.Workers, 1), MaxWorkersPerCore*runtime.GOMAXPROCS(0))
	e.max = int64(o.MaxSchedules)
	if e.max <= 0 {
		e.max = MaxSchedules
	}
	spec := e.sc.Explore()
	faults := o.Faults
	if len(faults) == 0 {
		faults = spec.Faults
	}
	if len(faults) == 0 {
		faults = DefaultKinds()
	}
	if len(o.Durations) == 0 {
		o.Durations = spec.Durations
	}
	if len(o.Durations) == 0 {
		o.Durations = DefaultDurations
	}
	if len(o.Durations) > MaxDurations {
		return fmt.Errorf("%d durations: at most %d", len(o.Durations), MaxDurations)
	}
	o.Durations = slices.Clone(o.Durations)
	slices.Sort(o.Durations)
	o.Durations = slices.Compact(o.Durations)
	for _, d := range o.Durations {
		if d <= 0 || d > 7*24*sim.Hour {
			return fmt.Errorf("duration %v: want above 0s and at most 7d", d)
		}
	}
	var idx []int
	for _, name := range faults {
		i, err := kindIndex(name)
		if err != nil {
			return err
		}
		idx = append(idx, i)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		if Kinds[i].Timed() {
			for _, d := range o.Durations {
				e.kinds = append(e.kinds, Fault{Kind: i, For: d})
			}
			continue
		}
		e.kinds = append(e.kinds, Fault{Kind: i})
	}
	props := o.Property
	if len(props) == 0 {
		props = DefaultProperties
	}
	for _, p := range props {
		i := slices.Index(Properties, p)
		if i < 0 {
			hint := ""
			if n := model.Nearest(p, Properties); n != "" {
				hint = fmt.Sprintf("; did you mean %q?", n)
			}
			return fmt.Errorf("no property %q%s (properties: %s)", p, hint, strings.Join(Properties, ", "))
		}
		e.props[i] = true
	}
	for i, v := range e.sc.Variants {
		if o.Variant == "" || v.Name == o.Variant {
			e.variants = append(e.variants, i)
		}
	}
	if len(e.variants) == 0 {
		var names []string
		for _, v := range e.sc.Variants {
			names = append(names, v.Name)
		}
		if len(names) == 1 && names[0] == "" {
			return fmt.Errorf("%s has no variants", e.sc.Name)
		}
		hint := ""
		if n := model.Nearest(o.Variant, names); n != "" {
			hint = fmt.Sprintf("; did you mean %q?", n)
		}
		return fmt.Errorf("%s has no variant %q%s; its variants are %s", e.sc.Name, o.Variant, hint, strings.Join(names, ", "))
	}
	return nil
}

// config is variant v's configuration with faults added. Runs keep no
// trace, except when an expectation needs the wake log.
func (e *explorer) config(v int, faults []Fault) model.Config {
	cfg, _ := WithFaults(e.sc.Variants[v].Config, faults)
	cfg.KeepTrace = false
	cfg.NoTrace = !e.props[2] || e.sc.Variants[v].Expect == nil
	return cfg
}

// node is a schedule that ran.
type node struct {
	variant int
	faults  []Fault
	res     *model.Result
	moments []sim.Time
	fails   []key
}

// unit is a subtree of the search one worker explores: a schedule of one
// fault and the schedules that add more after it, or one random schedule.
type unit struct {
	variant int
	faults  []Fault
	random  bool
	seed    uint64
}

// search runs u's schedule and, depth allowing, every schedule that adds
// a later fault to it, depth first.
func (e *explorer) search(r *model.Runner, t *tally, u unit, moments *[]sim.Time) error {
	if e.runs.Add(1) > e.max {
		return e.tooMany(e.runs.Load())
	}
	cfg, at := WithFaults(e.config(u.variant, nil), u.faults)
	res, ms, err := r.RunMoments(cfg, (*moments)[:0])
	*moments = ms
	if err != nil {
		return fmt.Errorf("%s: %w", describeSchedule(e.sc.Variants[u.variant].Name, u.faults), err)
	}
	t.add(u.variant, u.faults, u.seed, e.violations(u.variant, res))
	if last := at[len(at)-1]; slices.Contains(res.Ignored, last) {
		// The last fault changed nothing: every schedule that adds
		// faults after it is one without it, explored already.
		t.pruned++
		return nil
	}
	if u.random || len(u.faults) >= e.opt.Depth {
		return nil
	}
	children := e.children(u.variant, res, ms, u.faults)
	for _, f := range children {
		child := unit{variant: u.variant, faults: append(slices.Clone(u.faults), f)}
		if err := e.search(r, t, child, moments); err != nil {
			return err
		}
	}
	return nil
}

// children returns the faults that can follow schedule faults in a run
// that had the given event instants: every fault kind at each moment
// (Moments) at or after the schedule's last fault, ordered so that each
// schedule is made once (at the last fault's own instant, only kinds that
// come after it).
func (e *explorer) children(v int, res *model.Result, events []sim.Time, faults []Fault) []Fault {
	var out []Fault
	var last *Fault
	if len(faults) > 0 {
		last = &faults[len(faults)-1]
	}
	for _, m := range Moments(events, e.horizon(v, res)) {
		if last != nil && m < last.At {
			continue
		}
		for _, k := range e.kinds {
			f := Fault{Kind: k.Kind, At: m, For: k.For}
			if last != nil && !last.less(f) {
				continue
			}
			out = append(out, f)
		}
	}
	return out
}

// horizon is the latest instant a fault may come: the run's horizon, or,
// without one, the run's end.
func (e *explorer) horizon(v int, res *model.Result) sim.Time {
	if h := e.sc.Variants[v].Config.Horizon; h > 0 {
		return h
	}
	return res.EndedAt
}

// Moments returns the instants at which a fault is injected, given the
// distinct instants at which a run's events happened (in order) and the
// end of the run: each event's instant (the fault comes before the events
// the run scheduled for then) and the middle of each interval between two
// events, and between the last event and end. Between two events the
// discrete state does not change, so one injection per interval meets
// every state; the middle meets a share of a body on the air, a radio in
// its tail, a timer part-run. Instants at or past end are left out.
func Moments(events []sim.Time, end sim.Time) []sim.Time {
	var out []sim.Time
	for i, t := range events {
		if t >= end {
			break
		}
		out = append(out, t)
		next := end
		if i+1 < len(events) {
			next = min(events[i+1], end)
		}
		if next-t >= 2 {
			out = append(out, t+(next-t)/2)
		}
	}
	return out
}

// draw returns the random schedule of seed s: 1 to Depth faults, each of
// a kind drawn from a random non-empty subset of the fault kinds (swarm
// testing: a schedule that never purges finds what purges would hide),
// at a moment of the run as written.
func (e *explorer) draw(v int, s uint64, events []sim.Time) []Fault {
	rng := rand.New(rand.NewPCG(s, 0x6267_7369_6d65_7870)) // "bgsimexp"
	moments := Moments(events, e.horizon(v, e.bases[v]))
	if len(moments) == 0 {
		moments = []sim.Time{0}
	}
	var swarm []Fault
	for len(swarm) == 0 {
		for _, k := range e.kinds {
			if rng.IntN(2) == 0 {
				swarm = append(swarm, k)
			}
		}
	}
	n := 1 + rng.IntN(e.opt.Depth)
	out := make([]Fault, n)
	for i := range out {
		k := swarm[rng.IntN(len(swarm))]
		out[i] = Fault{Kind: k.Kind, For: k.For, At: moments[rng.IntN(len(moments))]}
	}
	slices.SortStableFunc(out, Fault.compare)
	return slices.CompactFunc(out, func(a, b Fault) bool { return a.compare(b) == 0 })
}

// key is one way a schedule fails.
type key struct {
	variant    int
	fate, rule string
}

// violations lists how a run breaks the properties, each way once, in
// upload order then expectation order.
func (e *explorer) violations(v int, res *model.Result) []key {
	var out []key
	add := func(k key) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, u := range res.Uploads {
		switch {
		case u.Fate == model.Lost && e.props[0]:
			add(key{v, string(u.Fate), string(u.Rule)})
		case u.Fate == model.NeverSent && u.Rule != "" && e.props[0]:
			// The code ran and the task never reached the daemon (it
			// crashed creating it, or made it on an invalidated
			// session): the upload is gone. Without a rule, the step
			// found the app not running: the code never ran.
			add(key{v, string(u.Fate), string(u.Rule)})
		case u.Fate == model.Pending && e.props[1]:
			add(key{v, string(u.Fate), string(u.Rule)})
		}
	}
	if e.props[2] && e.sc.Variants[v].Expect != nil {
		for _, f := range e.check(v, res) {
			add(key{v, "expect", f.What})
		}
	}
	return out
}

// check applies variant v's expectations to res, with the other variants
// as written for the expectations that compare variants.
func (e *explorer) check(v int, res *model.Result) []scenarios.Failure {
	results := []*model.Result{res}
	for i, b := range e.bases {
		if i != v && b != nil {
			results = append(results, b)
		}
	}
	var out []scenarios.Failure
	for _, f := range e.sc.Check(results) {
		if f.Variant == e.sc.Variants[v].Name {
			out = append(out, f)
		}
	}
	return out
}

// tally is what a worker found.
type tally struct {
	groups map[key]*group
	pruned int
}

type group struct {
	count       int
	faults      []Fault
	seed        uint64
	first, last sim.Time
}

// widen takes a failing schedule into the group's window.
func (g *group) widen(faults []Fault, first, last sim.Time) {
	switch {
	case len(faults) < len(g.faults):
		g.first, g.last = first, last
	case len(faults) == len(g.faults):
		g.first, g.last = min(g.first, first), max(g.last, last)
	}
}

func lastAt(faults []Fault) sim.Time {
	if len(faults) == 0 {
		return 0
	}
	return faults[len(faults)-1].At
}

func (t *tally) add(v int, faults []Fault, seed uint64, fails []key) {
	if len(fails) == 0 {
		return
	}
	if t.groups == nil {
		t.groups = map[key]*group{}
	}
	for _, k := range fails {
		g := t.groups[k]
		at := lastAt(faults)
		if g == nil {
			t.groups[k] = &group{count: 1, faults: slices.Clone(faults), seed: seed, first: at, last: at}
			continue
		}
		g.count++
		g.widen(faults, at, at)
		if c := compareSchedules(faults, g.faults); c < 0 || c == 0 && seed < g.seed {
			g.faults, g.seed = slices.Clone(faults), seed
		}
	}
}

func (t *tally) merge(o *tally) {
	t.pruned += o.pruned
	for k, g := range o.groups {
		if t.groups == nil {
			t.groups = map[key]*group{}
		}
		mine := t.groups[k]
		if mine == nil {
			t.groups[k] = g
			continue
		}
		mine.count += g.count
		if len(g.faults) <= len(mine.faults) {
			mine.widen(g.faults, g.first, g.last)
		}
		if c := compareSchedules(g.faults, mine.faults); c < 0 || c == 0 && g.seed < mine.seed {
			mine.faults, mine.seed = g.faults, g.seed
		}
	}
}

// failures lists the groups in variant, fate, rule order.
func (t *tally) failures(e *explorer) []Failure {
	var keys []key
	for k := range t.groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.variant != b.variant {
			return cmp.Compare(a.variant, b.variant)
		}
		if c := strings.Compare(a.fate, b.fate); c != 0 {
			return c
		}
		return strings.Compare(a.rule, b.rule)
	})
	var out []Failure
	for _, k := range keys {
		g := t.groups[k]
		out = append(out, Failure{Variant: e.sc.Variants[k.variant].Name, Fate: k.fate, Rule: k.rule, Count: g.count,
			Faults: g.faults, Seed: g.seed, First: g.first, Last: g.last})
	}
	return out
}

// describe runs f's minimal counterexample again with a trace and notes
// what it shows.
func (e *explorer) describe(f *Failure) error {
	v := slices.IndexFunc(e.sc.Variants, func(x scenarios.Variant) bool { return x.Name == f.Variant })
	cfg, _ := WithFaults(e.sc.Variants[v].Config, f.Faults)
	res, err := model.Run(cfg)
	if err != nil {
		return err
	}
	f.Fingerprint, f.Chain = res.Fingerprint, res.Rules
	if f.Fate == "expect" {
		for _, x := range e.check(v, res) {
			if x.What == f.Rule {
				f.Reason = fmt.Sprintf("%s: expected %s, got %s", x.What, x.Expected, x.Actual)
				break
			}
		}
		return nil
	}
	for _, u := range res.Uploads {
		if string(u.Fate) == f.Fate && string(u.Rule) == f.Rule {
			f.Upload, f.Reason = u.ID, u.Reason
			break
		}
	}
	return nil
}

// describeSchedule names a schedule in an error.
func describeSchedule(variant string, faults []Fault) string {
	var parts []string
	for _, f := range faults {
		parts = append(parts, f.String())
	}
	s := "no fault"
	if len(parts) > 0 {
		s = strings.Join(parts, ", ")
	}
	if variant != "" {
		return variant + " with " + s
	}
	return "with " + s
}

// Workers is a sensible default for Options.Workers: one per core.
func Workers() int { return runtime.GOMAXPROCS(0) }
