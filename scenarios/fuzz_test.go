package scenarios

import (
	"errors"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// FuzzLoad feeds the loader arbitrary bytes: it must return a scenario or
// positioned errors, never panic. Seeded with the embedded library; inputs
// the fuzzer finds are kept under testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	for _, n := range Names() {
		src, _ := Source(n)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Load("fuzz.yaml", data)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is not a list of positioned errors: %v", err)
			}
			return
		}
		if len(sc.Variants) == 0 {
			t.Fatal("a loaded scenario has no runs")
		}
	})
}

// FuzzLoadRun loads and runs arbitrary bytes: whatever loads must run to
// an outcome or to an error that names a limit, with the ledger
// conserved, never a panic or a hang. Runs are capped at 20000 events to
// keep each input quick; exceeding the cap is the budget error.
func FuzzLoadRun(f *testing.F) {
	for _, n := range Names() {
		src, _ := Source(n)
		f.Add(src)
	}
	for _, doc := range boundSeeds() {
		f.Add([]byte(doc))
	}
	f.Fuzz(loadRun)
}

// loadRun is FuzzLoadRun's body.
func loadRun(t *testing.T, data []byte) {
	sc, err := Load("fuzz.yaml", data)
	if err != nil {
		return
	}
	for i := range sc.Variants {
		sc.Variants[i].Config.MaxEvents = min(sc.Variants[i].Config.MaxEvents, 20_000)
	}
	results, err := sc.Run(RunOptions{})
	if err != nil {
		if !strings.Contains(err.Error(), "event budget") && !strings.Contains(err.Error(), "sim: more than") {
			t.Fatalf("a loaded scenario failed to run: %v", err)
		}
		return
	}
	for _, r := range results {
		n := 0
		for _, fate := range model.Fates {
			n += r.Count(fate)
		}
		if n != len(r.Uploads) {
			t.Fatalf("fates do not add up: %d of %d", n, len(r.Uploads))
		}
	}
	sc.Check(results)
}

// Every bound seed loads, or is refused with positioned errors, and what
// loads runs to an outcome at its horizon: no panic, no internal error.
func TestUntrusted1_BoundSeedsRun(t *testing.T) {
	loaded := 0
	for _, doc := range boundSeeds() {
		if _, err := Load("b.yaml", []byte(doc)); err == nil {
			loaded++
		}
		loadRun(t, []byte(doc))
	}
	if loaded < 100 {
		t.Errorf("only %d of %d bound seeds load; the seeds are broken", loaded, len(boundSeeds()))
	}
}

// FuzzSweepParams lets the fuzzer choose a sweep parameter, how it varies
// and its values; whatever loads is planned and a few of its runs are
// made. Nothing may panic, and a run may fail only because the model
// refused its configuration, never inside the model.
func FuzzSweepParams(f *testing.F) {
	f.Add(uint8(0), uint8(0), "1s", "2s")
	f.Add(uint8(3), uint8(4), "0s", "30s")
	f.Add(uint8(20), uint8(2), "-5", "10")
	f.Add(uint8(21), uint8(4), "7", "1")
	f.Add(uint8(30), uint8(1), "2562047h", "")
	f.Fuzz(func(t *testing.T, which, kind uint8, a, b string) {
		for _, s := range []string{a, b} {
			if strings.ContainsAny(s, "\n{}[]:,#&*!|>'\"%@`") {
				return
			}
		}
		c := &model.Config{}
		sc0, err := Load("base.yaml", []byte(sweepFuzzBase))
		if err != nil {
			t.Fatal(err)
		}
		*c = sc0.Variants[0].Config
		paths := paramPaths(c)
		path := paths[int(which)%len(paths)]
		var dist string
		switch kind % 6 {
		case 0:
			dist = "uniform: [" + a + ", " + b + "]"
		case 1:
			dist = "exponential: " + a
		case 2:
			dist = "normal: [" + a + ", " + b + "]"
		case 3:
			dist = "lognormal: [" + a + ", " + b + "]"
		case 4:
			dist = "grid: [" + a + ", " + b + "]"
		default:
			dist = "range: [" + a + ", " + b + ", " + a + "]"
		}
		sc, err := Load("s.yaml", []byte(sweepFuzzBase+"sweep: {runs: 3, vary: {"+path+": {"+dist+"}}}\n"))
		if err != nil {
			return
		}
		for i := range sc.Variants {
			sc.Variants[i].Config.MaxEvents = 20_000
		}
		sw, err := sc.Plan(0, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Each run as run.Sweep makes it: an error is a limit the run
		// exceeded (a statistic), or a configuration the model refuses
		// (which stops a sweep); never a failure inside the model.
		for i := range min(sw.Jobs(), 6) {
			cfg, _ := sw.Config(i)
			_, err := model.Run(cfg)
			var be *sim.BudgetError
			var cpe *sim.CapacityError
			if err == nil || errors.As(err, &be) || errors.As(err, &cpe) {
				if err != nil && !strings.Contains(err.Error(), "event budget") && !strings.Contains(err.Error(), "sim: more than") {
					t.Fatalf("a record's error is not a limit: %s", err)
				}
				continue
			}
			var ce *model.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("%s: %s: a run failed inside the model: %v", path, dist, err)
			}
			break
		}
	})
}

