package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	bgrun "github.com/bgsim/bgsim/run"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/shard"
)

// shardSet writes a small valid shard set of purge-anywhere (two
// variants, 6 draws, 2 shards: a header line, 6 records and an end line
// each) and returns the two files' contents.
func shardSet(t *testing.T) [2]string {
	t.Helper()
	var out [2]string
	for k := 1; k <= 2; k++ {
		code, part, stderr := bgsim(t, "sweep", "--runs", "6", "--workers", "1", "--shard", fmt.Sprintf("%d/2", k), "purge-anywhere")
		if code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", k, code, stderr)
		}
		out[k-1] = part
	}
	return out
}

// lines splits a shard file into its lines (without their newlines).
func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }

var endLine = regexp.MustCompile(`^\{"bgsim_sweep_end":.*"sha256":"([0-9a-f]*)"\}$`)

// reseal joins lines into a file and, when the last is an end line,
// writes the checksum of what precedes it, as a careful forger would:
// the checks that follow must catch the edit, not the checksum.
func reseal(ls []string) string {
	n := len(ls)
	if n > 0 && endLine.MatchString(ls[n-1]) {
		body := strings.Join(ls[:n-1], "\n") + "\n"
		sum := sha256.Sum256([]byte(body))
		end := endLine.FindStringSubmatchIndex(ls[n-1])
		last := ls[n-1][:end[2]] + hex.EncodeToString(sum[:]) + ls[n-1][end[3]:]
		if m := regexp.MustCompile(`"records":[0-9]+`); m.MatchString(last) {
			last = m.ReplaceAllString(last, `"records":`+strconv.Itoa(n-2))
		}
		return body + last + "\n"
	}
	return strings.Join(ls, "\n") + "\n"
}

// setField replaces the JSON value of key in one line (a number, string or
// flat array), keeping the rest of the line as it was.
func setField(t *testing.T, line, key string, f func(old string) string) string {
	t.Helper()
	re := regexp.MustCompile(`"` + key + `":("[^"]*"|\[[^\]]*\]|[^,}\]]*)`)
	m := re.FindStringSubmatchIndex(line)
	if m == nil {
		t.Fatalf("no %q in %s", key, line)
	}
	return line[:m[2]] + f(line[m[2]:m[3]]) + line[m[3]:]
}

// mergeTampered writes the two shards and merges them, and checks that
// the merge refuses with exit 2 and names the file and line.
func mergeTampered(t *testing.T, parts [2]string, where, why string) {
	t.Helper()
	dir := t.TempDir()
	a := writeTestFile(t, dir, "part1.jsonl", parts[0])
	b := writeTestFile(t, dir, "part2.jsonl", parts[1])
	code, stdout, stderr := bgsim(t, "sweep", "merge", a, b)
	if code != exitUsage || stdout != "" {
		t.Fatalf("merge: exit %d, want 2, and no report; stderr %q\nstdout:\n%s", code, stderr, stdout)
	}
	t.Log(strings.TrimSpace(stderr))
	if want := filepath.Join(dir, where) + ":"; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q does not name %s", stderr, want)
	}
	if !strings.Contains(stderr, why) {
		t.Errorf("stderr %q does not say %q", stderr, why)
	}
}

// A valid set merges: the tampering below is what is refused.
func TestUntrusted2_ValidSetMerges(t *testing.T) {
	parts := shardSet(t)
	dir := t.TempDir()
	a := writeTestFile(t, dir, "part1.jsonl", parts[0])
	b := writeTestFile(t, dir, "part2.jsonl", parts[1])
	_, want, _ := bgsim(t, "sweep", "--runs", "6", "purge-anywhere")
	if code, got, stderr := bgsim(t, "sweep", "merge", b, a); code != exitOK || got != want {
		t.Errorf("exit %d %s\n%s\n---\n%s", code, stderr, got, want)
	}
	// Resealing an untouched file changes nothing.
	if reseal(lines(parts[0])) != parts[0] {
		t.Error("reseal changes a valid shard")
	}
}

// Record 3 copied over record 2: one run counted twice, its neighbour not
// at all.
func TestUntrusted2_DuplicatedRecord(t *testing.T) {
	parts := shardSet(t)
	ls := lines(parts[0])
	ls[2] = ls[3]
	parts[0] = reseal(ls)
	mergeTampered(t, parts, "part1.jsonl:3", "draw 0")
}

