package report

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// HTML writes one self-contained page (no fetches: styles and pictures
// are inline, and no script) for handing out after a workshop: the
// summary without its all-zero rows, the uploads, the explanations, the
// sequence diagram and the run's picture, the timeline as a coloured
// table, and the rules the run cited with their sources as links. Every
// rule id on the page links to its rule's section. The width is fluid,
// so that it reads on a phone; wide tables and pictures scroll inside
// their own box. The markup is also well-formed XML, which the tests
// check. The runs need their traces kept.
func HTML(w io.Writer, runs []*model.Result) error {
	if len(runs) == 0 {
		return nil
	}
	first := runs[0]
	cited := map[model.RuleID]bool{}
	link := func(id string) string { // a rule id as a link to its section
		rule, ok := model.LookupRule(id)
		if !ok {
			return esc(id)
		}
		cited[rule.ID] = true
		return fmt.Sprintf(`<a href="#%s">%s</a>`, ruleAnchor(string(rule.ID)), esc(string(rule.ID)))
	}
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
	p("<nav><a href=\"#summary\">Summary</a> · <a href=\"#uploads\">Uploads</a> · <a href=\"#why\">Why</a> · <a href=\"#sequence\">Sequence</a> · <a href=\"#picture\">Picture</a> · <a href=\"#timeline\">Timeline</a> · <a href=\"#rules\">Rules</a></nav>\n")

	p("<h2 id=\"summary\">Summary</h2>\n")
	header, rows := summaryTable(runs)
	writeTable(&b, header, nonZeroRows(rows), nil)
	p("<p class=\"meta\">Rows that are zero for every run are left out.</p>\n")

	p("<h2 id=\"uploads\">Uploads</h2>\n")
	for _, r := range runs {
		p("<h3>%s</h3>\n<p class=\"meta\">ended at %s, %d events, fingerprint <code>%s</code></p>\n",
			esc(runLabel(r)), When(r.EndedAt), r.Events, r.Fingerprint)
		if r.Variant != "" && r.About != "" {
			p("<p>%s</p>\n", esc(r.About))
		}
		for _, c := range r.Crashes {
			p("<p class=\"bad\">crash %s: Terminating app due to uncaught exception '%s', reason: '%s' [%s]</p>\n",
				When(c.At), esc(c.Exception), esc(c.Reason), link(string(c.Rule)))
		}
		var up [][]string
		for _, g := range groupUploads(r.Uploads) {
			u := g.first
			up = append(up, []string{g.label(), string(u.Fate), string(u.Rule), ErrorText(u),
				g.span(func(u *model.UploadRecord) sim.Time { return u.ServerReceivedAt }),
				g.span(func(u *model.UploadRecord) sim.Time { return u.SettledAt }), u.Reason})
		}
		writeTable(&b, []string{"upload", "fate", "rule", "error", "server got it", "settled", "reason"}, up, map[int]func(string) string{2: link})
	}

	p("<h2 id=\"why\">Why</h2>\n")
	for _, r := range runs {
		p("<h3>%s</h3>\n", esc(runLabel(r)))
		for _, para := range explanations(r) {
			p("<p>%s</p>\n", linkRules(esc(para), link))
		}
	}

	p("<h2 id=\"sequence\">Sequence</h2>\n<div class=\"picture\">\n")
	if err := SequenceSVG(&b, runs); err != nil {
		return err
	}
	p("</div>\n")

	p("<h2 id=\"picture\">Picture</h2>\n<div class=\"picture\">\n")
	var svg bytes.Buffer
	if err := SVG(&svg, runs); err != nil {
		return err
	}
	b.Write(svg.Bytes())
	p("</div>\n")

	p("<h2 id=\"timeline\">Timeline</h2>\n")
	for _, r := range runs {
		p("<h3>%s</h3>\n<div class=\"scroll\">\n<table class=\"timeline\">\n<thead><tr><th>time</th><th>who</th><th>what</th><th>rule</th></tr></thead>\n<tbody>\n", esc(runLabel(r)))
		for _, bt := range story(r) {
			class := "actor-" + bt.Actor
			if bt.Mark != "" {
				class += " mark-" + bt.Mark
			}
			rule := ""
			if bt.Rule != "" {
				rule = link(bt.Rule)
			}
			p("<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", class, When(bt.At), bt.Actor, esc(bt.Text), rule)
		}
		p("</tbody>\n</table>\n</div>\n")
	}

	p("<h2 id=\"rules\">Rules</h2>\n")
	for _, r := range runs {
		for _, id := range r.Rules {
			if rule, ok := model.LookupRule(string(id)); ok {
				cited[rule.ID] = true
			}
		}
	}
	for _, rule := range model.Catalog {
		if !cited[rule.ID] {
			continue
		}
		p("<section id=\"%s\">\n<h3>%s: %s</h3>\n<p>%s</p>\n", ruleAnchor(string(rule.ID)), esc(string(rule.ID)), esc(rule.Title), esc(rule.Explanation))
		p("<p class=\"meta\">How sure: %s.</p>\n", esc(confidenceWords(rule.Confidence)))
		if rule.Fix != "" {
			p("<p>What the app's code can do: %s.</p>\n", esc(rule.Fix))
		}
		if len(rule.Sources) > 0 {
			p("<ul>\n")
			for _, s := range rule.Sources {
				p("<li>%s</li>\n", sourceLink(model.Sources[s]))
			}
			p("</ul>\n")
		}
		p("</section>\n")
	}
	p("<footer>Made by bgsim. Behaviour follows the rules of bgsim's catalog (bgsim rules); radio powers come from published measurements, not from Apple, which publishes none.</footer>\n")
	p("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// ruleAnchor is the id of a rule's section on the page.
func ruleAnchor(id string) string { return "rule-" + id }

var ruleID = regexp.MustCompile(`\bR-[A-Z0-9]+(?:-[A-Z0-9]+)*\b`)

// linkRules turns each rule id of the catalog in escaped text into a
// link to its section (ids are plain ASCII, unchanged by escaping).
func linkRules(escaped string, link func(string) string) string {
	return ruleID.ReplaceAllStringFunc(escaped, func(id string) string {
		if _, ok := model.LookupRule(id); !ok {
			return id
		}
		return link(id)
	})
}

// sourceLink writes a source ("title — https://...") as a link.
func sourceLink(s string) string {
	title, addr, ok := strings.Cut(s, " — ")
	if !ok || !strings.HasPrefix(addr, "https://") {
		return esc(s)
	}
	return fmt.Sprintf(`<a href="%s">%s</a>`, esc(addr), esc(title))
}

// nonZeroRows leaves out the summary's rows that are zero for every run.
func nonZeroRows(rows [][]string) [][]string {
	zero := []string{"0", "0.00 J", "0s", "0 B", "—"}
	var out [][]string
	for _, row := range rows {
		if len(row) > 1 && !slices.ContainsFunc(row[1:], func(c string) bool { return !slices.Contains(zero, c) }) {
			continue
		}
		out = append(out, row)
	}
	return out
}

// writeTable writes a table in a box that scrolls sideways when it is
// wider than the page. cells maps a column to its own markup (a link);
// the others are escaped text.
func writeTable(b *strings.Builder, header []string, rows [][]string, cells map[int]func(string) string) {
	b.WriteString("<div class=\"scroll\">\n<table>\n<thead><tr>")
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
			text := esc(strings.TrimSpace(c))
			if f := cells[i]; f != nil && c != "" {
				text = f(c)
			}
			fmt.Fprintf(b, "<td%s>%s</td>", class, text)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n</div>\n")
}

const pageStyle = `body { font-family: Helvetica, Arial, sans-serif; max-width: 1320px; margin: 1em auto; padding: 0 1em; color: #222; line-height: 1.45; overflow-wrap: break-word; }
h1 { margin-bottom: 0.2em; overflow-wrap: anywhere; }
.title { font-size: 1.2em; margin-top: 0; }
.meta { color: #666; }
.bad { color: #b71c1c; }
nav { margin: 0.5em 0 1em; }
a { color: #0d47a1; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
td { overflow-wrap: break-word; }
th { background: #f3f3f3; }
td.sub { padding-left: 1.6em; }
table.timeline td:first-child { white-space: nowrap; color: #555; }
tr.actor-app td:nth-child(2) { border-left: 6px solid #2e7d32; }
tr.actor-daemon td:nth-child(2) { border-left: 6px solid #6a1b9a; }
tr.actor-network td:nth-child(2) { border-left: 6px solid #1565c0; }
tr.actor-server td:nth-child(2) { border-left: 6px solid #455a64; }
tr.actor-radio td:nth-child(2) { border-left: 6px solid #ef6c00; }
tr.actor-radio { color: #666; }
tr.mark-delivered { background: #e8f5e9; }
tr.mark-failed, tr.mark-lost, tr.mark-crash, tr.mark-never_sent { background: #ffebee; }
tr.mark-pending { background: #fff3e0; }
.picture { overflow-x: auto; max-width: 100%; }
.picture svg { display: block; width: 100%; min-width: 640px; height: auto; }
section { border-top: 1px solid #ddd; }
section:target { background: #fffde7; }
footer { margin-top: 2em; color: #666; font-size: 0.9em; }
`
