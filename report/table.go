package report

import (
	"fmt"
	"io"
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
		tablewriter.WithMaxWidth(Width))
}

// Table writes the runs of one scenario for people: a heading, a summary
// with one column per run (so variants sit side by side), then for each
// run its crashes and a table of its uploads.
func Table(w io.Writer, runs []*model.Result) error {
	if len(runs) == 0 {
		return nil
	}
	first := runs[0]
	fmt.Fprintf(w, "%s\n", first.Scenario)
	if first.Title != "" {
		fmt.Fprintf(w, "%s\n", first.Title)
	}
	fmt.Fprintf(w, "seed %d · iOS %d\n\n", first.Seed, first.IOS)
	if err := summary(w, runs); err != nil {
		return err
	}
	for _, r := range runs {
		fmt.Fprintf(w, "\n%s — ended at %s, %d events, fingerprint %s\n", runLabel(r), When(r.EndedAt), r.Events, r.Fingerprint)
		if r.Variant != "" && r.About != "" {
			fmt.Fprintf(w, "%s\n", r.About)
		}
		for _, c := range r.Crashes {
			fmt.Fprintf(w, "crash %s: Terminating app due to uncaught exception '%s', reason: '%s' [%s]\n", When(c.At), c.Exception, c.Reason, c.Rule)
		}
		for _, t := range r.Terminations {
			if t.Reason == "crashed" {
				continue
			}
			rule := ""
			if t.Rule != "" {
				rule = " [" + t.Rule + "]"
			}
			fmt.Fprintf(w, "app terminated %s: %s%s\n", When(t.At), t.Reason, rule)
		}
		if err := uploads(w, r); err != nil {
			return err
		}
	}
	return nil
}

func summary(w io.Writer, runs []*model.Result) error {
	t := newTable(w)
	header := []string{""}
	for _, r := range runs {
		name := r.Variant
		if name == "" {
			name = "run"
		}
		header = append(header, name)
	}
	t.Header(header)
	row := func(label string, f func(*model.Result) int) error {
		cells := []string{label}
		for _, r := range runs {
			cells = append(cells, strconv.Itoa(f(r)))
		}
		return t.Append(cells)
	}
	rows := []struct {
		label string
		f     func(*model.Result) int
	}{
		{"uploads", func(r *model.Result) int { return len(r.Uploads) }},
	}
	for _, f := range model.Fates {
		rows = append(rows, struct {
			label string
			f     func(*model.Result) int
		}{"  " + string(f), func(r *model.Result) int { return r.Count(f) }})
	}
	rows = append(rows, []struct {
		label string
		f     func(*model.Result) int
	}{
		{"server received", (*model.Result).ServerReceived},
		{"crashes", func(r *model.Result) int { return len(r.Crashes) }},
		{"user launches", func(r *model.Result) int { return r.UserLaunches }},
		{"background launches", func(r *model.Result) int { return r.BackgroundLaunches }},
		{"background resumes", func(r *model.Result) int { return r.BackgroundResumes }},
	}...)
	for _, rw := range rows {
		if err := row(rw.label, rw.f); err != nil {
			return err
		}
	}
	return t.Render()
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
		if err := t.Append([]string{u.ID, string(u.Fate), u.Rule, ErrorText(u), When(u.ServerReceivedAt), When(u.SettledAt)}); err != nil {
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
		fmt.Fprintln(w, hang(u.ID+" "+string(u.Fate)+": "+u.Reason+".", Width, "    "))
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
