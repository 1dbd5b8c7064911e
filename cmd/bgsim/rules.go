package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/report"
	"github.com/bgsim/bgsim/scenarios"
)

type rulesFlags struct {
	format *string
}

func init() {
	commands = append(commands, &command{
		name:    "rules",
		args:    "[R-ID | WORD...]",
		summary: "list the iOS rules bgsim knows, explain one, or search them",
		detail: `With no argument, lists every rule. With a rule id (R-RATE-LIMITER), explains
it. With words (bgsim rules rate limit), lists the rules whose id, title,
explanation, parameters or fix contain every word, ignoring case; a search
that finds one rule explains it.

Each rule is an iOS behaviour with the sources it rests on and how sure anyone is:
DOC Apple's documentation, ENG an Apple engineer, RE decompiled CFNetwork,
OBS developers' reports, UNC uncertain. "modelled" rules are applied by the
simulator; the others are documentation. For a modelled rule, "Fixed in bgsim"
is what bgsim does the same way in every scenario, and "Parameters" are the
scenario keys that change it (params.* stand in for what Apple leaves open).
A rule explained shows its iOS versions: where its API or behaviour begins,
and what happens before (iOS's earlier behaviour, or a setting bgsim refuses).

--format json writes {"rules": [...]} with every field of each rule listed or
found, a stable contract.`,
		flags: func(fs *flag.FlagSet) any {
			return &rulesFlags{format: fs.String("format", "text", "output: text or json")}
		},
		run: runRules,
	})
}

func runRules(std *stdio, opts any, args []string) int {
	f := opts.(*rulesFlags)
	if *f.format != "text" && *f.format != "json" {
		fmt.Fprintf(std.err, "bgsim rules: unknown format %q: want text or json\n", *f.format)
		return exitUsage
	}
	rules := model.Catalog
	if len(args) == 1 {
		if r, ok := model.LookupRule(args[0]); ok {
			rules = []model.Rule{r}
		} else {
			rules = searchRules(args)
		}
	} else if len(args) > 1 {
		rules = searchRules(args)
	}
	if len(rules) == 0 {
		var ids []string
		for _, r := range model.Catalog {
			ids = append(ids, string(r.ID))
		}
		msg := fmt.Sprintf("bgsim rules: no rule matches %q", report.TerminalSafe(strings.Join(args, " ")))
		if s := scenarios.Nearest(strings.ToUpper(args[0]), ids); s != "" && len(args) == 1 {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		fmt.Fprintln(std.err, msg)
		fmt.Fprintln(std.err, "'bgsim rules' lists them all.")
		return exitUsage
	}
	var err error
	switch {
	case *f.format == "json":
		err = report.RulesJSON(std.out, rules)
	case len(rules) == 1 && len(args) > 0:
		err = report.Rule(std.out, rules[0])
	default:
		err = report.RuleLines(std.out, rules)
	}
	if err != nil {
		fmt.Fprintf(std.err, "bgsim rules: %v\n", err)
		return exitFail
	}
	return exitOK
}

// searchRules returns the rules whose text contains every word, ignoring
// case, in catalog order.
func searchRules(words []string) []model.Rule {
	var out []model.Rule
	for _, r := range model.Catalog {
		text := strings.ToLower(strings.Join([]string{string(r.ID), r.Title, r.Explanation, r.ParamText(), r.Fix}, "\n"))
		all := true
		for _, w := range words {
			all = all && strings.Contains(text, strings.ToLower(w))
		}
		if all {
			out = append(out, r)
		}
	}
	return out
}
