package main

import (
	"fmt"

	"bgsim/scenarios"
)

func init() {
	commands = append(commands, &command{
		name:    "show",
		args:    "NAME",
		summary: "print an embedded scenario's YAML, to copy and edit",
		detail:  "For example: bgsim show app-purged-mid-upload > mine.yaml; edit it; bgsim run mine.yaml",
		run:     runShow,
	})
}

func runShow(std *stdio, _ any, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(std.err, "bgsim show: name one embedded scenario ('bgsim list' shows them)")
		return exitUsage
	}
	data, ok := scenarios.Source(args[0])
	if !ok {
		msg := fmt.Sprintf("bgsim show: no embedded scenario %q", args[0])
		if s := scenarios.Nearest(args[0], scenarios.Names()); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		fmt.Fprintln(std.err, msg)
		return exitUsage
	}
	std.out.Write(data)
	return exitOK
}
