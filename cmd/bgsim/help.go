package main

import "fmt"

func init() {
	commands = append(commands, &command{
		name:    "help",
		args:    "[command]",
		summary: "describe bgsim's commands, or one command in detail",
		run:     runHelp,
	})
}

func runHelp(std *stdio, _ any, args []string) int {
	switch len(args) {
	case 0:
		writeOverview(std.out, std.width)
		return exitOK
	case 1:
		return run([]string{args[0], "-h"}, std.out, std.err)
	default:
		fmt.Fprintln(std.err, "bgsim help: at most one command name, got", len(args))
		return exitUsage
	}
}
