package report

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// sweepPalette tells the variants and points apart.
var sweepPalette = []string{"#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"}

// SVG draws the sweep's distributions: for each variant and point, the
// cumulative share of uploads settled by each time, and of runs spending
// at most each energy, on logarithmic axes (the histograms' bins).
func (s *SweepStats) SVG(w io.Writer) error {
	type curve struct {
		label string
		h     *hist
	}
	var settle, energy []curve
	for p := range s.groups {
		for v, g := range s.groups[p] {
			_, point := s.label(p, v)
			label := s.Meta.Variants[v]
			if point != "" {
				label = strings.TrimSpace(label + " " + point)
			}
			settle = append(settle, curve{label, &g.settle})
			energy = append(energy, curve{label, &g.energy})
		}
	}
	var b svgWriter
	y := 20.0
	b.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s — %d runs per variant and point</text>`+"\n", num(y+8), fontSize+4, esc(s.Meta.Scenario), s.Meta.Runs)
	y += 40
	panel := func(title, unit string, curves []curve) {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, c := range curves {
			for i, n := range c.h.bins {
				if n > 0 {
					lo, hi = math.Min(lo, binValue(i)), math.Max(hi, binValue(i))
				}
			}
		}
		b.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+14), fontSize+1, esc(title))
		y += 26
		if math.IsInf(lo, 1) {
			b.f(`<text x="%d" y="%s" font-size="%d">no data</text>`+"\n", plotLeft, num(y+20), fontSize)
			y += 40
			return
		}
		// Decades spanning the data, so that the axis has round ticks.
		d0, d1 := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
		if d1 <= d0 {
			d1 = d0 + 1
		}
		x := func(v float64) float64 { return plotLeft + (math.Log10(v)-d0)/(d1-d0)*plotWidth }
		h := 220.0
		yOf := func(f float64) float64 { return y + h - f*h }
		b.f(`<rect x="%d" y="%s" width="%d" height="%s" fill="none" stroke="#bbb"/>`+"\n", plotLeft, num(y), plotWidth, num(h))
		for _, f := range []float64{0, 0.5, 0.9, 1} {
			b.f(`<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#eee"/>`+"\n", plotLeft, num(yOf(f)), plotLeft+plotWidth, num(yOf(f)))
			b.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">%g%%</text>`+"\n", plotLeft-6, num(yOf(f)+5), fontSize-3, f*100)
		}
		for d := d0; d <= d1; d++ {
			v := math.Pow(10, d)
			b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#eee"/>`+"\n", num(x(v)), num(y), num(x(v)), num(y+h))
			b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle">%s</text>`+"\n", num(x(v)), num(y+h+18), fontSize-3, strings.TrimSuffix(fmt.Sprintf("%g", v), ".0")+unit)
		}
		b.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">cumulative</text>`+"\n", labelWidth-40, num(y+h/2), fontSize)
		b.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">share</text>`+"\n", labelWidth-40, num(y+h/2+20), fontSize)
		for ci, c := range curves {
			color := sweepPalette[ci%len(sweepPalette)]
			if c.h.count == 0 {
				continue
			}
			cum := float64(c.h.zero)
			var pts []string
			px := x(math.Pow(10, d0))
			pts = append(pts, num(px)+","+num(yOf(cum/float64(c.h.count))))
			for i, n := range c.h.bins {
				if n == 0 {
					continue
				}
				xv := x(binValue(i))
				pts = append(pts, num(xv)+","+num(yOf(cum/float64(c.h.count))))
				cum += float64(n)
				pts = append(pts, num(xv)+","+num(yOf(cum/float64(c.h.count))))
			}
			pts = append(pts, num(plotLeft+plotWidth)+","+num(yOf(cum/float64(c.h.count))))
			b.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"/>`+"\n", strings.Join(pts, " "), color)
			b.f(`<rect x="%d" y="%s" width="22" height="4" fill="%s"/>`+"\n", plotLeft+12, num(y+14+float64(ci)*20), color)
			b.f(`<text x="%d" y="%s" font-size="%d">%s</text>`+"\n", plotLeft+40, num(y+20+float64(ci)*20), fontSize-2, esc(c.label))
		}
		y += h + 50
	}
	panel("Time from creation to fate (delivered and failed uploads), log scale", "s", settle)
	panel("Radio energy per run, log scale", " J", energy)
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%s" viewBox="0 0 %d %s" font-family="Helvetica, Arial, sans-serif">
<rect width="100%%" height="100%%" fill="#ffffff"/>
%s</svg>
`, svgWidth, num(y), svgWidth, num(y), b.b.String())
	return err
}
