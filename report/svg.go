package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"bgsim/model"
	"bgsim/sim"
)

// The picture's geometry, in SVG user units (pixels).
const (
	svgWidth   = 1280
	labelWidth = 200
	plotLeft   = labelWidth + 10
	plotWidth  = svgWidth - plotLeft - 40
	laneHeight = 30
	laneGap    = 10
	powerH     = 150
	fontSize   = 16
)

// The colours of the states, chosen to stay apart when projected.
var stateColors = map[string]string{
	// app
	"foreground":  "#2e7d32",
	"background":  "#f9a825",
	"suspended":   "#90a4ae",
	"not running": "#ffffff",
	// uploads
	"waiting":      "#90caf9",
	"transferring": "#1565c0",
	"server":       "#7b1fa2",
	"held":         "#ef6c00",
	// radios
	"idle":      "#eceff1",
	"promotion": "#c62828",
	"active":    "#6d0000",
	"tail":      "#ffb74d",
	"off":       "#ffffff",
}

var interfaceColors = map[string]string{"wifi": "#1e88e5", "cellular": "#e53935"}

// span is a stretch of one lane in one state.
type span struct {
	from, to sim.Time
	state    string
}

// marker is a point event on a lane: a crash, or an upload's fate.
type marker struct {
	at   sim.Time
	kind string // crash, delivered, failed, lost, pending, never_sent
}

type lane struct {
	label   string
	spans   []span
	markers []marker
}

// appLane follows the app process's state through the trace.
func appLane(r *model.Result) lane {
	l := lane{label: "App"}
	state, since := "not running", sim.Time(0)
	for _, rec := range r.Trace {
		if rec.Actor != "app" {
			continue
		}
		switch rec.Kind {
		case "app.state":
			to := attrOf(rec, "to")
			l.spans = append(l.spans, span{since, rec.At, state})
			state, since = to, rec.At
		case "app.crash":
			l.markers = append(l.markers, marker{rec.At, "crash"})
		}
	}
	l.spans = append(l.spans, span{since, r.EndedAt, state})
	return l
}

// uploadLanes follows each upload through waiting, transferring, the
// server's work and the daemon holding its outcome, to its fate. With
// many uploads they share one lane.
func uploadLanes(r *model.Result) []lane {
	type st struct {
		state string
		since sim.Time
	}
	cur := map[string]*st{}
	spans := map[string][]span{}
	move := func(id string, at sim.Time, to string) {
		s := cur[id]
		if s == nil {
			s = &st{}
			cur[id] = s
		}
		if s.state != "" && at > s.since {
			spans[id] = append(spans[id], span{s.since, at, s.state})
		}
		s.state, s.since = to, at
	}
	for _, rec := range r.Trace {
		id := attrOf(rec, "upload")
		if id == "" {
			continue
		}
		switch rec.Actor + " " + rec.Kind {
		case "daemon task.received", "daemon task.retry", "network transfer.waiting":
			move(id, rec.At, "waiting")
		case "network transfer.connecting":
			move(id, rec.At, "transferring")
		case "server upload.received":
			move(id, rec.At, "server")
		case "daemon task.completed", "daemon task.cancelled", "daemon task.failed":
			move(id, rec.At, "held")
		case "app delegate.did-receive-response", "app delegate.did-complete", "app task.event.dropped",
			"app task.response", "app task.failed", "app app.crash":
			move(id, rec.At, "")
		}
	}
	var lanes []lane
	for i := range r.Uploads {
		u := &r.Uploads[i]
		if s := cur[u.ID]; s != nil && s.state != "" {
			spans[u.ID] = append(spans[u.ID], span{s.since, r.EndedAt, s.state})
		}
		at := u.SettledAt
		if at == sim.Never {
			at = r.EndedAt
		}
		lanes = append(lanes, lane{label: u.ID + " " + u.Spec, spans: spans[u.ID], markers: []marker{{at, string(u.Fate)}}})
	}
	if len(lanes) <= 6 {
		return lanes
	}
	all := lane{label: fmt.Sprintf("%d uploads", len(lanes))}
	for _, l := range lanes {
		all.spans = append(all.spans, l.spans...)
		all.markers = append(all.markers, l.markers...)
	}
	return []lane{all}
}

