package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// sweepPalette tells the variants and points apart; sweepDashes does it
// again for a reader who cannot tell the colours, or for curves that lie
// on each other.
var (
	sweepPalette = []string{"#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"}
	sweepDashes  = []string{"", "10 6", "3 4", "14 4 3 4"}
	fateColors   = []string{"#2e7d32", "#c62828", "#212121", "#ef6c00", "#757575"} // in the order of model.Fates
)

// SVG draws the sweep's headline for a room: first each fate's share of
// uploads per variant (and grid point) with its 95% interval; then, for
// a sweep over a grid, energy per run and the workload items' wait (their
// freshness) against the grid parameter on the x-axis, a line per
// variant; without a grid, the share of all uploads settled by each time
// (a distribution that stops short of 100% by the uploads still pending
// or lost, and says so) and the energy per run, each curve labelled where
// it ends, dashed differently, and curves that coincide named together.
func (s *SweepStats) SVG(w io.Writer) error {
	var b svgWriter
	y := 10.0
	b.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+24), fontSize+8, esc(s.Meta.Scenario))
	y += 36
	if t := s.Meta.Title; t != "" {
		b.f(`<text x="20" y="%s" font-size="%d" fill="#333">%s</text>`+"\n", num(y+18), fontSize, esc(t))
		y += 26
	}
	b.f(`<text x="20" y="%s" font-size="%d" fill="#555">%d runs per variant and point, the same draws for every variant</text>`+"\n", num(y+18), fontSize, s.Meta.Runs)
	y += 40
	y = s.fateBars(&b, y)
	if s.hasGrid() {
		y = s.gridChart(&b, y, "Radio energy above idle per run against "+s.gridParam()+" (mean, 95% interval; p90 dotted)", "J", "mean",
			func(g *sweepGroup) (mid, lo, hi, p90 float64, ok bool) {
				if g.joules.n == 0 {
					return 0, 0, 0, 0, false
				}
				lo, hi = g.joules.ci95()
				return g.joules.mean, lo, hi, g.energy.quantile(0.9), true
			})
		if s.anyItems() {
			y = s.gridChart(&b, y, "Freshness: how long an item waited for the server (median; p90 dotted)", "s", "median",
				func(g *sweepGroup) (mid, lo, hi, p90 float64, ok bool) {
					if !g.hasItems {
						return 0, 0, 0, 0, false
					}
					m := g.waits.quantile(0.5)
					return m, m, m, g.waits.quantile(0.9), true
				})
		}
	} else {
		y = s.settleChart(&b, y)
		y = s.energyChart(&b, y)
	}
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%s" viewBox="0 0 %d %s" font-family="Helvetica, Arial, sans-serif">
<rect width="100%%" height="100%%" fill="#ffffff"/>
%s</svg>
`, svgWidth, num(y), svgWidth, num(y), b.b.String())
	return err
}

// gridParam names the grid's parameter: what its points' labels share
// before the "=", or "the grid point".
func (s *SweepStats) gridParam() string {
	if k, _, ok := strings.Cut(s.Meta.Points[0], "="); ok && !strings.Contains(s.Meta.Points[0], ",") {
		return k
	}
	return "the grid point"
}

// pointLabel is a point's value without the parameter's name.
func (s *SweepStats) pointLabel(p int) string {
	l := s.Meta.Points[p]
	if _, v, ok := strings.Cut(l, "="); ok && !strings.Contains(l, ",") {
		return v
	}
	return l
}

func (s *SweepStats) groupLabel(p, v int) string {
	label := s.Meta.Variants[v]
	if label == "" {
		label = "run"
	}
	if s.hasGrid() {
		if len(s.Meta.Variants) == 1 {
			return s.pointLabel(p)
		}
		label += " " + s.pointLabel(p)
	}
	return label
}

func (s *SweepStats) sectionTitle(b *svgWriter, y float64, title string) float64 {
	b.f(`<line x1="10" y1="%s" x2="%d" y2="%s" stroke="#999" stroke-width="1"/>`+"\n", num(y), svgWidth-10, num(y))
	b.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+30), fontSize+4, esc(title))
	return y + 46
}

// fateBars draws, for each variant and point, a bar per fate seen in the
// sweep: its share of uploads and its 95% interval as a whisker.
func (s *SweepStats) fateBars(b *svgWriter, y float64) float64 {
	y = s.sectionTitle(b, y, "Fates: share of uploads, with the 95% interval")
	fates := s.usedFates()
	x := func(f float64) float64 { return plotLeft + f*(plotWidth-230) }
	for _, f := range []float64{0, 0.5, 1} {
		b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle" fill="#555">%g%%</text>`+"\n", num(x(f)), num(y+16), fontSize, f*100)
	}
	y += 26
	top := y
	for p := range s.groups {
		for v, g := range s.groups[p] {
			b.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+20), fontSize, esc(s.groupLabel(p, v)))
			if len(fates) > 1 {
				y += 28
			}
			for _, f := range fates {
				share, lo, hi := g.share(f)
				if math.IsNaN(share) {
					continue
				}
				b.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">%s</text>`+"\n", plotLeft-10, num(y+20), fontSize, esc(string(model.Fates[f])))
				b.f(`<rect x="%d" y="%s" width="%s" height="22" fill="%s" fill-opacity="0.8"><title>%s %s</title></rect>`+"\n",
					plotLeft, num(y+3), num(math.Max(x(share)-plotLeft, 1)), fateColors[f], esc(string(model.Fates[f])), pct(share, lo, hi))
				b.f(`<path d="M%s %s V%s M%s %s H%s M%s %s V%s" stroke="#000" stroke-width="2" fill="none"/>`+"\n",
					num(x(lo)), num(y+6), num(y+22), num(x(lo)), num(y+14), num(x(hi)), num(x(hi)), num(y+6), num(y+22))
				b.f(`<text x="%s" y="%s" font-size="%d">%s</text>`+"\n", num(x(1)+14), num(y+20), fontSize, pct(share, lo, hi))
				y += 30
			}
			y += 8
		}
	}
	b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999" stroke-dasharray="4 3"/>`+"\n", num(x(1)), num(top), num(x(1)), num(y))
	return y + 16
}

