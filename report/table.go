package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Width is the width text reports fit when nobody says otherwise: a
// terminal of unknown size, or a pipe.
const Width = 80

// TextOptions say how the text reports (table, timeline, explanations)
// fit the reader's terminal, and which part of a timeline to show.
type TextOptions struct {
	// Width is the terminal's width in columns; 0 means Width. Tables,
	// timelines and paragraphs fit it, wrapping text at word boundaries.
	Width int
	// Color adds ANSI colours to the timeline: only for a terminal, and
	// only when NO_COLOR is unset.
	Color bool
	// Uploads keeps, in the timeline, the events of these uploads and
	// the app's own events (its states, launches, sessions); nil keeps all.
	Uploads []string
	// Actors keeps the events of these actors (app, daemon, network,
	// server, radio); nil keeps all.
	Actors []string
	// From and To keep the events in [From, To]; To 0 means to the end.
	From, To sim.Time
}

func (o TextOptions) width() int {
	if o.Width <= 0 {
		return Width
	}
	return max(o.Width, 40)
}

// Table writes the runs of one scenario for people: a heading, a summary
// with one column per run (so variants sit side by side), then for each
// run its crashes and a table of its uploads, all in Width columns. The
// scenario's text is made safe for a terminal (TerminalSafe).
func Table(w io.Writer, runs []*model.Result) error {
	return TableText(w, runs, TextOptions{})
}

// TableText is Table fitted to o.Width columns: the summary splits its
// variants over several tables when they do not fit side by side, text
// wraps at word boundaries, and consecutive uploads with the same fate,
// rule, error and reason share one row ("u1-u30 ×30").
func TableText(w io.Writer, runs []*model.Result, o TextOptions) error {
	if len(runs) == 0 {
		return nil
	}
	width := o.width()
	first := runs[0]
	fmt.Fprintf(w, "%s\n", hang(TerminalSafe(first.Scenario), width, ""))
	if first.Title != "" {
		fmt.Fprintf(w, "%s\n", hang(TerminalSafe(first.Title), width, ""))
	}
	fmt.Fprintf(w, "seed %d · iOS %d\n\n", first.Seed, first.IOS)
	if err := summary(w, runs, width); err != nil {
		return err
	}
	for _, r := range runs {
		fmt.Fprintf(w, "\n%s\n", hang(fmt.Sprintf("%s — ended at %s, %d events, fingerprint %s", TerminalSafe(runLabel(r)), When(r.EndedAt), r.Events, r.Fingerprint), width, "    "))
		if r.Variant != "" && r.About != "" {
			fmt.Fprintf(w, "%s\n", paragraphs(terminalText(r.About), width))
		}
		for _, c := range r.Crashes {
			fmt.Fprintf(w, "%s\n", hang(fmt.Sprintf("crash %s: Terminating app due to uncaught exception '%s', reason: '%s' [%s]",
				When(c.At), TerminalSafe(c.Exception), TerminalSafe(c.Reason), TerminalSafe(string(c.Rule))), width, "    "))
		}
		for _, t := range r.Terminations {
			if t.Reason == "crashed" {
				continue
			}
			rule := ""
			if t.Rule != "" {
				rule = " [" + string(t.Rule) + "]"
			}
			fmt.Fprintf(w, "%s\n", hang(fmt.Sprintf("app terminated %s: %s%s", When(t.At), TerminalSafe(t.Reason), TerminalSafe(rule)), width, "    "))
		}
		for _, u := range r.Unfired {
			fmt.Fprintf(w, "%s\n", hang("step did not happen: "+TerminalSafe(u.String()), width, "    "))
		}
		if err := uploads(w, r, width); err != nil {
			return err
		}
	}
	return nil
}

// summaryRow is one line of the side-by-side summary.
type summaryRow struct {
	label string
	cell  func(r *model.Result) string
}

func count(f func(*model.Result) int) func(*model.Result) string {
	return func(r *model.Result) string { return strconv.Itoa(f(r)) }
}

func joules(j float64) string { return strconv.FormatFloat(j, 'f', 2, 64) + " J" }

