package model

import (
	"errors"
	"reflect"
	"testing"
)

// TestCloneOwnsEverything fills every field of a Config (every slice with
// an element, every pointer and map set), clones it, changes every value
// reachable from the clone, and checks the original is unchanged. The
// fields are found by reflection, so a new slice, pointer or map field
// that Clone forgets fails here.
func TestCloneOwnsEverything(t *testing.T) {
	var orig, want Config
	refs := fill(reflect.ValueOf(&orig).Elem(), "Config")
	fill(reflect.ValueOf(&want).Elem(), "Config")
	if len(refs) < 5 {
		t.Fatalf("found only %v: the walk is broken", refs)
	}
	clone := orig.Clone()
	if !reflect.DeepEqual(clone, want) {
		t.Fatal("the clone differs from the original")
	}
	mutate(reflect.ValueOf(&clone).Elem())
	if reflect.DeepEqual(clone, want) {
		t.Fatal("mutate changed nothing")
	}
	if !reflect.DeepEqual(orig, want) {
		t.Errorf("changing the clone changed the original; Clone must copy each of %v", refs)
	}
}

// fill gives every value under v a non-zero value, every slice one
// element, every pointer a target and every map an entry; it returns the
// paths of the slices, pointers and maps.
func fill(v reflect.Value, path string) []string {
	var refs []string
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			refs = append(refs, fill(v.Field(i), path+"."+v.Type().Field(i).Name)...)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			refs = append(refs, fill(v.Index(i), path+"[i]")...)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		refs = append(append(refs, path), fill(v.Index(0), path+"[0]")...)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		refs = append(append(refs, path), fill(v.Elem(), "*"+path)...)
	case reflect.Map:
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, path+"[key]")
		refs = append(append(refs, path), fill(e, path+"[k]")...)
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
	default:
		panic("fill: unhandled kind " + v.Kind().String() + " at " + path)
	}
	return refs
}

// mutate changes every value reachable from v, through slices, pointers
// and maps.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			mutate(v.Field(i))
		}
	case reflect.Array, reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			mutate(v.Index(i))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			mutate(v.Elem())
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			mutate(e)
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		v.SetString(v.String() + "y")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 1)
	default:
		panic("mutate: unhandled kind " + v.Kind().String())
	}
}

// TestCheckNamesTheField: Check's error is a FieldErrors whose path names
// the field as the scenario schema does, counting from 0.
func TestCheckNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		path   string
		change func(c *Config)
	}{
		{"device.ios", func(c *Config) { c.IOS = 3 }},
		{"network.wifi.up", func(c *Config) { c.Network.Interfaces[WiFi].UpBitsPerSecond = 1 }},
		{"network.cellular.radio.tail[0].watts", func(c *Config) { c.Network.Interfaces[Cellular].Radio.Tail[0].Watts = -1 }},
		{"app.uploads.photo.size", func(c *Config) { c.App.Uploads[0].Bytes = -1 }},
		{"app.uploads.photo.session", func(c *Config) { c.App.Uploads[0].Session = "nope" }},
		{"timeline[1].at", func(c *Config) { c.Timeline[1].At = -1 }},
		{"timeline[1].upload", func(c *Config) { c.Timeline[1].Upload = "nope" }},
	} {
		b := base()
		b.Network = DefaultNetwork()
		// A clone, so that changing a radio's tail leaves the profile
		// table alone.
		c := b.Clone()
		if err := c.Check(); err != nil {
			t.Fatalf("%s: the base config fails: %v", tc.path, err)
		}
		tc.change(&c)
		var l FieldErrors
		if err := c.Check(); !errors.As(err, &l) || len(l) != 1 || l[0].Path != tc.path {
			t.Errorf("%s: Check() = %#v", tc.path, err)
		}
	}
}
