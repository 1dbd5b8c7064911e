package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bgsim/bgsim/explore"
	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/report"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

type exploreFlags struct {
	faults, durations, property, variant, out, format, shard *string
	depth, workers, random, maxSchedules                     *int
	seed                                                     *uint64
}

func init() {
	var kinds []string
	for _, k := range model.FaultKinds {
		def := ""
		if k.Default {
			def = " (default)"
		}
		for i, l := range wrapWords(k.Doc+def, 80-16) {
			name := ""
			if i == 0 {
				name = k.Name
			}
			kinds = append(kinds, fmt.Sprintf("  %-14s%s", name, l))
		}
	}
	commands = append(commands, &command{
		name:    "explore",
		args:    "NAME|FILE",
		summary: "inject faults at every moment of a scenario; find the smallest failing case",
		detail: `Runs the scenario under every schedule of up to --depth faults, each at every
moment of the run: at each instant an event happens, and in the middle of each
interval between two. A fault that lasts (outage, wifi-loss, low-power,
cellular-loss) ends after each --for duration. A schedule fails when an upload
ends lost, or never sent by code that ran (no-lost), is still pending at the
horizon (no-pending), or the variant's expect: block does not hold (expect).
Failing schedules are grouped by variant, fate and rule; each group shows its
minimal counterexample (the fewest faults, then the earliest), which --out
writes as a scenario file that bgsim run replays exactly.
docs/explore.md explains the method and what it covers.

Faults (--faults, or the scenario's explore: block):
` + strings.Join(kinds, "\n") + `

An exploration too large for one machine splits with --shard K/N (each slice
writes its report as JSON) and joins with:
  bgsim explore merge [--format table|json] [--out DIR] NAME|FILE SLICE.json...
which runs each group's minimal counterexample again and refuses a slice whose
failure does not happen.

Exit status: 0 no failing schedule, 1 failures found, 2 bad usage or input,
3 a bug in bgsim.`,
		flags: func(fs *flag.FlagSet) any {
			return &exploreFlags{
				faults:       fs.String("faults", "", "comma-separated faults (default: the scenario's explore: block, else the defaults)"),
				durations:    fs.String("for", "", "comma-separated durations of a fault that lasts (default: the scenario's, else 10s,2m)"),
				property:     fs.String("property", "", "what a schedule must keep: no-lost, no-pending, expect (default no-lost,no-pending)"),
				variant:      fs.String("variant", "", "explore only this variant"),
				out:          fs.String("out", "", "write each minimal counterexample as a scenario file in this directory"),
				format:       fs.String("format", "", "output format: table (the default) or json"),
				depth:        fs.Int("depth", 1, fmt.Sprintf("the most faults a schedule injects (0 to %d)", explore.MaxDepth)),
				workers:      fs.Int("workers", runtime.NumCPU(), "schedules run in parallel (at most 4 per core: more are clamped); the result is the same for any number"),
				random:       fs.Int("random", 0, "run this many random schedules of 1 to --depth faults per variant"),
				seed:         fs.Uint64("seed", 1, "with --random: schedule i comes from seed+i alone"),
				maxSchedules: fs.Int("max-schedules", explore.MaxSchedules, "stop with an error rather than make more runs than this"),
				shard:        fs.String("shard", "", "K/N: explore only the Kth of N slices and write its report as JSON, for bgsim explore merge"),
			}
		},
		run:         runExplore,
		subcommands: []string{"merge"},
	})
}

func runExplore(std *stdio, opts any, args []string) int {
	f := opts.(*exploreFlags)
	usage := func(format string, a ...any) int {
		fmt.Fprintf(std.err, "bgsim explore: "+format+"\n", a...)
		return exitUsage
	}
	if len(args) > 0 && args[0] == "merge" {
		return runExploreMerge(std, args[1:])
	}
	if len(args) != 1 {
		return usage("name one scenario (bgsim list shows the embedded ones), got %d arguments", len(args))
	}
	if *f.format != "" && *f.format != "table" && *f.format != "json" {
		return usage("unknown format %q: want table or json", *f.format)
	}
	opt := explore.Options{Depth: *f.depth, Variant: *f.variant, Workers: *f.workers, Random: *f.random,
		Seed: *f.seed, MaxSchedules: *f.maxSchedules, Faults: list(*f.faults), Property: list(*f.property)}
	for _, s := range list(*f.durations) {
		d, err := time.ParseDuration(s)
		if err != nil {
			return usage("--for %q: want durations like 10s,2m", s)
		}
		opt.Durations = append(opt.Durations, sim.Duration(d))
	}
	if *f.seed != 1 && *f.random == 0 {
		return usage("--seed goes with --random")
	}
	if *f.shard != "" {
		k, n, err := explore.ParseShard(*f.shard)
		if err != nil {
			return usage("--shard %s: %v", *f.shard, err)
		}
		if *f.out != "" {
			return usage("--out goes with bgsim explore merge, which writes the counterexamples of the whole")
		}
		if *f.format == "table" {
			return usage("--shard writes the slice's report as JSON, for bgsim explore merge; give --format table to the merge")
		}
		opt.Shard, opt.Shards = k, n
		*f.format = "json"
	}
	sc, err := scenarios.Resolve(args[0])
	if err != nil {
		reportLoadError(std, "explore", err)
		return exitUsage
	}
	// The directory is made, and checked, before the work.
	if *f.out != "" {
		if err := os.MkdirAll(*f.out, 0o777); err != nil {
			return usage("--out: %v", unwrapPath(err))
		}
	}
	rep, err := explore.Explore(sc, opt)
	if err == nil {
		rep.Model = modelFingerprint()
	}
	if err != nil {
		var ie *model.InternalError
		if errors.As(err, &ie) {
			fmt.Fprintf(std.err, "bgsim explore: %s\n", safeLines(err.Error()))
			return exitInternal
		}
		return usage("%s", safeLines(err.Error()))
	}
	return finishExplore(std, sc, rep, args[0], *f.out, *f.format)
}

