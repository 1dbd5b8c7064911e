package main

import (
	"encoding/json"
	"flag"
	"fmt"

	"github.com/bgsim/bgsim/report"
	"github.com/bgsim/bgsim/scenarios"
)

type listFlags struct {
	format *string
}

func init() {
	commands = append(commands, &command{
		name:    "list",
		summary: "list the embedded scenarios in teaching order, with their kind and title",
		detail: `The library in the order to learn it: the four attempts of the article bgsim
started from (attempt-1 to attempt-4), then what happens to an upload the app
has handed off, the app's mistakes, the network and the system's conditions,
energy, and the sweeps. Kind is "story" (bgsim run NAME: one run per variant,
to read) or "sweep" (bgsim sweep NAME: many runs, distributions).

Print one's YAML, to copy and edit, with 'bgsim show NAME --as NEWNAME'.
--format json writes {"scenarios": [{"name", "kind", "title", "variants"}]}.`,
		flags: func(fs *flag.FlagSet) any {
			return &listFlags{format: fs.String("format", "text", "output: text or json")}
		},
		run: runList,
	})
}

func runList(std *stdio, opts any, args []string) int {
	f := opts.(*listFlags)
	if len(args) > 0 {
		fmt.Fprintln(std.err, "bgsim list: takes no arguments")
		return exitUsage
	}
	if *f.format != "text" && *f.format != "json" {
		fmt.Fprintf(std.err, "bgsim list: unknown format %q: want text or json\n", *f.format)
		return exitUsage
	}
	type entry struct {
		Name     string   `json:"name"`
		Kind     string   `json:"kind"`
		Title    string   `json:"title"`
		Variants []string `json:"variants"`
	}
	var list []entry
	width := 0
	for _, n := range scenarios.Library() {
		sc, err := scenarios.LoadEmbedded(n)
		if err != nil {
			// The embedded library is tested; this would be a build bug.
			fmt.Fprintf(std.err, "bgsim list: %v\n", err)
			return exitFail
		}
		e := entry{Name: n, Kind: sc.Kind(), Title: sc.Title, Variants: []string{}}
		for _, v := range sc.Variants {
			if v.Name != "" {
				e.Variants = append(e.Variants, v.Name)
			}
		}
		list = append(list, e)
		width = max(width, len(n))
	}
	if *f.format == "json" {
		enc := json.NewEncoder(std.out)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Scenarios []entry `json:"scenarios"`
		}{list})
		return exitOK
	}
	for _, e := range list {
		fmt.Fprintf(std.out, "%-*s  %-5s  %s\n", width, report.TerminalSafe(e.Name), e.Kind,
			hanging(report.TerminalSafe(e.Title), width+9, std.width))
	}
	return exitOK
}
