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
