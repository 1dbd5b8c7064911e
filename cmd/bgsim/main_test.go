package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

// bgsim runs the command line in-process and returns its exit code and
// output.
func bgsim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdoutHas  []string
		stderrHas  []string
		stdoutNone bool // nothing may reach stdout (errors go to stderr)
	}{
		{"no command", nil, exitUsage, nil, []string{"usage: bgsim <command>", "version"}, true},
		{"help", []string{"help"}, exitOK, []string{"Commands:", "help", "version", "Exit codes"}, nil, false},
		{"-h", []string{"-h"}, exitOK, []string{"Commands:"}, nil, false},
		{"help for a command", []string{"help", "version"}, exitOK, []string{"usage: bgsim version", "revision"}, nil, false},
		{"help for an unknown command", []string{"help", "nope"}, exitUsage, nil, []string{`unknown command "nope"`}, true},
		{"help with two names", []string{"help", "a", "b"}, exitUsage, nil, []string{"at most one"}, true},
		{"command -h", []string{"version", "-h"}, exitOK, []string{"usage: bgsim version"}, nil, false},
		{"unknown command", []string{"frobnicate"}, exitUsage, nil, []string{`unknown command "frobnicate"`, "bgsim help"}, true},
		{"misspelt command", []string{"verison"}, exitUsage, nil, []string{`Did you mean "version"?`}, true},
		{"unknown flag", []string{"version", "--bogus"}, exitUsage, nil, []string{"flag provided but not defined: -bogus", "usage: bgsim version"}, true},
		{"version", []string{"version"}, exitOK, []string{"bgsim ", "go1."}, nil, false},
		{"version with arguments", []string{"version", "extra"}, exitUsage, nil, []string{"takes no arguments"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := bgsim(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, s := range tt.stdoutHas {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tt.stdoutNone && stdout != "" {
				t.Errorf("stdout should be empty on error, got:\n%s", stdout)
			}
		})
	}
}

// Flags may follow the arguments, as people type them; "--" ends flags;
// a subcommand's own flags stay the subcommand's.
func TestFlagsAnywhere(t *testing.T) {
	_, before, _ := bgsim(t, "run", "--format", "json", "app-purged-mid-upload")
	for _, args := range [][]string{
		{"run", "app-purged-mid-upload", "--format", "json"},
		{"run", "app-purged-mid-upload", "--format=json"},
		{"run", "--", "app-purged-mid-upload"}, // then compared as a table below
	} {
		code, stdout, stderr := bgsim(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if args[1] != "--" && stdout != before {
			t.Errorf("%v printed another report than with the flag first", args)
		}
		if args[1] == "--" && !strings.Contains(stdout, "delivered") {
			t.Errorf("%v: no table:\n%s", args, stdout)
		}
	}
	if code, _, stderr := bgsim(t, "run", "--", "--format"); code != exitUsage || !strings.Contains(stderr, `"--format"`) {
		t.Errorf(`after "--", "--format" must be a scenario name: exit %d, %s`, code, stderr)
	}
	if code, _, stderr := bgsim(t, "run", "app-purged-mid-upload", "--bogus"); code != exitUsage || !strings.Contains(stderr, "-bogus") {
		t.Errorf("an unknown flag after the name: exit %d, %s", code, stderr)
	}
	// "--format csv" after "merge" is merge's flag, not sweep's (which
	// would take it and leave merge printing a table).
	code, shard, stderr := bgsim(t, "sweep", "purge-anywhere", "--runs", "4", "--shard", "1/1")
	if code != exitOK {
		t.Fatalf("sweep --shard 1/1: exit %d: %s", code, stderr)
	}
	file := writeTestFile(t, t.TempDir(), "shard.jsonl", shard)
	code, stdout, stderr := bgsim(t, "sweep", "merge", "--format", "csv", file)
	if code != exitOK || !strings.HasPrefix(stdout, "scenario,") {
		t.Errorf("sweep merge --format csv: exit %d, stderr %s, stdout:\n%.200s", code, stderr, stdout)
	}
}

// Every command answers -h with its usage line and summary.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		code, stdout, _ := bgsim(t, c.name, "-h")
		if code != exitOK || !strings.HasPrefix(stdout, "usage: bgsim "+c.name) || !strings.Contains(stdout, c.summary) {
			t.Errorf("bgsim %s -h: exit %d, output:\n%s", c.name, code, stdout)
		}
	}
}

func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc123"},
			{Key: "vcs.time", Value: "2026-11-21T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		}}
	tests := []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{info, true, "bgsim v0.3.0 (revision abc123, modified, 2026-11-21T10:00:00Z) go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, true, "bgsim (devel) (unknown revision) go1.26.8"},
		{nil, false, "bgsim (unknown version: no build information)"},
	}
	for _, tt := range tests {
		if got := versionLine(tt.info, tt.ok); got != tt.want {
			t.Errorf("versionLine = %q, want %q", got, tt.want)
		}
	}
}
