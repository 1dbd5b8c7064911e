package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bgsim/bgsim/model"
)

// Error is one problem in a scenario file, at a position.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	if e.Pos.Col == 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Pos.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Errors is every problem found in a scenario file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// maxErrors is the most problems reported for one file; past it, one last
// line says how many more there were. Variants decode the base again, so
// the same problem is found once per variant: a set keeps each once.
const maxErrors = 200

// errs collects positioned errors, once each, at most maxErrors of them.
type errs struct {
	file    string
	list    Errors
	seen    map[errKey]bool
	dropped int
	// bad holds the paths (app.uploads.photo.size, timeline[2]) of the
	// fields the decoder found wrong in the document it decodes now: a
	// problem Config.Check finds at or under one of them follows from
	// the one reported already.
	bad map[string]bool
}

type errKey struct {
	pos Pos
	msg string
}

// full tells whether no more errors will be listed, so that callers can
// skip work (suggestions) whose only use is an error message.
func (e *errs) full() bool { return len(e.list) >= maxErrors }

func (e *errs) add(p Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	e.addKeyed(p, msg, msg)
}

// addAt adds an error about the field at path and marks it bad.
func (e *errs) addAt(path string, p Pos, format string, args ...any) {
	if e.bad == nil {
		e.bad = map[string]bool{}
	}
	e.bad[path] = true
	e.add(p, format, args...)
}

// addKeyed adds msg unless an error with the same key was added at p.
func (e *errs) addKeyed(p Pos, key, msg string) {
	k := errKey{p, key}
	if e.seen[k] {
		return
	}
	if e.seen == nil {
		e.seen = map[errKey]bool{}
	}
	e.seen[k] = true
	if e.full() {
		e.dropped++
		return
	}
	e.list = append(e.list, &Error{File: e.file, Pos: p, Msg: msg})
}

// reported tells whether a problem at path follows from a field the
// decoder found wrong: path is bad, or lies under a bad path.
func (e *errs) reported(path string) bool {
	for p := path; p != ""; {
		if e.bad[p] {
			return true
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return false
		}
		p = p[:i]
	}
	return false
}

func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	slices.SortStableFunc(e.list, func(a, b *Error) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	if e.dropped > 0 {
		return append(e.list, &Error{File: e.file, Msg: fmt.Sprintf("%d more problems not shown (at most %d are listed)", e.dropped, maxErrors)})
	}
	return e.list
}

// The decoder maps YAML nodes onto the scenario types by their tags:
//
//	yaml:"key"               the mapping key
//	yaml:"key,keyed"         a mapping of named items decoded into a slice;
//	                         each item's Name field gets the key, in order
//	bgsim:"required"         the key must be present
//	bgsim:"enum=a|b|c"       a Str whose value must be one of these
//	bgsim:"required,enum=.." both
//	bgsim:"short"            the struct can be written as this field's
//	                         scalar alone: "bytes_sent: 5000000" for
//	                         "bytes_sent: {value: 5000000}"
//	doc:"..."                what the key means (for the schema and docs)
//
// Unknown keys, wrong kinds of node and bad scalars are errors with the
// position of the offending node and, for keys, the nearest valid one.
type decoder struct {
	*errs
	// partial: the node decoded now is an overlay that says only what
	// changes (a field tagged bgsim:"partial"): no key is required.
	partial bool
}