// summary writes the side-by-side summary in width columns: when the
// variants do not fit side by side, as several tables of as many
// variants as fit, each with the row labels, and each ratio still
// against the first variant.
func summary(w io.Writer, runs []*model.Result, width int) error {
	render := func(part []*model.Result) (string, error) {
		var b strings.Builder
		err := summaryPart(&b, part, runs[0], len(runs) > 1)
		return b.String(), err
	}
	for i := 0; i < len(runs); {
		j := i + 1
		out, err := render(runs[i:j])
		if err != nil {
			return err
		}
		for j < len(runs) {
			next, err := render(runs[i : j+1])
			if err != nil {
				return err
			}
			if textWidth(next) > width {
				break
			}
			out, j = next, j+1
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		if _, err := io.WriteString(w, out); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// textWidth is the widest line of s, in runes (bgsim's tables and
// phrases hold no wide characters of their own).
func textWidth(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, utf8.RuneCountInString(l))
	}
	return n
}

func summaryPart(w io.Writer, runs []*model.Result, base *model.Result, ratio bool) error {
	// Short cells: no wrapping, so labels stay on one line.
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone))
	header, rows := summaryRows(runs, base, ratio)
	t.Header(header)
	for _, cells := range rows {
		if err := t.Append(cells); err != nil {
			return err
		}
	}
	return t.Render()
}

// summaryTable is the side-by-side summary as a header and rows of cells,
// for every renderer. The variants' names are made TerminalSafe here,
// before tablewriter measures them; the HTML escapes them again for XML.
func summaryTable(runs []*model.Result) (header []string, table [][]string) {
	return summaryRows(runs, runs[0], len(runs) > 1)
}

// summaryRows is summaryTable for some of the runs, with energy compared
// to base when ratio is set.
func summaryRows(runs []*model.Result, base *model.Result, ratio bool) (header []string, table [][]string) {
	header = []string{""}
	for _, r := range runs {
		name := TerminalSafe(r.Variant)
		if name == "" {
			name = "run"
		}
		header = append(header, name)
	}
	rows := []summaryRow{{"uploads", count(func(r *model.Result) int { return len(r.Uploads) })}}
	for _, f := range model.Fates {
		rows = append(rows, summaryRow{"  " + string(f), count(func(r *model.Result) int { return r.Count(f) })})
	}
	first := base.Energy.AboveIdle()
	baseName := TerminalSafe(base.Variant)
	if baseName == "" {
		baseName = "run"
	}
	rows = append(rows,
		summaryRow{"server received", count((*model.Result).ServerReceived)},
		summaryRow{"crashes", count(func(r *model.Result) int { return len(r.Crashes) })},
		summaryRow{"user launches", count(func(r *model.Result) int { return r.UserLaunches })},
		summaryRow{"background launches", count(func(r *model.Result) int { return r.BackgroundLaunches })},
		summaryRow{"background resumes", count(func(r *model.Result) int { return r.BackgroundResumes })},
		// The headline and the ratios are the energy above the idle
		// baseline, over one window for every variant: what the traffic
		// cost. Its rows add up to it; idle is on its own line.
		summaryRow{"radio energy above idle", func(r *model.Result) string { return joules(r.Energy.AboveIdle()) }},
	)
	if ratio {
		rows = append(rows, summaryRow{"  vs " + baseName, func(r *model.Result) string {
			if first == 0 {
				return "—"
			}
			return ratioText(r.Energy.AboveIdle()/first) + "×"
		}})
	}
	rows = append(rows,
		summaryRow{"  promotion", func(r *model.Result) string { return joules(r.Energy.Above.Promotion) }},
		summaryRow{"  transfer", func(r *model.Result) string { return joules(r.Energy.Above.Transfer) }},
		summaryRow{"  tail", func(r *model.Result) string { return joules(r.Energy.Above.Tail) }},
		summaryRow{idleLabel(runs), func(r *model.Result) string { return joules(r.Energy.Baseline) }},
		summaryRow{"radio active", func(r *model.Result) string { return When(r.Energy.ActiveTime)[1:] }},
		summaryRow{"promotions", count(func(r *model.Result) int { return r.Energy.Promotions })},
		summaryRow{"bytes on the air", func(r *model.Result) string { return Bytes(r.Energy.BytesUp + r.Energy.BytesDown) }},
	)
	// The app's CPU while awake in background wakes, apart from the
	// radios (params.wake_cpu_watts).
	if slices.ContainsFunc(runs, func(r *model.Result) bool { return r.WakeAwake > 0 }) {
		rows = append(rows,
			summaryRow{"app awake in bg wakes", func(r *model.Result) string { return When(r.WakeAwake)[1:] }},
			summaryRow{"  CPU energy", func(r *model.Result) string { return joules(r.WakeCPUJoules) }},
		)
	}
	if slices.ContainsFunc(runs, func(r *model.Result) bool { return r.WakeJoules > 0 }) {
		rows = append(rows, summaryRow{"app wake energy", func(r *model.Result) string { return joules(r.WakeJoules) }})
	}
	if slices.ContainsFunc(runs, func(r *model.Result) bool { return r.Items != nil }) {
		items := func(f func(*model.Items) string) func(*model.Result) string {
			return func(r *model.Result) string {
				if r.Items == nil {
					return "—"
				}
				return f(r.Items)
			}
		}
		rows = append(rows,
			summaryRow{"items at the server", items(func(it *model.Items) string {
				return fmt.Sprintf("%d of %d", it.AtServer, it.Produced)
			})},
			summaryRow{"item wait, mean", items(func(it *model.Items) string { return When(it.WaitMean)[1:] })},
			summaryRow{"item wait, worst", items(func(it *model.Items) string { return When(it.WaitMax)[1:] })},
		)
	}
	for _, rw := range rows {
		cells := []string{rw.label}
		for _, r := range runs {
			cells = append(cells, rw.cell(r))
		}
		table = append(table, cells)
	}
	return header, table
}

