package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 10, item 6: nothing is truncated in silence.

// failingWriter is a full disk: it takes nothing.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// Every command that prints results exits 1 when its output cannot be
// written, whatever it prints: with stdout on a full disk they all exited
// 0 before.
func TestUntrusted6_FullStdoutFails(t *testing.T) {
	dir := t.TempDir()
	shards := []string{filepath.Join(dir, "p1.jsonl"), filepath.Join(dir, "p2.jsonl")}
	for i, p := range shards {
		var out bytes.Buffer
		if code := run([]string{"sweep", "--runs", "20", "--shard", []string{"1/2", "2/2"}[i], "purge-anywhere"}, &out, &bytes.Buffer{}); code != 0 {
			t.Fatalf("shard %d", i)
		}
		if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mine := writeTestFile(t, dir, "mine.yaml", mustShow(t, "app-purged-mid-upload"))
	commands := [][]string{
		{"run"},
		{"run", "--format", "timeline", "launch-events-off"},
		{"run", "--format", "mermaid", "launch-events-off"},
		{"run", "--format", "json"},
		{"run", "--format", "html"},
		{"run", "--explain", "wrong-identifier-on-recreate"},
		{"sweep", "--runs", "20", "purge-anywhere"},
		{"sweep", "--runs", "20", "--shard", "1/2", "purge-anywhere"},
		{"sweep", "merge", shards[0], shards[1]},
		{"sweep", "merge", "--format", "csv", shards[0], shards[1]},
		{"list"},
		{"show", "app-purged-mid-upload"},
		{"schema"},
		{"validate", mine},
		{"rules"},
		{"rules", "R-RATE-LIMITER"},
		{"test", "--workers", "1"},
		{"version"},
		{"help"},
	}
	for _, args := range commands {
		var errb bytes.Buffer
		code := run(args, failingWriter{}, &errb)
		if code != exitFail || !strings.Contains(errb.String(), "bgsim: writing the output: no space left on device") {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and the write error", args, code, errb.String())
		}
	}
}

// The same through the real device, where this machine has one.
func TestUntrusted6_DevFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full here")
	}
	defer full.Close()
	var errb bytes.Buffer
	if code := run([]string{"run", "--format", "timeline"}, full, &errb); code != exitFail || !strings.Contains(errb.String(), "writing the output") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

