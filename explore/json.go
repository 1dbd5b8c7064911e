package explore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// JSONFormat is the version of the document WriteJSON writes: fields are
// added, never removed.
const JSONFormat = 1

// Bounds on a report read back (ReadJSON): a shard comes from another
// machine, maybe from a stranger. maxSliceSchedules keeps the sum of
// MaxShards slices' counts far from overflowing.
const (
	maxSliceSchedules = 1 << 40
	MaxReportBytes    = 16 << 20
	MaxFailures       = 10_000
)

type reportJSON struct {
	Format   int    `json:"format"`
	Scenario string `json:"scenario"`
	// Source identifies the scenario as written (sha256 of its file).
	Source     string        `json:"scenario_sha256"`
	Model      string        `json:"model,omitempty"`
	Shard      string        `json:"shard,omitempty"`
	Variant    string        `json:"variant,omitempty"`
	Depth      int           `json:"depth"`
	Faults     []string      `json:"faults"`
	DurationsS []float64     `json:"durations_s"`
	Durations  []string      `json:"durations"`
	Property   []string      `json:"property"`
	Random     int           `json:"random"`
	Seed       uint64        `json:"seed"`
	Schedules  int           `json:"schedules"`
	Pruned     int           `json:"pruned"`
	Failures   []failureJSON `json:"failures"`
}

type failureJSON struct {
	Variant     string      `json:"variant"`
	Fate        string      `json:"fate"`
	Rule        string      `json:"rule"`
	Count       int         `json:"count"`
	Faults      []faultJSON `json:"faults"`
	Seed        uint64      `json:"seed,omitempty"`
	FirstS      float64     `json:"first_s"`
	LastS       float64     `json:"last_s"`
	First       string      `json:"first"`
	Last        string      `json:"last"`
	Upload      string      `json:"upload"`
	Reason      string      `json:"reason"`
	Rules       []string    `json:"rules"`
	Fingerprint string      `json:"fingerprint"`
	File        string      `json:"file"`
}

type faultJSON struct {
	Kind string  `json:"kind"`
	AtS  float64 `json:"at_s"`
	At   string  `json:"at"`
	ForS float64 `json:"for_s"`
	For  string  `json:"for,omitempty"`
}

