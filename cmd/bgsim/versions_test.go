package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bgsim/bgsim/model"
)

// bgsim rules R-ID shows the rule's iOS version gates, within 80
// columns, and --format json lists them.
func TestRulesShowVersions(t *testing.T) {
	for _, g := range model.VersionGates {
		code, stdout, _ := bgsim(t, "rules", string(g.Rule))
		_, block, _ := strings.Cut(stdout, "iOS versions:\n")
		block, _, _ = strings.Cut(block, "\n\n")
		block, _, _ = strings.Cut(block, "Sources:\n")
		if code != exitOK || !strings.Contains(strings.Join(strings.Fields(block), " "), g.String()) {
			t.Errorf("rules %s: exit %d, no %q in\n%s", g.Rule, code, g.String(), stdout)
		}
		for _, line := range strings.Split(block, "\n") {
			if utf8.RuneCountInString(line) > 80 {
				t.Errorf("rules %s: a line of %d columns: %q", g.Rule, utf8.RuneCountInString(line), line)
			}
		}
		_, js, _ := bgsim(t, "rules", "--format", "json", string(g.Rule))
		var doc struct {
			Rules []struct {
				Versions []struct {
					Since        int
					What, Before string
					Kind         string
				}
			}
		}
		if err := json.Unmarshal([]byte(js), &doc); err != nil || len(doc.Rules) != 1 {
			t.Fatalf("rules --format json %s: %v\n%s", g.Rule, err, js)
		}
		found := false
		for _, v := range doc.Rules[0].Versions {
			found = found || (v.Since == g.Since && v.What == g.What && v.Before == g.Before && v.Kind == string(g.Kind))
		}
		if !found {
			t.Errorf("rules --format json %s: no version %s in %s", g.Rule, fmt.Sprint(g.Since), js)
		}
	}
	// A rule without a gate shows none.
	if _, stdout, _ := bgsim(t, "rules", "R-RATE-LIMITER"); strings.Contains(stdout, "iOS versions:") {
		t.Errorf("R-RATE-LIMITER has no version gate:\n%s", stdout)
	}
}
