package main

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/bgsim/bgsim/report"
	"github.com/bgsim/bgsim/scenarios"
)

// runJSON runs `bgsim run --format json args...` and decodes the document,
// refusing a field the Document type does not know.
func runJSON(t *testing.T, args ...string) report.Document {
	t.Helper()
	code, stdout, stderr := bgsim(t, append([]string{"run", "--format", "json"}, args...)...)
	if code != exitOK {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(stdout)))
	dec.DisallowUnknownFields()
	var doc report.Document
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return doc
}

// nullLists returns the paths of the lists under v that are nil: decoded
// from JSON, a list written [] is an empty slice and one written null is
// nil.
func nullLists(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return nullLists(v.Elem(), path)
		}
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name := f.Name
			if tag := f.Tag.Get("json"); tag != "" {
				name = tag
			}
			out = append(out, nullLists(v.Field(i), path+"."+name)...)
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return []string{path}
		}
		var out []string
		for i := range v.Len() {
			out = append(out, nullLists(v.Index(i), path+"["+strconv.Itoa(i)+"]")...)
		}
		return out
	}
	return nil
}

// Every list in the JSON of every embedded scenario is [], never null.
func TestRunJSONNoNullList(t *testing.T) {
	for _, name := range scenarios.Names() {
		doc := runJSON(t, name)
		if doc.Format != report.JSONFormat || len(doc.Runs) == 0 {
			t.Errorf("%s: format %d, %d runs", name, doc.Format, len(doc.Runs))
		}
		if null := nullLists(reflect.ValueOf(doc), name); len(null) > 0 {
			t.Errorf("%s: null lists: %v", name, null)
		}
		// Every scenario: the bytes by interface add up to bytes_sent,
		// and an upload starts no earlier than it was handed off.
		for _, run := range doc.Runs {
			for _, u := range run.Uploads {
				var sum int64
				for _, i := range u.Interfaces {
					sum += i.BytesSent
				}
				if sum != u.BytesSent {
					t.Errorf("%s/%s %s: interfaces %+v add up to %d, bytes_sent %d", name, run.Variant, u.ID, u.Interfaces, sum, u.BytesSent)
				}
				if u.StartedAtS != nil && (*u.StartedAtS < *u.CreatedAtS || u.HandedOffAtS != nil && *u.StartedAtS < *u.HandedOffAtS) {
					t.Errorf("%s/%s %s: started at %v before it was created (%v) or handed off (%v)", name, run.Variant, u.ID, *u.StartedAtS, *u.CreatedAtS, u.HandedOffAtS)
				}
			}
		}
	}
}

// The walk finds a null list: the test above can fail.
func TestNullListsFindsNull(t *testing.T) {
	doc := report.Document{Runs: []report.Run{{Uploads: []report.Upload{{}}}}}
	got := nullLists(reflect.ValueOf(doc), "d")
	if !slices.Contains(got, "d.runs[0].crashes") || !slices.Contains(got, "d.runs[0].uploads[0].interfaces") {
		t.Errorf("null lists %v; want crashes and the upload's interfaces among them", got)
	}
}

