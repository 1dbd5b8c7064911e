package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bgsim/bgsim/model"
)

// The text timeline's layout: a time column, then one column per actor.
// Each row is one event; its phrase starts in its actor's column and, since
// the other cells of the row are empty, may run on to the right edge,
// wrapping back to its column. The columns narrow with the terminal, so
// that the last one keeps room for the longest rule id: five actors and
// the rule ids fit in 80 columns.
const (
	timeWidth      = 12
	maxColumnWidth = 18
	minColumnWidth = 8
	lastColumnMin  = 36 // "[R-BG-ALWAYS-WAITS-FOR-CONNECTIVITY]"
)

func columnWidthFor(width int) int {
	return min(maxColumnWidth, max(minColumnWidth, (width-timeWidth-lastColumnMin)/(len(Actors)-1)))
}

// ANSI colours, used only when the caller says the output is a terminal
// that wants them.
const (
	ansiReset = "\x1b[0m"
	ansiDim   = "\x1b[2m"
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiAmber = "\x1b[33m"
	ansiBold  = "\x1b[1m"
)

// Timeline writes each run as one row per significant event in time order,
// with a column per actor (app, daemon, network, server, radio) and the rule
// behind each decision. color adds ANSI colours: pass true only when
// writing to a terminal and NO_COLOR is unset. The scenario's text is
// made safe for a terminal (TerminalSafe), so that the only escape
// sequences are those colours.
func Timeline(w io.Writer, runs []*model.Result, color bool) error {
	return TimelineText(w, runs, TextOptions{Color: color})
}

// TimelineText is Timeline fitted to o.Width columns, showing only the
// events o keeps (uploads, actors, a stretch of time).
func TimelineText(w io.Writer, runs []*model.Result, o TextOptions) error {
	width := o.width()
	columnWidth := columnWidthFor(width)
	paint := func(code, s string) string {
		if !o.Color || code == "" {
			return s
		}
		return code + s + ansiReset
	}
	for i, r := range runs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, paint(ansiBold, hang("== "+TerminalSafe(runLabel(r))+" · seed "+fmt.Sprint(r.Seed)+" · fingerprint "+r.Fingerprint.String(), width, "   ")))
		header := fmt.Sprintf("%-*s", timeWidth, "time")
		for _, a := range Actors {
			header += fmt.Sprintf("%-*s", columnWidth, a)
		}
		fmt.Fprintln(w, strings.TrimRight(header, " "))
		fmt.Fprintln(w, strings.Repeat("─", width))
		shown := 0
		for _, b := range story(r) {
			if !o.keeps(b) {
				continue
			}
			shown++
			col := timeWidth + columnWidth*actorIndex(b.Actor)
			text := TerminalSafe(b.Text)
			rule := ""
			if b.Rule != "" {
				rule = "[" + TerminalSafe(b.Rule) + "]"
			}
			lines := wrapAt(text, rule, width-col)
			for j, line := range lines {
				prefix := strings.Repeat(" ", timeWidth)
				if j == 0 {
					prefix = fmt.Sprintf("%-*s", timeWidth, When(b.At))
				}
				fmt.Fprint(w, prefix, strings.Repeat(" ", col-timeWidth))
				fmt.Fprintln(w, colorLine(line, rule, markColor(b.Mark), paint))
			}
		}
		if shown == 0 {
			fmt.Fprintln(w, "(no event matches the filters)")
		}
	}
	return nil
}

// keeps tells whether the timeline shows a beat under o's filters.
func (o TextOptions) keeps(b beat) bool {
	if b.At < o.From || (o.To > 0 && b.At > o.To) {
		return false
	}
	if len(o.Actors) > 0 && !slices.Contains(o.Actors, b.Actor) {
		return false
	}
	if len(o.Uploads) > 0 {
		up := attrOf(b.rec, "upload")
		if up == "" {
			return b.Actor == "app" // the app's life is every upload's context
		}
		return slices.Contains(o.Uploads, up)
	}
	return true
}

func actorIndex(a string) int {
	for i, x := range Actors {
		if x == a {
			return i
		}
	}
	return 0
}

func markColor(mark string) string {
	switch mark {
	case "delivered":
		return ansiGreen
	case "failed", "lost", "crash", "never_sent":
		return ansiRed
	case "pending":
		return ansiAmber
	}
	return ""
}

// colorLine paints a line's text in the mark's colour and the rule, if the
// line holds it, dim.
func colorLine(line, rule string, mark string, paint func(string, string) string) string {
	if rule != "" && strings.HasSuffix(line, rule) {
		body := strings.TrimSuffix(line, rule)
		return paint(mark, body) + paint(ansiDim, rule)
	}
	return paint(mark, line)
}

// wrapAt breaks text (then the rule, kept whole) into lines of at most
// width columns, at word boundaries; a word wider than a line is cut
// (cutAt).
func wrapAt(text, rule string, width int) []string {
	width = max(width, 10)
	var words []string
	for _, wd := range strings.Fields(text) {
		for rs := []rune(wd); ; {
			if len(rs) <= width {
				words = append(words, string(rs))
				break
			}
			cut := cutAt(rs, width)
			words, rs = append(words, string(rs[:cut])), rs[cut:]
		}
	}
	if rule != "" {
		words = append(words, rule)
	}
	var lines []string
	cur := ""
	for _, wd := range words {
		switch {
		case cur == "":
			cur = wd
		case len([]rune(cur))+1+len([]rune(wd)) <= width:
			cur += " " + wd
		default:
			lines = append(lines, cur)
			cur = wd
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
