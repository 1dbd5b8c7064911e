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

// moment is an instant that decides a fate, told in words on the picture.
type moment struct {
	at   sim.Time
	text string
	rule string
	mark string // colours the label: delivered, failed, lost, pending, crash or ""
}

// decisive picks from a run the instants a room should see: the app
// purged or force-quit, iOS relaunching or resuming it, the session
// recreated (or the wrong one, or none), handleEvents, the completion
// handler, the daemon holding a response, a crash, and, with at most
// three uploads, when the server had each and its fate.
func decisive(r *model.Result) []moment {
	few := len(r.Uploads) <= 3
	var out []moment
	woken := false
	terms := map[sim.Time]model.Termination{}
	for _, t := range r.Terminations {
		terms[t.At] = t
	}
	for _, b := range story(r) {
		rec := b.rec
		id := attrOf(rec, "identifier")
		m := moment{at: b.At, rule: b.Rule}
		switch b.Actor + " " + rec.Kind {
		case "app app.state":
			if attrOf(rec, "to") != "not running" {
				continue
			}
			t, ok := terms[b.At]
			if !ok || t.Reason == "crashed" {
				continue
			}
			woken = true
			m.rule = string(t.Rule)
			switch t.Reason {
			case "purged":
				m.text = "iOS purges the app"
			case "force-quit":
				m.text = "the user force-quits the app"
			case "updated":
				m.text = "an app update ends the process"
			default:
				m.text = "the app is terminated (" + t.Reason + ")"
			}
		case "daemon app.wake":
			woken = true
			how := attrOf(rec, "how")
			switch how {
			case "relaunch":
				how = "relaunches"
			case "resume":
				how = "resumes"
			}
			m.text = "iOS " + how + " the app in the background"
		case "app session.created":
			if !woken {
				continue
			}
			m.text = "the app recreates " + id
		case "app session.wrong-identifier":
			m.text, m.mark = "the app recreates "+attrOf(rec, "recreated")+", not "+id, "lost"
		case "app session.not-recreated":
			m.text, m.mark = "the app recreates no session for "+id, "lost"
		case "app app.handle-events":
			m.text = "handleEventsForBackgroundURLSession"
		case "app completion-handler.called":
			m.text = "the app calls the completion handler"
		case "app completion-handler.not-called":
			m.text = "the completion handler is never called"
		case "daemon events.held":
			m.text, m.mark = "the daemon holds the response: no relaunch", "pending"
		case "app app.crash":
			m.text, m.mark = "CRASH "+attrOf(rec, "exception"), "crash"
		case "app batch.flush":
			m.text = "the app sends a batch of " + attrOf(rec, "items") + " items"
		case "network outage":
			m.text = "network outage"
		case "server upload.received":
			if !few {
				continue
			}
			m.text, m.rule = "the server has "+attrOf(rec, "upload"), ""
		default:
			continue
		}
		out = append(out, m)
	}
	if few {
		for i := range r.Uploads {
			u := &r.Uploads[i]
			at := u.SettledAt
			if at == sim.Never {
				at = r.EndedAt
			}
			words := map[model.Fate]string{
				model.Delivered: " delivered to the app", model.Failed: " failed", model.Lost: " LOST: the app never hears",
				model.Pending: " still pending at the end", model.NeverSent: " never sent",
			}[u.Fate]
			out = append(out, moment{at: at, text: u.ID + words, rule: string(u.Rule), mark: string(u.Fate)})
		}
	}
	return out
}

var markTextColors = map[string]string{
	"delivered": "#1b5e20", "failed": "#b71c1c", "lost": "#b71c1c", "crash": "#b71c1c",
	"pending": "#e65100", "never_sent": "#424242",
}

// runAboveIdle is a run's radio energy above idle, every interface.
func runAboveIdle(r *model.Result) float64 { return r.Energy.AboveIdle() }

// powerScale is the top of the power axis, shared by every panel so that
// variants compare by eye. Intervals too short to see do not set it.
func powerScale(runs []*model.Result) float64 {
	peak := 0.0
	for _, r := range runs {
		for _, re := range r.Radios {
			for _, iv := range re.Intervals {
				if iv.To-iv.From >= max(r.EndedAt/500, sim.Millisecond) {
					peak = math.Max(peak, iv.Watts())
				}
			}
		}
	}
	return niceCeil(math.Max(peak, 0.1))
}

