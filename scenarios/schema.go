package scenarios

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// Schema returns a JSON Schema (draft-07) of the scenario language,
// generated from the same types and tags the loader decodes with, so it
// cannot drift from what bgsim accepts. Editors use it through the YAML
// language server: put
//
//	# yaml-language-server: $schema=bgsim.schema.json
//
// at the top of a scenario after `bgsim schema > bgsim.schema.json`.
//
// The schema checks shape: keys, kinds of value, units, enumerations. What a
// scenario means (references between sessions and uploads, times in order)
// is checked by `bgsim validate`.
func Schema() []byte {
	file := reflect.TypeFor[File]()
	root := objectSchema(file, "", false)
	root.set("$schema", "http://json-schema.org/draft-07/schema#")
	root.set("title", "bgsim scenario")

	// A variant overlays the base: every top-level key but name, title and
	// sweep, with nothing required at any depth (an overlay says only what
	// changes), plus about and add_timeline.
	variant := newObj()
	variant.set("type", "object")
	props := newObj()
	for _, kv := range objectSchema(file, "", true).get("properties").(*obj).kv {
		if kv.k == "name" || kv.k == "title" || kv.k == "sweep" {
			continue
		}
		props.set(kv.k, kv.v)
	}
	props.set("about", withDoc(newObj().with("type", "string"), "what this variant changes, for people"))
	props.set("add_timeline", withDoc(schemaOf(reflect.TypeFor[[]Step](), "timeline", "", false), "timeline steps added to the base's, merged by time"))
	variant.set("properties", props)
	variant.set("additionalProperties", false)
	rootProps := root.get("properties").(*obj)
	rootProps.set("variants", withDoc(newObj().with("type", "object").with("additionalProperties", variant),
		"named variations of the scenario, run side by side; each overlays the base"))

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		panic(err) // only maps, slices, strings and bools: cannot fail
	}
	return buf.Bytes()
}

// obj is a JSON object that keeps its keys in insertion order, so that the
// schema reads in the order of the language reference and is stable.
type obj struct{ kv []kv }

type kv struct {
	k string
	v any
}

func newObj() *obj { return &obj{} }

func (o *obj) set(k string, v any) {
	for i := range o.kv {
		if o.kv[i].k == k {
			o.kv[i].v = v
			return
		}
	}
	o.kv = append(o.kv, kv{k, v})
}

func (o *obj) with(k string, v any) *obj { o.set(k, v); return o }

func (o *obj) get(k string) any {
	for _, e := range o.kv {
		if e.k == k {
			return e.v
		}
	}
	return nil
}