// gridChart draws one measure against the grid: a line per variant
// through each point's value, its interval as whiskers and its p90
// dotted.
func (s *SweepStats) gridChart(b *svgWriter, y float64, title, unit, midName string, measure func(*sweepGroup) (mid, lo, hi, p90 float64, ok bool)) float64 {
	y = s.sectionTitle(b, y, title)
	n := len(s.Meta.Points)
	x := func(p int) float64 { return plotLeft + 40 + float64(p)*(plotWidth-80-200)/math.Max(float64(n-1), 1) }
	top := 0.0
	for p := range s.groups {
		for _, g := range s.groups[p] {
			if _, _, hi, p90, ok := measure(g); ok {
				top = math.Max(top, math.Max(hi, p90))
			}
		}
	}
	if unit == "s" { // a round duration
		t := top
		top = tickSteps[len(tickSteps)-1].Seconds()
		for _, st := range tickSteps {
			if st.Seconds() >= t {
				top = st.Seconds()
				break
			}
		}
	} else {
		top = niceCeil(math.Max(top, 1e-9))
	}
	y += 16
	h := 240.0
	yOf := func(v float64) float64 { return y + h - v/top*h }
	format := func(v float64) string {
		if unit == "s" {
			t := sim.Time(v * float64(sim.Second))
			if t >= sim.Minute {
				t = (t + sim.Second/2) / sim.Second * sim.Second
			}
			return shortTime(t)
		}
		return strconvG3(v) + " J"
	}
	b.f(`<rect x="%d" y="%s" width="%d" height="%s" fill="none" stroke="#bbb"/>`+"\n", plotLeft, num(y), plotWidth-200, num(h))
	for _, f := range []float64{0, 0.5, 1} {
		b.f(`<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#eee"/>`+"\n", plotLeft, num(yOf(top*f)), plotLeft+plotWidth-200, num(yOf(top*f)))
		b.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">%s</text>`+"\n", plotLeft-8, num(yOf(top*f)+6), fontSize, format(top*f))
	}
	for p := 0; p < n; p++ {
		b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle">%s</text>`+"\n", num(x(p)), num(y+h+24), fontSize, esc(s.pointLabel(p)))
	}
	b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle" fill="#555">%s</text>`+"\n", num(plotLeft+(plotWidth-200)/2), num(y+h+50), fontSize, esc(s.gridParam()))
	for v := range s.Meta.Variants {
		color := sweepPalette[v%len(sweepPalette)]
		var mids, p90s []string
		lastY, lastP90 := 0.0, 0.0
		for p := range s.groups {
			mid, lo, hi, p90, ok := measure(s.groups[p][v])
			if !ok {
				continue
			}
			mids = append(mids, num(x(p))+","+num(yOf(mid)))
			p90s = append(p90s, num(x(p))+","+num(yOf(p90)))
			if hi > lo {
				b.f(`<path d="M%s %s V%s M%s %s H%s M%s %s H%s" stroke="%s" stroke-width="2"/>`+"\n",
					num(x(p)), num(yOf(lo)), num(yOf(hi)), num(x(p)-6), num(yOf(lo)), num(x(p)+6), num(x(p)-6), num(yOf(hi)), num(x(p)+6), color)
			}
			b.f(`<circle cx="%s" cy="%s" r="5" fill="%s"><title>%s: %s</title></circle>`+"\n", num(x(p)), num(yOf(mid)), color, esc(s.groupLabel(p, v)), format(mid))
			b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle" fill="%s">%s</text>`+"\n", num(x(p)), num(yOf(mid)-12), fontSize, color, format(mid))
			lastY, lastP90 = yOf(mid), yOf(p90)
		}
		b.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="3" stroke-dasharray="%s"/>`+"\n", strings.Join(mids, " "), color, sweepDashes[v%len(sweepDashes)])
		b.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="2 4"/>`+"\n", strings.Join(p90s, " "), color)
		name := midName
		if s.Meta.Variants[v] != "" {
			name = s.Meta.Variants[v] + " " + midName
		}
		p90Y := lastP90 + 6
		if math.Abs(p90Y-(lastY+6)) < 22 {
			p90Y = lastY + 6 - 22
		}
		b.f(`<text x="%s" y="%s" font-size="%d" fill="%s">%s</text>`+"\n", num(x(n-1)+20), num(lastY+6+float64(v)*22), fontSize, color, esc(name))
		b.f(`<text x="%s" y="%s" font-size="%d" fill="%s">p90</text>`+"\n", num(x(n-1)+20), num(p90Y+float64(v)*22), fontSize, color)
	}
	return y + h + 80
}