// ratioText writes a ratio with three decimals, or three significant
// digits when it is smaller than a hundredth (so that 0.00026 is not 0).
func ratioText(x float64) string {
	if math.Abs(x) >= 0.01 || x == 0 {
		return strconv.FormatFloat(x, 'f', 3, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// idleLabel names the idle line: what the radios would spend idle over
// the energy window, which it names when every run has the same.
func idleLabel(runs []*model.Result) string {
	w := runs[0].Energy.Window
	for _, r := range runs {
		if r.Energy.Window != w {
			return "idle over the window"
		}
	}
	return "idle over " + When(w)[1:]
}

// Bytes formats a byte count for people: "5.00 MB", "20.0 kB", "512 B".
func Bytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

// uploadGroup is a run of consecutive uploads told alike: the same fate,
// rule, error and reason.
type uploadGroup struct {
	first, last *model.UploadRecord
	at, n       int                  // the first's index, and how many
	members     []model.UploadRecord // first to last
}

func (g uploadGroup) label() string {
	if g.n == 1 {
		return g.first.ID
	}
	return fmt.Sprintf("%s-%s ×%d", g.first.ID, g.last.ID, g.n)
}

func groupUploads(us []model.UploadRecord) []uploadGroup {
	var gs []uploadGroup
	for i := range us {
		u := &us[i]
		if k := len(gs) - 1; k >= 0 {
			f := gs[k].first
			if f.Fate == u.Fate && f.Rule == u.Rule && ErrorText(f) == ErrorText(u) && f.Reason == u.Reason &&
				(f.ServerReceivedAt == sim.Never) == (u.ServerReceivedAt == sim.Never) && (f.SettledAt == sim.Never) == (u.SettledAt == sim.Never) {
				gs[k].last, gs[k].n = u, gs[k].n+1
				gs[k].members = us[gs[k].at : i+1]
				continue
			}
		}
		gs = append(gs, uploadGroup{u, u, i, 1, us[i : i+1]})
	}
	return gs
}

// span is "+1m0.4s" for one upload, and "+1m0.4s … +30m0.4s", from the
// earliest to the latest, for a group: uploads created in order may reach
// the server and settle in another (a small one overtakes a large one on
// a shared link). The members of a group are all sim.Never or none.
func (g uploadGroup) span(at func(*model.UploadRecord) sim.Time) string {
	lo, hi := at(&g.members[0]), at(&g.members[0])
	for i := range g.members {
		t := at(&g.members[i])
		lo, hi = min(lo, t), max(hi, t)
	}
	if When(lo) == When(hi) {
		return When(lo)
	}
	return When(lo) + " … " + When(hi)
}

func uploads(w io.Writer, r *model.Result, width int) error {
	if len(r.Uploads) == 0 {
		fmt.Fprintln(w, "no uploads")
		return nil
	}
	groups := groupUploads(r.Uploads)
	var rows [][]string
	for _, g := range groups {
		u := g.first
		cells := []string{g.label(), string(u.Fate), string(u.Rule), ErrorText(u),
			g.span(func(u *model.UploadRecord) sim.Time { return u.ServerReceivedAt }),
			g.span(func(u *model.UploadRecord) sim.Time { return u.SettledAt })}
		for i := range cells {
			cells[i] = TerminalSafe(cells[i]) // before the table measures them
		}
		rows = append(rows, cells)
	}
	if err := boxTable(w, []string{"upload", "fate", "rule", "error", "server got it", "settled"}, rows, width); err != nil {
		return err
	}
	// The reasons are sentences: they read better as lines than squeezed
	// into a column.
	for _, g := range groups {
		u := g.first
		fmt.Fprintln(w, hang(TerminalSafe(g.label()+" "+string(u.Fate)+": "+u.Reason+"."), width, "    "))
	}
	return nil
}

// paragraphs rewraps text at width: its lines join into paragraphs,
// which blank lines separate.
func paragraphs(text string, width int) string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		out = append(out, hang(p, width, ""))
	}
	return strings.Join(out, "\n\n")
}

// hang wraps text at width columns, at word boundaries, indenting
// continuation lines. A word wider than a line is cut, so that no line
// is wider than width.
func hang(text string, width int, indent string) string {
	return hangCut(text, width, indent, func(_ []rune, room int) int { return room })
}

// hangCell is hang for a table's cell: a word wider than the column is
// cut where cutAt says, at a hyphen or a camel-case boundary if one fits.
func hangCell(text string, width int) string { return hangCut(text, width, "", cutAt) }

// hangCut is hang with cut saying where to cut a word too wide for room
// columns.
func hangCut(text string, width int, indent string, cut func(word []rune, room int) int) string {
	var b strings.Builder
	col := 0
	for _, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		switch {
		case col == 0:
		case col+1+n > width:
			b.WriteString("\n" + indent)
			col = len(indent)
		default:
			b.WriteByte(' ')
			col++
		}
		for col+n > width && col < width {
			rs := []rune(word)
			k := cut(rs, width-col)
			b.WriteString(string(rs[:k]) + "\n" + indent)
			word, n, col = string(rs[k:]), n-k, len(indent)
		}
		b.WriteString(word)
		col += n
	}
	return b.String()
}