// radioLanes shows each radio that was ever more than idle or off.
func radioLanes(r *model.Result) []lane {
	var out []lane
	for _, re := range r.Radios {
		if re.ActiveTime == 0 {
			continue
		}
		l := lane{label: "radio " + re.Interface}
		for _, iv := range re.Intervals {
			l.spans = append(l.spans, span{iv.From, iv.To, iv.State})
		}
		out = append(out, l)
	}
	return out
}

// svgWriter accumulates markup; coordinates are written with one decimal,
// so the output is compact and stable.
type svgWriter struct {
	b strings.Builder
}

func (s *svgWriter) f(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

func num(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }

// tickSteps are the spacings the time axis may use: round numbers of
// milliseconds, seconds, minutes, hours and days.
var tickSteps = []sim.Time{
	sim.Millisecond, 2 * sim.Millisecond, 5 * sim.Millisecond, 10 * sim.Millisecond, 20 * sim.Millisecond,
	50 * sim.Millisecond, 100 * sim.Millisecond, 200 * sim.Millisecond, 500 * sim.Millisecond,
	sim.Second, 2 * sim.Second, 5 * sim.Second, 10 * sim.Second, 15 * sim.Second, 30 * sim.Second,
	sim.Minute, 2 * sim.Minute, 5 * sim.Minute, 10 * sim.Minute, 15 * sim.Minute, 30 * sim.Minute,
	sim.Hour, 2 * sim.Hour, 3 * sim.Hour, 6 * sim.Hour, 12 * sim.Hour, 24 * sim.Hour,
}

// niceStep returns a round tick spacing giving at most about 10 ticks.
func niceStep(total sim.Time) sim.Time {
	for _, st := range tickSteps {
		if total/st <= 10 {
			return st
		}
	}
	return (total/10 + 24*sim.Hour - 1) / (24 * sim.Hour) * 24 * sim.Hour
}

// powerScale is the top of the power axis, shared by every panel so that
// variants compare by eye. Intervals too short to see (under 1/500 of the
// axis: a response of a few hundred bytes) do not set it; they are drawn
// clipped.
func powerScale(runs []*model.Result, tmax sim.Time) float64 {
	peak := 0.0
	for _, r := range runs {
		for _, re := range r.Radios {
			for _, iv := range re.Intervals {
				if iv.To-iv.From >= tmax/500 {
					peak = math.Max(peak, iv.Watts())
				}
			}
		}
	}
	return niceCeil(math.Max(peak, 0.1))
}

// SVG draws the runs as one picture: for each run a panel of swimlanes
// (the app's state, each upload, each radio that worked) with markers for
// crashes and fates, and below it the radios' power over time with each
// interface's energy in the legend. Panels share the time axis, so that
// variants sit one above the other. The runs need their traces kept.
func SVG(w io.Writer, runs []*model.Result) error {
	var tmax sim.Time
	for _, r := range runs {
		tmax = max(tmax, r.EndedAt)
	}
	if tmax <= 0 {
		tmax = sim.Second
	}
	x := func(t sim.Time) float64 { return plotLeft + float64(t)/float64(tmax)*plotWidth }
	step := niceStep(tmax)
	top := powerScale(runs, tmax)

	var body svgWriter
	y := 20.0
	// The legend: every state colour, once, at the top.
	body.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+8), fontSize+4, esc(runs[0].Scenario))
	y += 30
	legend := []struct{ group, states string }{
		{"app", "foreground background suspended not running"},
		{"upload", "waiting transferring server held"},
		{"radio", "idle promotion active tail off"},
	}
	for _, g := range legend {
		lx := 20.0
		body.f(`<text x="%s" y="%s" font-size="%d" fill="#333">%s:</text>`+"\n", num(lx), num(y+14), fontSize-1, g.group)
		lx += 80
		for _, st := range splitStates(g.states) {
			body.f(`<rect x="%s" y="%s" width="18" height="18" fill="%s" stroke="#555" stroke-width="1"/>`+"\n", num(lx), num(y+1), stateColors[st])
			body.f(`<text x="%s" y="%s" font-size="%d">%s</text>`+"\n", num(lx+24), num(y+15), fontSize-1, esc(st))
			lx += 34 + 9*float64(len(st))
		}
		y += 26
	}
	marks := []struct{ kind, label string }{{"delivered", "delivered"}, {"failed", "failed"}, {"lost", "lost"}, {"pending", "pending"}, {"never_sent", "never sent"}, {"crash", "crash"}}
	lx := 100.0
	body.f(`<text x="20" y="%s" font-size="%d" fill="#333">marks:</text>`+"\n", num(y+14), fontSize-1)
	for _, m := range marks {
		drawMarker(&body, lx+9, y+9, m.kind)
		body.f(`<text x="%s" y="%s" font-size="%d">%s</text>`+"\n", num(lx+24), num(y+15), fontSize-1, m.label)
		lx += 40 + 9*float64(len(m.label))
	}
	y += 40

	for _, r := range runs {
		title := runLabel(r) + fmt.Sprintf(" — ended %s, radios %.2f J", When(r.EndedAt), r.Energy.Joules())
		body.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+16), fontSize+1, esc(title))
		y += 30
		lanes := append([]lane{appLane(r)}, uploadLanes(r)...)
		lanes = append(lanes, radioLanes(r)...)
		lanesTop := y
		for _, l := range lanes {
			body.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">%s</text>`+"\n", labelWidth, num(y+laneHeight/2+5), fontSize, esc(l.label))
			body.f(`<rect x="%d" y="%s" width="%d" height="%d" fill="none" stroke="#bbb" stroke-width="1"/>`+"\n", plotLeft, num(y), plotWidth, laneHeight)
			for _, s := range l.spans {
				if s.to <= s.from && s.state != "promotion" {
					continue
				}
				x0, x1 := x(s.from), x(s.to)
				body.f(`<rect x="%s" y="%s" width="%s" height="%d" fill="%s" fill-opacity="%s"><title>%s %s to %s</title></rect>`+"\n",
					num(x0), num(y+1), num(math.Max(x1-x0, 1)), laneHeight-2, stateColors[s.state], opacity(l), esc(s.state), When(s.from), When(s.to))
			}
			for _, m := range l.markers {
				drawMarker(&body, x(m.at), y+laneHeight/2, m.kind)
			}
			y += laneHeight + laneGap
		}
		// Time ticks across the lanes.
		for t := sim.Time(0); t <= tmax; t += step {
			body.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd" stroke-width="1"/>`+"\n", num(x(t)), num(lanesTop), num(x(t)), num(y-laneGap))
		}
		y += 10
		y = powerPlot(&body, r, y, top, tmax, step, x)
		y += 30
	}
	// The time axis, once, at the bottom.
	for t := sim.Time(0); t <= tmax; t += step {
		body.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1"/>`+"\n", num(x(t)), num(y-25), num(x(t)), num(y-19))
		body.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle">%s</text>`+"\n", num(x(t)), num(y-2), fontSize-2, When(t))
	}
	body.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle">virtual time since the start of the run</text>`+"\n", num(plotLeft+plotWidth/2), num(y+22), fontSize)
	y += 40

	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%s" viewBox="0 0 %d %s" font-family="Helvetica, Arial, sans-serif">
