package model

// RunRecord is what a sweep keeps of one run: its place in the sweep, the
// values drawn for it, and the few numbers the sweep's statistics need.
// It is small and round-trips through JSON exactly (floats are written
// with the shortest representation that parses back to the same value), so
// that shards of a sweep can be merged into the report one machine would
// have printed.
type RunRecord struct {
	Run     int       `json:"run"`     // k: the kth draw of the sweep
	Point   int       `json:"point"`   // the grid point
	Variant int       `json:"variant"` // the variant, in the scenario's order
	Seed    uint64    `json:"seed"`
	Draws   []float64 `json:"draws,omitempty"` // the varied parameters' values, in the sweep's order
	// Uploads is how many uploads the run made; Fates counts them by
	// fate, in the order of Fates, and adds up to it.
	Uploads int    `json:"uploads"`
	Fates   [5]int `json:"fates"`
	// Settle is each delivered or failed upload's time from creation to
	// its fate, in seconds.
	Settle []float64 `json:"settle_s,omitempty"`
	// Joules is the radios' energy over the energy window, idle
	// included; AboveIdle is what the sweep's statistics use: the energy
	// above the idle baseline over the same window.
	Joules    float64 `json:"joules"`
	AboveIdle float64 `json:"above_idle"`
	// ItemWaits is each workload item's wait until the server had it, in
	// seconds.
	ItemWaits []float64 `json:"item_wait_s,omitempty"`
	// Err is the run's error (a limit it exceeded), or "".
	Err string `json:"error,omitempty"`
}

// Record summarises a result for a sweep.
func Record(r *Result) RunRecord {
	rec := RunRecord{Uploads: len(r.Uploads)}
	for i := range r.Uploads {
		u := &r.Uploads[i]
		for j, f := range Fates {
			if u.Fate == f {
				rec.Fates[j]++
			}
		}
		if u.Fate == Delivered || u.Fate == Failed {
			rec.Settle = append(rec.Settle, (u.SettledAt - u.CreatedAt).Seconds())
		}
	}
	rec.Joules = r.Energy.Joules()
	rec.AboveIdle = r.Energy.AboveIdle()
	if r.Items != nil {
		for _, w := range r.Items.Waits {
			rec.ItemWaits = append(rec.ItemWaits, w.Seconds())
		}
	}
	return rec
}
