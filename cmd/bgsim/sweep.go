package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/report"
	bgrun "github.com/bgsim/bgsim/run"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/shard"
)

// SweepGCPercent is the garbage collector's target during a sweep.
const SweepGCPercent = 400

type sweepFlags struct {
	runs    *int
	seed    optionalUint
	workers *int
	format  *string
	svg     *string
	shard   *string
	runsOut *string
}

func init() {
	commands = append(commands, &command{
		name:    "sweep",
		args:    "NAME|FILE   or   bgsim sweep merge [--format F] [--svg FILE] SHARD...",
		summary: "run a scenario many times with varied parameters: rates, percentiles, intervals",
		detail: `Runs every variant of a scenario across its sweep: block (docs/sweeps.md): the
number of runs, parameters drawn from distributions or stepped over a grid,
random outages. Run k of every variant uses the same draws (common random
numbers), so variants compare on equal footing. Prints, per variant and grid
point, the share of uploads by fate with 95% intervals, percentiles of the
time to each upload's fate and of energy, mean energy with its interval, and
each variant's difference from the first, paired by draw.

The report depends only on the scenario and the seed: the same for any
number of workers, and for a sweep split with --shard and joined with
'bgsim sweep merge'. Run rate and elapsed time go to stderr, and only on a
terminal.

  bgsim sweep --shard 2/3 purge-anywhere > part2.jsonl   # one of three machines
  bgsim sweep merge part1.jsonl part2.jsonl part3.jsonl  # the whole report`,
		flags: func(fs *flag.FlagSet) any {
			f := &sweepFlags{
				runs:    fs.Int("runs", 0, "runs per variant and grid point (default: the scenario's sweep.runs)"),
				workers: fs.Int("workers", runtime.NumCPU(), "simulations run in parallel (at most 4 per core: more are clamped)"),
				format:  fs.String("format", "table", "output: table, csv or json"),
				svg:     fs.String("svg", "", "also draw the fate shares, and the distributions or the grid's trade-off, in this SVG file"),
				shard:   fs.String("shard", "", "K/N: run only the Kth of N slices and write its runs as JSON lines, for bgsim sweep merge"),
				runsOut: fs.String("runs-out", "", "also write every run's record as JSON lines to this file"),
			}
			fs.Var(&f.seed, "seed", "replace the sweep's seed")
			return f
		},
		run:         runSweep,
		subcommands: []string{"merge"},
	})
}