// curve is one group's distribution for the charts without a grid.
type curve struct {
	label string
	h     *hist
	of    float64 // the denominator: every upload, or every run
}

// distChart draws cumulative step curves on a log x-axis; each curve ends
// at its share of the denominator, labelled there; curves with the same
// histogram share one label.
func distChart(b *svgWriter, y float64, unit string, curves []curve, note func(i int) string) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		for i, n := range c.h.bins {
			if n > 0 {
				lo, hi = math.Min(lo, binValue(i)), math.Max(hi, binValue(i))
			}
		}
	}
	if math.IsInf(lo, 1) {
		b.f(`<text x="%d" y="%s" font-size="%d">no data</text>`+"\n", plotLeft, num(y+20), fontSize)
		return y + 40
	}
	d0, d1 := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if d1 <= d0 {
		d1 = d0 + 1
	}
	right := float64(plotWidth - 330)
	x := func(v float64) float64 { return plotLeft + (math.Log10(v)-d0)/(d1-d0)*right }
	h := 240.0
	yOf := func(f float64) float64 { return y + h - f*h }
	b.f(`<rect x="%d" y="%s" width="%s" height="%s" fill="none" stroke="#bbb"/>`+"\n", plotLeft, num(y), num(right), num(h))
	for _, f := range []float64{0, 0.5, 1} {
		b.f(`<line x1="%d" y1="%s" x2="%s" y2="%s" stroke="#eee"/>`+"\n", plotLeft, num(yOf(f)), num(plotLeft+right), num(yOf(f)))
		b.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">%g%%</text>`+"\n", plotLeft-8, num(yOf(f)+6), fontSize, f*100)
	}
	b.f(`<text x="%s" y="%s" font-size="%d" fill="#555">100%%: every one</text>`+"\n", num(plotLeft+8), num(yOf(1)+24), fontSize)
	for d := d0; d <= d1; d++ {
		v := math.Pow(10, d)
		b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#eee"/>`+"\n", num(x(v)), num(y), num(x(v)), num(y+h))
		b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle">%s</text>`+"\n", num(x(v)), num(y+h+24), fontSize, strings.TrimSuffix(fmt.Sprintf("%g", v), ".0")+unit)
	}
	// Curves with the same histogram are drawn once and named together.
	same := make([]int, len(curves))
	for i := range curves {
		same[i] = i
		for j := 0; j < i; j++ {
			if sameHist(curves[i].h, curves[j].h) && curves[i].of == curves[j].of {
				same[i] = same[j]
				break
			}
		}
	}
	var labels []struct {
		y     float64
		text  string
		color string
	}
	for i, c := range curves {
		if same[i] != i || c.h.count == 0 || c.of == 0 {
			continue
		}
		color := sweepPalette[i%len(sweepPalette)]
		cum := float64(c.h.zero)
		pts := []string{num(x(math.Pow(10, d0))) + "," + num(yOf(cum/c.of))}
		for k, n := range c.h.bins {
			if n == 0 {
				continue
			}
			xv := x(binValue(k))
			pts = append(pts, num(xv)+","+num(yOf(cum/c.of)))
			cum += float64(n)
			pts = append(pts, num(xv)+","+num(yOf(cum/c.of)))
		}
		end := yOf(cum / c.of)
		pts = append(pts, num(plotLeft+right)+","+num(end))
		b.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="3" stroke-dasharray="%s"/>`+"\n", strings.Join(pts, " "), color, sweepDashes[i%len(sweepDashes)])
		var names []string
		for j := range curves {
			if same[j] == i {
				names = append(names, curves[j].label)
			}
		}
		text := strings.Join(names, " = ")
		if n := note(i); n != "" {
			text += ": " + n
		}
		labels = append(labels, struct {
			y           float64
			text, color string
		}{end, text, color})
	}
	// Direct labels at the curves' ends, pushed apart when they collide.
	for i := range labels {
		for j := 0; j < i; j++ {
			if math.Abs(labels[i].y-labels[j].y) < 24 {
				labels[i].y = labels[j].y + 24
			}
		}
	}
	for _, l := range labels {
		for k, line := range strings.Split(hang(l.text, 30, ""), "\n") {
			b.f(`<text x="%s" y="%s" font-size="%d" fill="%s">%s</text>`+"\n", num(plotLeft+right+12), num(l.y+6+float64(k)*22), fontSize, l.color, esc(line))
		}
	}
	return y + h + 50
}

func sameHist(a, b *hist) bool {
	if a.count != b.count || a.zero != b.zero || len(a.bins) != len(b.bins) {
		return false
	}
	for i := range a.bins {
		if a.bins[i] != b.bins[i] {
			return false
		}
	}
	return true
}

// settleChart: the share of all uploads settled by each time, stopping
// short of 100% by those still pending or lost at the end.
func (s *SweepStats) settleChart(b *svgWriter, y float64) float64 {
	y = s.sectionTitle(b, y, "Time to fate: share of all uploads delivered or failed by each time (log scale)") + 12
	var curves []curve
	var groups []*sweepGroup
	for p := range s.groups {
		for v, g := range s.groups[p] {
			curves = append(curves, curve{s.groupLabel(p, v), &g.settle, float64(g.uploads)})
			groups = append(groups, g)
		}
	}
	return distChart(b, y, "s", curves, func(i int) string {
		g := groups[i]
		open := g.fates[2] + g.fates[3] + g.fates[4] // lost, pending, never sent
		if g.uploads == 0 || open == 0 {
			return "all settle"
		}
		var parts []string
		for _, f := range []int{3, 2, 4} {
			if g.fates[f] > 0 {
				parts = append(parts, fmt.Sprintf("%.1f%% %s", 100*float64(g.fates[f])/float64(g.uploads), strings.ReplaceAll(string(model.Fates[f]), "_", " ")))
			}
		}
		return "never reaches 100%: " + strings.Join(parts, ", ")
	})
}

func (s *SweepStats) energyChart(b *svgWriter, y float64) float64 {
	y = s.sectionTitle(b, y, "Radio energy above idle per run: share of runs spending at most each energy (log scale)") + 12
	var curves []curve
	for p := range s.groups {
		for v, g := range s.groups[p] {
			curves = append(curves, curve{s.groupLabel(p, v), &g.energy, float64(g.energy.count)})
		}
	}
	return distChart(b, y, " J", curves, func(int) string { return "" })
}

// strconvG3 writes v with three significant digits, no exponent.
func strconvG3(v float64) string {
	if v == 0 {
		return "0"
	}
	d := 2 - int(math.Floor(math.Log10(math.Abs(v))))
	if d < 0 {
		d = 0
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}
