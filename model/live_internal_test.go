package model

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/bgsim/bgsim/sim"
)

// TestForkSharesNothing fills every field of a world, every slice with an
// element, every pointer with a target and every map with an entry
// (found by reflection, so a field added later is filled too), forks it,
// and walks the fork: no pointer, slice or map of the fork may reach the
// original's memory, save the configuration's own data, which is read
// only; and two pointers to one object in the original must point to one
// object in the fork (a daemon task is in its session's list and in the
// daemon's table). A field that Fork forgets to copy fails here.
func TestForkSharesNothing(t *testing.T) {
	l := &Live{}
	w := &l.run.w
	n := fillAll(reflect.ValueOf(w).Elem(), "world", map[reflect.Type]bool{})
	if n < 30 {
		t.Fatalf("filled only %d references: the walk is broken", n)
	}
	l.run.cfg = Config{Seed: 1, Timeline: []Action{{Do: Purge}}}
	l.run.s = sim.New[msg](sim.Config{Seed: 1, KeepTrace: true})
	l.run.s.At(3, msg{to: toApp, kind: appAction, conf: &Session{Name: "s"}})
	l.run.s.Rand("x").Uint64()
	l.run.s.Emit("app", "k", "", "", sim.Int("n", 1))
	w.cfg, w.s, w.moments = &l.run.cfg, l.run.s, nil
	w.app.cfg, w.daemon.cfg, w.net.cfg, w.server.cfg = w.cfg, w.cfg, w.cfg, w.cfg
	w.app.out, w.daemon.out, w.net.out = &w.out, &w.out, &w.out
	for i := range w.net.radios {
		w.net.radios[i].out = &w.out
	}
	d := &w.daemon
	d.rngSrc = sim.NewPCG(1, "force-quit")
	d.rng = rand.New(d.rngSrc)
	// Aliases the fork must keep.
	s := d.sessions[0]
	s.tasks[0].sess = s
	d.tasks[0] = s.tasks[0]
	d.invalidating = map[*bgSession]int32{s: 1}
	w.ledger.err = nil

	f := l.Fork()

	// Everything the original reaches, config data aside.
	orig := map[uintptr]string{}
	collect(reflect.ValueOf(l).Elem(), "live", orig, map[uintptr]bool{})
	lo := uintptr(unsafe.Pointer(l))
	hi := lo + unsafe.Sizeof(*l)
	var bad []string
	seen := map[uintptr]bool{}
	check(reflect.ValueOf(f).Elem(), "fork", func(addr uintptr, path string) {
		if p, ok := orig[addr]; ok {
			bad = append(bad, path+" shares "+p)
		} else if addr >= lo && addr < hi {
			bad = append(bad, path+" points into the original Live")
		}
	}, seen)
	if len(bad) > 0 {
		t.Errorf("the fork shares memory with the original; copy these in cloneInto:\n%s", strings.Join(bad, "\n"))
	}
	// Aliases kept.
	alias := map[uintptr]reflect.Value{}
	var broken []string
	pair(reflect.ValueOf(l).Elem(), reflect.ValueOf(f).Elem(), "live", alias, &broken)
	if len(broken) > 0 {
		t.Errorf("pointers to one object in the original point to different ones in the fork:\n%s", strings.Join(broken, "\n"))
	}
	if f.run.w.daemon.tasks[0] != f.run.w.daemon.sessions[0].tasks[0] || f.run.w.daemon.tasks[0].sess != f.run.w.daemon.sessions[0] {
		t.Error("the fork's task table and session lists hold different tasks")
	}
	if _, ok := f.run.w.daemon.invalidating[f.run.w.daemon.sessions[0]]; !ok {
		t.Error("the fork's invalidating map is keyed by the original's sessions")
	}
	if f.run.w.cfg != &f.run.cfg || f.run.w.app.cfg != &f.run.cfg || f.run.w.net.radios[1].out != &f.run.w.out {
		t.Error("the fork's actors point to the original's config or effects")
	}
}

// settable returns v, a field reached through unexported fields, as a
// value that can be set.
func settable(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// fillAll is fill (clone_test.go) for unexported fields too; interfaces
// and the kernel are left alone. It returns how many references it made.
func fillAll(v reflect.Value, path string, on map[reflect.Type]bool) int {
	v = settable(v)
	n := 0
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(rand.Rand{}) {
			return 0
		}
		for i := 0; i < v.NumField(); i++ {
			n += fillAll(v.Field(i), path+"."+v.Type().Field(i).Name, on)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			n += fillAll(v.Index(i), path+"[i]", on)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		n += 1 + fillAll(v.Index(0), path+"[0]", on)
	case reflect.Pointer:
		if v.Type() == reflect.TypeOf(&sim.Sim[msg]{}) || on[v.Type()] {
			// The kernel is set apart; a type within itself (a task's
			// session) is left nil inside.
			return 0
		}
		on[v.Type()] = true
		v.Set(reflect.New(v.Type().Elem()))
		n += 1 + fillAll(v.Elem(), "*"+path, on)
		delete(on, v.Type())
	case reflect.Map:
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fillAll(k, path+"[key]", on)
		n += 1 + fillAll(e, path+"[k]", on)
		v.Set(reflect.MakeMap(v.Type()))
		v.SetMapIndex(k, e)
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Interface, reflect.Func:
	default:
		panic("fillAll: unhandled kind " + v.Kind().String() + " at " + path)
	}
	return n
}

// configTypes are the types of the configuration's data: read only
// during a run, so a fork may share what they hold.
var configTypes = func() map[reflect.Type]bool {
	m := map[reflect.Type]bool{}
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		if m[t] {
			return
		}
		if t.Name() != "" && t.Kind() == reflect.Struct {
			m[t] = true
		}
		switch t.Kind() {
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				add(t.Field(i).Type)
			}
		case reflect.Pointer, reflect.Slice, reflect.Array:
			add(t.Elem())
		case reflect.Map:
			add(t.Key())
			add(t.Elem())
		}
	}
	add(reflect.TypeOf(Config{}))
	return m
}()

