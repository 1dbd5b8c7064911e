package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/bgsim/bgsim/model"
)

// The sequence diagram's geometry: a time column, then three lifelines.
const (
	seqTimeX     = 16
	seqApp       = 340.0
	seqDaemon    = 740.0
	seqServer    = 1120.0
	seqLine      = 23.0 // a line of text
	seqMaxBeats  = 90   // a run with more is cut, with a note saying so
	seqNoteWidth = 420.0
)

var seqLifelines = []struct {
	actor, name string
	x           float64
}{{"app", "App", seqApp}, {"daemon", "nsurlsessiond", seqDaemon}, {"server", "Server", seqServer}}

// SequenceSVG draws each run as a sequence diagram, the way the Mermaid
// output reads but drawn by bgsim (SVG, no script): the app, the daemon
// and the server as lifelines, messages between them as arrows, what
// each does alone as a note over its lifeline (the network's notes span
// the daemon and the server), the time of each step on the left and the
// rule beside it. The runs need their traces kept.
func SequenceSVG(w io.Writer, runs []*model.Result) error {
	var b svgWriter
	y := 10.0
	b.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+24), fontSize+8, esc(runs[0].Scenario))
	y += 40
	for _, r := range runs {
		y = sequencePanel(&b, r, y) + 20
	}
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%s" viewBox="0 0 %d %s" font-family="Helvetica, Arial, sans-serif">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#333"/></marker></defs>
<rect width="100%%" height="100%%" fill="#ffffff"/>
%s</svg>
`, svgWidth, num(y), svgWidth, num(y), b.b.String())
	return err
}

// seqStep is one beat as the diagram draws it: an arrow from one x to
// another, or a note over [x0, x1].
type seqStep struct {
	b        beat
	arrow    bool
	dashed   bool
	from, to float64
}

func seqSteps(r *model.Result) []seqStep {
	var out []seqStep
	for _, b := range story(r) {
		st := seqStep{b: b}
		switch b.Actor + " " + b.rec.Kind {
		case "app task.resume", "app session.created":
			st.arrow, st.from, st.to = true, seqApp, seqDaemon
		case "daemon task.start", "server upload.received":
			st.arrow, st.from, st.to = true, seqDaemon, seqServer
		case "daemon task.completed":
			st.arrow, st.dashed, st.from, st.to = true, true, seqServer, seqDaemon
		case "daemon app.wake", "daemon event.delivered":
			st.arrow, st.from, st.to = true, seqDaemon, seqApp
		default:
			switch b.Actor {
			case "app":
				st.from, st.to = seqApp, seqApp
			case "daemon":
				st.from, st.to = seqDaemon, seqDaemon
			case "server":
				st.from, st.to = seqServer, seqServer
			case "network":
				st.from, st.to = seqDaemon, seqServer
			default:
				continue // the radios have no lifeline; the run picture shows them
			}
		}
		out = append(out, st)
	}
	return out
}

func sequencePanel(b *svgWriter, r *model.Result, y float64) float64 {
	if r.Variant != "" {
		b.f(`<line x1="10" y1="%s" x2="%d" y2="%s" stroke="#999" stroke-width="1"/>`+"\n", num(y), svgWidth-10, num(y))
		b.f(`<text x="20" y="%s" font-size="%d" font-weight="bold">%s</text>`+"\n", num(y+30), fontSize+4, esc(r.Variant))
		y += 46
	}
	head := func(y float64) {
		for _, l := range seqLifelines {
			b.f(`<rect x="%s" y="%s" width="200" height="36" rx="6" fill="#eceff1" stroke="#455a64" stroke-width="1.5"/>`+"\n", num(l.x-100), num(y))
			b.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle" font-weight="bold">%s</text>`+"\n", num(l.x), num(y+24), fontSize, l.name)
		}
	}
	head(y)
	y += 44
	top := y
	steps := seqSteps(r)
	cut := 0
	if len(steps) > seqMaxBeats {
		cut = len(steps) - seqMaxBeats
		steps = steps[:seqMaxBeats]
	}
	var body svgWriter // drawn after the lifelines, over them
	for _, st := range steps {
		text := st.b.Text
		color := markTextColors[st.b.Mark]
		if color == "" {
			color = "#212121"
		}
		if st.arrow {
			width := st.to - st.from
			if width < 0 {
				width = -width
			}
			lines := strings.Split(hang(text, int((width-30)/charWidth), ""), "\n")
			if st.b.Rule != "" {
				lines = append(lines, "")
			}
			mid := (st.from + st.to) / 2
			h := float64(len(lines))*seqLine + 14
			body.f(`<text x="%d" y="%s" font-size="%d" fill="#555">%s</text>`+"\n", seqTimeX, num(y+18), fontSize, When(st.b.At))
			for i, l := range lines {
				ly := y + 18 + float64(i)*seqLine
				if l == "" && i == len(lines)-1 {
					body.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle" fill="#616161">%s</text>`+"\n", num(mid), num(ly), fontSize, esc(st.b.Rule))
					continue
				}
				body.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle" fill="%s">%s</text>`+"\n", num(mid), num(ly), fontSize, color, esc(l))
			}
			dash := ""
			if st.dashed {
				dash = ` stroke-dasharray="8 5"`
			}
			body.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="2"%s marker-end="url(#arrow)"/>`+"\n", num(st.from), num(y+h), num(st.to), num(y+h), dash)
			y += h + 14
			continue
		}
		x0, x1 := st.from-seqNoteWidth/2, st.to+seqNoteWidth/2
		if st.from != st.to {
			x0, x1 = st.from-20, st.to+20
		}
		x0, x1 = max(x0, 130), min(x1, svgWidth-12)
		lines := strings.Split(hang(text, int((x1-x0-16)/charWidth), ""), "\n")
		if st.b.Rule != "" {
			lines = append(lines, "")
		}
		h := float64(len(lines))*seqLine + 12
		fill := map[string]string{"delivered": "#e8f5e9", "failed": "#ffebee", "lost": "#ffebee", "crash": "#ffebee", "pending": "#fff3e0", "never_sent": "#eeeeee"}[st.b.Mark]
		if fill == "" {
			fill = "#fffde7"
		}
		body.f(`<text x="%d" y="%s" font-size="%d" fill="#555">%s</text>`+"\n", seqTimeX, num(y+22), fontSize, When(st.b.At))
		body.f(`<rect x="%s" y="%s" width="%s" height="%s" rx="4" fill="%s" stroke="#bdb76b" stroke-width="1"/>`+"\n", num(x0), num(y), num(x1-x0), num(h), fill)
		for i, l := range lines {
			ly := y + 22 + float64(i)*seqLine
			if l == "" && i == len(lines)-1 {
				body.f(`<text x="%s" y="%s" font-size="%d" fill="#616161">%s</text>`+"\n", num(x0+8), num(ly), fontSize, esc(st.b.Rule))
				continue
			}
			body.f(`<text x="%s" y="%s" font-size="%d" fill="%s">%s</text>`+"\n", num(x0+8), num(ly), fontSize, color, esc(l))
		}
		y += h + 10
	}
	if cut > 0 {
		body.f(`<text x="%s" y="%s" font-size="%d" text-anchor="middle" fill="#555">… %d more steps: bgsim run --format timeline shows them all</text>`+"\n", num(seqDaemon), num(y+20), fontSize, cut)
		y += 34
	}
	for _, l := range seqLifelines {
		b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#90a4ae" stroke-width="2" stroke-dasharray="6 4"/>`+"\n", num(l.x), num(top-8), num(l.x), num(y+4))
	}
	b.b.WriteString(body.b.String())
	head(y + 8)
	return y + 52
}
