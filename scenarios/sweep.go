package scenarios

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// SweepSpec is a scenario's `sweep:` block: how many runs, and what to vary
// from run to run or over a grid.
type SweepSpec struct {
	Pos     Pos
	Runs    Int         `yaml:"runs" bgsim:"required" doc:"runs per variant and grid point"`
	Vary    []VarySpec  `yaml:"vary,keyed" doc:"parameters to vary, by path (timeline.purge.at, network.wifi.up, ...)"`
	Outages *OutageSpec `yaml:"outages" doc:"network outages arriving as a random (Poisson) process"`
}

// VarySpec says how one parameter varies: one distribution, or a grid.
// Values are written in the parameter's unit (90s, 2Mbps, 5MB, 3).
type VarySpec struct {
	Name        string
	NamePos     Pos
	Pos         Pos
	Uniform     []Str `yaml:"uniform" doc:"[min, max]"`
	Exponential Str   `yaml:"exponential" doc:"the mean"`
	Normal      []Str `yaml:"normal" doc:"[mean, standard deviation]"`
	LogNormal   []Str `yaml:"lognormal" doc:"[median, sigma of the logarithm]"`
	Grid        []Str `yaml:"grid" doc:"values, each a grid point"`
	Range       []Str `yaml:"range" doc:"[from, to, step]: grid points from from to to"`
}

// OutageSpec is a random process of outages: gaps drawn from an
// exponential distribution with mean every, each outage lasting between
// for and for_max (uniformly), over the whole horizon.
type OutageSpec struct {
	Pos    Pos
	Every  Duration `yaml:"every" bgsim:"required"`
	For    Duration `yaml:"for" bgsim:"required"`
	ForMax Duration `yaml:"for_max"`
}

// unit says how a parameter's values are written and what is valid: the
// model's units, with the parsing and formatting of the language.
type unit model.Unit

const (
	unitDuration     = unit(model.UnitDuration)
	unitBitrate      = unit(model.UnitBitrate)
	unitSize         = unit(model.UnitSize)
	unitInt          = unit(model.UnitInt)
	unitFloat        = unit(model.UnitFloat)
	unitWatts        = unit(model.UnitWatts)
	unitWattsPerMbps = unit(model.UnitWattsPerMbps)
	unitJoules       = unit(model.UnitJoules)
	unitPercent      = unit(model.UnitPercent)
	unitChance       = unit(model.UnitChance)
	unitCount        = unit(model.UnitCount)
)

