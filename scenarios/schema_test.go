package scenarios

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// compileSchema compiles Schema() with an independent JSON Schema
// validator, so that a mistake in the generator cannot hide behind a
// mistake in a validator written alongside it.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("bgsim.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("bgsim.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return sch
}

// asJSON turns a YAML document into the value a JSON validator checks.
func asJSON(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestSchemaValidatesTheLibrary(t *testing.T) {
	sch := compileSchema(t)
	for _, n := range Names() {
		src, _ := Source(n)
		if err := sch.Validate(asJSON(t, src)); err != nil {
			t.Errorf("%s does not validate against bgsim schema:\n%v", n, err)
		}
	}
}

// The schema rejects what the loader rejects for shape: unknown keys,
// wrong kinds, bad units and enumerations.
func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	good, _ := Source("app-purged-mid-upload")
	for _, tt := range []struct{ name, from, to string }{
		{"unknown key", "horizon: 10m", "horizn: 10m"},
		{"bad duration", "horizon: 10m", "horizon: ten minutes"},
		{"bad size", "size: 5MB", "size: 5 megs"},
		{"bad bit rate", "up: 2Mbps", "up: fast"},
		{"bad enum", "do: purge", "do: purg"},
		{"wrong kind", "seed: 1", "seed: [1]"},
		{"missing required", "title: ", "titel: "},
	} {
		bad := strings.Replace(string(good), tt.from, tt.to, 1)
		if bad == string(good) {
			t.Fatalf("%s: %q not found in the scenario", tt.name, tt.from)
		}
		if err := sch.Validate(asJSON(t, []byte(bad))); err == nil {
			t.Errorf("%s: the schema accepts it", tt.name)
		}
	}
}

