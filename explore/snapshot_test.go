package explore

import (
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/scenarios"
)

// TestSnapshotsReportAsReplays explores scenarios from snapshots and by
// replaying every schedule from time zero, and checks the reports are the
// same, for one and three workers, with every property: scenarios with a
// trigger, variants, a workload, at depth 1 and 2. With
// BGSIM_EXPLORE_ALL=1 it checks every embedded scenario at depth 1 too
// (about 20 s).
func TestSnapshotsReportAsReplays(t *testing.T) {
	type job struct {
		name   string
		depth  int
		faults []string // nil: the defaults
	}
	all := KindNames()
	jobs := []job{{"app-purged-mid-upload", 1, all}, {"auth-challenge", 1, all}, {"batching-window", 1, nil},
		{"app-purged-mid-upload", 2, []string{"purge", "force-quit", "user-launch"}}, {"purge-at-60-percent", 2, []string{"purge", "outage", "user-leave"}}}
	if os.Getenv("BGSIM_EXPLORE_ALL") == "1" {
		for _, name := range scenarios.Names() {
			jobs = append(jobs, job{name, 1, nil})
		}
	}
	if testing.Short() {
		jobs = []job{{"app-purged-mid-upload", 1, all}, {"purge-at-60-percent", 2, []string{"purge"}}}
	}
	for _, j := range jobs {
		sc := load(t, j.name)
		opt := Options{Depth: j.depth, Faults: j.faults, Property: Properties, Workers: 1}
		opt.NoSnapshots = true
		want := explore(t, sc, opt)
		opt.NoSnapshots = false
		for _, workers := range []int{1, 3} {
			opt.Workers = workers
			got := explore(t, sc, opt)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s at depth %d on %d workers: from snapshots %+v, replayed %+v", j.name, j.depth, workers, got, want)
			}
		}
	}
}

// TestSnapshotsFallBackToReplay: in a timeline whose step with a trigger
// comes after a later-timed step and fires early (the user leaving when
// the upload is created, at 1s, listed after the step at 3s), a fault
// between 1s and 3s goes before the trigger's step, which has run
// already: the fork cannot renumber what its trace says (model's
// ErrNotForkable), so that schedule is replayed from time zero (14 of
// them here), and the report is still the replay's.
func TestSnapshotsFallBackToReplay(t *testing.T) {
	src, _ := scenarios.Source("purge-at-60-percent")
	text := strings.Replace(string(src), "{when: {upload: photo, sent: 60%}, do: purge}", "{when: {upload: photo, state: created}, do: background}", 1)
	if text == string(src) {
		t.Fatal("the scenario's trigger step moved; update the test")
	}
	text = text[:strings.Index(text, "expect:")]
	sc, err := scenarios.Load("fallback.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Depth: 2, Faults: []string{"purge", "user-launch"}, Workers: 2, NoSnapshots: true}
	want := explore(t, sc, opt)
	opt.NoSnapshots = false
	e := &explorer{sc: sc, opt: opt}
	got, err := e.explore()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("from snapshots %+v, replayed %+v", got, want)
	}
	if n := e.replayed.Load(); n != 14 {
		t.Errorf("%d schedules replayed from time zero, want the 14 a fork cannot inject", n)
	}
}

// More workers than there is work, or than the cores can run, cost
// nothing: an absurd --workers is clamped, so it neither multiplies the
// memory (each worker starts every variant's run) nor changes the report.
func TestWorkersClamped(t *testing.T) {
	sc := load(t, "app-purged-mid-upload")
	alloc := func(workers int) (uint64, *Report) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rep := explore(t, sc, Options{Depth: 1, Workers: workers})
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc, rep
	}
	few, want := alloc(2)
	many, got := alloc(50_000)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("50000 workers: %+v, 2 workers: %+v", got, want)
	}
	if many > 3*few {
		t.Errorf("50000 workers allocated %d bytes, 2 workers %d: the workers are not clamped", many, few)
	}
}
