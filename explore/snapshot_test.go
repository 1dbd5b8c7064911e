package explore

import (
	"os"
	"reflect"
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
