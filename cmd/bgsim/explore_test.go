package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExploreExitCodes(t *testing.T) {
	code, out, errOut := bgsim(t, "explore", "purge-anywhere")
	if code != exitOK || !strings.Contains(out, "No failing schedule.") {
		t.Errorf("purge-anywhere: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = bgsim(t, "explore", "--faults", "force-quit", "app-purged-mid-upload")
	if code != exitFail || !strings.Contains(out, "pending R-FORCE-QUIT-CANCELS") || !strings.Contains(out, "minimal: force-quit at") {
		t.Errorf("force quit: exit %d\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"explore"}, "name one scenario"},
		{[]string{"explore", "a", "b"}, "name one scenario"},
		{[]string{"explore", "--faults", "purgee", "app-purged-mid-upload"}, `did you mean "purge"?`},
		{[]string{"explore", "--format", "yaml", "app-purged-mid-upload"}, "want table or json"},
		{[]string{"explore", "--for", "soon", "app-purged-mid-upload"}, "want durations"},
		{[]string{"explore", "--seed", "3", "app-purged-mid-upload"}, "--seed goes with --random"},
		{[]string{"explore", "--depth", "7", "app-purged-mid-upload"}, "want 0 to 4"},
		{[]string{"explore", "no-such-scenario"}, "no-such-scenario"},
		{[]string{"explore", "--variant", "x", "wrong-identifier-on-recreate"}, "its variants are fresh-identifier, old-constant"},
	} {
		code, _, errOut := bgsim(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// The JSON document, and --out files that bgsim run replays to the same
// fingerprint.
func TestExploreJSONAndOut(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := bgsim(t, "explore", "--faults", "purge,force-quit,user-leave", "--format", "json", "--out", dir, "auth-challenge")
	if code != exitFail {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Format    int      `json:"format"`
		Scenario  string   `json:"scenario"`
		Depth     int      `json:"depth"`
		Faults    []string `json:"faults"`
		Schedules int      `json:"schedules"`
		Failures  []struct {
			Variant, Fate, Rule, Fingerprint, File string
			Count                                  int
			Faults                                 []struct {
				Kind string  `json:"kind"`
				AtS  float64 `json:"at_s"`
				ForS float64 `json:"for_s"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Format != 1 || doc.Scenario != "auth-challenge" || doc.Depth != 1 || len(doc.Faults) != 3 || doc.Schedules < 100 || len(doc.Failures) == 0 {
		t.Fatalf("document %+v", doc)
	}
	for _, f := range doc.Failures {
		if f.Count < 1 || len(f.Faults) != 1 || f.File == "" || filepath.Dir(f.File) != dir {
			t.Errorf("failure %+v", f)
			continue
		}
		code, out, errOut := bgsim(t, "run", "--format", "json", f.File)
		if code != exitOK && code != exitFail {
			t.Fatalf("%s: exit %d: %s", f.File, code, errOut)
		}
		if !strings.Contains(out, `"fingerprint": "`+f.Fingerprint+`"`) {
			t.Errorf("%s does not replay to fingerprint %s", f.File, f.Fingerprint)
		}
	}
	// A file where the directory should be.
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	if code, _, errOut := bgsim(t, "explore", "--out", file, "wrong-identifier-on-recreate"); code != exitUsage || !strings.Contains(errOut, "--out") {
		t.Errorf("--out on a file: exit %d, %s", code, errOut)
	}
}

// Slices on two machines, joined, print what one machine prints.
func TestExploreShardAndMerge(t *testing.T) {
	dir := t.TempDir()
	_, whole, _ := bgsim(t, "explore", "--faults", "force-quit", "auth-challenge")
	var files []string
	for _, k := range []string{"1/2", "2/2"} {
		code, out, errOut := bgsim(t, "explore", "--faults", "force-quit", "--shard", k, "auth-challenge")
		if code != exitFail {
			t.Fatalf("--shard %s: exit %d: %s", k, code, errOut)
		}
		if !strings.Contains(out, `"shard": "`+k+`"`) {
			t.Errorf("--shard %s: the slice's report does not say which it is:\n%s", k, out)
		}
		f := filepath.Join(dir, strings.ReplaceAll(k, "/", "of")+".json")
		os.WriteFile(f, []byte(out), 0o644)
		files = append(files, f)
	}
	code, merged, errOut := bgsim(t, append([]string{"explore", "merge", "auth-challenge"}, files...)...)
	if code != exitFail || merged != whole {
		t.Errorf("merge: exit %d (%s):\n%s\nwhole:\n%s", code, errOut, merged, whole)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"explore", "merge", "auth-challenge", files[0]}, "1 reports for 2 slices"},
		{[]string{"explore", "merge", "flaky-network", files[0], files[1]}, "another scenario"},
		{[]string{"explore", "merge", "auth-challenge"}, "name the scenario and its slices"},
		{[]string{"explore", "merge", "auth-challenge", files[0], filepath.Join(dir, "none.json")}, "no such file"},
		{[]string{"explore", "--shard", "3/2", "auth-challenge"}, "want K/N"},
		{[]string{"explore", "--shard", "1/2", "--format", "table", "auth-challenge"}, "give --format table to the merge"},
		{[]string{"explore", "--shard", "1/2", "--out", dir, "auth-challenge"}, "--out goes with bgsim explore merge"},
	} {
		code, _, errOut := bgsim(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
