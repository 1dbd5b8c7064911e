package main

import (
	"fmt"
	"strings"

	"bgsim/model"
	"bgsim/scenarios"
)

func init() {
	commands = append(commands, &command{
		name:    "rules",
		args:    "[R-ID]",
		summary: "list the iOS rules bgsim knows, or explain one",
		detail: `Each rule is an iOS behaviour with the sources it rests on and how sure anyone is:
DOC Apple's documentation, ENG an Apple engineer, RE decompiled CFNetwork,
OBS developers' reports, UNC uncertain (a parameter in bgsim).
"modelled" rules are applied by the simulator; the others are documentation.`,
		run: runRules,
	})
}

func confidence(r model.Rule) string {
	var parts []string
	for _, c := range r.Confidence {
		parts = append(parts, string(c))
	}
	return strings.Join(parts, "+")
}

func runRules(std *stdio, _ any, args []string) int {
	switch len(args) {
	case 0:
		for _, r := range model.Catalog {
			mark := "doc     "
			if r.Modelled {
				mark = "modelled"
			}
			fmt.Fprintf(std.out, "%-36s %-8s %-11s %s\n", r.ID, mark, confidence(r), r.Title)
		}
		return exitOK
	case 1:
	default:
		fmt.Fprintln(std.err, "bgsim rules: at most one rule id")
		return exitUsage
	}
	r, ok := model.LookupRule(args[0])
	if !ok {
		var ids []string
		for _, r := range model.Catalog {
			ids = append(ids, r.ID)
		}
		msg := fmt.Sprintf("bgsim rules: no rule %q", args[0])
		if s := scenarios.Nearest(strings.ToUpper(args[0]), ids); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		fmt.Fprintln(std.err, msg)
		return exitUsage
	}
	status := "documentation only: bgsim does not model it yet"
	if r.Modelled {
		status = "modelled"
	}
	fmt.Fprintf(std.out, "%s — %s\n\n%s\n\nConfidence: %s\nStatus: %s\n", r.ID, r.Title, wrap(r.Explanation, 80), confidence(r), status)
	if r.Params != "" {
		fmt.Fprintf(std.out, "Parameters: %s\n", r.Params)
	}
	if r.Fix != "" {
		fmt.Fprintf(std.out, "\nWhat the app's code can do:\n%s\n\n", wrap(r.Fix, 80))
	}
	if len(r.Sources) > 0 {
		fmt.Fprintln(std.out, "Sources:")
		for _, s := range r.Sources {
			fmt.Fprintf(std.out, "  [%s] %s\n", s, model.Sources[s])
		}
	}
	return exitOK
}

// wrap breaks text into lines of at most width columns at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	col := 0
	for _, w := range strings.Fields(text) {
		if col > 0 && col+1+len(w) > width {
			b.WriteByte('\n')
			col = 0
		} else if col > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}