// Negative fate counts that still add up to the run's uploads.
func TestUntrusted2_NegativeFates(t *testing.T) {
	parts := shardSet(t)
	ls := lines(parts[0])
	ls[1] = setField(t, ls[1], "fates", func(old string) string {
		var f [5]int
		fmt.Sscanf(old, "[%d,%d,%d,%d,%d]", &f[0], &f[1], &f[2], &f[3], &f[4])
		f[0], f[3] = f[0]-2, f[3]+2 // delivered -1, pending 2
		return fmt.Sprintf("[%d,%d,%d,%d,%d]", f[0], f[1], f[2], f[3], f[4])
	})
	parts[0] = reseal(ls)
	mergeTampered(t, parts, "part1.jsonl:2", "negative")
}

// The last shard's header claims fewer runs, and the file holds just
// those.
func TestUntrusted2_ShrunkHeader(t *testing.T) {
	parts := shardSet(t)
	ls := lines(parts[1])
	ls[0] = setField(t, ls[0], "jobs", func(old string) string {
		var from, to int
		fmt.Sscanf(old, "[%d,%d]", &from, &to)
		return fmt.Sprintf("[%d,%d]", from, to-2)
	})
	ls = append(ls[:len(ls)-3], ls[len(ls)-1])
	parts[1] = reseal(ls)
	mergeTampered(t, parts, "part2.jsonl:1", "runs")
}

// Two records swapped: variant 0 and 1 of one draw, which changes the
// paired difference.
func TestUntrusted2_Reordered(t *testing.T) {
	parts := shardSet(t)
	ls := lines(parts[0])
	ls[1], ls[2] = ls[2], ls[1]
	parts[0] = reseal(ls)
	mergeTampered(t, parts, "part1.jsonl:2", "variant")
}

// A shard written by another build of the model: other physics (here,
// every run spent 1% more energy), and the fingerprint that build writes.
func TestUntrusted2_OtherModelBuild(t *testing.T) {
	parts := shardSet(t)
	ls := lines(parts[1])
	for i := 1; i < len(ls)-1; i++ {
		ls[i] = setField(t, ls[i], "joules", func(old string) string {
			x, _ := strconv.ParseFloat(old, 64)
			return strconv.FormatFloat(x*1.01, 'g', -1, 64)
		})
	}
	if strings.Contains(ls[0], `"model":`) {
		ls[0] = setField(t, ls[0], "model", func(string) string { return `"0123456789abcdef"` })
	}
	parts[1] = reseal(ls)
	mergeTampered(t, parts, "part2.jsonl:1", "model")
}

// One value changed without the checksum: the end line no longer matches.
func TestUntrusted2_BadChecksum(t *testing.T) {
	parts := shardSet(t)
	ls := lines(parts[0])
	ls[4] = setField(t, ls[4], "joules", func(old string) string {
		x, _ := strconv.ParseFloat(old, 64)
		return strconv.FormatFloat(x+1, 'g', -1, 64)
	})
	parts[0] = strings.Join(ls, "\n") + "\n"
	mergeTampered(t, parts, fmt.Sprintf("part1.jsonl:%d", len(ls)), "checksum")
}

// Cut after a record, in the middle of one, and just before the end line.
func TestUntrusted2_Truncated(t *testing.T) {
	full := shardSet(t)
	ls := lines(full[1])
	for _, tt := range []struct {
		name, body, where string
	}{
		{"after a record", strings.Join(ls[:4], "\n") + "\n", "part2.jsonl:5"},
		{"mid-record", strings.Join(ls[:4], "\n") + "\n" + ls[4][:len(ls[4])/2], "part2.jsonl:5"},
		{"without its end", strings.Join(ls[:len(ls)-1], "\n") + "\n", fmt.Sprintf("part2.jsonl:%d", len(ls))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mergeTampered(t, [2]string{full[0], tt.body}, tt.where, "truncated")
		})
	}
}

// A shard of the format before this one.
func TestUntrusted2_OldFormat(t *testing.T) {
	parts := shardSet(t)
	ls := lines(parts[0])
	ls[0] = setField(t, ls[0], "bgsim_sweep", func(string) string { return `"1"` })
	parts[0] = reseal(ls)
	mergeTampered(t, parts, "part1.jsonl:1", "format 1")
}

