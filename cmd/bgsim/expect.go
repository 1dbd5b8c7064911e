package main

import (
	"flag"
	"fmt"
	"regexp"
	"strings"

	"github.com/bgsim/bgsim/scenarios"
)

type expectFlags struct {
	tolerance *string
	seed      optionalUint
}

func init() {
	commands = append(commands, &command{
		name:    "expect",
		args:    "NAME|FILE",
		summary: "print an expect: block describing what a scenario does now, to review and paste",
		detail: `Runs the scenario (every variant, on its seed) and prints expectations that the
run meets: the counts of uploads by fate and of wakes by cause, the wakes for
each identifier, each upload's fate, rule, status or error, whether the
server received it, the bytes it sent, its attempts, the second its first
attempt began in, the interfaces it used, the rate limiter's delay and the
resume data it came from, the crashes, the rules cited, and the radios'
energy (in total, above idle and in each state) within a tolerance. These are snapshot expectations: they
say what happens, not what should, so read them before pasting them in place
of the scenario's expect: block (for a scenario with variants, each block goes
under its variant). Then bgsim test checks that it stays so.`,
		flags: func(fs *flag.FlagSet) any {
			f := &expectFlags{tolerance: fs.String("tolerance", "5%", "the energy's tolerance, a percentage")}
			fs.Var(&f.seed, "seed", "replace the scenario's seed")
			return f
		},
		run: runExpect,
	})
}

var percentRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?%$`)

func runExpect(std *stdio, opts any, args []string) int {
	f := opts.(*expectFlags)
	if len(args) != 1 {
		fmt.Fprintln(std.err, "bgsim expect: name one scenario, a file or an embedded name")
		return exitUsage
	}
	if !percentRe.MatchString(*f.tolerance) {
		fmt.Fprintf(std.err, "bgsim expect: --tolerance %q: want a percentage like 5%%\n", *f.tolerance)
		return exitUsage
	}
	sc, err := scenarios.Resolve(args[0])
	if err != nil {
		reportLoadError(std, "expect", err)
		return exitUsage
	}
	ro := scenarios.RunOptions{}
	if f.seed.set {
		ro.Seed = &f.seed.value
	}
	results, err := sc.Run(ro)
	if err != nil {
		return reportRunError(std, "expect", err)
	}
	if len(results) == 1 && results[0].Variant == "" {
		fmt.Fprint(std.out, scenarios.ExpectBlock(results[0], "", *f.tolerance))
		return exitOK
	}
	fmt.Fprintln(std.out, "# Each block goes under its variant, in place of its expect: if it has one.")
	fmt.Fprintln(std.out, "variants:")
	for _, r := range results {
		fmt.Fprintf(std.out, "  %s:\n", r.Variant)
		fmt.Fprint(std.out, strings.TrimRight(scenarios.ExpectBlock(r, "    ", *f.tolerance), "\n")+"\n")
	}
	return exitOK
}
