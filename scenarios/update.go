package scenarios

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/bgsim/bgsim/model"
)

// updates builds the code each do: update_app step installs: its app:
// (the keys the new version changes) merged over the code before it, the
// app: of the scenario or of the update_app step listed above it. The
// merge: mappings merge key by key, so a session or an upload named
// again changes only the keys written and a new name adds one; a value
// or a list replaces the old one. The result is built as app: is, and
// Config.Check checks it as a whole app (update.go in the model), each
// problem at the step's keys where the step wrote them.
func (d *decoder) updates(f *File, c *model.Config) {
	if v := f.Params.UpdateKeepsTasks; v.Set {
		c.Params.UpdateCancelsTasks = !v.Value
	}
	n := 0
	for i := range f.Timeline {
		if model.ActionKind(f.Timeline[i].Do.Value) == model.UpdateApp {
			if n++; n > MaxUpdates {
				d.add(f.Timeline[i].Pos, "timeline[%d]: more than %d do: update_app steps; a scenario installs at most %d versions of the app's code", i, MaxUpdates, MaxUpdates)
				return
			}
		}
	}
	cur := f.App
	for i := range f.Timeline {
		s := &f.Timeline[i]
		at := fmt.Sprintf("timeline[%d]", i)
		if model.ActionKind(s.Do.Value) != model.UpdateApp {
			if s.App != nil {
				d.add(s.App.Pos, "%s: app: applies only to do: update_app", at)
			}
			continue
		}
		if s.App == nil {
			d.addAt(at+".app", s.Pos, "%s: do: update_app needs app: the keys the new version of the code changes (say app: {} for a version that changes nothing bgsim models)", at)
			continue
		}
		if s.App.Workload != nil {
			d.addAt(at+".app.workload", s.App.Workload.Pos, "%s.app.workload: an update cannot change the workload", at)
			s.App.Workload = nil // one problem, one error
		}
		merged := cur
		mergeSpec(reflect.ValueOf(&merged).Elem(), reflect.ValueOf(s.App).Elem())
		// Problems of the code before the update were reported where it
		// was written; those the update brings are reported under the
		// step, at the keys it wrote where it wrote them.
		sub := &decoder{errs: &errs{file: d.file}}
		var code model.Config
		sub.app(&File{App: merged}, &code)
		sub.hooks(&merged, &code)
		for _, e := range sub.list {
			if d.seen[errKey{e.Pos, e.Msg}] {
				continue
			}
			msg := e.Msg
			if strings.HasPrefix(msg, "app.") {
				msg = at + "." + msg
			}
			d.add(e.Pos, "%s", msg)
		}
		s.App = &merged // fieldPos finds the step's keys in it
		c.Timeline[i].App = &code.App
		cur = merged
	}
}

// mergeSpec merges src, an overlay decoded with nothing required, into
// dst, of the same type: a scalar written in src replaces dst's; a
// mapping of named items (a keyed slice) merges by name; any other list
// written in src replaces dst's; a struct merges field by field. dst is
// a copy: what it shares with the value it was copied from (slices,
// pointers) is replaced, never written into.
func mergeSpec(dst, src reflect.Value) {
	if dst.Addr().Type().Implements(scalarType) {
		if src.FieldByName("Given").Bool() {
			dst.Set(src)
		}
		return
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		if dst.IsNil() {
			dst.Set(src)
			return
		}
		p := reflect.New(dst.Type().Elem())
		p.Elem().Set(dst.Elem())
		mergeSpec(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if !src.IsNil() {
			dst.Set(src)
		}
	case reflect.Struct:
		t := dst.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			switch {
			case f.Type == reflect.TypeFor[Pos]():
				if src.Field(i).Interface().(Pos).Line > 0 {
					dst.Field(i).Set(src.Field(i))
				}
			case !f.IsExported() || f.Name == "Name":
			case tagHas(f.Tag.Get("yaml"), "keyed"):
				mergeKeyed(dst.Field(i), src.Field(i))
			default:
				mergeSpec(dst.Field(i), src.Field(i))
			}
		}
	}
}

// mergeKeyed merges the named items of src into dst: an item of a name
// dst has merges into it, one of a new name is added after dst's.
func mergeKeyed(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	out := reflect.MakeSlice(dst.Type(), dst.Len(), dst.Len()+src.Len())
	reflect.Copy(out, dst)
	for j := 0; j < src.Len(); j++ {
		item := src.Index(j)
		name := item.FieldByName("Name").String()
		k := 0
		for k < out.Len() && out.Index(k).FieldByName("Name").String() != name {
			k++
		}
		if k == out.Len() {
			out = reflect.Append(out, item)
			continue
		}
		mergeSpec(out.Index(k), item)
	}
	dst.Set(out)
}