<rect width="100%%" height="100%%" fill="#ffffff"/>
%s</svg>
`, svgWidth, num(y), svgWidth, num(y), body.b.String())
	return err
}

func splitStates(s string) []string {
	// "not running" is one state; the others are single words.
	var out []string
	for _, f := range strings.Fields(strings.ReplaceAll(s, "not running", "not_running")) {
		out = append(out, strings.ReplaceAll(f, "_", " "))
	}
	return out
}

// opacity lets overlapping uploads in a shared lane show through.
func opacity(l lane) string {
	if strings.HasSuffix(l.label, "uploads") {
		return "0.6"
	}
	return "1"
}

func drawMarker(s *svgWriter, cx, cy float64, kind string) {
	switch kind {
	case "delivered":
		s.f(`<circle cx="%s" cy="%s" r="7" fill="#00c853" stroke="#1b5e20" stroke-width="2"/>`+"\n", num(cx), num(cy))
	case "failed":
		s.f(`<circle cx="%s" cy="%s" r="7" fill="#d50000" stroke="#7f0000" stroke-width="2"/>`+"\n", num(cx), num(cy))
	case "pending":
		s.f(`<circle cx="%s" cy="%s" r="7" fill="#ffffff" stroke="#ef6c00" stroke-width="3"/>`+"\n", num(cx), num(cy))
	case "lost", "never_sent", "crash":
		color := "#000000"
		if kind == "crash" {
			color = "#d50000"
		}
		if kind == "never_sent" {
			color = "#616161"
		}
		s.f(`<path d="M%s %s L%s %s M%s %s L%s %s" stroke="%s" stroke-width="4" stroke-linecap="round"/>`+"\n",
			num(cx-7), num(cy-7), num(cx+7), num(cy+7), num(cx-7), num(cy+7), num(cx+7), num(cy-7), color)
	}
}

// powerPlot draws each radio's power as a step line over time and returns
// the y below it.
func powerPlot(s *svgWriter, r *model.Result, y, top float64, tmax, step sim.Time, x func(sim.Time) float64) float64 {
	// The legend gets its own row, above the plot, so no line crosses it.
	legendY := y
	y += 26
	yOf := func(watts float64) float64 { return y + powerH - math.Min(watts, top)/top*powerH }
	s.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">radio power</text>`+"\n", labelWidth-40, num(y+powerH/2), fontSize)
	s.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">(W)</text>`+"\n", labelWidth-40, num(y+powerH/2+20), fontSize)
	s.f(`<rect x="%d" y="%s" width="%d" height="%d" fill="none" stroke="#bbb" stroke-width="1"/>`+"\n", plotLeft, num(y), plotWidth, powerH)
	for _, frac := range []float64{0, 0.5, 1} {
		yy := yOf(top * frac)
		s.f(`<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#eee" stroke-width="1"/>`+"\n", plotLeft, num(yy), plotLeft+plotWidth, num(yy))
		s.f(`<text x="%d" y="%s" font-size="%d" text-anchor="end">%s</text>`+"\n", plotLeft-6, num(yy+5), fontSize-3, strconv.FormatFloat(top*frac, 'g', 3, 64))
	}
	for t := sim.Time(0); t <= tmax; t += step {
		s.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#eee" stroke-width="1"/>`+"\n", num(x(t)), num(y), num(x(t)), num(y+powerH))
	}
	lx := float64(plotLeft + 10)
	for _, re := range r.Radios {
		if len(re.Intervals) == 0 {
			continue
		}
		color := interfaceColors[re.Interface]
		var pts []string
		for _, iv := range re.Intervals {
			wv := yOf(iv.Watts())
			pts = append(pts, num(x(iv.From))+","+num(wv), num(x(iv.To))+","+num(wv))
		}
		s.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), color)
		label := fmt.Sprintf("%s (%s): %.2f J", re.Interface, re.Profile, re.Joules())
		s.f(`<rect x="%s" y="%s" width="22" height="4" fill="%s"/>`+"\n", num(lx), num(legendY+8), color)
		s.f(`<text x="%s" y="%s" font-size="%d">%s</text>`+"\n", num(lx+28), num(legendY+15), fontSize-1, esc(label))
		lx += 40 + 9*float64(len(label))
	}
	return y + powerH + 10
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