func runSweep(std *stdio, opts any, args []string) int {
	if len(args) > 0 && args[0] == "merge" {
		return runMerge(std, args[1:])
	}
	f := opts.(*sweepFlags)
	if len(args) != 1 {
		fmt.Fprintln(std.err, "bgsim sweep: name one scenario (a file or an embedded name)")
		return exitUsage
	}
	// A sweep allocates briskly but keeps little alive (a bounded window
	// of runs, streamed statistics), so collecting less often costs
	// little memory and lets the workers use the cores: with the default,
	// the collector held two workers to 1.3 times one (docs/benchmarks.md).
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(SweepGCPercent))
	}
	if !slices.Contains([]string{"table", "csv", "json"}, *f.format) {
		fmt.Fprintf(std.err, "bgsim sweep: unknown format %q: want table, csv or json\n", *f.format)
		return exitUsage
	}
	if *f.runs < 0 || *f.runs > scenarios.MaxSweepRuns {
		fmt.Fprintf(std.err, "bgsim sweep: --runs must be 1 to %d (or 0 for the scenario's sweep.runs), got %d\n", scenarios.MaxSweepRuns, *f.runs)
		return exitUsage
	}
	if *f.workers < 1 {
		fmt.Fprintf(std.err, "bgsim sweep: --workers must be at least 1, got %d\n", *f.workers)
		return exitUsage
	}
	sc, err := scenarios.Resolve(args[0])
	if err != nil {
		reportLoadError(std, "sweep", err)
		return exitUsage
	}
	var seed *uint64
	if f.seed.set {
		seed = &f.seed.value
	}
	sw, err := sc.Plan(*f.runs, seed)
	if err != nil {
		fmt.Fprintf(std.err, "bgsim sweep: %v\n", err)
		return exitUsage
	}
	meta := sweepMeta(sw)
	// The header of a shard file (or of --runs-out): only computed when
	// one is written, since the model's fingerprint costs a few runs.
	header := func(k, n, from, to int) shard.Header {
		return shard.Header{Version: buildVersion(), Model: modelFingerprint(), Scenario: sourceHash(sc),
			Meta: meta, Shard: [2]int{k, n}, Jobs: [2]int{from, to}}
	}

	if *f.shard != "" {
		if *f.svg != "" || *f.runsOut != "" || *f.format != "table" {
			fmt.Fprintln(std.err, "bgsim sweep: --shard writes its runs as JSON lines (the shard file is the runs); give --format and --svg to bgsim sweep merge instead")
			return exitUsage
		}
		k, n, err := parseShard(*f.shard, sw.Runs)
		if err != nil {
			fmt.Fprintf(std.err, "bgsim sweep: --shard %s: %v\n", *f.shard, err)
			return exitUsage
		}
		from, to := bgrun.Shard(sw, k, n)
		bw := bufio.NewWriter(std.out)
		rw, err := shard.NewWriter(bw, header(k, n, from, to))
		if err == nil {
			prog := newProgress(std.err, to-from)
			runErr := bgrun.Sweep(sw, from, to, *f.workers, func(r model.RunRecord) bool {
				if err == nil {
					err = rw.Write(r)
				}
				prog.step()
				return err == nil
			})
			prog.done()
			if runErr != nil {
				return reportRunError(std, "sweep", runErr)
			}
		}
		if err == nil {
			err = rw.Close()
		}
		if err == nil {
			err = bw.Flush()
		}
		if err != nil {
			fmt.Fprintf(std.err, "bgsim sweep: %v\n", err)
			return exitFail
		}
		return exitOK
	}

	// Output files are opened before the runs, so that a path that
	// cannot be written fails at once, not after the whole sweep; their
	// content goes to temporary files renamed into place at the end, so
	// that a sweep that fails or is interrupted leaves no truncated file.
	var runsOut, svgOut *outputFile
	defer func() { runsOut.Abort() }()
	defer func() { svgOut.Abort() }()
	if *f.runsOut != "" {
		if runsOut, err = createOutput(*f.runsOut, args[0]); err != nil {
			fmt.Fprintf(std.err, "bgsim sweep: --runs-out: %v\n", err)
			return exitUsage
		}
	}
	if *f.svg != "" {
		if svgOut, err = createOutput(*f.svg, args[0], *f.runsOut); err != nil {
			fmt.Fprintf(std.err, "bgsim sweep: --svg: %v\n", err)
			return exitUsage
		}
	}
	stats := report.NewSweepStats(meta)
	var rw *shard.Writer
	if runsOut != nil {
		if rw, err = shard.NewWriter(runsOut.Writer(), header(1, 1, 0, sw.Jobs())); err != nil {
			fmt.Fprintf(std.err, "bgsim sweep: --runs-out: %v\n", err)
			return exitFail
		}
	}
	prog := newProgress(std.err, sw.Jobs())
	runErr := bgrun.Sweep(sw, 0, sw.Jobs(), *f.workers, func(r model.RunRecord) bool {
		if aerr := stats.Add(r); aerr != nil && err == nil {
			err = aerr
		}
		if rw != nil && err == nil {
			err = rw.Write(r)
		}
		prog.step()
		return err == nil
	})
	prog.done()
	if runErr != nil {
		// A run that could not run is bad input, not a statistic: no
		// report, no files, exit 2 (3 for a bug in bgsim).
		return reportRunError(std, "sweep", runErr)
	}
	if rw != nil && err == nil {
		if err = rw.Close(); err == nil {
			err = runsOut.Commit()
		}
	}
	if err == nil {
		err = writeSweep(std.out, stats, *f.format, std.width)
	}
	if svgOut != nil && err == nil {
		if err = stats.SVG(svgOut.Writer()); err == nil {
			err = svgOut.Commit()
		}
	}
	if err != nil {
		fmt.Fprintf(std.err, "bgsim sweep: %v\n", err)
		return exitFail
	}
	return exitOK
}

