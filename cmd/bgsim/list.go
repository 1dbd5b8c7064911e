package main

import (
	"fmt"

	"bgsim/report"
	"bgsim/scenarios"
)

func init() {
	commands = append(commands, &command{
		name:    "list",
		summary: "list the embedded scenarios with their titles",
		detail:  "Run one with 'bgsim run NAME'; print its YAML, to copy and edit, with 'bgsim show NAME'.",
		run:     runList,
	})
}

func runList(std *stdio, _ any, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(std.err, "bgsim list: takes no arguments")
		return exitUsage
	}
	names := scenarios.Names()
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		sc, err := scenarios.LoadEmbedded(n)
		if err != nil {
			// The embedded library is tested; this would be a build bug.
			fmt.Fprintf(std.err, "bgsim list: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(std.out, "%-*s  %s\n", width, report.TerminalSafe(n), report.TerminalSafe(sc.Title))
	}
	return exitOK
}
