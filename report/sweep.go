package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/bgsim/bgsim/model"
)

// SweepMeta describes a sweep for its report: what ran, and how.
type SweepMeta struct {
	Scenario string   `json:"scenario"`
	Title    string   `json:"title"`
	Runs     int      `json:"runs"` // draws per variant and grid point
	Seed     uint64   `json:"seed"` // the sweep's root seed
	Variants []string `json:"variants"`
	Points   []string `json:"points"` // grid point labels; one "" without a grid
	Params   []string `json:"params"` // how each parameter varies
}

// moments accumulates a mean and variance in one pass (Welford). Values
// are added in run order, so the result is the same whatever computed the
// runs.
type moments struct {
	n       int
	mean, m float64
}

func (m *moments) add(x float64) {
	m.n++
	d := x - m.mean
	m.mean += d / float64(m.n)
	m.m += d * (x - m.mean)
}

func (m *moments) sd() float64 {
	if m.n < 2 {
		return 0
	}
	return math.Sqrt(m.m / float64(m.n-1))
}

// ci95 returns the mean's 95% interval from Student's t.
func (m *moments) ci95() (lo, hi float64) {
	if m.n < 2 {
		return m.mean, m.mean
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(m.n - 1)}.Quantile(0.975)
	h := t * m.sd() / math.Sqrt(float64(m.n))
	return m.mean - h, m.mean + h
}

// hist is a histogram over log-spaced bins, 200 to a decade from 1e-6 to
// 1e9 (about 1.2% wide): percentiles read from it are within a bin of the
// exact ones, it adds in any order, and its size does not grow with the
// number of runs.
type hist struct {
	zero  int64
	bins  []int64
	count int64
}

const (
	binsPerDecade = 200
	histLow       = 1e-6
	histDecades   = 15
)

func (h *hist) add(x float64) {
	h.count++
	if x <= 0 {
		h.zero++
		return
	}
	if h.bins == nil {
		h.bins = make([]int64, binsPerDecade*histDecades)
	}
	i := int(math.Floor(math.Log10(x/histLow) * binsPerDecade))
	h.bins[min(max(i, 0), len(h.bins)-1)]++
}

// binValue is the geometric middle of bin i.
func binValue(i int) float64 { return histLow * math.Pow(10, (float64(i)+0.5)/binsPerDecade) }

// quantile reads a percentile with gonum's empirical quantile over the
// bins, weighted by their counts.
func (h *hist) quantile(p float64) float64 {
	if h.count == 0 {
		return math.NaN()
	}
	var xs, ws []float64
	if h.zero > 0 {
		xs, ws = append(xs, 0), append(ws, float64(h.zero))
	}
	for i, c := range h.bins {
		if c > 0 {
			xs, ws = append(xs, binValue(i)), append(ws, float64(c))
		}
	}
	return stat.Quantile(p, stat.Empirical, xs, ws)
}

// sweepGroup is the statistics of one variant at one grid point.
type sweepGroup struct {
	runs, errors  int
	uploads       int64
	fates         [5]int64
	oneUploadEach bool
	fateShare     [5]moments // per-run share of uploads with each fate
	// joules and energy are the energy above idle per run, what the
	// tables and pictures show; total and totalH the energy with idle,
	// for the JSON's and CSV's joules.
	joules         moments
	settle, energy hist
	total          moments
	totalH         hist
	waits          hist
	hasItems       bool
	dJoules, dRate moments // paired differences from variant 0, same draw and point
	dTotal         moments
}

// SweepStats aggregates a sweep's run records, which must arrive in run
// order (as run.Sweep and a merge of ordered shards deliver them).
type SweepStats struct {
	Meta   SweepMeta
	groups [][]*sweepGroup    // by point, then variant
	base   []*model.RunRecord // by point: variant 0's record of the current draw
}

// NewSweepStats prepares the statistics of a sweep.
func NewSweepStats(meta SweepMeta) *SweepStats {
	s := &SweepStats{Meta: meta, base: make([]*model.RunRecord, len(meta.Points))}
	for range meta.Points {
		var row []*sweepGroup
		for range meta.Variants {
			row = append(row, &sweepGroup{oneUploadEach: true})
		}
		s.groups = append(s.groups, row)
	}
	return s
}

func deliveredShare(r *model.RunRecord) (float64, bool) {
	n := 0
	for _, c := range r.Fates {
		n += c
	}
	if n == 0 {
		return 0, false
	}
	return float64(r.Fates[0]) / float64(n), true
}