// SVG draws the runs as one picture, a panel per run (variant), each on
// its own time axis fitted to its activity, with long idle stretches cut
// out as marked breaks: the app's state, the uploads (those with the same
// story share a lane, with their count), the moments that decide a fate
// labelled in words with their rule, and the radios' power with each
// interface's energy above idle (an interface with no traffic is left
// out). The runs need their traces kept.
func SVG(w io.Writer, runs []*model.Result) error {
	var body svgWriter
	y := 10.0
	body.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+24), fontSize+8, esc(runs[0].Scenario))
	y += 36
	if t := runs[0].Title; t != "" {
		for _, line := range strings.Split(hang(t, int((svgWidth-40)/charWidth), ""), "\n") {
			body.f(`<text x="20" y="%s" font-size="%d" fill="#333">%s</text>`+"\n", num(y+18), fontSize, esc(line))
			y += 24
		}
	}
	y += 8
	y = stateLegend(&body, y)
	top := powerScale(runs)
	for _, r := range runs {
		y = runPanel(&body, r, y, top) + 12
	}
	body.f(`<text x="%d" y="%s" font-size="%d" fill="#555">time: virtual time since the start of each run; a zigzag cuts out a long idle stretch</text>`+"\n", plotLeft, num(y+14), fontSize)
	y += 30
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%s" viewBox="0 0 %d %s" font-family="Helvetica, Arial, sans-serif">
<rect width="100%%" height="100%%" fill="#ffffff"/>
%s</svg>
`, svgWidth, num(y), svgWidth, num(y), body.b.String())
	return err
}

// stateLegend draws the colours of the lanes and the marks, wrapping at
// the canvas's edge.
func stateLegend(b *svgWriter, y float64) float64 {
	type item struct{ color, mark, label string }
	groups := []struct {
		name  string
		items []item
	}{
		{"app", []item{{stateColors["foreground"], "", "foreground"}, {stateColors["background"], "", "background"}, {stateColors["suspended"], "", "suspended"}, {stateColors["not running"], "", "not running"}}},
		{"upload", []item{{stateColors["waiting"], "", "waiting"}, {stateColors["transferring"], "", "transferring"}, {stateColors["server"], "", "at the server"}, {stateColors["held"], "", "held by the daemon"}}},
		{"fate", []item{{"", "delivered", "delivered"}, {"", "failed", "failed"}, {"", "lost", "lost"}, {"", "pending", "pending"}, {"", "never_sent", "never sent"}, {"", "crash", "crash"}}},
	}
	for _, g := range groups {
		b.f(`<text x="20" y="%s" font-size="%d" fill="#333">%s:</text>`+"\n", num(y+16), fontSize, g.name)
		x := 100.0
		for _, it := range g.items {
			if it.mark != "" {
				drawMarker(b, x+10, y+10, it.mark)
			} else {
				b.f(`<rect x="%s" y="%s" width="20" height="20" fill="%s" stroke="#555" stroke-width="1"/>`+"\n", num(x), num(y), it.color)
			}
			b.f(`<text x="%s" y="%s" font-size="%d">%s</text>`+"\n", num(x+26), num(y+16), fontSize, it.label)
			x += 44 + charWidth*float64(len(it.label))
		}
		y += 28
	}
	return y + 6
}

// runPanel draws one run from y down and returns the y below it.
func runPanel(b *svgWriter, r *model.Result, y, top float64) float64 {
	ax := fitAxis(r, plotLeft, plotWidth)
	energy := runAboveIdle(r)
	title := fmt.Sprintf("%s — ended %s, radios %s above idle", runLabel(r), When(r.EndedAt), joules(energy))
	if r.Variant != "" {
		title = fmt.Sprintf("%s — ended %s, radios %s above idle", r.Variant, When(r.EndedAt), joules(energy))
	}
	b.f(`<line x1="10" y1="%s" x2="%d" y2="%s" stroke="#999" stroke-width="1"/>`+"\n", num(y), svgWidth-10, num(y))
	b.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+30), fontSize+4, esc(title))
	y += 44

	// The moments, each label on the first row where it fits, with a
	// dashed line down through the lanes.
	ms := decisive(r)
	type placed struct {
		m        moment
		x, tx    float64
		anchor   string
		row      int
		lo, hi   float64
		fullText string
	}
	var rows [][2]float64 // each row's occupied extent so far: the rightmost end
	var ps []placed
	for _, m := range ms {
		text := m.text
		if m.rule != "" {
			text += " · " + m.rule
		}
		x := ax.x(m.at)
		p := placed{m: m, x: x, fullText: text}
		place := func(text string) bool {
			wd := charWidth*float64(len([]rune(text))) + 8
			p.anchor, p.tx, p.lo, p.hi = "start", x+6, x, x+wd
			if p.hi > svgWidth-10 {
				p.anchor, p.tx, p.lo, p.hi = "end", x-6, x-wd, x
			}
			return p.lo >= 10
		}
		if !place(text) && m.rule != "" && place(m.text) {
			// Too long for either side of its moment with its rule: the
			// label drops the rule, which its tooltip still gives.
			p.m.rule = ""
		}
		p.row = -1
		for i, rw := range rows {
			if p.lo > rw[1]+12 {
				p.row = i
				break
			}
		}
		if p.row < 0 {
			rows = append(rows, [2]float64{})
			p.row = len(rows) - 1
		}
		rows[p.row][1] = p.hi
		ps = append(ps, p)
	}
	momentsTop := y
	y += float64(len(rows)) * momentRow
	lanes := append(append([]lane{appLane(r)}, extensionLanes(r)...), uploadLanes(r)...)
	lanesTop := y
	lanesBottom := lanesTop + float64(len(lanes))*(laneHeight+laneGap) - laneGap
	color := func(p placed) string {
		if c := markTextColors[p.m.mark]; c != "" {
			return c
		}
		return "#212121"
	}
	rowY := func(p placed) float64 { return momentsTop + float64(p.row)*momentRow + 19 }
	for _, p := range ps { // the lines first, so that no line crosses a label
		b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="4 3"/>`+"\n", num(p.x), num(rowY(p)+5), num(p.x), num(lanesBottom), color(p))
	}
	for _, p := range ps {
		b.f(`<rect x="%s" y="%s" width="%s" height="%d" fill="#ffffff"/>`+"\n", num(p.lo), num(rowY(p)-17), num(p.hi-p.lo), momentRow-4)
		body, rule := esc(p.m.text), ""
		if p.m.rule != "" {
			rule = fmt.Sprintf(`<tspan fill="#616161"> · %s</tspan>`, esc(p.m.rule))
		}
		b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="%s" fill="%s" stroke="#ffffff" stroke-width="5" stroke-linejoin="round" paint-order="stroke"><title>%s %s</title>%s%s</text>`+"\n",
			num(p.tx), num(rowY(p)), fontSize, p.anchor, color(p), When(p.m.at), esc(p.fullText), body, rule)
	}
	for _, l := range lanes {
		b.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">%s</text>`+"\n", labelWidth, num(y+laneHeight/2+6), fontSize, esc(clip(l.label, int(labelWidth/charWidth))))
		b.f(`<rect x="%d" y="%s" width="%d" height="%d" fill="none" stroke="#bbb" stroke-width="1"/>`+"\n", plotLeft, num(y), plotWidth, laneHeight)
		opacity := "1"
		if l.shared {
			opacity = "0.6"
		}
		for _, s := range l.spans {
			if s.to <= s.from {
				continue
			}
			x0, x1 := ax.x(s.from), ax.x(s.to)
			b.f(`<rect x="%s" y="%s" width="%s" height="%d" fill="%s" fill-opacity="%s"><title>%s %s to %s</title></rect>`+"\n",
				num(x0), num(y+1), num(math.Max(x1-x0, 1)), laneHeight-2, stateColors[s.state], opacity, esc(s.state), When(s.from), When(s.to))
		}
		for _, m := range l.markers {
			drawMarker(b, ax.x(m.at), y+laneHeight/2, m.kind)
		}
		y += laneHeight + laneGap
	}
	plotTop := y + 4 + 28
	y = powerPlot(b, r, y+4, top, ax)
	// The breaks, over lanes and plot (not the plot's legend), then the
	// time axis.
	for _, br := range ax.breaks {
		for _, band := range [][2]float64{{lanesTop - 2, lanesBottom + 2}, {plotTop, y}} {
			b.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff"/>`+"\n", num(br.x0+4), num(band[0]), num(breakWidth-8), num(band[1]-band[0]))
			for _, xx := range []float64{br.x0 + 6, br.x1 - 6} {
				b.f(`<path d="%s" fill="none" stroke="#555" stroke-width="2"/>`+"\n", zigzag(xx, band[0], band[1]))
			}
		}
		b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle" fill="#333">%s</text>`+"\n", num((br.x0+br.x1)/2), num(y+46), fontSize, esc(breakLabel(br)))
	}
	for _, t := range ax.ticks(130) {
		x := ax.x(t)
		anchor := "middle"
		if x > svgWidth-60 {
			anchor = "end"
		}
		b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1"/>`+"\n", num(x), num(y), num(x), num(y+6))
		b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="%s">%s</text>`+"\n", num(x), num(y+24), fontSize, anchor, When(t))
	}
	if len(ax.breaks) > 0 {
		return y + 56
	}
	return y + 32
}

func clip(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

// zigzag is the mark of a break in the axis: a vertical zigzag line.
func zigzag(x, y0, y1 float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "M%s %s", num(x), num(y0))
	for y, i := y0, 0; y < y1; y, i = y+8, i+1 {
		dx := 4.0
		if i%2 == 1 {
			dx = -4
		}
		fmt.Fprintf(&b, " L%s %s", num(x+dx), num(math.Min(y+8, y1)))
	}
	return b.String()
}

// powerPlot draws the power of each radio that carried traffic, as a
// filled step line, with its energy above idle in the legend, and
// returns the y below it.
func powerPlot(s *svgWriter, r *model.Result, y, top float64, ax timeAxis) float64 {
	var radios []model.RadioEnergy
	for _, re := range r.Radios {
		if re.ActiveTime > 0 && len(re.Intervals) > 0 {
			radios = append(radios, re)
		}
	}
	legendY := y
	y += 28
	yOf := func(watts float64) float64 { return y + powerH - math.Min(watts, top)/top*powerH }
	s.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">radio power (W)</text>`+"\n", labelWidth, num(y+powerH/2+6), fontSize)
	s.f(`<rect x="%d" y="%s" width="%d" height="%d" fill="none" stroke="#bbb" stroke-width="1"/>`+"\n", plotLeft, num(y), plotWidth, powerH)
	for _, frac := range []float64{0, 1} {
		yy := yOf(top * frac)
		s.f(`<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#eee" stroke-width="1"/>`+"\n", plotLeft, num(yy), plotLeft+plotWidth, num(yy))
		s.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">%s</text>`+"\n", plotLeft-6, num(yy+6), fontSize, strconv.FormatFloat(top*frac, 'g', 3, 64))
	}
	if len(radios) == 0 {
		s.f(`<text x="%d" y="%s" font-size="%d" fill="#333">no radio carried traffic</text>`+"\n", plotLeft+10, num(legendY+20), fontSize)
	}
	lx := float64(plotLeft + 10)
	for _, re := range radios {
		color := interfaceColors[re.Interface]
		// The panel's axis ends with the run; the account goes on to the
		// energy window's end, idle, and is not drawn past it.
		pts := []string{num(ax.x(re.Intervals[0].From)) + "," + num(yOf(0))}
		last := re.Intervals[0].From
		for _, iv := range re.Intervals {
			if iv.From >= r.EndedAt && iv.From > 0 {
				break
			}
			wv := yOf(iv.Watts())
			last = min(iv.To, max(r.EndedAt, iv.From))
			pts = append(pts, num(ax.x(iv.From))+","+num(wv), num(ax.x(last))+","+num(wv))
		}
		pts = append(pts, num(ax.x(last))+","+num(yOf(0)))
		s.f(`<polyline points="%s" fill="%s" fill-opacity="0.25" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), color, color)
		name := re.Interface
		if re.Profile != "" && re.Profile != re.Interface {
			name += " (" + re.Profile + ")"
		}
		label := fmt.Sprintf("%s: %s above idle", name, joules(re.AboveIdle()))
		s.f(`<rect x="%s" y="%s" width="24" height="6" fill="%s"/>`+"\n", num(lx), num(legendY+8), color)
		s.f(`<text x="%s" y="%s" font-size="%d">%s</text>`+"\n", num(lx+32), num(legendY+16), fontSize, esc(label))
		lx += 60 + charWidth*float64(len(label))
	}
	return y + powerH
}
