package model_test

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

// A purge 1 ms after iOS relaunched the app for its response, before the
// replayed response reaches the new process (the window bgsim explore
// finds in app-purged-mid-upload under params.rewake_unfinished: false):
// whether iOS wakes the app again is not documented, so the parameter
// says; by default it does.
func TestRule_R_RECONNECT_SAME_ID_PurgedBeforeTakingTheEvents(t *testing.T) {
	sc, err := scenarios.LoadEmbedded("app-purged-mid-upload")
	if err != nil {
		t.Fatal(err)
	}
	if !model.DefaultParams().RewakeUnfinished {
		t.Error("params.rewake_unfinished is true by default")
	}
	base, err := model.Run(sc.Variants[0].Config)
	if err != nil || len(base.Wakes) != 1 {
		t.Fatalf("%v, wakes %+v", err, base.Wakes)
	}
	up := base.Wakes[0].UpAt // the relaunched process is up
	for _, c := range []struct {
		rewake   bool
		fate     model.Fate
		rule     model.RuleID
		launches int
	}{
		{false, model.Pending, model.RuleReconnectSameID, 1},
		{true, model.Delivered, model.RulePurgedAppRelaunched, 2},
	} {
		cfg := sc.Variants[0].Config
		cfg.Params.RewakeUnfinished = c.rewake
		cfg.Timeline = append(cfg.Timeline[:len(cfg.Timeline):len(cfg.Timeline)], model.Action{At: up - sim.Millisecond, Do: model.Purge})
		r, err := model.Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		u := r.Uploads[0]
		if u.Fate != c.fate || u.Rule != c.rule || r.BackgroundLaunches != c.launches {
			t.Errorf("rewake_unfinished %v: %s %s, %d background launches; want %s %s, %d",
				c.rewake, u.Fate, u.Rule, r.BackgroundLaunches, c.fate, c.rule, c.launches)
		}
		if c.rewake && (len(r.Wakes) != 2 || r.Wakes[1].At <= up) {
			t.Errorf("rewake: wakes %+v, want a second after the purge", r.Wakes)
		}
		// Offered twice, the response says once how it was delivered.
		if n := strings.Count(u.Reason, "after iOS relaunched"); c.rewake && n != 1 {
			t.Errorf("reason %q says %d times how it was delivered", u.Reason, n)
		}
	}
}
