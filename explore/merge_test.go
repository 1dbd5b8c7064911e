package explore

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// shards explores sc in n slices, each written as JSON and read back, as
// machines would.
func shards(t *testing.T, arg string, opt Options, n int) []*Report {
	t.Helper()
	sc := load(t, arg)
	var parts []*Report
	for k := 1; k <= n; k++ {
		o := opt
		o.Shard, o.Shards = k, n
		rep := explore(t, sc, o)
		var b bytes.Buffer
		if err := rep.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		back, err := ReadJSON(&b)
		if err != nil {
			t.Fatalf("slice %d/%d: %v\n%s", k, n, err, b.String())
		}
		parts = append(parts, back)
	}
	return parts
}

func TestSlicesMergeToTheWhole(t *testing.T) {
	for _, c := range []struct {
		arg string
		opt Options
	}{
		{"auth-challenge", Options{Depth: 1, Faults: userFaults}},
		{"testdata/planted-bug.yaml", Options{Depth: 2}},
		{"auth-challenge", Options{Depth: 2, Random: 50, Seed: 3}},
	} {
		sc := load(t, c.arg)
		whole := explore(t, sc, c.opt)
		for _, n := range []int{1, 3} {
			merged, err := Merge(sc, shards(t, c.arg, c.opt, n))
			if err != nil {
				t.Fatalf("%s in %d: %v", c.arg, n, err)
			}
			if !reflect.DeepEqual(merged, whole) {
				t.Errorf("%s in %d slices:\n%+v\nwhole:\n%+v", c.arg, n, merged, whole)
			}
		}
	}
}

func TestMergeRefuses(t *testing.T) {
	const arg = "auth-challenge"
	sc := load(t, arg)
	fresh := func() []*Report { return shards(t, arg, Options{Depth: 1, Faults: userFaults}, 2) }
	for _, c := range []struct {
		name   string
		tamper func([]*Report) []*Report
		want   string
	}{
		{"a slice twice", func(p []*Report) []*Report { return []*Report{p[0], p[0]} }, "missing from or given twice"},
		{"a slice missing", func(p []*Report) []*Report { return p[:1] }, "1 reports for 2 slices"},
		{"other options", func(p []*Report) []*Report { p[1].Depth = 2; return p }, "other options"},
		{"another scenario", func(p []*Report) []*Report { p[0].Source = "00"; return p }, "another scenario"},
		{"a failure that does not happen", func(p []*Report) []*Report {
			for _, r := range p {
				for i := range r.Failures {
					if len(r.Failures[i].Faults) == 1 {
						// A purge at the start finds the app in the
						// foreground: it changes nothing. It is the
						// earliest schedule, so the merge takes it.
						r.Failures[i].Faults[0] = Fault{Kind: 0, At: 0}
						return p
					}
				}
			}
			t.Fatal("no failure to tamper with")
			return p
		}, "does not fail that way"},
		{"more faults than the depth", func(p []*Report) []*Report {
			// A purge at the start changes nothing, so every
			// counterexample still fails with it: but a depth-1
			// exploration never runs a schedule of two faults.
			for _, r := range p {
				for i := range r.Failures {
					r.Failures[i].Faults = append([]Fault{{Kind: 0, At: 0}}, r.Failures[i].Faults...)
				}
			}
			return p
		}, "more faults than the depth"},
		{"a window without its minimal counterexample", func(p []*Report) []*Report {
			for _, r := range p {
				for i := range r.Failures {
					r.Failures[i].First, r.Failures[i].Last = 1000*sim.Hour, 1001*sim.Hour
				}
			}
			return p
		}, "window"},
		{"a fault not injected", func(p []*Report) []*Report {
			for _, r := range p {
				if len(r.Failures) > 0 {
					r.Failures[0].Faults = []Fault{{Kind: 0, At: 0, For: sim.Second}} // a purge that lasts
					return p
				}
			}
			return p
		}, "does not inject"},
	} {
		_, err := Merge(sc, c.tamper(fresh()))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestReadJSONRefuses(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{`{"format": 1, "extra": 1}`, "unknown field"},
		{`{"format": 2}`, "format 2"},
		{`{"format": 1, "depth": 9}`, "depth 9"},
		{`{"format": 1, "schedules": 2000000000000}`, "a slice makes at most"},
		{`{"format": 1, "schedules": 1, "failures": [{"fate": "lost", "rule": "R-NOPE", "count": 1}]}`, "not in the catalog"},
		{`{"format": 1, "schedules": 1, "failures": [{"fate": "lost", "count": 5}]}`, "counted 5 times"},
		{`{"format": 1, "schedules": 2, "failures": [{"fate": "lost", "count": 1, "first": "0s", "last": "0s", "faults": [{"kind": "purj", "at": "1s"}]}]}`, `no fault "purj"`},
		{`{"format": 1, "schedules": 2, "failures": [{"fate": "lost", "count": 1, "first": "-5s", "last": "0s"}]}`, "window"},
		{`{"format": 1, "schedules": 2, "failures": [{"fate": "lost", "count": 1, "first": "9s", "last": "2s"}]}`, "window"},
		{`{"format": 1} {}`, "more than one"},
		{strings.Repeat(" ", MaxReportBytes+1), "larger than"},
	} {
		_, err := ReadJSON(strings.NewReader(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.60s: %v, want %q", c.doc, err, c.want)
		}
	}
}

// A random slice's failure names the seed that draws its counterexample
// (--random 1 --seed N draws it again): merge refuses a seed that draws
// another schedule, so the merged report never prints a false replay.
func TestMergeRefusesASeedThatDrawsAnotherSchedule(t *testing.T) {
	const arg = "auth-challenge"
	sc := load(t, arg)
	opt := Options{Depth: 2, Random: 50, Seed: 3, Faults: userFaults}
	parts := shards(t, arg, opt, 2)
	if _, err := Merge(sc, parts); err != nil {
		t.Fatalf("untampered: %v", err)
	}
	tampered := 0
	for _, r := range parts {
		for i := range r.Failures {
			if len(r.Failures[i].Faults) > 0 {
				r.Failures[i].Seed += 1000
				tampered++
			}
		}
	}
	if tampered == 0 {
		t.Fatal("no random failure to tamper with")
	}
	_, err := Merge(sc, parts)
	if err == nil || !strings.Contains(err.Error(), "does not draw") {
		t.Errorf("merge of tampered seeds: %v, want a refusal (\"does not draw\")", err)
	}
}

// Slices of one variant (--variant) are slices of another exploration
// than the whole scenario's: merge joins them only with slices of the
// same variant, and says which variant the merged report explored.
func TestMergeKeepsTheVariant(t *testing.T) {
	const arg = "share-extension-upload"
	sc := load(t, arg)
	a := shards(t, arg, Options{Depth: 1, Variant: "delivered"}, 2)
	b := shards(t, arg, Options{Depth: 1, Variant: "app-holds-identifier"}, 2)
	if _, err := Merge(sc, []*Report{a[0], b[1]}); err == nil || !strings.Contains(err.Error(), "other options") {
		t.Errorf("slices of two variants merged: %v, want a refusal (\"other options\")", err)
	}
	merged, err := Merge(sc, a)
	if err != nil {
		t.Fatal(err)
	}
	whole := explore(t, sc, Options{Depth: 1, Variant: "delivered"})
	if merged.Variant != "delivered" || !reflect.DeepEqual(merged, whole) {
		t.Errorf("merged slices of variant delivered:\n%+v\nwhole:\n%+v", merged, whole)
	}
}