// isConfig reports whether v holds configuration data.
func isConfig(t reflect.Type) bool {
	if isSlab(t) {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		return configTypes[t.Elem()]
	}
	return configTypes[t]
}

// isSlab tells whether t is a pointer to a slab (slab.go): the pool a
// Runner's sessions and tasks come from, not state. A fork allocates its
// own objects and holds no slab.
func isSlab(t reflect.Type) bool {
	return t.Kind() == reflect.Pointer && strings.HasPrefix(t.Elem().Name(), "slab[")
}

// refs calls on with the address each pointer, slice and map under v
// refers to, outside configuration data, and the path to it.
func refs(v reflect.Value, path string, on func(addr uintptr, path string), seen map[uintptr]bool) {
	if v.Type() == reflect.TypeOf(sim.Record{}) {
		return // a trace record is never changed once made
	}
	if isConfig(v.Type()) && !(v.Kind() == reflect.Pointer && v.Type().Elem() == reflect.TypeOf(Config{})) {
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			refs(v.Field(i), path+"."+v.Type().Field(i).Name, on, seen)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			refs(v.Index(i), path+"["+itoa(i)+"]", on, seen)
		}
	case reflect.Slice:
		if v.Cap() == 0 {
			return
		}
		on(v.Pointer(), path)
		for i := 0; i < v.Len(); i++ {
			refs(v.Index(i), path+"["+itoa(i)+"]", on, seen)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		on(v.Pointer(), path)
		if v.Type().Elem() == reflect.TypeOf(Config{}) || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		refs(v.Elem(), "*"+path, on, seen)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		on(v.Pointer(), path)
		it := v.MapRange()
		for it.Next() {
			refs(it.Key(), path+"[key]", on, seen)
			refs(it.Value(), path+"[value]", on, seen)
		}
	case reflect.Interface:
		if !v.IsNil() {
			refs(v.Elem(), path+".(dyn)", on, seen)
		}
	}
}

func collect(v reflect.Value, path string, into map[uintptr]string, seen map[uintptr]bool) {
	refs(v, path, func(addr uintptr, p string) {
		if _, ok := into[addr]; !ok {
			into[addr] = p
		}
	}, seen)
}

func check(v reflect.Value, path string, on func(addr uintptr, path string), seen map[uintptr]bool) {
	refs(v, path, on, seen)
}

// pair walks o and its fork f side by side and notes where one pointer
// of o becomes two of f.
func pair(o, f reflect.Value, path string, alias map[uintptr]reflect.Value, broken *[]string) {
	if isConfig(o.Type()) {
		return
	}
	switch o.Kind() {
	case reflect.Struct:
		for i := 0; i < o.NumField(); i++ {
			pair(o.Field(i), f.Field(i), path+"."+o.Type().Field(i).Name, alias, broken)
		}
	case reflect.Array, reflect.Slice:
		if o.Len() != f.Len() {
			*broken = append(*broken, path+": lengths differ")
			return
		}
		for i := 0; i < o.Len(); i++ {
			pair(o.Index(i), f.Index(i), path+"["+itoa(i)+"]", alias, broken)
		}
	case reflect.Pointer:
		if o.IsNil() != f.IsNil() {
			*broken = append(*broken, path+": nil in one only")
			return
		}
		if o.IsNil() {
			return
		}
		if prev, ok := alias[o.Pointer()]; ok {
			if prev.Pointer() != f.Pointer() {
				*broken = append(*broken, path)
			}
			return
		}
		alias[o.Pointer()] = f
		pair(o.Elem(), f.Elem(), "*"+path, alias, broken)
	case reflect.Map:
		if o.Len() != f.Len() {
			*broken = append(*broken, path+": sizes differ")
			return
		}
		it := o.MapRange()
		for it.Next() {
			k := it.Key()
			if k.Kind() == reflect.Pointer {
				fk, ok := alias[k.Pointer()]
				if !ok {
					continue
				}
				k = fk
			}
			fv := f.MapIndex(k)
			if !fv.IsValid() {
				*broken = append(*broken, path+": a key is missing")
				continue
			}
			pair(it.Value(), fv, path+"[k]", alias, broken)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