const sweepFuzzBase = `name: f
title: F
horizon: 2h
variants:
  other: {params: {force_quit: continue}}
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB, begin_after: 1s}
  workload: {items: 3, size: 1KB, every: 1m, session: up, strategy: batched, batch: {count: 2, window: 1m}}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
  - {at: 3s, do: background}
  - {at: 30s, do: purge}
  - {at: 1m, do: force-quit}
  - {at: 90s, do: launch}
`

// boundSeeds are scenarios that set one parameter of the range table at
// and beyond its bounds: its minimum, its maximum, just above, zero, a
// negative value and a huge one. A mutation of one of them is how the
// fuzzer finds what one parameter at an extreme does to a run.
func boundSeeds() []string {
	const base = `name: b
title: B
horizon: 2h
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
  workload: {items: 3, size: 1KB, every: 1m, session: up, strategy: batched, batch: {count: 2}}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
  - {at: 3s, do: background}
  - {at: 1m, do: outage, for: 10s}
  - {at: 2m, do: bandwidth, interface: wifi, up: 1Mbps}
`
	var docs []string
	for _, r := range paramRanges {
		over, huge := r.unit().text(r.Max+1), "1e308"
		switch r.unit() {
		case unitDuration:
			over, huge = r.unit().text(r.Max)+"1ns", "2562047h"
		case unitBitrate:
			over, huge = "1001Gbps", "1000000000Gbps"
		case unitSize:
			over, huge = "101GB", "1000000TB"
		case unitInt, unitPercent, unitCount:
			huge = "9223372036854775807"
		}
		for _, v := range []string{r.unit().text(r.Min), r.unit().text(r.Max), over, "0", "-1", huge} {
			v = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(v, " W per Mbit/s"), " W"), " J")
			v = strings.TrimSuffix(v, "%")
			docs = append(docs, seedDoc(base, r.Path, v))
		}
	}
	return docs
}

// seedDoc sets the parameter at path (as in the range table) to v in base.
func seedDoc(base, path, v string) string {
	path = strings.ReplaceAll(path, "<interface>", "wifi")
	switch {
	case strings.HasPrefix(path, "app.sessions.<name>."):
		f := strings.TrimPrefix(path, "app.sessions.<name>.")
		return strings.Replace(base, "delegate: D}", "delegate: D, "+f+": "+v+"}", 1)
	case strings.HasPrefix(path, "app.uploads.<name>."):
		f := strings.TrimPrefix(path, "app.uploads.<name>.")
		if f == "size" {
			return strings.Replace(base, "size: 1MB}", "size: "+v+"}", 1)
		}
		return strings.Replace(base, "size: 1MB}", "size: 1MB, "+f+": "+v+"}", 1)
	case strings.HasPrefix(path, "app.workload."):
		f := strings.TrimPrefix(path, "app.workload.")
		if f == "batch.count" {
			return strings.Replace(base, "count: 2", "count: "+v, 1)
		}
		if f == "batch.window" {
			return strings.Replace(base, "count: 2", "count: 2, window: "+v, 1)
		}
		return strings.Replace(base, "items: 3,", "items: 3, "+f+": "+v+",", 1)
	case strings.HasPrefix(path, "timeline[]."):
		switch f := strings.TrimPrefix(path, "timeline[]."); f {
		case "at":
			return strings.Replace(base, "{at: 2m,", "{at: "+v+",", 1)
		case "for":
			return strings.Replace(base, "for: 10s", "for: "+v, 1)
		default:
			return strings.Replace(base, "up: 1Mbps", f+": "+v, 1)
		}
	case strings.HasPrefix(path, "sweep.outages."):
		f := strings.TrimPrefix(path, "sweep.outages.")
		o := map[string]string{"every": "1m", "for": "1s", "for_max": "2s"}
		o[f] = v
		return base + "sweep: {runs: 2, outages: {every: " + o["every"] + ", for: " + o["for"] + ", for_max: " + o["for_max"] + "}}\n"
	case strings.HasSuffix(path, ".radio.tail"):
		// A count of phases: the maximum, plus one.
		return nest(path, "["+strings.Repeat("{duration: 1s, watts: 1}, ", model.MaxTailPhases)+"{duration: 1s, watts: 1}]") + base
	case strings.Contains(path, ".tail[]."):
		pre, f, _ := strings.Cut(path, ".tail[].")
		return nest(pre+".tail", "[{duration: 1s, watts: 1, "+f+": "+v+"}]") + base
	}
	return nest(path, v) + base
}

// nest writes a.b.c: v as a: {b: {c: v}}.
func nest(path, v string) string {
	keys := strings.Split(path, ".")
	s := v
	for i := len(keys) - 1; i > 0; i-- {
		s = "{" + keys[i] + ": " + s + "}"
	}
	return keys[0] + ": " + s + "\n"
}
