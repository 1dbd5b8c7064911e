package run

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

// One variant's error is that variant's, and the variants after it still
// run: bgsim test used to print the bad variant's error under every
// variant, and stopped at the first that failed.
func TestSuiteVariantErrorsAreTheirOwn(t *testing.T) {
	const doc = `name: mv
title: two variants, one over its event budget
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
expect: {delivered: 1}
variants:
  bad: {max_events: 1}
  good: {}
`
	sc, err := scenarios.Load("mv.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	cases := Suite([]*scenarios.Scenario{sc}, 1, 1)
	if len(cases) != 2 {
		t.Fatalf("%d cases", len(cases))
	}
	bad, good := cases[0], cases[1]
	if bad.Err == nil || !strings.Contains(bad.Err.Error(), "event budget of 1 events exhausted") {
		t.Errorf("bad: %v", bad.Err)
	}
	if good.Err == nil || !strings.HasPrefix(good.Err.Error(), "expectations not checked: another variant of the scenario failed") {
		t.Errorf("good: %v", good.Err)
	}
	if good.Duration == 0 {
		t.Error("the variant after the failing one did not run")
	}
}
