package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bgsim/bgsim/report"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

// defaultScenario is what `bgsim run` runs with no argument.
const defaultScenario = "app-purged-mid-upload"

type runFlags struct {
	seed    optionalUint
	variant *string
	format  *string
	explain *bool
	svg     *string
	upload  *string
	actor   *string
	from    *string
	to      *string
}

func init() {
	commands = append(commands, &command{
		name:    "run",
		args:    "[NAME|FILE]",
		summary: "run a scenario (all its variants) and report what became of each upload",
		detail: `The scenario is a YAML file or the name of an embedded scenario ('bgsim list').
With no argument, runs ` + defaultScenario + `.

For each variant it prints a summary (uploads by fate, server receipts, crashes,
launches), the crashes and terminations, and a table of uploads with their fate,
the reason, the iOS rule that decided it, when the server got the body and when
the outcome reached the app.

Formats:
  table     for people (default)
  timeline  every significant event in time order, a column per actor, with
            the rule behind each decision (coloured on a terminal unless
            NO_COLOR is set and not empty, or TERM=dumb)
  mermaid   a Mermaid sequence diagram (several variants: Markdown, one
            fenced diagram each)
  sequence-svg
            the same sequence diagram drawn by bgsim as an SVG picture (no
            script): app, nsurlsessiond and server as lifelines
  html      one self-contained page: summary, uploads, explanations, the
            sequence diagram, the picture and the timeline, with links to
            the rules (bgsim run --format html > run.html)
  json      {"format": 1, "runs": [...]}, a stable contract: fields are
            added, never removed (docs/reports.md lists them)
  trace     every trace record as one JSON object per line`,
		flags: func(fs *flag.FlagSet) any {
			f := &runFlags{
				variant: fs.String("variant", "", "run only this variant"),
				format:  fs.String("format", "table", "output format: table, timeline, mermaid, sequence-svg, html, json or trace"),
				explain: fs.Bool("explain", false, "after a table or timeline, explain in plain words why each upload that was not delivered was not"),
				svg:     fs.String("svg", "", "also draw the run as an SVG picture in this file: swimlanes per actor and the radios' power"),
			}
			f.upload = fs.String("upload", "", "timeline: only these uploads (comma-separated ids, u1,u2) and the app's own events")
			f.actor = fs.String("actor", "", "timeline: only these actors (comma-separated: app, daemon, network, server, radio)")
			f.from = fs.String("from", "", "timeline: only events at or after this time since the start (1m30s)")
			f.to = fs.String("to", "", "timeline: only events at or before this time since the start")
			fs.Var(&f.seed, "seed", "replace the scenario's seed (a non-negative integer)")
			return f
		},
		run: runRun,
	})
}

func runRun(std *stdio, opts any, args []string) int {
	f := opts.(*runFlags)
	if len(args) > 1 {
		fmt.Fprintf(std.err, "bgsim run: one scenario at a time, got %d\n", len(args))
		return exitUsage
	}
	switch *f.format {
	case "table", "timeline", "mermaid", "sequence-svg", "html", "json", "trace":
	default:
		fmt.Fprintf(std.err, "bgsim run: unknown format %q: want table, timeline, mermaid, sequence-svg, html, json or trace\n", *f.format)
		return exitUsage
	}
	// The explanations are prose: after a table or a timeline they read on;
	// after JSON, a trace or a diagram they would break what a program
	// parses. An HTML page has them already.
	if *f.explain && *f.format != "table" && *f.format != "timeline" {
		fmt.Fprintf(std.err, "bgsim run: --explain goes with --format table or timeline, not %s", *f.format)
		switch *f.format {
		case "html":
			fmt.Fprint(std.err, " (the page explains every upload already)")
		case "json":
			fmt.Fprint(std.err, " (each upload there has its reason and rule)")
		}
		fmt.Fprintln(std.err)
		return exitUsage
	}
	text := report.TextOptions{Width: std.width, Color: colorWanted(std)}
	if err := timelineFilters(f, &text); err != nil {
		fmt.Fprintf(std.err, "bgsim run: %v\n", err)
		return exitUsage
	}
	arg := defaultScenario
	if len(args) == 1 {
		arg = args[0]
	}
	sc, err := scenarios.Resolve(arg)
	if err != nil {
		reportLoadError(std, "run", err)
		return exitUsage
	}
	// The picture's file is opened before the run, so that a path that
	// cannot be written fails at once.
	var svgOut *outputFile
	defer func() { svgOut.Abort() }()
	if *f.svg != "" {
		in := arg
		if _, err := os.Stat(arg); err != nil {
			in = "" // an embedded scenario: no file to protect
		}
		if svgOut, err = createOutput(*f.svg, in); err != nil {
			fmt.Fprintf(std.err, "bgsim run: --svg: %v\n", err)
			return exitUsage
		}
	}
	ro := scenarios.RunOptions{Variant: *f.variant, KeepTrace: (*f.format != "json" && *f.format != "table") || *f.svg != ""}
	if f.seed.set {
		ro.Seed = &f.seed.value
	}
	results, err := sc.Run(ro)
	if err != nil {
		if errors.Is(err, scenarios.ErrNoVariant) {
			fmt.Fprintf(std.err, "bgsim run: %v\n", err)
			return exitUsage
		}
		return reportRunError(std, "run", err)
	}
	switch *f.format {
	case "json":
		err = report.JSON(std.out, results)
	case "trace":
		err = report.Trace(std.out, results)
	case "timeline":
		err = report.TimelineText(std.out, results, text)
	case "mermaid":
		err = report.Mermaid(std.out, results)
	case "sequence-svg":
		err = report.SequenceSVG(std.out, results)
	case "html":
		err = report.HTML(std.out, results)
	default:
		err = report.TableText(std.out, results, text)
	}
	if err == nil && *f.explain {
		err = report.ExplainText(std.out, results, text)
	}
	if err == nil && svgOut != nil {
		if err = report.SVG(svgOut.Writer(), results); err == nil {
			err = svgOut.Commit()
		}
	}
	if err != nil {
		fmt.Fprintf(std.err, "bgsim run: writing the report: %v\n", err)
		return exitFail
	}
	// run shows what happened; test judges it. A scenario written with
	// expectations says what should have happened, so a run that
	// contradicts them says so, without changing the exit code. Checked
	// on every variant only, as ratios compare variants.
	if *f.variant == "" {
		if n := len(sc.Check(results)); n > 0 {
			verb := "do"
			if n == 1 {
				verb = "does"
			}
			fmt.Fprintf(std.err, "bgsim run: %d expectation%s of this scenario %s not hold; bgsim test %s shows which\n",
				n, plural(n), verb, report.TerminalSafe(quoteArgs([]string{arg})))
		}
	}
	return exitOK
}

