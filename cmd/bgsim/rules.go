package main

import (
	"fmt"
	"strings"

	"bgsim/model"
	"bgsim/report"
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

func runRules(std *stdio, _ any, args []string) int {
	switch len(args) {
	case 0:
		if err := report.RuleList(std.out); err != nil {
			fmt.Fprintf(std.err, "bgsim rules: %v\n", err)
			return exitFail
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
			ids = append(ids, string(r.ID))
		}
		msg := fmt.Sprintf("bgsim rules: no rule %q", args[0])
		if s := scenarios.Nearest(strings.ToUpper(args[0]), ids); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		fmt.Fprintln(std.err, msg)
		return exitUsage
	}
	if err := report.Rule(std.out, r); err != nil {
		fmt.Fprintf(std.err, "bgsim rules: %v\n", err)
		return exitFail
	}
	return exitOK
}