// cutAt is where to cut a word too wide for room columns: at the last
// break that fits, after a hyphen (which ends the line:
// "R-UPLOAD-RESPONSE-" / "DELIVERY") or at a lower→Upper camel-case
// boundary ("NSURLErrorNetwork" / "ConnectionLost"); mid-word, at room,
// only when none fits.
func cutAt(word []rune, room int) int {
	room = max(1, min(room, len(word)))
	for i := room; i > 1; i-- {
		if i < len(word) && breaksBefore(word, i) {
			return i
		}
	}
	return room
}

// breaksBefore tells whether a word may break before its ith rune: after
// a hyphen that does not start it, or between a lower-case letter and an
// upper-case one.
func breaksBefore(word []rune, i int) bool {
	return (word[i-1] == '-' && i > 1) || (unicode.IsLower(word[i-1]) && unicode.IsUpper(word[i]))
}

// longestPiece is the widest part of word when cut at every break
// (breaksBefore), in runes.
func longestPiece(word string) int {
	rs := []rune(word)
	widest := 0
	for len(rs) > 0 {
		cut := len(rs)
		for i := 1; i < len(rs); i++ {
			if breaksBefore(rs, i) {
				cut = i
				break
			}
		}
		widest = max(widest, cut)
		rs = rs[cut:]
	}
	return widest
}