// finishExplore writes the counterexamples to dir (if any), prints the
// report and returns the exit code.
func finishExplore(std *stdio, sc *scenarios.Scenario, rep *explore.Report, arg, dir, format string) int {
	if dir != "" {
		input := ""
		if _, err := os.Stat(arg); err == nil {
			input = arg
		}
		for i := range rep.Failures {
			fl := &rep.Failures[i]
			name := counterexampleName(sc.Name, fl, i)
			data, err := explore.Counterexample(sc, fl, name)
			if err != nil {
				fmt.Fprintf(std.err, "bgsim explore: writing the counterexample of %s: %s\n", name, safeLines(err.Error()))
				return exitInternal
			}
			path := filepath.Join(dir, name+".yaml")
			o, err := createOutput(path, input)
			if err != nil {
				fmt.Fprintf(std.err, "bgsim explore: --out: %s\n", safeLines(err.Error()))
				return exitUsage
			}
			if _, err := o.Writer().Write(data); err != nil {
				o.Abort()
				fmt.Fprintf(std.err, "bgsim explore: %v\n", err)
				return exitFail
			}
			if err := o.Commit(); err != nil {
				fmt.Fprintf(std.err, "bgsim explore: %v\n", err)
				return exitFail
			}
			fl.File = path
		}
	}
	if format == "json" {
		if err := rep.WriteJSON(std.out); err != nil {
			fmt.Fprintf(std.err, "bgsim explore: %v\n", err)
			return exitFail
		}
	} else {
		writeExploreTable(std, rep)
	}
	if len(rep.Failures) > 0 {
		return exitFail
	}
	return exitOK
}

// runExploreMerge joins the slices of an exploration.
func runExploreMerge(std *stdio, args []string) int {
	fs := flag.NewFlagSet("bgsim explore merge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "table", "output: table or json")
	out := fs.String("out", "", "write each minimal counterexample as a scenario file in this directory")
	const usage = "usage: bgsim explore merge [--format table|json] [--out DIR] NAME|FILE SLICE.json..."
	rest, err := parseInterspersed(fs, args, nil)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(std.out, usage+"\n\nJoins the slices written by bgsim explore --shard K/N into the report one machine\nwould have printed, after running each group's minimal counterexample again.")
			return exitOK
		}
		fmt.Fprintf(std.err, "bgsim explore merge: %v\n%s\n", err, usage)
		return exitUsage
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(std.err, "bgsim explore merge: unknown format %q: want table or json\n", *format)
		return exitUsage
	}
	if len(rest) < 2 {
		fmt.Fprintf(std.err, "bgsim explore merge: name the scenario and its slices\n%s\n", usage)
		return exitUsage
	}
	sc, err := scenarios.Resolve(rest[0])
	if err != nil {
		reportLoadError(std, "explore merge", err)
		return exitUsage
	}
	var parts []*explore.Report
	for _, path := range rest[1:] {
		fh, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(std.err, "bgsim explore merge: %v\n", unwrapPath(err))
			return exitUsage
		}
		rep, err := explore.ReadJSON(fh)
		fh.Close()
		if err != nil {
			fmt.Fprintf(std.err, "bgsim explore merge: %s: %s\n", report.TerminalSafe(path), safeLines(err.Error()))
			return exitUsage
		}
		parts = append(parts, rep)
	}
	if *out != "" {
		if err := os.MkdirAll(*out, 0o777); err != nil {
			fmt.Fprintf(std.err, "bgsim explore merge: --out: %v\n", unwrapPath(err))
			return exitUsage
		}
	}
	merged, err := explore.Merge(sc, parts)
	if err != nil {
		fmt.Fprintf(std.err, "bgsim explore merge: %s\n", safeLines(err.Error()))
		return exitUsage
	}
	if merged.Model != "" && merged.Model != modelFingerprint() {
		fmt.Fprintln(std.err, "bgsim explore merge: the slices were made by a bgsim whose model differs from this one's")
		return exitUsage
	}
	return finishExplore(std, sc, merged, rest[0], *out, *format)
}