// Add takes the next run record.
func (s *SweepStats) Add(r model.RunRecord) error {
	if r.Point < 0 || r.Point >= len(s.groups) || r.Variant < 0 || r.Variant >= len(s.Meta.Variants) {
		return fmt.Errorf("sweep: a record for point %d, variant %d, outside the sweep", r.Point, r.Variant)
	}
	if bad, ok := nonFinite(r); ok {
		return fmt.Errorf("sweep: run %d, point %d, variant %d: %s is not a finite number", r.Run, r.Point, r.Variant, bad)
	}
	g := s.groups[r.Point][r.Variant]
	g.runs++
	if r.Err != "" {
		g.errors++
		return nil
	}
	n := 0
	for i, c := range r.Fates {
		g.fates[i] += int64(c)
		n += c
	}
	g.uploads += int64(n)
	if n != 1 {
		g.oneUploadEach = false
	}
	if n > 0 {
		for i, c := range r.Fates {
			g.fateShare[i].add(float64(c) / float64(n))
		}
	}
	g.joules.add(r.AboveIdle)
	g.energy.add(r.AboveIdle)
	g.total.add(r.Joules)
	g.totalH.add(r.Joules)
	for _, x := range r.Settle {
		g.settle.add(x)
	}
	for _, x := range r.ItemWaits {
		g.waits.add(x)
		g.hasItems = true
	}
	if r.Variant == 0 {
		rec := r
		s.base[r.Point] = &rec
	} else if b := s.base[r.Point]; b != nil && b.Run == r.Run && b.Err == "" {
		g.dJoules.add(r.AboveIdle - b.AboveIdle)
		g.dTotal.add(r.Joules - b.Joules)
		if x, ok := deliveredShare(&r); ok {
			if y, ok := deliveredShare(b); ok {
				g.dRate.add(x - y)
			}
		}
	}
	return nil
}

// nonFinite names a NaN or infinite number in r, which no statistic can
// take.
func nonFinite(r model.RunRecord) (string, bool) {
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }
	if bad(r.Joules) {
		return "joules", true
	}
	if bad(r.AboveIdle) {
		return "above_idle", true
	}
	for _, x := range r.Settle {
		if bad(x) {
			return "a settle time", true
		}
	}
	for _, x := range r.ItemWaits {
		if bad(x) {
			return "an item wait", true
		}
	}
	for _, x := range r.Draws {
		if bad(x) {
			return "a drawn value", true
		}
	}
	return "", false
}

// share returns a fate's share of uploads with its 95% interval: Wilson's
// score interval when every run had exactly one upload (a binomial
// count); otherwise Student's t over the per-run shares, since the
// uploads of one run are not independent.
func (g *sweepGroup) share(f int) (p, lo, hi float64) {
	if g.uploads == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	if !g.oneUploadEach {
		m := g.fateShare[f]
		lo, hi := m.ci95()
		return m.mean, math.Max(lo, 0), math.Min(hi, 1)
	}
	n := float64(g.uploads)
	p = float64(g.fates[f]) / n
	z := distuv.UnitNormal.Quantile(0.975)
	den := 1 + z*z/n
	center := (p + z*z/(2*n)) / den
	half := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / den
	lo, hi = center-half, center+half
	// At p = 0 or 1 the bound is exactly 0 or 1; rounding would print
	// 1.4e-17 in the CSV.
	if g.fates[f] == 0 {
		lo = 0
	}
	if g.fates[f] == g.uploads {
		hi = 1
	}
	return p, lo, hi
}

func pct(p, lo, hi float64) string {
	if math.IsNaN(p) {
		return "—"
	}
	return fmt.Sprintf("%.1f%% (%.1f–%.1f)", 100*p, 100*lo, 100*hi)
}

func (s *SweepStats) label(p, v int) (variant, point string) {
	variant = TerminalSafe(s.Meta.Variants[v])
	if variant == "" {
		variant = "run"
	}
	return variant, TerminalSafe(s.Meta.Points[p])
}

func (s *SweepStats) hasGrid() bool { return len(s.Meta.Points) > 1 || s.Meta.Points[0] != "" }

