package main

import (
	"fmt"
	"runtime/debug"
)

func init() {
	commands = append(commands, &command{
		name:    "version",
		summary: "print bgsim's version, source revision and Go version",
		detail: `The module version is the one the Go toolchain recorded: the release for
go install MODULE/cmd/bgsim@VERSION, the tag (or a pseudo-version, +dirty
when the tree has changes) for go build in a git checkout (Go 1.24 and later,
unless -buildvcs=false), "(devel)" for go run. The revision is the commit the
binary was built from, when the build recorded it.`,
		run: runVersion,
	})
}

func runVersion(std *stdio, _ any, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(std.err, "bgsim version: takes no arguments")
		return exitUsage
	}
	fmt.Fprintln(std.out, versionLine(debug.ReadBuildInfo()))
	return exitOK
}

// versionLine formats what the build recorded about itself.
func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "bgsim (unknown version: no build information)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	revision, modified, when := "", "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		case "vcs.time":
			when = ", " + s.Value
		}
	}
	if revision == "" {
		revision = "unknown revision"
	} else {
		revision = "revision " + revision
	}
	return fmt.Sprintf("bgsim %s (%s%s%s) %s", version, revision, modified, when, info.GoVersion)
}
