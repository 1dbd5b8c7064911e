package main

import (
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	bgrun "github.com/bgsim/bgsim/run"
)

func init() {
	// A command that fails the way a bug would, for the tests below only.
	commands = append(commands, &command{
		name: "panic-for-test", summary: "panics (tests only)",
		flags: func(fs *flag.FlagSet) any { return nil },
		run: func(std *stdio, _ any, args []string) int {
			std.out.Write([]byte("partial output\n"))
			var m map[string]int
			m[args[0]]++ // assignment to a nil map
			return exitOK
		},
	})
}

// A panic is exit 3 with what reproduces it, not exit 2 (usage) and not a
// Go stack dump with the runtime's own exit code.
func TestInternalErrorExit3(t *testing.T) {
	code, stdout, stderr := bgsim(t, "panic-for-test", "it's here")
	if code != exitInternal {
		t.Errorf("exit %d, want %d", code, exitInternal)
	}
	for _, want := range []string{"bgsim: internal error: assignment to entry in nil map",
		"This is a bug in bgsim, not in your scenario. To reproduce it, run:\n  bgsim panic-for-test 'it'\\''s here'\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if stdout != "partial output\n" {
		t.Errorf("stdout %q: what was written before the panic should still be flushed", stdout)
	}

	// A panic inside a run (a sweep's worker, bgsim run, bgsim test)
	// comes back from the model as an InternalError: exit 3, with the
	// command that replays that run.
	ie := &model.InternalError{Scenario: "purge-anywhere", Variant: "late", Seed: 99, Value: "boom", Stack: []byte("stack")}
	for _, err := range []error{ie, &bgrun.RunError{Run: 3, Seed: 99, Where: "variant late, point 0", Err: ie}} {
		var b strings.Builder
		std := &stdio{out: &b, err: &b}
		if code := reportRunError(std, "sweep", err); code != exitInternal ||
			!strings.Contains(b.String(), "It happens again with\n  bgsim run --seed 99 --variant late purge-anywhere") {
			t.Errorf("%v: exit %d\n%s", err, code, b.String())
		}
	}
	// Other run errors keep their codes: a refused configuration is bad
	// input (2), a limit the run exceeded is a failed run (1).
	var b strings.Builder
	std := &stdio{out: &b, err: &b}
	if code := reportRunError(std, "run", &model.ConfigError{Err: errors.New("bad")}); code != exitUsage {
		t.Errorf("ConfigError: exit %d", code)
	}
	if code := reportRunError(std, "run", errors.New("sim: event budget of 10 events exhausted")); code != exitFail {
		t.Errorf("budget: exit %d", code)
	}
}