// The runs a shard's header must claim are the ones bgsim sweep --shard
// gives it.
func TestUntrusted2_ShardRangeAgrees(t *testing.T) {
	sc, err := scenarios.LoadEmbedded("batching-window")
	if err != nil {
		t.Fatal(err)
	}
	for _, runs := range []int{1, 7, 100} {
		sw, _ := sc.Plan(runs, nil)
		per := len(sw.Points) * len(sw.Scenario.Variants)
		for n := 1; n <= runs && n <= 9; n++ {
			for k := 1; k <= n; k++ {
				f1, t1 := bgrun.Shard(sw, k, n)
				f2, t2 := shard.Range(runs, per, k, n)
				if f1 != f2 || t1 != t2 {
					t.Errorf("runs %d, shard %d/%d: sweep [%d, %d), shard.Range [%d, %d)", runs, k, n, f1, t1, f2, t2)
				}
			}
		}
	}
}

// FuzzMerge gives merge arbitrary bytes as one shard file or two. It must
// not panic, and must accept only a valid shard set: every file it
// accepts ends with a line whose checksum is that of the bytes before it
// (checked here independently of package shard), which the fuzzer's
// edits of the valid seeds break.
func FuzzMerge(f *testing.F) {
	for _, parts := range fuzzSeeds(f) {
		f.Add([]byte(parts[0]), []byte(parts[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		inputs := []shardInput{{"a.jsonl", bytes.NewReader(a)}}
		if len(b) > 0 {
			inputs = append(inputs, shardInput{"b.jsonl", bytes.NewReader(b)})
		}
		stats, err := mergeShards(inputs)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "a.jsonl:") && !strings.HasPrefix(err.Error(), "b.jsonl:") &&
				!strings.Contains(err.Error(), "shard") {
				t.Errorf("an error that names no file: %v", err)
			}
			return
		}
		for _, data := range [][]byte{a, b} {
			if len(data) > 0 && !sealed(data) {
				t.Fatalf("merge accepted a file whose end line does not seal it:\n%q", data)
			}
		}
		for _, format := range []string{"table", "csv", "json"} {
			if err := writeSweep(io.Discard, stats, format, 0); err != nil {
				t.Errorf("%s: %v", format, err)
			}
		}
	})
}

// sealed tells whether data's last line holds the SHA-256 of the bytes
// before it.
func sealed(data []byte) bool {
	if !bytes.HasSuffix(data, []byte("\n")) {
		return false
	}
	i := bytes.LastIndexByte(data[:len(data)-1], '\n')
	if i < 0 {
		return false
	}
	m := endLine.FindSubmatch(data[i+1 : len(data)-1])
	sum := sha256.Sum256(data[:i+1])
	return m != nil && string(m[1]) == hex.EncodeToString(sum[:])
}

// fuzzSeeds are a small valid shard set, the same sweep as one file, and
// the tampered sets of the TestUntrusted2 tests.
func fuzzSeeds(t *testing.F) [][2]string {
	var set [2]string
	for k := 1; k <= 2; k++ {
		var out, errb bytes.Buffer
		if code := run([]string{"sweep", "--runs", "3", "--workers", "1", "--shard", fmt.Sprintf("%d/2", k), "purge-anywhere"}, &out, &errb); code != exitOK {
			t.Fatal(errb.String())
		}
		set[k-1] = out.String()
	}
	var one, errb bytes.Buffer
	if code := run([]string{"sweep", "--runs", "2", "--workers", "1", "--shard", "1/1", "batching-window"}, &one, &errb); code != exitOK {
		t.Fatal(errb.String())
	}
	ls := lines(set[0])
	dup := slices.Clone(ls)
	dup[2] = dup[3]
	swapped := slices.Clone(ls)
	swapped[1], swapped[2] = swapped[2], swapped[1]
	neg := slices.Clone(ls)
	neg[1] = strings.Replace(neg[1], `"fates":[1,0,0,0,0]`, `"fates":[-1,0,0,2,0]`, 1)
	old := slices.Clone(ls)
	old[0] = strings.Replace(old[0], `"bgsim_sweep":"2"`, `"bgsim_sweep":"1"`, 1)
	return [][2]string{
		set,
		{one.String(), ""},
		{reseal(dup), set[1]},
		{reseal(swapped), set[1]},
		{reseal(neg), set[1]},
		{reseal(old), set[1]},
		{set[0], set[1][:len(set[1])/2]},
		{set[0], set[0]},
	}
}