// Output files are checked before any work (exit 2 at once), never left
// empty or truncated by a command that fails, and never one of the
// command's inputs.
func TestUntrusted6_OutputFiles(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "out.svg")
	for _, args := range [][]string{
		{"run", "--svg", missing},
		{"sweep", "--svg", missing, "purge-anywhere"},
		{"sweep", "--runs-out", missing, "purge-anywhere"},
		{"test", "--junit", missing},
		{"run", "--svg", dir},
	} {
		code, stdout, stderr := bgsim(t, args...)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, "cannot write") && !strings.Contains(stderr, "is a directory") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 before any work", args, code, stdout, stderr)
		}
	}

	// sweep merge checks its picture's path before it reads a shard.
	if code, stdout, stderr := bgsim(t, "sweep", "merge", "--svg", missing, "no-such-shard.jsonl"); code != exitUsage || stdout != "" || !strings.Contains(stderr, "--svg: cannot write") {
		t.Errorf("merge --svg: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	// A sweep that fails leaves the files it was asked for as they were:
	// no empty --svg, no truncated --runs-out, no temporary files.
	const refused = `name: refused
title: A sweep whose second grid point breaks the workload's 100 GB
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  workload: {items: 10, size: 1KB, every: 1m, session: up, strategy: individual}
timeline:
  - {at: 0s, do: launch}
sweep: {runs: 40, vary: {app.workload.size: {grid: [1KB, 20GB]}}}
`
	scen := writeTestFile(t, dir, "refused.yaml", refused)
	svg := writeTestFile(t, dir, "old.svg", "old picture")
	runs := filepath.Join(dir, "runs.jsonl")
	if code, _, stderr := bgsim(t, "sweep", "--svg", svg, "--runs-out", runs, scen); code != exitUsage {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(svg); string(b) != "old picture" {
		t.Errorf("the failed sweep changed %s to %q", svg, b)
	}
	if _, err := os.Stat(runs); !os.IsNotExist(err) {
		t.Errorf("the failed sweep left %s: %v", runs, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// An output that names an input is refused before it is touched.
	mine := writeTestFile(t, dir, "mine.yaml", mustShow(t, "app-purged-mid-upload"))
	for _, args := range [][]string{
		{"run", "--svg", mine, mine},
		{"run", "--svg", filepath.Join(dir, ".", "mine.yaml"), mine},
		{"sweep", "--runs", "5", "--svg", mine, mine},
		{"sweep", "--runs", "5", "--runs-out", mine, mine},
		{"test", "--junit", mine, mine},
		{"sweep", "merge", "--svg", mine, mine},
	} {
		code, _, stderr := bgsim(t, args...)
		if code != exitUsage || !strings.Contains(stderr, "is also an input of this command") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if b, _ := os.ReadFile(mine); string(b) != mustShow(t, "app-purged-mid-upload") {
		t.Errorf("%s was changed", mine)
	}

	// And a good path gets the whole file.
	out := filepath.Join(dir, "ok.svg")
	if code, _, stderr := bgsim(t, "run", "--svg", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("</svg>")) {
		t.Errorf("%s: %v, %d bytes", out, err, len(b))
	}
}

func mustShow(t *testing.T, name string) string {
	t.Helper()
	code, out, stderr := bgsim(t, "show", name)
	if code != 0 {
		t.Fatalf("show %s: %s", name, stderr)
	}
	return out
}

// Output files written beside their target and renamed into place must
// not replace what is there with something else: a device or a FIFO is
// written as it is, a symbolic link keeps pointing at its target (which
// gets the content), and the file gets the permissions a new file gets
// (or keeps those it had), not the temporary file's 0600.
func TestUntrusted6_OutputFilesKeepWhatIsThere(t *testing.T) {
	if fi, err := os.Stat("/dev/null"); err == nil && fi.Mode()&os.ModeDevice != 0 {
		if code, _, stderr := bgsim(t, "run", "--svg", "/dev/null"); code != 0 {
			t.Fatalf("--svg /dev/null: exit %d: %s", code, stderr)
		}
		if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeDevice == 0 {
			t.Fatalf("/dev/null is no longer a device: %v %v", fi.Mode(), err)
		}
	}
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.svg")
	if code, _, stderr := bgsim(t, "run", "--svg", fresh); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != newFileMode() {
		t.Errorf("a new file has mode %v, want %v", fi.Mode().Perm(), newFileMode())
	}
	kept := writeTestFile(t, dir, "kept.svg", "old")
	os.Chmod(kept, 0o640)
	if code, _, _ := bgsim(t, "run", "--svg", kept); code != 0 {
		t.Fatal(code)
	}
	if fi, _ := os.Stat(kept); fi.Mode().Perm() != 0o640 {
		t.Errorf("a replaced file has mode %v, want it to keep 0640", fi.Mode().Perm())
	}
	target := filepath.Join(dir, "real.svg")
	link := filepath.Join(dir, "link.svg")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here")
	}
	writeTestFile(t, dir, "real.svg", "old")
	if code, _, _ := bgsim(t, "run", "--svg", link); code != 0 {
		t.Fatal(code)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); !bytes.Contains(b, []byte("</svg>")) {
		t.Errorf("the link's target did not get the picture: %q", b)
	}
}

// A directory given to merge is said to be one, not read as a shard.
func TestMergeRefusesDirectory(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := bgsim(t, "sweep", "merge", dir)
	if code != exitUsage || !strings.Contains(stderr, dir+" is a directory; name the shard files") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