// timelineFilters reads --upload, --actor, --from and --to into o; they
// choose what a timeline shows, so they go with --format timeline.
func timelineFilters(f *runFlags, o *report.TextOptions) error {
	if *f.upload == "" && *f.actor == "" && *f.from == "" && *f.to == "" {
		return nil
	}
	if *f.format != "timeline" {
		return fmt.Errorf("--upload, --actor, --from and --to choose what a timeline shows: add --format timeline")
	}
	list := func(s string) []string {
		var out []string
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	o.Uploads = list(*f.upload)
	o.Actors = list(*f.actor)
	for _, a := range o.Actors {
		if !slices.Contains(report.Actors, a) {
			return fmt.Errorf("--actor: unknown actor %q: want %s", a, strings.Join(report.Actors, ", "))
		}
	}
	for _, t := range []struct {
		name string
		s    string
		into *sim.Time
	}{{"--from", *f.from, &o.From}, {"--to", *f.to, &o.To}} {
		if t.s == "" {
			continue
		}
		d, err := time.ParseDuration(t.s)
		if err != nil || d < 0 {
			return fmt.Errorf("%s: want a duration since the start of the run, like 1m30s; got %q", t.name, t.s)
		}
		*t.into = sim.Time(d)
	}
	if o.To > 0 && o.To < o.From {
		return fmt.Errorf("--to (%s) is before --from (%s)", *f.to, *f.from)
	}
	return nil
}

// optionalUint is a flag that remembers whether it was given.
type optionalUint struct {
	value uint64
	set   bool
}

func (o *optionalUint) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatUint(o.value, 10)
}

func (o *optionalUint) Set(s string) error {
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return errors.New("want a non-negative integer")
	}
	o.value, o.set = v, true
	return nil
}

// reportLoadError prints a scenario that failed to load: every positioned
// problem on its own line.
func reportLoadError(std *stdio, cmd string, err error) {
	var es scenarios.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			fmt.Fprintln(std.err, report.TerminalSafe(e.Error()))
		}
		fmt.Fprintf(std.err, "bgsim %s: the scenario has %d problem%s\n", cmd, len(es), plural(len(es)))
		return
	}
	fmt.Fprintf(std.err, "bgsim %s: %s\n", cmd, safeLines(err.Error()))
}

// safeLines makes each line of an error fit for a terminal: a problem
// quotes what the scenario holds, and its path names the scenario's keys.
func safeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = report.TerminalSafe(l)
	}
	return strings.Join(lines, "\n")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// colorWanted tells whether the output is a terminal that shows colour
// and the user has not asked for none: NO_COLOR set and not empty
// (https://no-color.org), or TERM=dumb.
func colorWanted(std *stdio) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return std.outTTY
}
