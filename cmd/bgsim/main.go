// Command bgsim simulates the iOS background transfer lifecycle. Run
// "bgsim help" for its commands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/bgsim/bgsim/model"
	bgrun "github.com/bgsim/bgsim/run"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

// Exit codes, the same for every command.
const (
	exitOK       = 0 // it worked
	exitFail     = 1 // a run or an expectation failed, or the output could not be written
	exitUsage    = 2 // bad command line or bad input
	exitInternal = 3 // a bug in bgsim: a panic, reported with what reproduces it
)

// command is one subcommand. Each lives in its own file and registers
// itself in commands.
type command struct {
	name    string
	args    string // what follows the flags in the usage line, e.g. "[NAME|FILE]"
	summary string // one line for "bgsim help"
	detail  string // paragraphs for "bgsim help NAME" and "-h"
	// flags declares the command's flags on fs; nil for none.
	flags func(fs *flag.FlagSet) any
	// run does the work with the parsed flag values and the remaining
	// arguments, and returns an exit code.
	run func(io *stdio, opts any, args []string) int
	// subcommands are words that, given as the first argument, hand the
	// rest of the command line over unparsed (bgsim sweep merge ...).
	subcommands []string
}

// stdio is where a command writes: results on out, diagnostics on err.
// out is buffered and checked: run flushes it and fails the command if
// anything was not written. outTTY and errTTY say whether the streams
// underneath are terminals (for colour and progress); width is the
// columns text reports fit (termWidth).
type stdio struct {
	out, err       io.Writer
	outTTY, errTTY bool
	width          int
}

// commands lists the subcommands in the order "bgsim help" shows them.
var commands []*command

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func main() {
	// An interrupted command leaves no half-written output file behind.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		abortOutputs()
		fmt.Fprintf(os.Stderr, "\nbgsim: %v\n", sig)
		os.Exit(130)
	}()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it parses args, runs one command and
// returns the exit code, so that tests can drive the whole command line.
// Whatever the command, its output is flushed and checked (a full disk is
// exit 1, never a silent truncation), and a panic is exit 3 with the
// command line that reproduces it.
func run(args []string, stdout, stderr io.Writer) (code int) {
	out := newCheckedWriter(stdout)
	std := &stdio{out: out, err: stderr, outTTY: isTerminal(stdout), errTTY: isTerminal(stderr), width: termWidth(stdout)}
	defer func() {
		if v := recover(); v != nil {
			abortOutputs()
			out.Flush()
			reportPanic(stderr, args, v, debug.Stack())
			code = exitInternal
			return
		}
		if err := out.Flush(); err != nil {
			fmt.Fprintf(stderr, "bgsim: writing the output: %v\n", err)
			if code == exitOK {
				code = exitFail
			}
		}
	}()
	return dispatch(std, args)
}

func dispatch(std *stdio, args []string) int {
	stdout, stderr := std.out, std.err
	if len(args) == 0 {
		writeOverview(stderr, std.width)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		writeOverview(stdout, std.width)
		return exitOK
	case "-version", "--version":
		name, args = "version", []string{"version"}
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "bgsim: unknown command %q\n", name)
		if s := suggest(name); s != "" {
			fmt.Fprintf(stderr, "Did you mean %q?\n", s)
		}
		fmt.Fprintln(stderr, "Run 'bgsim help' for the list of commands.")
		return exitUsage
	}
	fs := flag.NewFlagSet("bgsim "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, in our words
	var opts any
	if c.flags != nil {
		opts = c.flags(fs)
	}
	rest, err := parseInterspersed(fs, args[1:], c.subcommands)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeCommandHelp(stdout, c, fs)
			return exitOK
		}
		fmt.Fprintf(stderr, "bgsim %s: %v\n", c.name, err)
		writeUsageLine(stderr, c, fs)
		fmt.Fprintf(stderr, "Run 'bgsim %s -h' for details.\n", c.name)
		return exitUsage
	}
	for _, a := range rest {
		if n, ok := scenarios.Renamed(a); ok {
			if _, err := os.Stat(a); err != nil {
				fmt.Fprintf(std.err, "bgsim: note: %s is now called %s; the old name still works, for now\n", a, n)
			}
		}
	}
	return c.run(std, opts, rest)
}

