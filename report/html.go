package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"bgsim/model"
)

// HTML writes one self-contained page (no fetches: styles and the picture
// are inline) with the summary, the uploads, the explanations, the picture
// and the timeline, for handing out after a workshop. The markup is also
// well-formed XML, which the tests check. The runs need their traces kept.
func HTML(w io.Writer, runs []*model.Result) error {
	if len(runs) == 0 {
		return nil
	}
	first := runs[0]
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
	p("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
	p("<title>bgsim: %s</title>\n<style>\n%s</style>\n</head>\n<body>\n", esc(first.Scenario), pageStyle)
	p("<h1>%s</h1>\n", esc(first.Scenario))
	if first.Title != "" {
		p("<p class=\"title\">%s</p>\n", esc(first.Title))
	}
	if first.About != "" && first.Variant == "" {
		p("<p>%s</p>\n", esc(first.About))
	}
	p("<p class=\"meta\">seed %d · iOS %d</p>\n", first.Seed, first.IOS)

	p("<h2>Summary</h2>\n")
	header, rows := summaryTable(runs)
	writeTable(&b, header, rows)

	p("<h2>Uploads</h2>\n")
	for _, r := range runs {
		p("<h3>%s</h3>\n<p class=\"meta\">ended at %s, %d events, fingerprint <code>%s</code></p>\n",
			esc(runLabel(r)), When(r.EndedAt), r.Events, r.Fingerprint)
		if r.Variant != "" && r.About != "" {
			p("<p>%s</p>\n", esc(r.About))
		}
		for _, c := range r.Crashes {
			p("<p class=\"bad\">crash %s: Terminating app due to uncaught exception '%s', reason: '%s' [%s]</p>\n",
				When(c.At), esc(c.Exception), esc(c.Reason), esc(string(c.Rule)))
		}
		var up [][]string
		for i := range r.Uploads {
			u := &r.Uploads[i]
			up = append(up, []string{u.ID, string(u.Fate), string(u.Rule), ErrorText(u), When(u.ServerReceivedAt), When(u.SettledAt), u.Reason})
		}
		writeTable(&b, []string{"upload", "fate", "rule", "error", "server got it", "settled", "reason"}, up)
	}

	p("<h2>Why</h2>\n")
	for _, r := range runs {
		p("<h3>%s</h3>\n", esc(runLabel(r)))
		for _, para := range explanations(r) {
			p("<p>%s</p>\n", esc(para))
		}
	}

	p("<h2>Picture</h2>\n<div class=\"picture\">\n")
	var svg bytes.Buffer
	if err := SVG(&svg, runs); err != nil {
		return err
	}
	b.Write(svg.Bytes())
	p("</div>\n")

	p("<h2>Timeline</h2>\n<pre>")
	var tl bytes.Buffer
	if err := Timeline(&tl, runs, false); err != nil {
		return err
	}
	b.WriteString(esc(tl.String()))
	p("</pre>\n")
	p("<footer>Made by bgsim. Behaviour follows the rules of bgsim's catalog (bgsim rules); radio powers come from published measurements, not from Apple, which publishes none.</footer>\n")
	p("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTable(b *strings.Builder, header []string, rows [][]string) {
	b.WriteString("<table>\n<thead><tr>")
	for _, h := range header {
		fmt.Fprintf(b, "<th>%s</th>", esc(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, row := range rows {
		b.WriteString("<tr>")
		for i, c := range row {
			class := ""
			if i == 0 && strings.HasPrefix(c, "  ") {
				class = ` class="sub"`
			}
			fmt.Fprintf(b, "<td%s>%s</td>", class, esc(strings.TrimSpace(c)))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
}

const pageStyle = `body { font-family: Helvetica, Arial, sans-serif; max-width: 1320px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; }
.title { font-size: 1.2em; margin-top: 0; }
.meta { color: #666; }
.bad { color: #b71c1c; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.sub { padding-left: 1.6em; }
pre { background: #fafafa; border: 1px solid #ddd; padding: 0.8em; overflow-x: auto; font-size: 13px; }
.picture svg { max-width: 100%; height: auto; }
footer { margin-top: 2em; color: #666; font-size: 0.9em; }
`
