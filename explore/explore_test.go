package explore

import (
	"errors"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

func load(t *testing.T, arg string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Resolve(arg)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func explore(t *testing.T, sc *scenarios.Scenario, opt Options) *Report {
	t.Helper()
	if opt.Workers == 0 {
		opt.Workers = 2
	}
	rep, err := Explore(sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func findGroup(rep *Report, variant, fate, rule string) *Failure {
	for i := range rep.Failures {
		f := &rep.Failures[i]
		if f.Variant == variant && f.Fate == fate && f.Rule == rule {
			return f
		}
	}
	return nil
}

func TestMoments(t *testing.T) {
	s := sim.Second
	got := Moments([]sim.Time{0, 2 * s, 2*s + 1, 10 * s}, 20*s)
	want := []sim.Time{0, s, 2 * s, 2*s + 1, 6 * s, 10 * s, 15 * s}
	if !slices.Equal(got, want) {
		t.Errorf("Moments = %v, want %v", got, want)
	}
	if got := Moments([]sim.Time{0, 30 * s}, 20*s); !slices.Equal(got, []sim.Time{0, 10 * s}) {
		t.Errorf("past the end: %v", got)
	}
}

func TestWithFaultsPlacesStepsAfterTheirInstant(t *testing.T) {
	cfg := model.Config{Timeline: []model.Action{{At: 0, Do: model.Launch}, {At: 3 * sim.Second, Do: model.Leave}, {At: 5 * sim.Second, Do: model.Purge}}}
	purge := slices.Index(KindNames(), "purge")
	out, at := WithFaults(cfg, []Fault{{Kind: purge, At: 3 * sim.Second}, {Kind: purge, At: 9 * sim.Second}})
	if !slices.Equal(at, []int{2, 4}) {
		t.Fatalf("fault steps at %v, want [2 4]", at)
	}
	if out.Timeline[1].Do != model.Leave || out.Timeline[2].Do != model.Purge || len(cfg.Timeline) != 3 {
		t.Errorf("timeline %v; the scenario's own was changed: %v", out.Timeline, cfg.Timeline)
	}
}

// The planted bug: right unless a purge comes between leaving for the
// home screen (3s) and the response; explore finds it at depth 1, with
// that window, and nothing at depth 0.
func TestPlantedBugFoundInItsWindow(t *testing.T) {
	sc := load(t, "testdata/planted-bug.yaml")
	if rep := explore(t, sc, Options{Depth: 0}); len(rep.Failures) != 0 || rep.Schedules != 1 {
		t.Fatalf("depth 0: %d schedules, failures %+v; want 1 and none", rep.Schedules, rep.Failures)
	}
	rep := explore(t, sc, Options{Depth: 1})
	if len(rep.Failures) != 1 {
		t.Fatalf("failures %+v, want one group", rep.Failures)
	}
	f := rep.Failures[0]
	if f.Fate != "pending" || f.Rule != string(model.RuleReconnectSameID) || f.Upload != "u1" {
		t.Errorf("group %s %s %s, want u1 pending R-RECONNECT-SAME-ID", f.Upload, f.Fate, f.Rule)
	}
	if len(f.Faults) != 1 || f.Faults[0].Name() != "purge" || f.Faults[0].At != 3*sim.Second {
		t.Errorf("minimal counterexample %v, want purge at 3s", f.Faults)
	}
	// The window ends at the instant the response reaches the app (a
	// fault at an instant comes before the events the run scheduled for
	// it): purge the app then and a second later, by hand.
	base, err := model.Run(sc.Variants[0].Config)
	if err != nil {
		t.Fatal(err)
	}
	settled := base.Uploads[0].SettledAt
	if f.First != 3*sim.Second || f.Last != settled {
		t.Errorf("window %v to %v; the response reaches the suspended app at %v", f.First, f.Last, settled)
	}
	for _, c := range []struct {
		at   sim.Time
		fate model.Fate
	}{{2 * sim.Second, model.Delivered}, {f.Last, model.Pending}, {settled + sim.Second, model.Delivered}} {
		cfg, _ := WithFaults(sc.Variants[0].Config, []Fault{{Kind: f.Faults[0].Kind, At: c.at}})
		r, err := model.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r.Uploads[0].Fate != c.fate {
			t.Errorf("purge at %v: %s, want %s", c.at, r.Uploads[0].Fate, c.fate)
		}
	}
	// Purges while the app is in the foreground change nothing.
	if rep.Pruned == 0 {
		t.Error("no schedule pruned; a purge of an app in the foreground changes nothing")
	}
}

func TestForceQuitFound(t *testing.T) {
	rep := explore(t, load(t, "app-purged-mid-upload"), Options{Depth: 1, Faults: []string{"force-quit"}})
	f := findGroup(rep, "", "pending", string(model.RuleForceQuitCancels))
	if f == nil {
		t.Fatalf("no pending R-FORCE-QUIT-CANCELS group in %+v", rep.Failures)
	}
	if !strings.Contains(f.Reason, "-999") || len(f.Faults) != 1 || f.Faults[0].Name() != "force-quit" {
		t.Errorf("minimal %v, reason %q; want one force quit, the -999 held", f.Faults, f.Reason)
	}
}

// The scenario's own timeline loses the response in fresh-identifier: the
// minimal counterexample has no fault. old-constant survives every fault.
func TestWrongIdentifierFound(t *testing.T) {
	rep := explore(t, load(t, "wrong-identifier-on-recreate"), Options{Depth: 1})
	f := findGroup(rep, "fresh-identifier", "lost", string(model.RuleWrongIDOnRecreate))
	if f == nil || len(f.Faults) != 0 || f.Upload != "u1" {
		t.Fatalf("fresh-identifier's loss: %+v", rep.Failures)
	}
	for _, f := range rep.Failures {
		if f.Variant == "old-constant" && f.Fate == "lost" {
			t.Errorf("old-constant loses with %v: %s", f.Faults, f.Reason)
		}
	}
}

// app-purged-mid-upload survives every purge and outage. Under
// params.rewake_unfinished: false it fails in one way only: a second
// purge lands between the relaunch and the replayed events, and the
// response waits for the next launch, since iOS makes no second wake for
// events a wake announced (model/policy.go, decideWake).
func TestAppPurgedMidUploadUnderPurgesAndOutages(t *testing.T) {
	opt := Options{Depth: 1, Faults: []string{"purge", "outage"}}
	if rep := explore(t, load(t, "app-purged-mid-upload"), opt); len(rep.Failures) != 0 {
		t.Fatalf("failures %+v, want none", rep.Failures)
	}
	sc := load(t, "app-purged-mid-upload")
	sc.Variants[0].Config.Params.RewakeUnfinished = false
	rep := explore(t, sc, opt)
	if len(rep.Failures) != 1 {
		t.Fatalf("rewake_unfinished false: failures %+v, want one group", rep.Failures)
	}
	f := rep.Failures[0]
	if f.Fate != "pending" || f.Rule != string(model.RuleReconnectSameID) || len(f.Faults) != 1 || f.Faults[0].Name() != "purge" {
		t.Fatalf("group %+v", f)
	}
	base, _ := model.Run(sc.Variants[0].Config)
	if len(base.Wakes) != 1 {
		t.Fatalf("wakes %+v, want the one relaunch", base.Wakes)
	}
	w := base.Wakes[0]
	if f.First < w.At || f.Last > w.UpAt+10*sim.Millisecond {
		t.Errorf("window %v to %v, want between the wake at %v and 10ms after the process came up at %v", f.First, f.Last, w.At, w.UpAt)
	}
}

// userFaults are faults the user causes as well as a purge: they find
// something in most scenarios (a force quit's -999 held for the next
// launch, an upload started after the user left held as discretionary).
var userFaults = []string{"purge", "force-quit", "user-leave"}

func TestSameReportForAnyWorkers(t *testing.T) {
	sc := load(t, "auth-challenge")
	one := explore(t, sc, Options{Depth: 1, Workers: 1, Faults: userFaults})
	four := explore(t, sc, Options{Depth: 1, Workers: 4, Faults: userFaults})
	if !reflect.DeepEqual(one, four) {
		t.Errorf("1 worker:\n%+v\n4 workers:\n%+v", one, four)
	}
	if len(one.Failures) == 0 {
		t.Error("nothing found: the comparison shows nothing")
	}
}

// Every minimal counterexample, written as a scenario file, replays to
// the same fate, rule and fingerprint.
func TestCounterexamplesReplay(t *testing.T) {
	for _, name := range []string{"planted", "wrong-identifier-on-recreate", "renamed-identifier-after-update", "auth-challenge", "share-extension-upload"} {
		arg := name
		if name == "planted" {
			arg = "testdata/planted-bug.yaml"
		}
		sc := load(t, arg)
		rep := explore(t, sc, Options{Depth: 1, Faults: userFaults})
		if len(rep.Failures) == 0 {
			t.Fatalf("%s: nothing to replay", name)
		}
		for i := range rep.Failures {
			f := &rep.Failures[i]
			data, err := Counterexample(sc, f, "replay")
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			back, err := scenarios.Load("replay.yaml", data)
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, data)
			}
			rs, err := back.Run(scenarios.RunOptions{})
			if err != nil || len(rs) != 1 {
				t.Fatalf("%s: %v", name, err)
			}
			r := rs[0]
			if r.Fingerprint != f.Fingerprint {
				t.Errorf("%s %s/%s: replay fingerprint %v, explore's %v", name, f.Fate, f.Rule, r.Fingerprint, f.Fingerprint)
			}
			if f.Upload != "" {
				n := slices.IndexFunc(r.Uploads, func(u model.UploadRecord) bool { return u.ID == f.Upload })
				if n < 0 || string(r.Uploads[n].Fate) != f.Fate || string(r.Uploads[n].Rule) != f.Rule {
					t.Errorf("%s: replay's %s is not %s %s", name, f.Upload, f.Fate, f.Rule)
				}
			}
			if !strings.Contains(string(data), "added by bgsim explore") && len(f.Faults) > 0 {
				t.Errorf("%s: the added steps are not marked:\n%s", name, data)
			}
		}
	}
}

func TestRandomSchedulesReplayFromTheirSeed(t *testing.T) {
	sc := load(t, "testdata/planted-bug.yaml")
	rep := explore(t, sc, Options{Depth: 3, Random: 200, Seed: 7})
	if rep.Schedules != 1+200 || len(rep.Failures) == 0 {
		t.Fatalf("%d schedules, %d failures", rep.Schedules, len(rep.Failures))
	}
	f := rep.Failures[0]
	one := explore(t, sc, Options{Depth: 3, Random: 1, Seed: f.Seed, Variant: f.Variant})
	g := findGroup(one, f.Variant, f.Fate, f.Rule)
	if g == nil || !slices.Equal(g.Faults, f.Faults) {
		t.Errorf("seed %d alone: %+v, want the faults %v", f.Seed, one.Failures, f.Faults)
	}
}

func TestOptionErrors(t *testing.T) {
	sc := load(t, "app-purged-mid-upload")
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Depth: 1, Faults: []string{"purgee"}}, `no fault "purgee"; did you mean "purge"?`},
		{Options{Depth: 1, Property: []string{"no-los"}}, `did you mean "no-lost"?`},
		{Options{Depth: 9}, "want 0 to 4"},
		{Options{Depth: 1, Variant: "x"}, "has no variants"},
		{Options{Depth: 0, Random: 3}, "depth of at least 1"},
		{Options{Depth: 1, Durations: []sim.Time{-sim.Second}}, "want above 0s"},
	} {
		if _, err := Explore(sc, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opt, err, c.want)
		}
	}
	// Random schedules are bounded by the same depth: the refusal does
	// not send the user to --random, which they are using.
	if _, err := Explore(sc, Options{Depth: 9, Random: 10}); err == nil || strings.Contains(err.Error(), "--random") {
		t.Errorf("depth 9 with random schedules: %v, want a refusal that does not suggest --random", err)
	}
	_, err := Explore(load(t, "batched-vs-individual"), Options{Depth: 2, MaxSchedules: 1000})
	if !errors.Is(err, ErrTooMany) {
		t.Errorf("a bounded exploration: %v", err)
	}
}