func writeSweep(w io.Writer, stats *report.SweepStats, format string, width int) error {
	switch format {
	case "csv":
		return stats.CSV(w)
	case "json":
		return stats.JSON(w)
	}
	return stats.TableText(w, report.TextOptions{Width: width})
}

func sweepMeta(sw *scenarios.Sweep) report.SweepMeta {
	m := report.SweepMeta{Scenario: sw.Scenario.Name, Title: sw.Scenario.Title, Runs: sw.Runs, Seed: sw.Seed}
	for _, v := range sw.Scenario.Variants {
		m.Variants = append(m.Variants, v.Name)
	}
	for g := range sw.Points {
		m.Points = append(m.Points, sw.PointLabel(g))
	}
	for _, p := range sw.Params {
		m.Params = append(m.Params, p.Describe())
	}
	return m
}

// sourceHash identifies the scenario as written, so that merge refuses
// shards of different scenarios or versions.
func sourceHash(sc *scenarios.Scenario) string {
	h := sha256.Sum256(sc.Source)
	return hex.EncodeToString(h[:8])
}

func parseShard(s string, runs int) (k, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return 0, 0, errors.New("want K/N with 1 ≤ K ≤ N, like 2/3")
	}
	if n > runs {
		return 0, 0, fmt.Errorf("%d shards for %d runs: some would be empty", n, runs)
	}
	return k, n, nil
}

// runMerge joins shard files into the report one machine would have
// printed.
func runMerge(std *stdio, args []string) int {
	fs := flag.NewFlagSet("bgsim sweep merge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "table", "output: table, csv or json")
	svg := fs.String("svg", "", "also draw the fate shares, and the distributions or the grid's trade-off, in this SVG file")
	const usage = "usage: bgsim sweep merge [--format table|csv|json] [--svg FILE] SHARD..."
	files, err := parseInterspersed(fs, args, nil)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(std.out, usage+"\n\nJoins the shards written by bgsim sweep --shard K/N into the report one machine would have printed.")
			return exitOK
		}
		fmt.Fprintf(std.err, "bgsim sweep merge: %v\n%s\n", err, usage)
		return exitUsage
	}
	if len(files) == 0 || !slices.Contains([]string{"table", "csv", "json"}, *format) {
		fmt.Fprintln(std.err, usage)
		return exitUsage
	}
	var svgOut *outputFile
	defer func() { svgOut.Abort() }()
	if *svg != "" {
		if svgOut, err = createOutput(*svg, files...); err != nil {
			fmt.Fprintf(std.err, "bgsim sweep merge: --svg: %v\n", err)
			return exitUsage
		}
	}
	var inputs []shardInput
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(std.err, "bgsim sweep merge: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			fmt.Fprintf(std.err, "bgsim sweep merge: %s is a directory; name the shard files (part*.jsonl)\n", name)
			return exitUsage
		}
		inputs = append(inputs, shardInput{name, f})
	}
	stats, err := mergeShards(inputs)
	if err != nil {
		fmt.Fprintf(std.err, "bgsim sweep merge: %v\n", err)
		return exitUsage
	}
	err = writeSweep(std.out, stats, *format, std.width)
	if err == nil && svgOut != nil {
		if err = stats.SVG(svgOut.Writer()); err == nil {
			err = svgOut.Commit()
		}
	}
	if err != nil {
		fmt.Fprintf(std.err, "bgsim sweep merge: %v\n", err)
		return exitFail
	}
	return exitOK
}

