package main

import (
	"os"
	"strings"
	"testing"
)

// The release builds and the CI's cross-compilation name the same
// targets: linux and darwin, amd64 and arm64.
func TestReleaseTargets(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	const targets = "linux/amd64 linux/arm64 darwin/amd64 darwin/arm64"
	if !strings.Contains(string(mk), "PLATFORMS := "+targets) || !strings.Contains(string(mk), "CGO_ENABLED=0") {
		t.Errorf("the Makefile's release does not build %s statically", targets)
	}
	if !strings.Contains(string(ci), "for p in "+targets+"; do") || !strings.Contains(string(ci), "CGO_ENABLED=0 GOOS=${p%/*} GOARCH=${p#*/} go build -o /dev/null ./cmd/bgsim") {
		t.Errorf(".ci/run does not cross-compile %s", targets)
	}
}