// usedFates lists the fates some group saw, so that tables stay narrow.
func (s *SweepStats) usedFates() []int {
	var out []int
	for f := range model.Fates {
		for _, row := range s.groups {
			for _, g := range row {
				if g.fates[f] > 0 && !containsInt(out, f) {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Table writes the sweep's report for people in Width columns. It holds
// no wall-clock figure, so two reports of the same sweep compare byte for
// byte.
func (s *SweepStats) Table(w io.Writer) error {
	return s.TableText(w, TextOptions{})
}

// TableText is Table fitted to o.Width columns, as run's tables are: the
// lines wrap at word boundaries and the tables narrow their widest
// columns, wrapping their cells (boxTable).
func (s *SweepStats) TableText(w io.Writer, o TextOptions) error {
	width := o.width()
	m := s.Meta
	line := func(text string) { fmt.Fprintf(w, "%s\n", hang(text, width, "    ")) }
	// The description may come from a stranger's shard file.
	line(TerminalSafe(m.Scenario))
	if m.Title != "" {
		line(TerminalSafe(m.Title))
	}
	line(fmt.Sprintf("%d runs per variant and point · seed %d · the same draws for every variant (common random numbers)", m.Runs, m.Seed))
	for _, p := range m.Params {
		line("varying " + TerminalSafe(p))
	}
	plainTable := func(w io.Writer, header []string, rows [][]string) error {
		return boxTable(w, header, rows, width)
	}
	heading := func(text string) { fmt.Fprintf(w, "\n%s\n", hang(text, width, "")) }
	lead := func(p, v int) []string {
		variant, point := s.label(p, v)
		if s.hasGrid() {
			return []string{variant, point}
		}
		return []string{variant}
	}
	head := func(rest ...string) []string {
		if s.hasGrid() {
			return append([]string{"variant", "point"}, rest...)
		}
		return append([]string{"variant"}, rest...)
	}

	heading("Fates, share of uploads (95% interval)")
	fates := s.usedFates()
	h := head("runs", "uploads")
	for _, f := range fates {
		h = append(h, string(model.Fates[f]))
	}
	var rows [][]string
	for p := range s.groups {
		for v, g := range s.groups[p] {
			row := append(lead(p, v), strconv.Itoa(g.runs), strconv.FormatInt(g.uploads, 10))
			for _, f := range fates {
				row = append(row, pct(g.share(f)))
			}
			rows = append(rows, row)
		}
	}
	if err := plainTable(w, h, rows); err != nil {
		return err
	}

	heading("Time from creation to fate (delivered and failed uploads), and radio energy above idle per run")
	rows = nil
	for p := range s.groups {
		for v, g := range s.groups[p] {
			lo, hi := g.joules.ci95()
			rows = append(rows, append(lead(p, v),
				durations(&g.settle), energies(&g.energy), energyInterval(g.joules.mean, lo, hi, "–", false)))
		}
	}
	if err := plainTable(w, head("settle p50 / p90 / p99", "energy p50 / p90 / p99", "mean energy (95%)"), rows); err != nil {
		return err
	}

	if s.anyItems() {
		heading("Workload items: wait until the server had them")
		rows = nil
		for p := range s.groups {
			for v, g := range s.groups[p] {
				rows = append(rows, append(lead(p, v), strconv.FormatInt(g.waits.count, 10), durations(&g.waits)))
			}
		}
		if err := plainTable(w, head("items", "wait p50 / p90 / p99"), rows); err != nil {
			return err
		}
	}

	if len(m.Variants) > 1 {
		heading(fmt.Sprintf("Difference from %s, paired by draw (95%% interval)", TerminalSafe(m.Variants[0])))
		rows = nil
		for p := range s.groups {
			for v, g := range s.groups[p] {
				if v == 0 {
					continue
				}
				rl, rh := g.dRate.ci95()
				jl, jh := g.dJoules.ci95()
				rows = append(rows, append(lead(p, v),
					fmt.Sprintf("%+.1f pp (%+.1f to %+.1f)", 100*g.dRate.mean, 100*rl, 100*rh),
					energyInterval(g.dJoules.mean, jl, jh, " to ", true)))
			}
		}
		if err := plainTable(w, head("delivered", "energy"), rows); err != nil {
			return err
		}
	}
	errs := 0
	for _, row := range s.groups {
		for _, g := range row {
			errs += g.errors
		}
	}
	if errs > 0 {
		heading(fmt.Sprintf("%d runs ended with an error (a limit) and are left out of the statistics; bgsim sweep --runs-out lists them.", errs))
	}
	return nil
}

func (s *SweepStats) anyItems() bool {
	for _, row := range s.groups {
		for _, g := range row {
			if g.hasItems {
				return true
			}
		}
	}
	return false
}

// sig formats a number with 4 significant digits, without exponents for
// the sizes reports meet.
func sig(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	if a := math.Abs(x); a != 0 && (a < 0.001 || a >= 1e6) {
		return strconv.FormatFloat(x, 'e', 2, 64)
	}
	// Round to 4 significant digits, then write without an exponent.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 4, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func signed(x float64) string {
	if x >= 0 {
		return "+" + sig(x)
	}
	return sig(x)
}

// triple formats a histogram's p50, p90 and p99.
// durations writes a distribution's p50 / p90 / p99 as durations ("583ms",
// "5.83s", "50m37s"), each to about three significant digits.
func durations(h *hist) string {
	if h.count == 0 {
		return "—"
	}
	return durationText(h.quantile(0.5)) + " / " + durationText(h.quantile(0.9)) + " / " + durationText(h.quantile(0.99))
}

// durationText writes seconds as a duration to about three significant
// digits, and to the second from a thousand seconds on.
func durationText(sec float64) string {
	if math.IsNaN(sec) || math.IsInf(sec, 0) {
		return "—"
	}
	d := time.Duration(math.Round(sec * 1e9))
	if d <= 0 {
		return d.String()
	}
	step := time.Duration(1)
	for e := int(math.Floor(math.Log10(float64(d)))) - 2; e > 0; e-- {
		step *= 10
	}
	return d.Round(min(step, time.Second)).String()
}

// energies writes a distribution's p50 / p90 / p99 of joules in the unit
// its median reads best in.
func energies(h *hist) string {
	if h.count == 0 {
		return "—"
	}
	p50, p90, p99 := h.quantile(0.5), h.quantile(0.9), h.quantile(0.99)
	unit, scale := energyUnit(p50)
	return sig(p50/scale) + " / " + sig(p90/scale) + " / " + sig(p99/scale) + " " + unit
}

// energyInterval writes a mean of joules and its interval in the unit
// the mean reads best in: "31.4 µJ (29.1–33.8)".
func energyInterval(mean, lo, hi float64, sep string, withSign bool) string {
	unit, scale := energyUnit(mean)
	f := sig
	if withSign {
		f = signed
	}
	return fmt.Sprintf("%s %s (%s%s%s)", f(mean/scale), unit, f(lo/scale), sep, f(hi/scale))
}

// energyUnit picks J, mJ, µJ or nJ for a number of joules, so that tiny
// energies read as "31.4 µJ", not "3.14e-05 J".
func energyUnit(j float64) (string, float64) {
	switch a := math.Abs(j); {
	case a == 0 || math.IsNaN(a) || a >= 1:
		return "J", 1
	case a >= 1e-3:
		return "mJ", 1e-3
	case a >= 1e-6:
		return "µJ", 1e-6
	}
	return "nJ", 1e-9
}

// SweepGroupJSON is one variant at one point, for --format json and csv.
type SweepGroupJSON struct {
	Variant    string          `json:"variant"`
	Point      string          `json:"point"`
	Runs       int             `json:"runs"`
	Errors     int             `json:"errors"`
	Uploads    int64           `json:"uploads"`
	Fates      map[string]Rate `json:"fates"`
	SettleS    Percentiles     `json:"settle_s"`
	Joules     Percentiles     `json:"joules"`
	MeanJoules Interval        `json:"mean_joules"`
	// AboveIdle and MeanAboveIdle are the energy above the idle baseline
	// (joules less what the radios would spend idle over the window).
	AboveIdle     Percentiles      `json:"above_idle"`
	MeanAboveIdle Interval         `json:"mean_above_idle"`
	ItemWaitS     *Percentiles     `json:"item_wait_s,omitempty"`
	Difference    *SweepDifference `json:"difference,omitempty"`
}

// Rate is a share with its 95% interval.
type Rate struct {
	Share float64 `json:"share"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// Interval is a value with its 95% interval.
type Interval struct {
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// Percentiles are p50, p90 and p99.
type Percentiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
}

// SweepDifference is a variant against the first, paired by draw.
type SweepDifference struct {
	From      string   `json:"from"`
	Delivered Interval `json:"delivered_share"`
	Joules    Interval `json:"joules"`
	AboveIdle Interval `json:"above_idle"`
}

func pcts(h *hist) Percentiles {
	return Percentiles{finite(h.quantile(0.5)), finite(h.quantile(0.9)), finite(h.quantile(0.99))}
}

// finite keeps NaN (no data) out of JSON, which cannot hold it.
func finite(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// Groups returns every variant at every point in report order.
func (s *SweepStats) Groups() []SweepGroupJSON {
	var out []SweepGroupJSON
	for p := range s.groups {
		for v, g := range s.groups[p] {
			lo, hi := g.total.ci95()
			alo, ahi := g.joules.ci95()
			j := SweepGroupJSON{Variant: s.Meta.Variants[v], Point: s.Meta.Points[p], Runs: g.runs, Errors: g.errors,
				Uploads: g.uploads, Fates: map[string]Rate{}, SettleS: pcts(&g.settle), Joules: pcts(&g.totalH),
				MeanJoules: Interval{finite(g.total.mean), finite(lo), finite(hi)},
				AboveIdle:  pcts(&g.energy), MeanAboveIdle: Interval{finite(g.joules.mean), finite(alo), finite(ahi)}}
			for f, name := range model.Fates {
				sh, l, h := g.share(f)
				j.Fates[string(name)] = Rate{finite(sh), finite(l), finite(h)}
			}
			if g.hasItems {
				w := pcts(&g.waits)
				j.ItemWaitS = &w
			}
			if v > 0 {
				rl, rh := g.dRate.ci95()
				jl, jh := g.dTotal.ci95()
				al, ah := g.dJoules.ci95()
				j.Difference = &SweepDifference{From: s.Meta.Variants[0],
					Delivered: Interval{g.dRate.mean, rl, rh}, Joules: Interval{g.dTotal.mean, jl, jh}, AboveIdle: Interval{g.dJoules.mean, al, ah}}
			}
			out = append(out, j)
		}
	}
	return out
}

// JSON writes {"sweep": meta, "groups": [...]}.
func (s *SweepStats) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Sweep  SweepMeta        `json:"sweep"`
		Groups []SweepGroupJSON `json:"groups"`
	}{s.Meta, s.Groups()})
}

// CSV writes one row per variant and point.
func (s *SweepStats) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"scenario", "variant", "point", "runs", "errors", "uploads"}
	for _, f := range model.Fates {
		head = append(head, string(f), string(f)+"_low", string(f)+"_high")
	}
	head = append(head, "settle_p50_s", "settle_p90_s", "settle_p99_s", "joules_p50", "joules_p90", "joules_p99",
		"joules_mean", "joules_mean_low", "joules_mean_high", "item_wait_p50_s", "item_wait_p90_s", "item_wait_p99_s",
		"diff_delivered", "diff_delivered_low", "diff_delivered_high", "diff_joules", "diff_joules_low", "diff_joules_high",
		"above_idle_p50", "above_idle_p90", "above_idle_p99", "above_idle_mean", "above_idle_mean_low", "above_idle_mean_high",
		"diff_above_idle", "diff_above_idle_low", "diff_above_idle_high")
	if err := cw.Write(head); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, g := range s.Groups() {
		row := []string{csvText(s.Meta.Scenario), csvText(g.Variant), csvText(g.Point), strconv.Itoa(g.Runs), strconv.Itoa(g.Errors), strconv.FormatInt(g.Uploads, 10)}
		for _, fate := range model.Fates {
			r := g.Fates[string(fate)]
			row = append(row, f(r.Share), f(r.Low), f(r.High))
		}
		row = append(row, f(g.SettleS.P50), f(g.SettleS.P90), f(g.SettleS.P99), f(g.Joules.P50), f(g.Joules.P90), f(g.Joules.P99),
			f(g.MeanJoules.Value), f(g.MeanJoules.Low), f(g.MeanJoules.High))
		if g.ItemWaitS != nil {
			row = append(row, f(g.ItemWaitS.P50), f(g.ItemWaitS.P90), f(g.ItemWaitS.P99))
		} else {
			row = append(row, "", "", "")
		}
		if d := g.Difference; d != nil {
			row = append(row, f(d.Delivered.Value), f(d.Delivered.Low), f(d.Delivered.High), f(d.Joules.Value), f(d.Joules.Low), f(d.Joules.High))
		} else {
			row = append(row, "", "", "", "", "", "")
		}
		row = append(row, f(g.AboveIdle.P50), f(g.AboveIdle.P90), f(g.AboveIdle.P99),
			f(g.MeanAboveIdle.Value), f(g.MeanAboveIdle.Low), f(g.MeanAboveIdle.High))
		if d := g.Difference; d != nil {
			row = append(row, f(d.AboveIdle.Value), f(d.AboveIdle.Low), f(d.AboveIdle.High))
		} else {
			row = append(row, "", "", "")
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvText keeps a text cell of the CSV from being read as a formula by a
// spreadsheet (a cell starting with = + - @, a tab or a carriage return),
// by putting an apostrophe in front, as OWASP recommends.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