// shardInput is one shard file to merge.
type shardInput struct {
	name string
	r    io.Reader
}

// mergeShards reads and checks shard files and aggregates their runs, in
// order, into the sweep's statistics. Any error is the input's fault, and
// names the file and, where there is one, the line.
func mergeShards(inputs []shardInput) (*report.SweepStats, error) {
	type part struct {
		file string
		r    *shard.Reader
	}
	var parts []part
	for _, in := range inputs {
		r, err := shard.NewReader(in.name, bufio.NewReader(in.r))
		if err != nil {
			return nil, err
		}
		// The shard must come from this build's physics: the report is
		// the one this bgsim would have printed.
		if h := r.Header(); h.Model != modelFingerprint() {
			return nil, fmt.Errorf("%s:1: written by a bgsim whose model differs from this one's (model %s, %s; this is model %s, %s): merge shards with the build that ran them",
				in.name, h.Model, h.Version, modelFingerprint(), buildVersion())
		}
		parts = append(parts, part{in.name, r})
	}
	slices.SortStableFunc(parts, func(a, b part) int { return a.r.Header().Shard[0] - b.r.Header().Shard[0] })
	first := parts[0].r.Header()
	n := first.Shard[1]
	for i, p := range parts {
		if why := shard.SameSweep(first, p.r.Header()); why != "" {
			return nil, fmt.Errorf("%s:1: it and %s are not shards of one sweep: %s", p.file, parts[0].file, why)
		}
		if k := p.r.Header().Shard[0]; k != i+1 {
			return nil, fmt.Errorf("shard %d of %d is missing or given twice (have %d files for %d shards)", i+1, n, len(parts), n)
		}
	}
	if len(parts) != n {
		return nil, fmt.Errorf("%d of %d shards given", len(parts), n)
	}
	// Each header's runs are the ones its place implies (shard.Reader
	// checks), so the shards in order cover the sweep once.
	stats := report.NewSweepStats(first.Meta)
	for _, p := range parts {
		for {
			rec, err := p.r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if err := stats.Add(rec); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", p.file, p.r.Line(), err)
			}
		}
	}
	return stats, nil
}

// progress shows runs done, the rate and the time left on a terminal, at
// most five times a second, and nothing elsewhere.
type progress struct {
	w            io.Writer
	on           bool
	total, count int
	start, last  time.Time
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, on: isTerminal(w), total: total, start: time.Now()}
}

func (p *progress) step() {
	p.count++
	if !p.on {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= 200*time.Millisecond || p.count == p.total {
		p.last = now
		filled := 30 * p.count / max(p.total, 1)
		bar := strings.Repeat("█", filled) + strings.Repeat("·", 30-filled)
		fmt.Fprintf(p.w, "\r%s %d/%d runs, %s \x1b[K", bar, p.count, p.total, estimate(p.count, p.total, now.Sub(p.start)))
	}
}

// estimate is the rate and the time left, once enough runs have finished
// to say: the first runs pay for warming up (the first of each worker,
// caches, the scheduler), and a guess from them once read "7h55m left".
// It waits for at least 1% of the runs, 20 of them and half a second.
func estimate(count, total int, elapsed time.Duration) string {
	if count < max(20, total/100) || elapsed < 500*time.Millisecond {
		return "estimating the time left"
	}
	rate := float64(count) / elapsed.Seconds()
	left := time.Duration(float64(total-count) / rate * float64(time.Second)).Round(time.Second)
	return fmt.Sprintf("%.0f runs/s, %v left", rate, left)
}

func (p *progress) done() {
	if !p.on {
		return
	}
	el := time.Since(p.start)
	fmt.Fprintf(p.w, "\r\x1b[K%d runs in %v, %.0f runs/s\n", p.count, el.Round(time.Millisecond), float64(p.count)/el.Seconds())
}

// isTerminal tells whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
