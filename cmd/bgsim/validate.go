package main

import (
	"errors"
	"fmt"

	"bgsim/report"
	"bgsim/scenarios"
)

func init() {
	commands = append(commands, &command{
		name:    "validate",
		args:    "FILE...",
		summary: "check scenario files without running them: every problem, with its position",
		detail: `Reports every problem in each file, not just the first, as file:line:col with
what was expected and what was found, and the nearest valid key for a
misspelt one. Checks the YAML's shape and what it means: times, references
between sessions, uploads and variants, sizes, the horizon, expectations.
Exit 0 when every file is valid, 2 when any is not.`,
		run: runValidate,
	})
}

func runValidate(std *stdio, _ any, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(std.err, "bgsim validate: name at least one scenario file")
		return exitUsage
	}
	code := exitOK
	for _, arg := range args {
		sc, err := scenarios.LoadFile(arg)
		if err != nil {
			code = exitUsage
			var es scenarios.Errors
			if errors.As(err, &es) {
				for _, e := range es {
					fmt.Fprintln(std.err, report.TerminalSafe(e.Error()))
				}
				fmt.Fprintf(std.err, "%s: %d problem%s\n", arg, len(es), plural(len(es)))
			} else {
				fmt.Fprintf(std.err, "%s: %s\n", report.TerminalSafe(arg), safeLines(err.Error()))
			}
			continue
		}
		n := len(sc.Variants)
		fmt.Fprintf(std.out, "ok %s: %s, %d run%s\n", report.TerminalSafe(arg), report.TerminalSafe(sc.Name), n, plural(n))
	}
	return code
}