func TestScenarioExploreBlock(t *testing.T) {
	sc := load(t, "testdata/planted-bug.yaml")
	rep := explore(t, sc, Options{Depth: 1})
	if !slices.Equal(rep.Faults, []string{"purge"}) {
		t.Errorf("faults %v, want the block's [purge]", rep.Faults)
	}
	src, _ := os.ReadFile("testdata/planted-bug.yaml")
	bad := strings.Replace(string(src), "faults: [purge]", "faults: [purgee]", 1)
	_, err := scenarios.Load("bad.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), `bad.yaml:26:`) || !strings.Contains(err.Error(), `did you mean "purge"?`) {
		t.Errorf("a bad fault in explore: %v", err)
	}
}

// A fault that lasts is two steps: the one that starts it and, its
// duration later, the one that ends it; the file written for it replays.
func TestTimedFaultEnds(t *testing.T) {
	wifi := slices.Index(KindNames(), "wifi-loss")
	cfg := model.Config{Timeline: []model.Action{{At: 0, Do: model.Launch}, {At: 5 * sim.Second, Do: model.Leave}}}
	out, at := WithFaults(cfg, []Fault{{Kind: wifi, At: 3 * sim.Second, For: 10 * sim.Second}})
	got := []model.ActionKind{}
	for _, a := range out.Timeline {
		got = append(got, a.Do)
	}
	want := []model.ActionKind{model.Launch, model.WiFiOff, model.Leave, model.WiFiOn}
	if !slices.Equal(got, want) || at[0] != 1 || out.Timeline[3].At != 13*sim.Second {
		t.Errorf("timeline %v (fault at %v), want %v with wifi-on at 13s", got, at, want)
	}
	sc := load(t, "testdata/planted-bug.yaml")
	f := &Failure{Fate: "pending", Faults: []Fault{{Kind: wifi, At: 2 * sim.Second, For: 10 * sim.Second}}}
	data, err := Counterexample(sc, f, "timed")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "{at: 2s, do: wifi-off}") || !strings.Contains(string(data), "{at: 12s, do: wifi-on}") {
		t.Errorf("the file lacks the fault's two steps:\n%s", data)
	}
}