var scalarType = reflect.TypeFor[scalar]()

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.addAt(path, posOf(n), "%s: anchors and aliases are not supported; write the value out", path)
		return
	}
	if v.Addr().Type().Implements(scalarType) {
		s := v.Addr().Interface().(scalar)
		s.given(n)
		if n.Kind != yaml.ScalarNode {
			d.addAt(path, posOf(n), "%s: expected %s, found %s", path, s.expected(), describe(n))
			return
		}
		if err := s.set(n); err != nil {
			d.addAt(path, posOf(n), "%s: %v", path, err)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			d.nullInOverlay(n, path, "")
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		d.decode(n, v.Elem(), path)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		if isNull(n) {
			d.nullInOverlay(n, path, " (an empty list, [], replaces a list)")
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.addAt(path, posOf(n), "%s: expected a list, found %s", path, describe(n))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
		for i, item := range n.Content {
			d.decode(item, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		panic(fmt.Sprintf("scenarios: no decoding for %s", v.Type()))
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if f := v.FieldByName("Pos"); f.IsValid() && f.Type() == reflect.TypeFor[Pos]() {
		f.Set(reflect.ValueOf(posOf(n)))
	}
	if isNull(n) {
		d.nullInOverlay(n, path, "")
		d.checkRequired(n, v, path, nil)
		return // an empty mapping: "launch-events-on:" with nothing under it
	}
	if i := shortField(v.Type()); i >= 0 && n.Kind == yaml.ScalarNode {
		d.decode(n, v.Field(i), path)
		return
	}
	if n.Kind != yaml.MappingNode {
		d.addAt(path, posOf(n), "%s: expected a mapping of keys, found %s", orTop(path), describe(n))
		return
	}
	t := v.Type()
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		if seen[key] {
			d.add(posOf(k), "%s: key %q appears twice", orTop(path), key)
			continue
		}
		seen[key] = true
		fi, ok := fieldByKey(t, key)
		if !ok {
			d.unknownKey(k, t, path)
			continue
		}
		f := t.FieldByIndex(fi)
		fv := v.FieldByIndex(fi)
		sub := join(path, key)
		if tagHas(f.Tag.Get("yaml"), "keyed") {
			d.decodeKeyed(val, fv, sub)
			continue
		}
		if partial(f) && !d.partial && !isNull(val) {
			d.partial = true
			d.decode(val, fv, sub)
			d.partial = false
			continue
		}
		d.decode(val, fv, sub)
		if enum := enumOf(f); enum != nil {
			if s, ok := fv.Addr().Interface().(*Str); ok && s.Set && !slices.Contains(enum, s.Value) {
				d.addAt(sub, s.Pos, "%s: %q is not one of %s%s", sub, s.Value, strings.Join(enum, ", "), didYouMean(s.Value, enum))
			}
		}
	}
	d.checkRequired(n, v, path, seen)
}

func (d *decoder) checkRequired(n *yaml.Node, v reflect.Value, path string, seen map[string]bool) {
	if d.partial {
		return
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if required(f) {
			key := keyOf(f)
			if !seen[key] {
				d.addAt(join(path, key), posOf(n), "%s: missing required key %q", orTop(path), key)
			}
		}
	}
}

func (d *decoder) decodeKeyed(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		d.nullInOverlay(n, path, "")
		return
	}
	if n.Kind != yaml.MappingNode {
		d.addAt(path, posOf(n), "%s: expected a mapping of names to items, found %s", path, describe(n))
		return
	}
	count := len(n.Content) / 2
	v.Set(reflect.MakeSlice(v.Type(), count, count))
	seen := map[string]bool{}
	for i := 0; i < count; i++ {
		k, val := n.Content[2*i], n.Content[2*i+1]
		if seen[k.Value] {
			d.addAt(join(path, k.Value), posOf(k), "%s: %q appears twice", path, k.Value)
		}
		seen[k.Value] = true
		if k.Value == "" {
			d.add(posOf(k), "%s: a name must not be empty", path)
		}
		item := v.Index(i)
		item.FieldByName("Name").Set(reflect.ValueOf(k.Value))
		d.decode(val, item, join(path, k.Value))
		if f := item.FieldByName("NamePos"); f.IsValid() {
			f.Set(reflect.ValueOf(posOf(k)))
		}
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// nullInOverlay refuses a null in an overlay (a do: update_app step's
// app:): merged, it would change nothing, and an update removes nothing,
// so a null written to remove something would be silently ignored.
func (d *decoder) nullInOverlay(n *yaml.Node, path, more string) {
	if d.partial {
		d.addAt(path, posOf(n), "%s: null removes nothing: an update keeps every session and upload of the code before it; leave the key out%s", path, more)
	}
}

func (d *decoder) unknownKey(k *yaml.Node, t reflect.Type, path string) {
	if d.full() {
		d.add(posOf(k), "%s: unknown key %q", orTop(path), k.Value) // counted; suggestions would not be shown
		return
	}
	d.add(posOf(k), "%s: unknown key %q%s", orTop(path), k.Value, didYouMean(k.Value, keysOf(t)))
}

func orTop(path string) string {
	if path == "" {
		return "scenario"
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func keyOf(f reflect.StructField) string {
	tag := f.Tag.Get("yaml")
	if i := strings.IndexByte(tag, ','); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

func tagHas(tag, opt string) bool {
	parts := strings.Split(tag, ",")
	return slices.Contains(parts[1:], opt)
}

// shortField is the index of the field of struct type t tagged
// bgsim:"short", -1 if none.
func shortField(t reflect.Type) int {
	for i := 0; i < t.NumField(); i++ {
		if slices.Contains(strings.Split(t.Field(i).Tag.Get("bgsim"), ","), "short") {
			return i
		}
	}
	return -1
}

// partial reports a field decoded as an overlay: nothing in it is required.
func partial(f reflect.StructField) bool {
	return slices.Contains(strings.Split(f.Tag.Get("bgsim"), ","), "partial")
}

func required(f reflect.StructField) bool {
	return slices.Contains(strings.Split(f.Tag.Get("bgsim"), ","), "required")
}

func enumOf(f reflect.StructField) []string {
	for _, opt := range strings.Split(f.Tag.Get("bgsim"), ",") {
		if strings.HasPrefix(opt, "enum=") {
			return strings.Split(strings.TrimPrefix(opt, "enum="), "|")
		}
	}
	return nil
}

// inline reports a field whose keys belong to the enclosing mapping.
func inline(f reflect.StructField) bool { return tagHas(f.Tag.Get("yaml"), "inline") }

// fieldByKey returns the index path of the field for key, looking into
// inline fields.
func fieldByKey(t reflect.Type, key string) ([]int, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if inline(f) {
			if sub, ok := fieldByKey(f.Type, key); ok {
				return append([]int{i}, sub...), true
			}
			continue
		}
		if k := keyOf(f); k != "" && k != "-" && k == key {
			return []int{i}, true
		}
	}
	return nil, false
}

// keysOf lists the keys of a mapping type, inline fields' keys included.
func keysOf(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if inline(f) {
			keys = append(keys, keysOf(f.Type)...)
		} else if k := keyOf(f); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// didYouMean returns "; did you mean "x"?" for the candidate nearest to s,
// or "" when none is near.
func didYouMean(s string, candidates []string) string {
	if best := Nearest(s, candidates); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// Nearest returns the candidate closest to s when it is close enough to be
// a likely typo (case aside), and "" otherwise.
func Nearest(s string, candidates []string) string { return model.Nearest(s, candidates) }
