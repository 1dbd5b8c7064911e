package main

import (
	"fmt"

	"github.com/bgsim/bgsim/scenarios"
)

func init() {
	commands = append(commands, &command{
		name:    "schema",
		summary: "print the JSON Schema of the scenario language, for editors",
		detail: `The schema is generated from the types the loader decodes with, so it cannot
drift from what bgsim accepts. For completion and checking in editors with the
YAML language server:

  bgsim schema > bgsim.schema.json

and put this line at the top of a scenario:

  # yaml-language-server: $schema=bgsim.schema.json

The schema checks keys, kinds of value, units and enumerations; 'bgsim
validate' also checks what a scenario means.`,
		run: runSchema,
	})
}

func runSchema(std *stdio, _ any, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(std.err, "bgsim schema: takes no arguments")
		return exitUsage
	}
	std.out.Write(scenarios.Schema())
	return exitOK
}
