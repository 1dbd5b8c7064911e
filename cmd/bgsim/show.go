package main

import (
	"flag"
	"fmt"
	"regexp"

	"github.com/bgsim/bgsim/scenarios"
)

type showFlags struct {
	as *string
}

func init() {
	commands = append(commands, &command{
		name:    "show",
		args:    "NAME",
		summary: "print an embedded scenario's YAML, to copy and edit",
		detail: `For example:

  bgsim show app-purged-mid-upload --as my-purge > my-purge.yaml

then edit it and run it with bgsim run my-purge.yaml. --as gives the copy its
own name, so that bgsim test does not report two scenarios under one name,
drops the original's expect: blocks (they describe the original; 'bgsim expect
FILE' prints the copy's, to review and paste), and starts the file with the
line that lets editors check it against 'bgsim schema'.`,
		flags: func(fs *flag.FlagSet) any {
			return &showFlags{as: fs.String("as", "", "the copy's name (lower-case words joined by hyphens): rename it and drop its expectations")}
		},
		run: runShow,
	})
}

var scenarioNameRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func runShow(std *stdio, opts any, args []string) int {
	f := opts.(*showFlags)
	if len(args) != 1 {
		fmt.Fprintln(std.err, "bgsim show: name one embedded scenario ('bgsim list' shows them)")
		return exitUsage
	}
	if *f.as != "" && !scenarioNameRe.MatchString(*f.as) {
		fmt.Fprintf(std.err, "bgsim show: --as %q: a name is lower-case words joined by hyphens\n", *f.as)
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
	if *f.as != "" {
		fmt.Fprintf(std.out, "# yaml-language-server: $schema=bgsim.schema.json\n# A copy of the embedded scenario %s (bgsim show %s --as %s).\n", args[0], args[0], *f.as)
		data = scenarios.WithoutExpectations(data, *f.as)
	}
	std.out.Write(data)
	return exitOK
}