func (o *obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o.kv {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func withDoc(o *obj, doc string) *obj {
	if doc != "" {
		o.set("description", doc)
	}
	return o
}

const (
	durationPattern = `^-?([0-9]+d)?([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))*$`
	sizePattern     = `^[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB)?$`
	ratePattern     = `^[0-9]+(\.[0-9]+)?\s*(bps|kbps|Kbps|Mbps|Gbps)$`
	percentPattern  = `^[0-9]+\s*%?$`
)

// schemaOf returns the schema of a field of type t, written at path
// (network.wifi.up, app.uploads.<name>.size, timeline[0].at), with doc
// as its description. A parameter of model.ParamTable takes its
// description from there, with its valid values; a number also gets them
// as minimum and maximum. partial leaves out required keys, for overlays.
func schemaOf(t reflect.Type, path, doc string, partial bool) *obj {
	r, ok := rangeOf(path)
	if !ok && path != "" {
		r, ok = rangeOf(appPath(path))
	}
	if !ok || path == "" {
		return typeSchema(t, path, doc, partial)
	}
	if doc != "" {
		// One line per parameter, in one place.
		panic("scenarios: " + path + " has a doc tag and a row in model.ParamTable; keep the row's")
	}
	if decodes := unitOfType[t]; !slices.Contains(decodes, r.unit()) && !(t.Kind() == reflect.Slice && r.unit() == unitCount) {
		panic("scenarios: " + path + " is decoded as " + t.Name() + ", which does not write its row's unit")
	}
	s := typeSchema(t, path, r.Doc+"; valid: "+r.Range(), partial)
	switch {
	case t == reflect.TypeFor[Int]() || t == reflect.TypeFor[Float]() || t == reflect.TypeFor[Percent]():
		s.set("minimum", r.Min)
		s.set("maximum", r.Max)
	case t == reflect.TypeFor[Size]():
		n := s.get("anyOf").([]any)[1].(*obj)
		n.set("minimum", r.Min)
		n.set("maximum", r.Max)
	case t.Kind() == reflect.Slice:
		s.set("maxItems", r.Max)
	}
	return s
}

// appPath is the path of the app's own key that a key written elsewhere
// is: the code of a do: update_app step (timeline[0].app...) and an
// extension's sessions and uploads (app.extensions.<name>.sessions...)
// are the app's keys, with the app's rows in model.ParamTable: the same
// description and range (model/extension.go checks an extension's against
// them), in one place. Only the schema reads a row this way: a sweep
// varies the app's own keys.
func appPath(path string) string {
	if i := strings.Index(path, "app."); i > 0 && strings.HasSuffix(path[:i], "timeline[0].") {
		path = path[i:]
	}
	if rest, ok := strings.CutPrefix(path, "app.extensions.<name>."); ok {
		path = "app." + rest
	}
	return path
}

// unitOfType says which units of model.ParamTable each scalar type
// decodes, so that a row and its key cannot disagree on the unit.
var unitOfType = map[reflect.Type][]unit{
	reflect.TypeFor[Duration](): {unitDuration},
	reflect.TypeFor[Bitrate]():  {unitBitrate},
	reflect.TypeFor[Size]():     {unitSize},
	reflect.TypeFor[Int]():      {unitInt, unitPercent},
	reflect.TypeFor[Percent]():  {unitPercent},
	reflect.TypeFor[Float]():    {unitFloat, unitWatts, unitWattsPerMbps, unitJoules, unitChance},
}

func typeSchema(t reflect.Type, path, doc string, partial bool) *obj {
	switch t {
	case reflect.TypeFor[Str]():
		return withDoc(newObj().with("type", "string"), doc)
	case reflect.TypeFor[Text]():
		return withDoc(newObj().with("type", []any{"string", "number"}), doc)
	case reflect.TypeFor[Bool]():
		return withDoc(newObj().with("type", "boolean"), doc)
	case reflect.TypeFor[Int]():
		return withDoc(newObj().with("type", "integer"), doc)
	case reflect.TypeFor[Float]():
		return withDoc(newObj().with("type", "number"), doc)
	case reflect.TypeFor[Duration]():
		return withDoc(newObj().with("anyOf", []any{
			newObj().with("type", "string").with("pattern", durationPattern).with("minLength", 1),
			newObj().with("const", 0),
		}), doc)
	case reflect.TypeFor[Size]():
		return withDoc(newObj().with("anyOf", []any{
			newObj().with("type", "string").with("pattern", sizePattern),
			newObj().with("type", "integer").with("minimum", 0),
		}), doc)
	case reflect.TypeFor[Bitrate]():
		return withDoc(newObj().with("type", "string").with("pattern", ratePattern), doc)
	case reflect.TypeFor[Percent]():
		return withDoc(newObj().with("anyOf", []any{
			newObj().with("type", "string").with("pattern", percentPattern),
			newObj().with("type", "integer"),
		}), doc)
	}
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem(), path, doc, partial)
	case reflect.Slice:
		// A list in an overlay replaces the base's whole: complete items.
		return withDoc(newObj().with("type", "array").with("items", schemaOf(t.Elem(), path+"[0]", "", false)), doc)
	case reflect.Struct:
		if i := shortField(t); i >= 0 {
			f := t.Field(i)
			return withDoc(newObj().with("anyOf", []any{
				schemaOf(f.Type, join(path, keyOf(f)), f.Tag.Get("doc"), partial),
				objectSchema(t, path, partial),
			}), doc)
		}
		return withDoc(objectSchema(t, path, partial), doc)
	}
	panic("scenarios: no schema for " + t.String())
}

// isPartial reports a field written as an overlay (bgsim:"partial").
func isPartial(f reflect.StructField) bool { return partial(f) }

// objectSchema is the schema of a mapping type: its keys, inline fields'
// keys included, which are required (unless partial), and no others.
func objectSchema(t reflect.Type, path string, partial bool) *obj {
	o := newObj().with("type", "object")
	props := newObj()
	var req []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if inline(f) {
				walk(f.Type)
				continue
			}
			key := keyOf(f)
			if key == "" || key == "-" {
				continue
			}
			if key == "workload" && strings.HasSuffix(path, "timeline[0].app") {
				continue // an update cannot change the workload (update.go)
			}
			doc := f.Tag.Get("doc")
			var s *obj
			if tagHas(f.Tag.Get("yaml"), "keyed") {
				s = withDoc(newObj().with("type", "object").with("additionalProperties", schemaOf(f.Type.Elem(), join(path, key)+".<name>", "", partial)), doc)
			} else {
				s = schemaOf(f.Type, join(path, key), doc, partial || isPartial(f))
			}
			if enum := enumOf(f); enum != nil {
				s.set("enum", enum)
			}
			props.set(key, s)
			if required(f) && !partial {
				req = append(req, key)
			}
		}
	}
	walk(t)
	o.set("properties", props)
	if len(req) > 0 {
		o.set("required", req)
	}
	o.set("additionalProperties", false)
	return o
}