// WriteJSON writes rep as one JSON document. Times are given twice: in
// seconds (at_s), for people and plots, and exactly, as Go durations
// (at), for a merge. Lists are [], never null.
func (rep *Report) WriteJSON(w io.Writer) error {
	doc := reportJSON{Format: JSONFormat, Scenario: rep.Scenario, Source: rep.Source, Model: rep.Model, Variant: rep.Variant, Depth: rep.Depth,
		Faults: nonNil(rep.Faults), Property: nonNil(rep.Property), Random: rep.Random, Seed: rep.Seed,
		Schedules: rep.Schedules, Pruned: rep.Pruned, DurationsS: []float64{}, Durations: []string{}, Failures: []failureJSON{}}
	if rep.Shards > 0 {
		doc.Shard = fmt.Sprintf("%d/%d", rep.Shard, rep.Shards)
	}
	for _, d := range rep.Durations {
		doc.DurationsS = append(doc.DurationsS, d.Seconds())
		doc.Durations = append(doc.Durations, d.String())
	}
	for _, f := range rep.Failures {
		j := failureJSON{Variant: f.Variant, Fate: f.Fate, Rule: f.Rule, Count: f.Count, Seed: f.Seed,
			FirstS: f.First.Seconds(), LastS: f.Last.Seconds(), First: f.First.String(), Last: f.Last.String(),
			Upload: f.Upload, Reason: f.Reason, Fingerprint: f.Fingerprint.String(), File: f.File,
			Faults: []faultJSON{}, Rules: []string{}}
		for _, x := range f.Faults {
			fj := faultJSON{Kind: x.Name(), AtS: x.At.Seconds(), At: x.At.String(), ForS: x.For.Seconds()}
			if x.For > 0 {
				fj.For = x.For.String()
			}
			j.Faults = append(j.Faults, fj)
		}
		for _, r := range f.Chain {
			j.Rules = append(j.Rules, string(r))
		}
		doc.Failures = append(doc.Failures, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ReadJSON reads a report WriteJSON wrote, as a merge does: at most
// MaxReportBytes, strictly (an unknown key is an error), every value in
// its range. The failures' upload, reason, rules and fingerprint are not
// trusted: a merge runs each minimal counterexample again.
func ReadJSON(r io.Reader) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxReportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxReportBytes {
		return nil, fmt.Errorf("larger than %d bytes: not a bgsim explore report", MaxReportBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc reportJSON
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a bgsim explore report: %v", err)
	}
	if dec.More() {
		return nil, errors.New("more than one JSON document")
	}
	if doc.Format != JSONFormat {
		return nil, fmt.Errorf("format %d: this bgsim reads format %d", doc.Format, JSONFormat)
	}
	rep := &Report{Scenario: doc.Scenario, Source: doc.Source, Model: doc.Model, Variant: doc.Variant, Depth: doc.Depth, Faults: doc.Faults,
		Property: doc.Property, Random: doc.Random, Seed: doc.Seed, Schedules: doc.Schedules, Pruned: doc.Pruned}
	switch {
	case doc.Depth < 0 || doc.Depth > MaxDepth:
		return nil, fmt.Errorf("depth %d: want 0 to %d", doc.Depth, MaxDepth)
	case doc.Random < 0 || doc.Random > MaxRandom:
		return nil, fmt.Errorf("random %d: want 0 to %d", doc.Random, MaxRandom)
	case doc.Schedules > maxSliceSchedules:
		return nil, fmt.Errorf("%d schedules: a slice makes at most %d", doc.Schedules, maxSliceSchedules)
	case doc.Schedules < 0 || doc.Pruned < 0 || doc.Pruned > doc.Schedules:
		return nil, fmt.Errorf("%d schedules, %d pruned: want 0 ≤ pruned ≤ schedules", doc.Schedules, doc.Pruned)
	case len(doc.Failures) > MaxFailures:
		return nil, fmt.Errorf("%d failures: at most %d", len(doc.Failures), MaxFailures)
	case len(doc.Durations) > MaxDurations || len(doc.Faults) > len(Kinds) || len(doc.Property) > len(Properties):
		return nil, errors.New("more durations, faults or properties than there are")
	}
	if doc.Shard != "" {
		k, n, ok := parseShard(doc.Shard)
		if !ok {
			return nil, fmt.Errorf("shard %q: want K/N", doc.Shard)
		}
		rep.Shard, rep.Shards = k, n
	}
	for _, s := range doc.Durations {
		d, err := parseTime(s)
		if err != nil || d <= 0 || d > 7*24*sim.Hour {
			return nil, fmt.Errorf("duration %q: want above 0s and at most 7d", s)
		}
		rep.Durations = append(rep.Durations, d)
	}
	for _, f := range doc.Failures {
		if f.Count < 1 || f.Count > doc.Schedules {
			return nil, fmt.Errorf("a failure counted %d times in %d schedules", f.Count, doc.Schedules)
		}
		if len(f.Faults) > MaxDepth {
			return nil, fmt.Errorf("a counterexample of %d faults: at most %d", len(f.Faults), MaxDepth)
		}
		if _, ok := model.LookupRule(f.Rule); !ok && f.Fate != "expect" && f.Rule != "" {
			return nil, fmt.Errorf("failure rule %q: not in the catalog", f.Rule)
		}
		g := Failure{Variant: f.Variant, Fate: f.Fate, Rule: f.Rule, Count: f.Count, Seed: f.Seed}
		if g.First, err = parseTime(f.First); err != nil {
			return nil, fmt.Errorf("first %q: %v", f.First, err)
		}
		if g.Last, err = parseTime(f.Last); err != nil {
			return nil, fmt.Errorf("last %q: %v", f.Last, err)
		}
		if g.First < 0 || g.Last < g.First {
			return nil, fmt.Errorf("window %s to %s: want 0s ≤ first ≤ last", g.First, g.Last)
		}
		for _, x := range f.Faults {
			k, err := kindIndex(x.Kind)
			if err != nil {
				return nil, err
			}
			fault := Fault{Kind: k}
			if fault.At, err = parseTime(x.At); err != nil || fault.At < 0 {
				return nil, fmt.Errorf("fault at %q: want a duration from the start", x.At)
			}
			if Kinds[k].Timed() {
				if fault.For, err = parseTime(x.For); err != nil || fault.For <= 0 {
					return nil, fmt.Errorf("%s for %q: want a duration above 0s", x.Kind, x.For)
				}
			}
			g.Faults = append(g.Faults, fault)
		}
		if !slices.IsSortedFunc(g.Faults, Fault.compare) {
			return nil, errors.New("a counterexample's faults out of order")
		}
		rep.Failures = append(rep.Failures, g)
	}
	return rep, nil
}

// parseTime reads a duration as Time.String writes it, exactly.
func parseTime(s string) (sim.Time, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New("want a duration like 21.8223048s")
	}
	return sim.Duration(d), nil
}

// parseShard reads K/N with 1 ≤ K ≤ N ≤ MaxShards.
func parseShard(s string) (k, n int, ok bool) {
	a, b, found := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	return k, n, found && err1 == nil && err2 == nil && k >= 1 && k <= n && n <= MaxShards
}

// ParseShard reads a --shard K/N value.
func ParseShard(s string) (k, n int, err error) {
	k, n, ok := parseShard(s)
	if !ok {
		return 0, 0, fmt.Errorf("want K/N with 1 ≤ K ≤ N ≤ %d, like 2/3", MaxShards)
	}
	return k, n, nil
}