// app-purged-mid-upload: the upload's times come in order, it went over
// one interface with its 5 MB in one attempt, and the one wake relaunched
// the app, whose code created com.example.upload and called the handler.
func TestRunJSONAppPurgedFields(t *testing.T) {
	doc := runJSON(t, "app-purged-mid-upload")
	if len(doc.Runs) != 1 || len(doc.Runs[0].Uploads) != 1 {
		t.Fatalf("want one run with one upload: %+v", doc.Runs)
	}
	run := doc.Runs[0]
	u := run.Uploads[0]
	times := []*float64{u.CreatedAtS, u.HandedOffAtS, u.StartedAtS, u.ServerReceivedAtS, u.SettledAtS}
	for i, p := range times {
		if p == nil {
			t.Fatalf("time %d of created, handed off, started, server received, settled is null", i)
		}
		if i > 0 && *p < *times[i-1] {
			t.Errorf("time %d (%v) before time %d (%v)", i, *p, i-1, *times[i-1])
		}
	}
	if len(u.Interfaces) != 1 || u.Interfaces[0] != (report.InterfaceUse{Interface: "wifi", BytesSent: 5_000_000}) {
		t.Errorf("interfaces %+v; want wifi with 5000000 bytes", u.Interfaces)
	}
	if u.Attempts != 1 || u.LimiterDelayS != 0 || u.ResumedFrom != "" {
		t.Errorf("attempts %d, limiter delay %v, resumed from %q; want 1, 0, none", u.Attempts, u.LimiterDelayS, u.ResumedFrom)
	}
	if len(run.Wakes) != 1 {
		t.Fatalf("wakes %+v; want one", run.Wakes)
	}
	w := run.Wakes[0]
	if w.Cause != "relaunch" || w.Identifier != "com.example.upload" || w.Came != "relaunch" || w.App == nil {
		t.Fatalf("wake %+v; want a relaunch for com.example.upload that reached the app", w)
	}
	a := w.App
	if !slices.Equal(a.Created, []string{"com.example.upload"}) || !a.HandlerStored || a.HandlerCalledAtS == nil {
		t.Errorf("the app's code created %v, stored the handler %v, called it at %v; want com.example.upload, true, a time", a.Created, a.HandlerStored, a.HandlerCalledAtS)
	}
	if a.AllowanceUsedS == nil || a.HandlerCalledAtS == nil || math.Abs(*a.AllowanceUsedS-(*a.HandlerCalledAtS-a.AtS)) > 1e-9 || *a.AllowanceUsedS <= 0 {
		t.Errorf("allowance used %v; want the time from the wake (%v) to the handler's call (%v)", a.AllowanceUsedS, a.AtS, a.HandlerCalledAtS)
	}
	// The upload was delivered on the wake: settled when the handler
	// was called, after the wake reached the app.
	if *u.SettledAtS < a.AtS || *u.SettledAtS > *a.HandlerCalledAtS {
		t.Errorf("settled at %v; want within the wake, %v to %v", *u.SettledAtS, a.AtS, *a.HandlerCalledAtS)
	}
}

// rate-limited-chain: each upload the chain creates in the background
// after a wake is held by the rate limiter, and starts that much later
// (unless the user opens the app first, which lifts the hold).
func TestRunJSONLimiterDelay(t *testing.T) {
	doc := runJSON(t, "rate-limited-chain")
	held := 0
	for _, run := range doc.Runs {
		for _, u := range run.Uploads {
			if u.LimiterDelayS == 0 {
				continue
			}
			held++
			if u.HandedOffAtS == nil || u.StartedAtS == nil || *u.StartedAtS > *u.HandedOffAtS+u.LimiterDelayS+1e-9 {
				t.Errorf("%s: handed off at %v, started at %v; want it started within its hold of %vs", u.ID, u.HandedOffAtS, u.StartedAtS, u.LimiterDelayS)
			}
		}
		// The second upload, created on the first wake, waits the first
		// delay (60 s) that wake set.
		if len(run.Uploads) < 2 || len(run.Wakes) == 0 {
			t.Fatalf("%s: %d uploads, %d wakes", run.Variant, len(run.Uploads), len(run.Wakes))
		}
		u2 := run.Uploads[1]
		if u2.LimiterDelayS != 60 || run.Wakes[0].DelaySetS != 60 || math.Abs(*u2.StartedAtS-(*u2.HandedOffAtS+60)) > 1e-9 {
			t.Errorf("%s: u2 held %vs, started at %v, handed off at %v; the first wake set %vs; want 60 s, started 60 s after", run.Variant,
				u2.LimiterDelayS, *u2.StartedAtS, *u2.HandedOffAtS, run.Wakes[0].DelaySetS)
		}
	}
	if held == 0 {
		t.Error("no upload held by the rate limiter")
	}
}
