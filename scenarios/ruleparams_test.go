package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

// Every parameter a rule of the catalog names (bgsim rules, docs/rules.md)
// is a key a scenario can set, or a timeline step it can take.
func TestRuleParamsAreScenarioKeys(t *testing.T) {
	steps := func() []string {
		f, _ := reflect.TypeFor[Step]().FieldByName("Do")
		return enumOf(f)
	}()
	n := 0
	for _, r := range model.Catalog {
		for _, p := range r.Params {
			n++
			if step, ok := strings.CutPrefix(p.Key, "timeline: "); ok {
				if !slices.Contains(steps, step) {
					t.Errorf("%s: %q is not a timeline step (%v)", r.ID, p.Key, steps)
				}
				continue
			}
			if err := scenarioKey(reflect.TypeFor[File](), strings.Split(p.Key, ".")); err != "" {
				t.Errorf("%s: %q is not a scenario key: %s", r.ID, p.Key, err)
			}
		}
	}
	if n == 0 {
		t.Fatal("the catalog names no parameters")
	}
	for _, bad := range []string{"params.relaunch_time", "app.sessions.*.discretionery", "network.*.metered"} {
		if scenarioKey(reflect.TypeFor[File](), strings.Split(bad, ".")) == "" {
			t.Errorf("%q passes for a scenario key", bad)
		}
	}
}

// scenarioKey says why path is not a key under t, or "" if it is. A *
// stands for any session or upload (the keyed lists) or any field of a
// mapping whose fields are alike (network.*).
func scenarioKey(t reflect.Type, path []string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if len(path) == 0 {
		return ""
	}
	seg := path[0]
	if seg == "*" {
		switch t.Kind() {
		case reflect.Slice:
			return scenarioKey(t.Elem(), path[1:])
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				if k := keyOf(t.Field(i)); k != "" && k != "-" {
					if err := scenarioKey(t.Field(i).Type, path[1:]); err != "" {
						return k + ": " + err
					}
				}
			}
			return ""
		}
		return "* under " + t.String()
	}
	if t.Kind() != reflect.Struct {
		return seg + " under " + t.String() + ", which has no keys"
	}
	idx, ok := fieldByKey(t, seg)
	if !ok {
		return "no key " + seg + " in " + t.Name() + didYouMean(seg, keysOf(t))
	}
	return scenarioKey(t.FieldByIndex(idx).Type, path[1:])
}
