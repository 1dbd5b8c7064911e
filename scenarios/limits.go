package scenarios

import (
	"github.com/bgsim/bgsim/model"
)

// Limits on what one run may hold in memory, checked before the run. Each
// bounds something that grows with the run, not with the file: a file of
// a few kilobytes can describe a run of millions of events.
const (
	// MaxTasks is the most tasks one run can create: every upload step
	// with its chain, plus the workload's items, plus the tasks the
	// app's code hooks create (counted as the run goes). The ledger
	// keeps a record of each (a few hundred bytes).
	MaxTasks = model.MaxTasks
	// MaxTraceRecords is the most trace records a run keeps for the
	// formats that show them (timeline, trace, mermaid, html, svg), about
	// a kilobyte each once rendered. A run that would keep more ends with
	// an error naming the limit; the table and JSON formats keep none.
	MaxTraceRecords = 200_000
	// MaxSweepGroups bounds a sweep's variants times grid points: the
	// statistics of each (three histograms) take about 75 KB whatever
	// the number of runs.
	MaxSweepGroups = 2_000
)

// checkTasks refuses a configuration whose timeline and workload would
// create more than MaxTasks tasks, at the step that crosses the limit.
func (d *decoder) checkTasks(f *File, c *model.Config) {
	chain := map[string]int{}
	for _, u := range c.App.Uploads {
		chain[u.Name] = max(u.Chain, 0)
	}
	for _, a := range c.Timeline {
		if a.App != nil { // an update's code may chain more
			for _, u := range a.App.Uploads {
				chain[u.Name] = max(chain[u.Name], u.Chain)
			}
		}
	}
	tasks := 0
	if w := c.App.Workload; w != nil {
		tasks = max(w.Items, 0)
	}
	for i, a := range c.Timeline {
		if a.Do != model.StartUpload {
			continue
		}
		tasks += 1 + chain[a.Upload]
		if tasks > MaxTasks {
			p := f.Pos
			if i < len(f.Timeline) {
				p = f.Timeline[i].Pos
			}
			d.add(p, "timeline: the upload steps (with their chains) and the workload create more than %d tasks; a run creates at most %d", MaxTasks, MaxTasks)
			return
		}
	}
}