// The schema takes each parameter's description and valid values from
// model.ParamTable, and its minimum and maximum for plain numbers.
func TestSchemaTakesTheParamTable(t *testing.T) {
	var root any
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatal(err)
	}
	found := map[string]map[string]any{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if d, ok := v["description"].(string); ok {
				found[d] = v
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(root)
	for _, r := range paramRanges {
		s, ok := found[r.Doc+"; valid: "+r.Range()]
		if !ok {
			t.Errorf("%s: no key of the schema has its row's description", r.Path)
			continue
		}
		if r.unit() == unitInt || r.unit() == unitPercent || r.unit() == unitChance || r.unit() == unitWatts {
			if s["minimum"] != r.Min || s["maximum"] != r.Max {
				t.Errorf("%s: minimum %v, maximum %v; want %v, %v", r.Path, s["minimum"], s["maximum"], r.Min, r.Max)
			}
		}
	}
}

// What bgsim expect writes for a run, and the checks of what a run
// measures in their short and long forms, validate against the schema;
// wrong shapes of them do not.
func TestSchemaValidatesExpectBlocks(t *testing.T) {
	sch := compileSchema(t)
	for _, n := range Names() {
		sc, err := Resolve(n)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := sc.Run(RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		src, _ := Source(n)
		doc := string(WithoutExpectations(src, "")) + "\n" + ExpectBlock(rs[0], "", "5%")
		if err := sch.Validate(asJSON(t, []byte(doc))); err != nil {
			t.Errorf("%s with the expect block of its run does not validate:\n%v", n, err)
		}
	}
	base := strings.SplitN(expectDoc, "variants:", 2)[0]
	for _, tt := range []struct {
		expect string
		ok     bool
	}{
		{"expect: {upload: {u1: {bytes_sent: 5000000, limiter_delay: 60s, interface: wifi, attempts: 1, started_before: 2s, resumed_from: u1, resume_offset: 10}}}", true},
		{"expect: {upload: {u1: {bytes_sent: {value: 5MB, tolerance: 1%}, limiter_delay: {value: 1m, tolerance: 1s}}}}", true},
		{"expect: {wakes: {com.x: 1, com.y: {count: 2, relaunch: 1, resume: 1}}, wakes_relaunch: 1, wakes_resume: 0}", true},
		{"expect: {energy: {by_state: {promotion: {value: 0.1}, transfer: {value: 14, tolerance: 5%}, tail: {value: \"1\"}, idle: {value: 13, tolerance: 0.5}}}}", true},
		{"expect: {upload: {u1: {bytes_sent: lots}}}", false},
		{"expect: {upload: {u1: {bytes_sent: {tolerance: 1%}}}}", false},
		{"expect: {upload: {u1: {interface: wfi}}}", false},
		{"expect: {upload: {u1: {limiter_delay: soon}}}", false},
		{"expect: {wakes: {com.x: many}}", false},
		{"expect: {wakes: {com.x: {relaunch: 1}}}", false},
		{"expect: {energy: {by_state: {tails: {value: 1}}}}", false},
	} {
		err := sch.Validate(asJSON(t, []byte(base+tt.expect+"\n")))
		if tt.ok && err != nil {
			t.Errorf("%s: the schema rejects it: %v", tt.expect, err)
		}
		if !tt.ok && err == nil {
			t.Errorf("%s: the schema accepts it", tt.expect)
		}
		if _, lerr := Load("x.yaml", []byte(base+tt.expect+"\n")); (lerr == nil) != tt.ok {
			t.Errorf("%s: the loader says %v, the schema %v", tt.expect, lerr, err)
		}
	}
}

// Every property of the schema says what it is: a key with a doc tag or a
// row of model.ParamTable, found wherever the key is written (an
// extension's sessions and uploads, a do: update_app step's app:, a
// variant) so that `bgsim help schema`'s "cannot drift" holds for
// descriptions too. The schema offers no key the loader refuses for
// shape: an update cannot change the workload.
func TestSchemaEveryPropertyDescribed(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	var missing []string
	n := 0
	var walk func(o map[string]any, path string)
	walk = func(o map[string]any, path string) {
		if props, ok := o["properties"].(map[string]any); ok {
			for k, v := range props {
				p := path + "." + k
				v := v.(map[string]any)
				n++
				if d, _ := v["description"].(string); d == "" {
					missing = append(missing, p)
				}
				walk(v, p)
			}
		}
		if a, ok := o["additionalProperties"].(map[string]any); ok {
			walk(a, path+".<name>")
		}
		if it, ok := o["items"].(map[string]any); ok {
			walk(it, path+"[]")
		}
		if alts, ok := o["anyOf"].([]any); ok {
			for _, a := range alts {
				walk(a.(map[string]any), path)
			}
		}
	}
	walk(s, "")
	if n < 500 {
		t.Fatalf("walked %d properties; the walk misses the schema's shape", n)
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d properties have no description:\n%s", len(missing), n, strings.Join(missing, "\n"))
	}
	step := s["properties"].(map[string]any)["timeline"].(map[string]any)["items"].(map[string]any)
	app := step["properties"].(map[string]any)["app"].(map[string]any)["properties"].(map[string]any)
	if _, ok := app["workload"]; ok {
		t.Error("timeline[].app offers workload, which the loader refuses")
	}
	// The description and range of an extension's session timeout, and an
	// update's, are the app's own row.
	sess := s["properties"].(map[string]any)["app"].(map[string]any)["properties"].(map[string]any)["sessions"].(map[string]any)["additionalProperties"].(map[string]any)
	want := sess["properties"].(map[string]any)["resource_timeout"].(map[string]any)["description"]
	ext := s["properties"].(map[string]any)["app"].(map[string]any)["properties"].(map[string]any)["extensions"].(map[string]any)["additionalProperties"].(map[string]any)
	esess := ext["properties"].(map[string]any)["sessions"].(map[string]any)["additionalProperties"].(map[string]any)
	if got := esess["properties"].(map[string]any)["resource_timeout"].(map[string]any)["description"]; got != want {
		t.Errorf("an extension's resource_timeout: %v, want the app's %v", got, want)
	}
	usess := app["sessions"].(map[string]any)["additionalProperties"].(map[string]any)
	if got := usess["properties"].(map[string]any)["resource_timeout"].(map[string]any); got["description"] != want {
		t.Errorf("an update's resource_timeout: %v, want the app's %v", got["description"], want)
	}
}
