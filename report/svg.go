package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// The picture's geometry, in SVG user units (pixels). Text is at least
// 18 px at 1280 wide, so that it reads from the back of a room.
const (
	svgWidth   = 1280
	labelWidth = 230
	plotLeft   = labelWidth + 12
	plotWidth  = svgWidth - plotLeft - 30
	laneHeight = 34
	laneGap    = 10
	powerH     = 100
	fontSize   = 18
	charWidth  = 10.0 // a character of fontSize Helvetica, on average
	breakWidth = 56   // the room a break in the time axis takes
	momentRow  = 26
)

// The colours of the states, chosen to stay apart when projected. The
// app's lane goes dark when the process is gone.
var stateColors = map[string]string{
	// app
	"foreground":  "#2e7d32",
	"background":  "#f9a825",
	"suspended":   "#b0bec5",
	"not running": "#37474f",
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
	shared  bool // several uploads overlaid
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

// extensionLanes follows each app extension's process through the trace,
// a lane each in the order they first open: on screen (drawn as the
// foreground) from extension-open to extension-close. None for a run
// without extensions.
func extensionLanes(r *model.Result) []lane {
	var ls []lane
	var names []string
	var since []sim.Time
	var open []bool
	for _, rec := range r.Trace {
		if rec.Actor != "app" || rec.Kind != string(model.KindExtensionState) {
			continue
		}
		name := attrOf(rec, "extension")
		i := slices.Index(names, name)
		if i < 0 {
			i = len(names)
			names, since, open = append(names, name), append(since, 0), append(open, false)
			ls = append(ls, lane{label: "Extension " + name})
		}
		state := "not running"
		if open[i] {
			state = "foreground"
		}
		if rec.At > since[i] {
			ls[i].spans = append(ls[i].spans, span{since[i], rec.At, state})
		}
		since[i], open[i] = rec.At, attrOf(rec, "to") == "running"
	}
	for i := range ls {
		state := "not running"
		if open[i] {
			state = "foreground"
		}
		ls[i].spans = append(ls[i].spans, span{since[i], r.EndedAt, state})
	}
	return ls
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
		case "daemon task.received", "daemon task.retry", "network transfer.waiting",
			"daemon auth.challenge", "network auth.challenge": // the request waits for the app's answer
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
	// Uploads with the same story (the same fate, rule and spec, in a row)
	// share a lane with their count; more than six lanes' worth share one.
	var lanes []lane
	groups := groupUploads(r.Uploads)
	for _, g := range groups {
		l := lane{label: g.label() + " " + g.first.Spec, shared: g.n > 1}
		if g.n > 1 {
			l.label = g.label()
		}
		for k := g.at; k < g.at+g.n; k++ {
			u := &r.Uploads[k]
			if s := cur[u.ID]; s != nil && s.state != "" {
				spans[u.ID] = append(spans[u.ID], span{s.since, r.EndedAt, s.state})
			}
			at := u.SettledAt
			if at == sim.Never {
				at = r.EndedAt
			}
			l.spans = append(l.spans, spans[u.ID]...)
			l.markers = append(l.markers, marker{at, string(u.Fate)})
		}
		lanes = append(lanes, l)
	}
	if len(lanes) <= 6 {
		return lanes
	}
	all := lane{label: fmt.Sprintf("%d uploads", len(r.Uploads)), shared: true}
	for _, l := range lanes {
		all.spans = append(all.spans, l.spans...)
		all.markers = append(all.markers, l.markers...)
	}
	return []lane{all}
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
