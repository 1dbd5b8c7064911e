package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"bgsim/model"
)

// Width is the widest a table gets, in columns.
const Width = 100

func newTable(w io.Writer) *tablewriter.Table {
	return tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithMaxWidth(Width))
}

// Table writes the runs of one scenario for people: a heading, a summary
// with one column per run (so variants sit side by side), then for each
// run its crashes and a table of its uploads. The scenario's text is
// made safe for a terminal (TerminalSafe).
func Table(w io.Writer, runs []*model.Result) error {
	if len(runs) == 0 {
		return nil
	}
	first := runs[0]
	fmt.Fprintf(w, "%s\n", TerminalSafe(first.Scenario))
	if first.Title != "" {
		fmt.Fprintf(w, "%s\n", TerminalSafe(first.Title))
	}
	fmt.Fprintf(w, "seed %d · iOS %d\n\n", first.Seed, first.IOS)
	if err := summary(w, runs); err != nil {
		return err
	}
	for _, r := range runs {
		fmt.Fprintf(w, "\n%s — ended at %s, %d events, fingerprint %s\n", TerminalSafe(runLabel(r)), When(r.EndedAt), r.Events, r.Fingerprint)
		if r.Variant != "" && r.About != "" {
			fmt.Fprintf(w, "%s\n", terminalText(r.About))
		}
		for _, c := range r.Crashes {
			fmt.Fprintf(w, "crash %s: Terminating app due to uncaught exception '%s', reason: '%s' [%s]\n",
				When(c.At), TerminalSafe(c.Exception), TerminalSafe(c.Reason), TerminalSafe(string(c.Rule)))
		}
		for _, t := range r.Terminations {
			if t.Reason == "crashed" {
				continue
			}
			rule := ""
			if t.Rule != "" {
				rule = " [" + string(t.Rule) + "]"
			}
			fmt.Fprintf(w, "app terminated %s: %s%s\n", When(t.At), TerminalSafe(t.Reason), TerminalSafe(rule))
		}
		if err := uploads(w, r); err != nil {
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

func summary(w io.Writer, runs []*model.Result) error {
	// Short cells: no wrapping, so labels stay on one line.
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone))
	header, rows := summaryTable(runs)
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
	first := runs[0].Energy.Joules()
	rows = append(rows,
		summaryRow{"server received", count((*model.Result).ServerReceived)},
		summaryRow{"crashes", count(func(r *model.Result) int { return len(r.Crashes) })},
		summaryRow{"user launches", count(func(r *model.Result) int { return r.UserLaunches })},
		summaryRow{"background launches", count(func(r *model.Result) int { return r.BackgroundLaunches })},
		summaryRow{"background resumes", count(func(r *model.Result) int { return r.BackgroundResumes })},
		summaryRow{"radio energy", func(r *model.Result) string { return joules(r.Energy.Joules()) }},
	)
	if len(runs) > 1 {
		rows = append(rows, summaryRow{"  vs " + header[1], func(r *model.Result) string {
			if first == 0 {
				return "—"
			}
			return strconv.FormatFloat(r.Energy.Joules()/first, 'f', 3, 64) + "×"
		}})
	}
	rows = append(rows,
		summaryRow{"  promotion", func(r *model.Result) string { return joules(r.Energy.Promotion) }},
		summaryRow{"  transfer", func(r *model.Result) string { return joules(r.Energy.Transfer) }},
		summaryRow{"  tail", func(r *model.Result) string { return joules(r.Energy.Tail) }},
		summaryRow{"  idle", func(r *model.Result) string { return joules(r.Energy.Idle) }},
		summaryRow{"radio active", func(r *model.Result) string { return When(r.Energy.ActiveTime)[1:] }},
		summaryRow{"promotions", count(func(r *model.Result) int { return r.Energy.Promotions })},
		summaryRow{"bytes on the air", func(r *model.Result) string { return Bytes(r.Energy.BytesUp + r.Energy.BytesDown) }},
	)
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

func uploads(w io.Writer, r *model.Result) error {
	if len(r.Uploads) == 0 {
		fmt.Fprintln(w, "no uploads")
		return nil
	}
	t := newTable(w)
	t.Header([]string{"upload", "fate", "rule", "error", "server got it", "settled"})
	for i := range r.Uploads {
		u := &r.Uploads[i]
		cells := []string{u.ID, string(u.Fate), string(u.Rule), ErrorText(u), When(u.ServerReceivedAt), When(u.SettledAt)}
		for i := range cells {
			cells[i] = TerminalSafe(cells[i]) // before tablewriter measures them
		}
		if err := t.Append(cells); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	// The reasons are sentences: they read better as lines than squeezed
	// into a column.
	for i := range r.Uploads {
		u := &r.Uploads[i]
		fmt.Fprintln(w, hang(TerminalSafe(u.ID+" "+string(u.Fate)+": "+u.Reason+"."), Width, "    "))
	}
	return nil
}

// hang wraps text at width columns, indenting continuation lines.
func hang(text string, width int, indent string) string {
	var b strings.Builder
	col := 0
	for _, word := range strings.Fields(text) {
		switch {
		case col == 0:
		case col+1+len(word) > width:
			b.WriteString("\n" + indent)
			col = len(indent)
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}