func (u unit) parse(s string) (float64, bool) {
	switch u {
	case unitDuration:
		d, ok := parseDuration(s)
		return float64(d), ok
	case unitBitrate:
		v, ok := parseUnit(s, rateUnits)
		return float64(v), ok
	case unitSize:
		v, ok := parseUnit(s, sizeUnits)
		return float64(v), ok
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

func (u unit) format(v float64) string {
	switch u {
	case unitDuration:
		ms := (sim.Time(v) + sim.Millisecond/2) / sim.Millisecond * sim.Millisecond
		return ms.String()
	case unitBitrate:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "Mbps"
	case unitSize:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "MB"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// Param is one varied parameter of a sweep.
type Param struct {
	Path string
	unit unit
	// sets holds the setter for each variant: a path such as
	// timeline.purge.at may be a different step in each.
	sets []func(c *model.Config, v float64)
	// Exactly one of dist and grid.
	dist distuv.Rander
	draw func(r distuv.Rander) float64
	desc string
	grid []float64
	// rng is the parameter's range, from the table the loader uses: grid
	// values and distributions are checked against it, draws held to it.
	rng paramRange
}

// Describe says how the parameter varies, for reports.
func (p *Param) Describe() string { return p.Path + " " + p.desc }

// Format writes a value in the parameter's unit.
func (p *Param) Format(v float64) string { return p.unit.format(v) }

var timelineIndexRe = regexp.MustCompile(`^timeline\[([0-9]+)\]\.(.+)$`)

// stepHas reports whether timeline step a has the parameter field (at,
// after, when.sent): a step with a trigger has no time, one without has
// no delay nor condition.
func stepHas(a *model.Action, field string) bool {
	switch {
	case field == "at":
		return !a.When.Set()
	case field == "after":
		return a.When.Set()
	case field == "when.sent":
		return a.When.Sent != 0
	}
	return true
}

// timelineStep finds the step a sweep's timeline path names: timeline[3].at
// by index, timeline.purge.at the first purge step with the field; ok is
// false if path is neither form.
func timelineStep(path string, c *model.Config) (i int, field string, ok bool, err error) {
	if m := timelineIndexRe.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i < 0 || i >= len(c.Timeline) {
			return 0, "", true, fmt.Errorf("the timeline has %d steps, timeline[0] to timeline[%d], so there is no step %d", len(c.Timeline), len(c.Timeline)-1, i)
		}
		if !stepHas(&c.Timeline[i], m[2]) {
			return 0, "", true, fmt.Errorf("timeline[%d] (do: %s) has no %s%s", i, c.Timeline[i].Do, m[2], didYouMean(path, paramPaths(c)))
		}
		return i, m[2], true, nil
	}
	rest, ok := strings.CutPrefix(path, "timeline.")
	if !ok {
		return 0, "", false, nil
	}
	do, field, ok := strings.Cut(rest, ".")
	if !ok {
		return 0, "", false, nil
	}
	i = slices.IndexFunc(c.Timeline, func(a model.Action) bool { return string(a.Do) == do && stepHas(&a, field) })
	if i < 0 {
		return 0, "", true, fmt.Errorf("the timeline has no %s step with %s%s", do, field, didYouMean(path, paramPaths(c)))
	}
	return i, field, true, nil
}

// resolve finds the setter for a parameter path in configuration c: the
// range table's entry the path matches, if it has a setter.
func resolve(path string, c *model.Config) (unit, func(*model.Config, float64), error) {
	if _, _, ok, err := timelineStep(path, c); ok && err != nil {
		return 0, nil, err
	}
	for i, r := range paramRanges {
		if r.Set == nil || !rangeRes[i].MatchString(path) {
			continue
		}
		if at, ok := r.index(path, c); ok {
			set := r.Set
			return r.sweepUnit(), func(c *model.Config, v float64) { set(c, at, v) }, nil
		}
	}
	return 0, nil, fmt.Errorf("%q is not a parameter a sweep can vary%s", path, didYouMean(path, paramPaths(c)))
}

// index finds what path (matching r) names in c: the interface, the
// session or upload by name, the timeline step by index or action; ok is
// false when c has no such thing.
func (r paramRange) index(path string, c *model.Config) (at int, ok bool) {
	named := func(prefix string, names func(i int) string, n int) (int, bool) {
		field := strings.TrimPrefix(r.Path, prefix+"<name>")
		name := strings.TrimSuffix(strings.TrimPrefix(path, prefix), field)
		for i := 0; i < n; i++ {
			if names(i) == name {
				return i, true
			}
		}
		return 0, false
	}
	switch {
	case strings.HasPrefix(r.Path, "network.<interface>."):
		if strings.HasPrefix(path, "network.cellular.") {
			return model.Cellular, true
		}
		return model.WiFi, true
	case strings.HasPrefix(r.Path, "app.sessions.<name>."):
		return named("app.sessions.", func(i int) string { return c.App.Sessions[i].Name }, len(c.App.Sessions))
	case strings.HasPrefix(r.Path, "app.uploads.<name>."):
		return named("app.uploads.", func(i int) string { return c.App.Uploads[i].Name }, len(c.App.Uploads))
	case strings.HasPrefix(r.Path, "app.workload."):
		return 0, c.App.Workload != nil
	case strings.HasPrefix(r.Path, "timeline[]."):
		i, _, ok, err := timelineStep(path, c)
		return i, ok && err == nil
	}
	return 0, true
}

// sweepUnit is how a sweep writes and parses the parameter's values: a
// percentage is an integer, a chance a number.
func (r paramRange) sweepUnit() unit {
	switch r.unit() {
	case unitPercent:
		return unitInt
	case unitChance:
		return unitFloat
	}
	return r.unit()
}

// paramPaths lists the paths a sweep can vary in c, for suggestions: the
// range table's parameters with a setter, for each interface, session,
// upload and timeline step c has.
func paramPaths(c *model.Config) []string {
	var paths []string
	for _, r := range paramRanges {
		if r.Set == nil {
			continue
		}
		switch p := r.Path; {
		case strings.HasPrefix(p, "network.<interface>."):
			for _, n := range []string{"wifi", "cellular"} {
				paths = append(paths, strings.Replace(p, "<interface>", n, 1))
			}
		case strings.HasPrefix(p, "app.sessions.<name>."):
			for _, s := range c.App.Sessions {
				paths = append(paths, strings.Replace(p, "<name>", s.Name, 1))
			}
		case strings.HasPrefix(p, "app.uploads.<name>."):
			for _, u := range c.App.Uploads {
				paths = append(paths, strings.Replace(p, "<name>", u.Name, 1))
			}
		case strings.HasPrefix(p, "app.workload."):
			if c.App.Workload != nil {
				paths = append(paths, p)
			}
		case strings.HasPrefix(p, "timeline[]."):
			field := strings.TrimPrefix(p, "timeline[].")
			for i := range c.Timeline {
				if stepHas(&c.Timeline[i], field) {
					paths = append(paths, "timeline."+string(c.Timeline[i].Do)+"."+field)
				}
			}
		default:
			paths = append(paths, p)
		}
	}
	return paths
}

// sweepParams checks a sweep block against each variant's configuration
// and turns it into parameters; problems go to d.
func (d *decoder) sweepParams(s *SweepSpec, variants []Variant) []*Param {
	c := &variants[0].Config
	if s == nil {
		return nil
	}
	if s.Runs.Set && (s.Runs.Value < 1 || s.Runs.Value > MaxSweepRuns) {
		d.add(s.Runs.Pos, "sweep.runs: 1 to %d, found %d", MaxSweepRuns, s.Runs.Value)
	}
	var params []*Param
	points := 1
	for _, v := range s.Vary {
		path := "sweep.vary." + v.Name
		u, set, err := resolve(v.Name, c)
		if err != nil {
			d.add(v.NamePos, "%s: %v", path, err)
			continue
		}
		rng, ok := rangeOf(v.Name)
		if !ok {
			panic("scenarios: no range for sweep parameter " + v.Name)
		}
		p := &Param{Path: v.Name, unit: u, sets: []func(*model.Config, float64){set}, rng: rng}
		// inRange reports a value of the parameter (a grid value, a
		// distribution's bound, mean or median) outside its range.
		inRange := func(s Str, x float64) bool {
			if !rng.Contains(x) {
				d.add(s.Pos, "%s: %s is outside the parameter's range, %s", path, s.Value, rng)
				return false
			}
			return true
		}
		for _, other := range variants[1:] {
			_, set, err := resolve(v.Name, &other.Config)
			if err != nil {
				d.add(v.NamePos, "%s: in variant %s: %v", path, other.Name, err)
			}
			p.sets = append(p.sets, set)
		}
		values := func(list []Str, n int, what string) []float64 {
			if len(list) != n {
				d.add(v.Pos, "%s: %s takes %d values (%s)", path, what, n, map[string]string{
					"uniform": "min, max", "normal": "mean, standard deviation", "lognormal": "median, sigma", "range": "from, to, step"}[what])
				return nil
			}
			var out []float64
			for _, s := range list {
				unitOf := u
				if (what == "lognormal" && len(out) == 1) || (what == "normal" && len(out) == 1 && u == unitInt) {
					unitOf = unitFloat
				}
				x, ok := unitOf.parse(s.Value)
				if !ok {
					d.add(s.Pos, "%s: %q is not a value of this parameter (%s)", path, s.Value, unitName(unitOf))
					return nil
				}
				out = append(out, x)
			}
			return out
		}
		kinds := 0
		for _, set := range []bool{v.Uniform != nil, v.Exponential.Set, v.Normal != nil, v.LogNormal != nil, v.Grid != nil, v.Range != nil} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			d.add(v.Pos, "%s: give exactly one of uniform, exponential, normal, lognormal, grid or range", path)
			continue
		}
		switch {
		case v.Uniform != nil:
			if x := values(v.Uniform, 2, "uniform"); x != nil {
				if x[1] <= x[0] {
					d.add(v.Pos, "%s: uniform needs min below max", path)
					continue
				}
				if !inRange(v.Uniform[0], x[0]) || !inRange(v.Uniform[1], x[1]) {
					continue
				}
				p.dist, p.desc = distuv.Uniform{Min: x[0], Max: x[1]}, "~ uniform("+u.format(x[0])+", "+u.format(x[1])+")"
			}
		case v.Exponential.Set:
			x, ok := u.parse(v.Exponential.Value)
			if !ok || x <= 0 {
				d.add(v.Exponential.Pos, "%s: exponential needs a positive mean (%s)", path, unitName(u))
				continue
			}
			if !inRange(v.Exponential, x) {
				continue
			}
			p.dist, p.desc = distuv.Exponential{Rate: 1 / x}, "~ exponential(mean "+u.format(x)+")"
		case v.Normal != nil:
			if x := values(v.Normal, 2, "normal"); x != nil {
				if x[1] <= 0 {
					d.add(v.Pos, "%s: normal needs a positive standard deviation", path)
					continue
				}
				if !inRange(v.Normal[0], x[0]) {
					continue
				}
				p.dist, p.desc = distuv.Normal{Mu: x[0], Sigma: x[1]}, "~ normal("+u.format(x[0])+", sd "+u.format(x[1])+")"
			}
		case v.LogNormal != nil:
			if x := values(v.LogNormal, 2, "lognormal"); x != nil {
				if x[0] <= 0 || x[1] <= 0 {
					d.add(v.Pos, "%s: lognormal needs a positive median and sigma", path)
					continue
				}
				if !inRange(v.LogNormal[0], x[0]) {
					continue
				}
				p.dist, p.desc = distuv.LogNormal{Mu: math.Log(x[0]), Sigma: x[1]}, "~ lognormal(median "+u.format(x[0])+", sigma "+strconv.FormatFloat(x[1], 'g', 3, 64)+")"
			}
		case v.Grid != nil:
			if len(v.Grid) == 0 {
				d.add(v.Pos, "%s: the grid needs at least one value", path)
				continue
			}
			for _, s := range v.Grid {
				x, ok := u.parse(s.Value)
				if !ok {
					d.add(s.Pos, "%s: %q is not a value of this parameter (%s)", path, s.Value, unitName(u))
					continue
				}
				if !inRange(s, x) {
					continue
				}
				p.grid = append(p.grid, x)
			}
		case v.Range != nil:
			if x := values(v.Range, 3, "range"); x != nil {
				if x[2] <= 0 || x[1] < x[0] || (x[1]-x[0])/x[2] > MaxGridPoints {
					d.add(v.Pos, "%s: range needs from ≤ to, a positive step, and at most %d points", path, MaxGridPoints)
					continue
				}
				if !inRange(v.Range[0], x[0]) || !inRange(v.Range[1], x[1]) {
					continue
				}
				for g := x[0]; g <= x[1]*(1+1e-12); g += x[2] {
					p.grid = append(p.grid, g)
				}
			}
		}
		if p.grid != nil {
			var vals []string
			for _, g := range p.grid {
				vals = append(vals, u.format(g))
			}
			p.desc = "over [" + strings.Join(vals, ", ") + "]"
			// Multiplied with a bound, so that the product cannot wrap
			// around and let a huge grid through (64 grids of two
			// values once made 2^64 = 0 points).
			if points <= MaxGridPoints {
				points *= len(p.grid)
			}
		}
		params = append(params, p)
	}
	if points > MaxGridPoints {
		d.add(s.Pos, "sweep: the grids make more than %d grid points (every combination of their values); at most %d", MaxGridPoints, MaxGridPoints)
	} else if points*len(variants) > MaxSweepGroups {
		d.add(s.Pos, "sweep: %d variants at %d grid points make %d groups of statistics; at most %d (about 75 KB each)", len(variants), points, points*len(variants), MaxSweepGroups)
	}
	if o := s.Outages; o != nil {
		if o.Every.Value <= 0 || o.For.Value <= 0 {
			d.add(o.Pos, "sweep.outages: every and for must be positive")
		}
		if o.ForMax.Set && o.ForMax.Value < o.For.Value {
			d.add(o.ForMax.Pos, "sweep.outages.for_max: at least for")
		}
		d.inRange(o.Every.Pos, o.Every.Set && o.Every.Value > 0, float64(o.Every.Value), "sweep.outages.every")
		d.inRange(o.For.Pos, o.For.Set && o.For.Value > 0, float64(o.For.Value), "sweep.outages.for")
		d.inRange(o.ForMax.Pos, o.ForMax.Set, float64(o.ForMax.Value), "sweep.outages.for_max")
	}
	return params
}

func unitName(u unit) string {
	return [...]string{"a duration like 30s", "a bit rate like 2Mbps", "a size like 5MB", "an integer", "a number"}[u]
}

// Limits of a sweep.
const (
	MaxSweepRuns  = 10_000_000
	MaxGridPoints = 1000
)

// Sweep is a scenario's sweep, ready to run: the variants, the grid points
// and the draws of each run.
type Sweep struct {
	Scenario *Scenario
	Runs     int
	Seed     uint64
	Params   []*Param
	Points   [][]float64 // grid values per point, in the order of the grid parameters
	outages  *OutageSpec
}

// Jobs is how many runs the whole sweep makes.
func (s *Sweep) Jobs() int { return s.Runs * len(s.Points) * len(s.Scenario.Variants) }

// PointLabel describes grid point g: "network.wifi.up=2Mbps", or "" when
// there is no grid.
func (s *Sweep) PointLabel(g int) string {
	var parts []string
	j := 0
	for _, p := range s.Params {
		if p.grid != nil {
			parts = append(parts, p.Path+"="+p.Format(s.Points[g][j]))
			j++
		}
	}
	return strings.Join(parts, " ")
}

// Plan prepares the scenario's sweep, with runs and seed replaced when
// not zero (a flag's override).
func (sc *Scenario) Plan(runs int, seed *uint64) (*Sweep, error) {
	s := &Sweep{Scenario: sc, Seed: sc.Variants[0].Config.Seed}
	switch {
	case sc.sweep != nil:
		s.Runs, s.Params, s.outages = int(sc.sweep.Runs.Value), sc.params, sc.sweep.Outages
	case runs == 0:
		return nil, fmt.Errorf("%s has no sweep: block: give --runs N to repeat it over N seeds, or add one (docs/sweeps.md)", sc.Name)
	}
	if runs > 0 {
		s.Runs = runs
	}
	if seed != nil {
		s.Seed = *seed
	}
	// The grid: every combination of grid values, the last parameter
	// varying fastest.
	s.Points = [][]float64{nil}
	for _, p := range s.Params {
		if p.grid == nil {
			continue
		}
		var next [][]float64
		for _, pt := range s.Points {
			for _, g := range p.grid {
				next = append(next, append(slices.Clone(pt), g))
			}
		}
		s.Points = next
	}
	return s, nil
}

// Job is the ith run of the sweep: draw k, grid point g, variant v, in the
// order k, then g, then v (the variant varying fastest).
func (s *Sweep) Job(i int) (k, g, v int) {
	return JobOf(i, len(s.Scenario.Variants), len(s.Points))
}

// JobOf is run i of a sweep with nv variants and ng grid points: draw k,
// point g, variant v, the variant varying fastest. The shard reader
// checks records against it, so it is written once.
func JobOf(i, nv, ng int) (k, g, v int) { return i / (nv * ng), (i / nv) % ng, i % nv }

// Config builds the configuration of sweep run i. Draws depend only on the
// seed, the draw k and the parameter, never on the variant or the grid
// point: every variant and point of draw k sees the same values (common
// random numbers), so they are compared on equal footing.
func (s *Sweep) Config(i int) (model.Config, []float64) {
	k, g, v := s.Job(i)
	// A run that changes anything owns its copy of every slice and
	// pointer of the Config, so that no setter, and no outage, can write
	// to one another run reads. A run with neither changes nothing and
	// shares them (a clone costs a tenth of a short run).
	c := s.Scenario.Variants[v].Config
	changes := len(s.Params) > 0 || s.outages != nil
	if changes {
		c = c.Clone()
	}
	c.KeepTrace, c.NoTrace = false, true
	// Each draw's model seed is hashed from (root seed, k), so that two
	// root seeds give independent samples (seed + k would share all but
	// one run with the next seed's).
	c.Seed = sim.DeriveSeed(s.Seed, uint64(k))
	var draws []float64
	j := 0
	for _, p := range s.Params {
		var x float64
		if p.grid != nil {
			x = s.Points[g][j]
			j++
		} else {
			src := sim.NewRand(s.Seed, fmt.Sprintf("sweep/%d/%s", k, p.Path))
			// A draw outside the parameter's range (a negative time
			// from a normal distribution, say) is held to it.
			x = p.rng.Clamp(randFrom(p.dist, src))
		}
		p.sets[v](&c, x)
		draws = append(draws, x)
	}
	if o := s.outages; o != nil {
		src := sim.NewRand(s.Seed, fmt.Sprintf("sweep/%d/outages", k))
		gap := distuv.Exponential{Rate: 1 / float64(o.Every.Value), Src: src}
		// Exponential gaps are unbounded: each is held to the horizon
		// before it becomes a time, so that t cannot overflow.
		horizon := float64(c.Horizon)
		t := sim.Time(min(gap.Rand(), horizon))
		for t < c.Horizon && len(c.Timeline) < MaxTimelineSteps {
			d := o.For.Value
			if o.ForMax.Set && o.ForMax.Value > d {
				d += sim.Time(src.Float64() * float64(o.ForMax.Value-d))
			}
			c.Timeline = append(c.Timeline, model.Action{At: t, Do: model.Outage, For: d})
			t += d + sim.Time(min(gap.Rand(), horizon))
		}
	}
	// A setter may move a step, an outage lands anywhere: the timeline
	// is put back in order (the loader sorted it, so an unchanged one
	// stays as it is). A step with a trigger has no time: it stays
	// after the step with a time it follows.
	if changes {
		sortTimeline(c.Timeline)
	}
	return c, draws
}

// sortTimeline puts the steps in time order, stably; a step with a
// trigger takes the time of the step before it, so that it stays after
// that step.
func sortTimeline(tl []model.Action) {
	if !slices.ContainsFunc(tl, func(a model.Action) bool { return a.When.Set() }) {
		slices.SortStableFunc(tl, func(a, b model.Action) int { return cmp.Compare(a.At, b.At) })
		return
	}
	type keyed struct {
		at sim.Time
		a  model.Action
	}
	ks := make([]keyed, len(tl))
	var last sim.Time
	for i, a := range tl {
		if !a.When.Set() {
			last = a.At
		}
		ks[i] = keyed{last, a}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return cmp.Compare(a.at, b.at) })
	for i := range ks {
		tl[i] = ks[i].a
	}
}

// randFrom draws from a gonum distribution with the given source.
func randFrom(d distuv.Rander, src interface{ Uint64() uint64 }) float64 {
	switch d := d.(type) {
	case distuv.Uniform:
		d.Src = src
		return d.Rand()
	case distuv.Exponential:
		d.Src = src
		return d.Rand()
	case distuv.Normal:
		d.Src = src
		return d.Rand()
	case distuv.LogNormal:
		d.Src = src
		return d.Rand()
	}
	panic("scenarios: unknown distribution")
}
