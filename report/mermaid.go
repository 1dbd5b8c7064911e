package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/bgsim/bgsim/model"
)

// Mermaid writes a run as a Mermaid sequence diagram (participants App,
// nsurlsessiond, Network, Server; notes for state changes, crashes and
// fates), which Markdown viewers render. Several runs (variants) are
// written as Markdown: a heading and a fenced diagram each.
//
// Text from the scenario cannot add a statement to a diagram (see
// mermaidSafe), nor close a fence: the fence is longer than any run of
// backticks in its diagram.
func Mermaid(w io.Writer, runs []*model.Result) error {
	for i, r := range runs {
		if len(runs) == 1 {
			writeSequence(w, r)
			break
		}
		var diagram strings.Builder
		writeSequence(&diagram, r)
		if i > 0 {
			fmt.Fprintln(w)
		}
		fence := codeFence(diagram.String())
		fmt.Fprintf(w, "## %s\n\n%smermaid\n%s%s\n", markdownLine(runLabel(r)), fence, diagram.String(), fence)
	}
	return nil
}

func writeSequence(w io.Writer, r *model.Result) {
	fmt.Fprintln(w, "sequenceDiagram")
	fmt.Fprintln(w, "    participant App")
	fmt.Fprintln(w, "    participant D as nsurlsessiond")
	fmt.Fprintln(w, "    participant N as Network")
	fmt.Fprintln(w, "    participant S as Server")
	for _, b := range story(r) {
		text := mermaidSafe(b.Text) + " (" + When(b.At) + ")"
		if b.Rule != "" {
			text += " " + b.Rule
		}
		line := ""
		switch b.Actor + " " + b.rec.Kind {
		case "app task.resume":
			line = "App->>D: " + text
		case "daemon task.start":
			line = "D->>N: " + text
		case "server upload.received":
			line = "N->>S: " + text
		case "daemon task.completed":
			line = "S-->>D: " + text
		case "daemon app.wake", "daemon event.delivered":
			line = "D->>App: " + text
		case "app session.created":
			line = "App->>D: " + text
		default:
			over := map[string]string{"app": "App", "daemon": "D", "network": "N", "server": "S"}[b.Actor]
			if over == "" {
				continue // the radios have no participant; the SVG shows them
			}
			line = "Note over " + over + ": " + text
		}
		fmt.Fprintln(w, "    "+line)
	}
}
