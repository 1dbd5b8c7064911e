package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A binary built with go build from a tagged tree reports the tag, not
// "(devel)": the toolchain stamps the module version from the VCS since
// Go 1.24, and bgsim version prints what was stamped (issue 16).
func TestVersionFromTaggedTree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds bgsim in a fresh clone")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git here")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Skip("not in the module's tree")
	}
	dir := filepath.Join(t.TempDir(), "clone")
	run := func(dir string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	// A clone holds the committed tree only: the test is about a clean,
	// tagged checkout, whatever the working tree holds now.
	run(root, git, "clone", "-q", "--no-hardlinks", root, dir)
	run(dir, git, "tag", "v1.8.7")
	run(dir, "go", "build", "-o", "bgsim-tagged", "./cmd/bgsim")
	out := run(dir, filepath.Join(dir, "bgsim-tagged"), "version")
	if !strings.HasPrefix(out, "bgsim v1.8.7 (revision ") || strings.Contains(out, "modified") {
		t.Errorf("bgsim version in a tree tagged v1.8.7: %q", out)
	}
}
