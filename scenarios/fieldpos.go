package scenarios

import (
	"reflect"
	"strconv"
	"strings"
)

// fieldPos finds where the field a model.FieldError names (a schema path:
// network.wifi.up, app.uploads.photo.size, timeline[3].at) is written in
// f: the position of the deepest part of the path that f holds, so a key
// left out lands at the block around it, and an empty path at f's top.
func fieldPos(f *File, path string) Pos {
	best := f.Pos
	if path == "" {
		return best
	}
	v := reflect.ValueOf(f).Elem()
	note := func(v reflect.Value) {
		if v.Kind() != reflect.Struct {
			return
		}
		if p := v.FieldByName("Pos"); p.IsValid() {
			if p := p.Interface().(Pos); p.Line > 0 {
				best = p
			}
		}
	}
	segs := strings.Split(path, ".")
	for k := 0; k < len(segs); k++ {
		name, idx := segs[k], -1
		if i := strings.IndexByte(name, '['); i >= 0 && strings.HasSuffix(name, "]") {
			n, err := strconv.Atoi(name[i+1 : len(name)-1])
			if err != nil {
				return best
			}
			name, idx = name[:i], n
		}
		fv, keyed, ok := yamlField(v, name)
		if !ok {
			return best
		}
		for fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				return best
			}
			fv = fv.Elem()
		}
		v = fv
		note(v)
		if keyed {
			if k++; k == len(segs) {
				return best
			}
			i := 0
			for i < v.Len() && v.Index(i).FieldByName("Name").String() != segs[k] {
				i++
			}
			if i == v.Len() {
				return best
			}
			v = v.Index(i)
			note(v)
		}
		if idx >= 0 {
			if v.Kind() != reflect.Slice || idx >= v.Len() {
				return best
			}
			v = v.Index(idx)
			note(v)
		}
	}
	return best
}

// yamlField is the field of struct v written under key in YAML, looking
// into inline structs; keyed says it is a mapping of named items.
func yamlField(v reflect.Value, key string) (field reflect.Value, keyed, ok bool) {
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false, false
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		if name == "" && tagHas(tag, "inline") {
			if f, keyed, ok := yamlField(v.Field(i), key); ok {
				return f, keyed, true
			}
			continue
		}
		if name == key {
			return v.Field(i), tagHas(tag, "keyed"), true
		}
	}
	return reflect.Value{}, false, false
}