// parseInterspersed parses flags wherever they stand among the arguments,
// so that "bgsim run NAME --format json" means what it says, and returns
// the arguments that are not flags, in order. After "--" everything is an
// argument. A subcommand word in first place ends parsing: the rest
// belongs to the subcommand.
func parseInterspersed(fs *flag.FlagSet, args, subcommands []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(positional) == 0 && slices.Contains(subcommands, rest[0]) {
			return rest, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func writeUsageLine(w io.Writer, c *command, fs *flag.FlagSet) {
	parts := []string{"usage: bgsim", c.name}
	if hasFlags(fs) {
		parts = append(parts, "[flags]")
	}
	if c.args != "" {
		parts = append(parts, c.args)
	}
	fmt.Fprintln(w, strings.Join(parts, " "))
}

func writeCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	writeUsageLine(w, c, fs)
	fmt.Fprintf(w, "\n%s\n", c.summary)
	if c.detail != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.detail))
	}
	if hasFlags(fs) {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

func writeOverview(w io.Writer, columns int) {
	fmt.Fprint(w, `bgsim simulates what iOS does with background uploads: the app, the
nsurlsessiond daemon, the network and the server, on a virtual clock.

usage: bgsim <command> [flags] [args]

Commands:
`)
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, hanging(c.summary, width+4, columns))
	}
	fmt.Fprint(w, `
Run 'bgsim help <command>' or 'bgsim <command> -h' for a command's flags;
'bgsim --version' is 'bgsim version'.
Exit codes: 0 ok, 1 a run or an expectation failed (or the output could
not be written), 2 usage or input error, 3 internal error (a bug in bgsim).
`)
}

// suggest returns the command name closest to a mistyped one, or "".
func suggest(name string) string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	return scenarios.Nearest(name, names)
}

// reportPanic tells the user that bgsim itself failed, with what to send
// to reproduce it.
func reportPanic(w io.Writer, args []string, v any, stack []byte) {
	fmt.Fprintf(w, "bgsim: internal error: %v\n", v)
	fmt.Fprintf(w, "This is a bug in bgsim, not in your scenario. To reproduce it, run:\n  bgsim %s\n", quoteArgs(args))
	fmt.Fprintf(w, "and send that command, the scenario file and this trace:\n%s", stack)
}

// reportRunError reports a run that did not finish and returns the exit
// code: 3 for a bug in bgsim (with the scenario, variant and seed that
// reproduce it), 2 for a configuration the model refuses, 1 for a limit
// the run exceeded.
func reportRunError(std *stdio, cmd string, err error) int {
	var ie *model.InternalError
	if errors.As(err, &ie) {
		fmt.Fprintf(std.err, "bgsim %s: %v\n", cmd, err)
		fmt.Fprintf(std.err, "This is a bug in bgsim, not in your scenario. It happens again with\n  bgsim run --seed %d", ie.Seed)
		if ie.Variant != "" {
			fmt.Fprintf(std.err, " --variant %s", ie.Variant)
		}
		fmt.Fprintf(std.err, " %s\n(the scenario %s, with the values above if a sweep drew them); please report it with this trace:\n%s", ie.Scenario, ie.Scenario, ie.Stack)
		return exitInternal
	}
	fmt.Fprintf(std.err, "bgsim %s: %v\n", cmd, err)
	var ce *sim.CapacityError
	if errors.As(err, &ce) && ce.Limit == "trace records kept" {
		fmt.Fprintf(std.err, "The timeline, trace, mermaid, html and svg outputs keep every trace record, at most %d of them; --format table or json keep none, or shorten the horizon.\n", scenarios.MaxTraceRecords)
	}
	var cfg *model.ConfigError
	var re *bgrun.RunError
	if errors.As(err, &cfg) || errors.As(err, &re) {
		return exitUsage
	}
	return exitFail
}

// quoteArgs writes a command line back in a form a shell reads the same.
func quoteArgs(args []string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,%+@") == "" {
			b.WriteString(a)
		} else {
			b.WriteString("'" + strings.ReplaceAll(a, "'", `'\''`) + "'")
		}
	}
	return b.String()
}
