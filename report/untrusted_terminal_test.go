package report

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

func TestUntrusted5_TerminalEscapesInTitle(t *testing.T) {
	runs := hostileRuns(t)
	writers := map[string]func(io.Writer) error{
		"table":          func(w io.Writer) error { return Table(w, runs) },
		"timeline":       func(w io.Writer) error { return Timeline(w, runs, false) },
		"explain":        func(w io.Writer) error { return Explain(w, runs) },
		"one-run table":  func(w io.Writer) error { return Table(w, runs[:1]) },
		"suite text":     func(w io.Writer) error { return SuiteText(w, hostileCases()) },
		"coloured lines": func(w io.Writer) error { return colouredTimeline(w, runs) },
	}
	for _, name := range []string{"table", "one-run table", "timeline", "coloured lines", "explain", "suite text"} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := writers[name](&buf); err != nil {
				t.Fatal(err)
			}
			wantTerminalClean(t, name, buf.String())
			if !strings.Contains(buf.String(), `\x1b`) {
				t.Errorf("the escape should show, as \\x1b:\n%s", buf.String())
			}
		})
	}
}

// colouredTimeline writes the timeline in colour, less bgsim's own colour
// codes: what remains must hold no control character.
func colouredTimeline(w io.Writer, runs []*model.Result) error {
	var buf bytes.Buffer
	if err := Timeline(&buf, runs, true); err != nil {
		return err
	}
	out := strings.NewReplacer(ansiReset, "", ansiDim, "", ansiRed, "", ansiGreen, "", ansiAmber, "", ansiBold, "").Replace(buf.String())
	_, err := io.WriteString(w, out)
	return err
}