// timed tells whether the fault called name lasts for a duration.
func timed(name string) bool {
	i := slices.IndexFunc(model.FaultKinds, func(k model.FaultKind) bool { return k.Name == name })
	return i >= 0 && model.FaultKinds[i].Timed()
}

// list splits a comma-separated flag value; "" is none.
func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// counterexampleName names failure i's file: the scenario, the variant,
// the fate, and the group's number, which keeps names apart.
func counterexampleName(scenario string, f *explore.Failure, i int) string {
	parts := []string{scenario}
	if f.Variant != "" {
		parts = append(parts, f.Variant)
	}
	parts = append(parts, f.Fate, strconv.Itoa(i+1))
	return strings.Join(parts, "-")
}

func writeExploreTable(std *stdio, rep *explore.Report) {
	w := std.out
	width := max(std.width, 40)
	what := "every schedule"
	if rep.Random > 0 {
		what = fmt.Sprintf("%d random schedule%s per variant (seeds %d on)", rep.Random, plural(rep.Random), rep.Seed)
	}
	name := rep.Scenario
	if rep.Variant != "" {
		name += "/" + rep.Variant // --variant: that variant alone
	}
	if rep.Depth == 0 {
		fmt.Fprintf(w, "%s: the scenario as written (depth 0)\n", report.TerminalSafe(name))
	} else {
		fmt.Fprintf(w, "%s: %s of up to %d fault%s\n", report.TerminalSafe(name), what, rep.Depth, plural(rep.Depth))
	}
	faults := strings.Join(rep.Faults, ", ")
	if slices.ContainsFunc(rep.Faults, timed) {
		var ds []string
		for _, d := range rep.Durations {
			ds = append(ds, d.String())
		}
		faults += " (lasting " + strings.Join(ds, ", ") + ")"
	}
	fmt.Fprintf(w, "  faults:     %s\n", faults)
	fmt.Fprintf(w, "  property:   %s\n", strings.Join(rep.Property, ", "))
	fmt.Fprintf(w, "  schedules:  %d run; %d pruned, their last fault changing nothing\n", rep.Schedules, rep.Pruned)
	if len(rep.Failures) == 0 {
		fmt.Fprintln(w, "\nNo failing schedule.")
		return
	}
	fmt.Fprintf(w, "\n%d way%s to fail:\n", len(rep.Failures), plural(len(rep.Failures)))
	for _, f := range rep.Failures {
		head := f.Fate
		switch {
		case f.Fate == "expect":
			head = f.Rule + " does not hold"
		case f.Rule != "":
			head += " " + f.Rule
		}
		if f.Variant != "" {
			head = "variant " + f.Variant + ": " + head
		}
		fmt.Fprintf(w, "\n  %s, in %d schedule%s\n", report.TerminalSafe(head), f.Count, plural(f.Count))
		faults := "no fault: the scenario as written fails"
		if len(f.Faults) > 0 {
			var parts []string
			for _, x := range f.Faults {
				parts = append(parts, x.String())
			}
			faults = strings.Join(parts, ", ")
		}
		labelled(w, "minimal:", faults, width)
		if len(f.Faults) > 0 && f.Last > f.First {
			fmt.Fprintf(w, "    window:  %v to %v (the failing last faults lie in it)\n", f.First, f.Last)
		}
		if rep.Random > 0 && len(f.Faults) > 0 {
			fmt.Fprintf(w, "    seed:    %d (--random 1 --depth %d --seed %d draws it again)\n", f.Seed, rep.Depth, f.Seed)
		}
		reason := f.Reason
		if f.Upload != "" {
			reason = f.Upload + ": " + reason
		}
		for _, l := range wrapWords(report.TerminalSafe(reason), width-6) {
			fmt.Fprintf(w, "    %s\n", l)
		}
		if len(f.Chain) > 0 {
			var ids []string
			for _, r := range f.Chain {
				ids = append(ids, string(r))
			}
			labelled(w, "rules:", strings.Join(ids, " → "), width)
		}
		if f.File != "" {
			fmt.Fprintf(w, "    file:    %s\n", report.TerminalSafe(f.File))
			fmt.Fprintf(w, "    replay:  bgsim run %s\n", report.TerminalSafe(f.File))
		}
	}
}

// labelled writes text under a label in the report's left column,
// wrapped to width, the lines after the first indented under the text.
func labelled(w io.Writer, label, text string, width int) {
	for i, l := range wrapWords(text, width-13) {
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(w, "    %-9s%s\n", label, l)
	}
}

// wrapWords breaks s into lines of at most width columns, at spaces.
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