// An app whose code crashes creating its task fails no-lost, with no
// fault: its upload is gone.
func TestCrashFailsNoLost(t *testing.T) {
	rep := explore(t, load(t, "attempt-3-upload-from-data"), Options{Depth: 1})
	f := findGroup(rep, "", "never_sent", string(model.RuleUploadFromFile))
	if f == nil || len(f.Faults) != 0 || f.Count != rep.Schedules {
		t.Errorf("failures %+v of %d schedules; want never_sent R-UPLOAD-FROM-FILE in every one", rep.Failures, rep.Schedules)
	}
	rep = explore(t, load(t, "attempt-3-upload-from-data"), Options{Depth: 1, Property: []string{NoPending}})
	if len(rep.Failures) != 0 {
		t.Errorf("no-pending alone: %+v", rep.Failures)
	}
}

// Random schedules past --max-schedules are refused before any is drawn
// or listed: refusing --random 6000000 costs no memory to speak of.
func TestTooManyRandomRefusedUpFront(t *testing.T) {
	sc := load(t, "app-purged-mid-upload")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Explore(sc, Options{Depth: 2, Random: 6_000_000, Workers: 2})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooMany) {
		t.Fatalf("error %v, want ErrTooMany", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Errorf("refusing 6000000 random schedules allocated %d bytes", n)
	}
}

// An exploration past --max-schedules is refused from the count of its
// first faults, before any schedule is listed: refusing costs what the
// runs as written cost, not an allocation per schedule.
func TestTooManySchedulesRefusedUpFront(t *testing.T) {
	sc := load(t, "periodic-analytics")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Explore(sc, Options{Depth: 1, Faults: KindNames(), MaxSchedules: 10, Workers: 1})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooMany) {
		t.Fatalf("error %v, want ErrTooMany", err)
	}
	if n := after.Mallocs - before.Mallocs; n > 5000 {
		t.Errorf("refusing the exploration made %d allocations", n)
	}
}
