package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/bgsim/bgsim/report"
	bgrun "github.com/bgsim/bgsim/run"
	"github.com/bgsim/bgsim/scenarios"
)

func init() {
	commands = append(commands, &command{
		name:    "validate",
		args:    "PATH...",
		summary: "check scenario files without running them: every problem, with its position",
		detail: `Reports every problem in each file, not just the first, as file:line:col with
what was expected and what was found, and the nearest valid key for a
misspelt one. Checks the YAML's shape and what it means: times, references
between sessions, uploads and variants, sizes, the horizon, expectations.
A directory is walked as bgsim test walks it: *.yaml and *.yml files, skipping
directories and files whose names start with "." or "_", and testdata.
Exit 0 when every file is valid, 2 when any is not.`,
		run: runValidate,
	})
}

func runValidate(std *stdio, _ any, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(std.err, "bgsim validate: name at least one scenario file or directory")
		return exitUsage
	}
	code := exitOK
	for _, arg := range args {
		fi, err := os.Stat(arg)
		if err != nil || !fi.IsDir() {
			if !validateFile(std, arg) {
				code = exitUsage
			}
			continue
		}
		found, err := bgrun.Find([]string{arg})
		if err != nil {
			fmt.Fprintln(std.err, safeLines(err.Error()))
			code = exitUsage
		}
		for _, f := range found {
			if !printVerdict(std, f.Path, f.Scenario, f.Err) {
				code = exitUsage
			}
		}
	}
	return code
}

func validateFile(std *stdio, path string) bool {
	sc, err := scenarios.LoadFile(path)
	return printVerdict(std, path, sc, err)
}

// report prints one file's verdict and tells whether it is valid.
func printVerdict(std *stdio, path string, sc *scenarios.Scenario, err error) bool {
	if err != nil {
		var es scenarios.Errors
		if errors.As(err, &es) {
			for _, e := range es {
				fmt.Fprintln(std.err, report.TerminalSafe(e.Error()))
			}
			fmt.Fprintf(std.err, "%s: %d problem%s\n", report.TerminalSafe(path), len(es), plural(len(es)))
		} else {
			fmt.Fprintf(std.err, "%s: %s\n", report.TerminalSafe(path), safeLines(err.Error()))
		}
		return false
	}
	n := len(sc.Variants)
	fmt.Fprintf(std.out, "ok %s: %s, %d run%s\n", report.TerminalSafe(path), report.TerminalSafe(sc.Name), n, plural(n))
	return true
}
