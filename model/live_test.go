package model_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/bgsim/bgsim/explore"
	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

// forkFaults are the faults TestForkIsReplay injects: every kind, with
// one outage duration.
func forkFaults() []explore.Fault {
	var out []explore.Fault
	for i, k := range explore.Kinds {
		f := explore.Fault{Kind: i}
		if k.Timed() {
			f.For = 10 * sim.Second
		}
		out = append(out, f)
	}
	return out
}

// inject injects the timeline steps explore.WithFaults inserts for f: the
// step that starts it, and for a fault that lasts the one that ends it.
func inject(l *model.Live, f explore.Fault) error {
	cfg, _ := explore.WithFaults(model.Config{}, []explore.Fault{f})
	for _, a := range cfg.Timeline {
		if _, err := l.Inject(a); err != nil {
			return err
		}
	}
	return nil
}

// TestForkIsReplay checks the snapshots' contract: a run forked at a
// moment m, given a fault at m and finished, gives the same Result (fates,
// rules, reasons, times, ignored steps, end, events, the trace and its
// fingerprint) as a run from time zero of the config with the fault in its
// timeline (explore.WithFaults); and a fork of that fork, given a second
// fault later, the same as a run with both. The scenarios have triggers
// (purge-at-60-percent), a workload (batched-vs-individual), variants, an
// app update, an app extension and code hooks.
func TestForkIsReplay(t *testing.T) {
	names := []string{"purge-at-60-percent", "app-purged-mid-upload", "batched-vs-individual", "auth-challenge", "flaky-network", "resume-after-long-outage",
		"renamed-identifier-after-update", "share-extension-upload", "next-upload-from-completion"}
	if testing.Short() {
		names = names[:2]
	}
	faults := forkFaults()
	checked, refused := 0, 0
	for _, name := range names {
		sc, err := scenarios.Resolve(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range sc.Variants {
			cfg := v.Config
			cfg.KeepTrace, cfg.NoTrace = true, false
			var r model.Runner
			base, events, err := r.RunMoments(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			end := cfg.Horizon
			if end == 0 {
				end = base.EndedAt
			}
			moments := explore.Moments(events, end)
			// At most a dozen moments per variant, spread over the run.
			stride := max(1, len(moments)/12)
			live, err := model.Start(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var reused *model.Live
			for i := 0; i < len(moments); i += stride {
				m := moments[i]
				if err := live.RunUntil(m); err != nil {
					t.Fatal(err)
				}
				for j, f := range faults {
					f.At = m
					// Every other fork reuses the last one's memory.
					fork := live.Fork()
					if j%2 == 1 {
						fork = live.ForkInto(reused)
					}
					if err := inject(fork, f); err != nil {
						if errors.Is(err, model.ErrNotForkable) {
							refused++
							continue
						}
						t.Fatal(err)
					}
					what := fmt.Sprintf("%s/%s with %v", name, v.Name, f)
					var second *model.Live
					f2 := faults[(j+i)%len(faults)]
					if k := i + stride/2 + 1; k < len(moments) && j%2 == 0 {
						// Depth 2: a fork of the fork, a later fault.
						f2.At = moments[k]
						if err := fork.RunUntil(f2.At); err != nil {
							t.Fatal(err)
						}
						second = fork.Fork()
						if err := inject(second, f2); err != nil {
							if !errors.Is(err, model.ErrNotForkable) {
								t.Fatal(err)
							}
							second = nil
						}
					}
					same(t, what, fork, cfg, []explore.Fault{f})
					reused = fork
					checked++
					if second != nil {
						same(t, fmt.Sprintf("%s, then %v", what, f2), second, cfg, []explore.Fault{f, f2})
						checked++
					}
				}
			}
			// The base, forked from all along, is untouched.
			res, err := live.Finish()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res, base) {
				t.Fatalf("%s/%s: the run forked from differs from the run as written", name, v.Name)
			}
		}
	}
	if checked < 100 || refused > checked/10 {
		t.Fatalf("checked %d forks, %d refused: the test does not test", checked, refused)
	}
	t.Logf("%d forks checked, %d refused", checked, refused)
}

// same finishes l and checks it against a replay of cfg with faults.
func same(t *testing.T, what string, l *model.Live, cfg model.Config, faults []explore.Fault) {
	t.Helper()
	got, err := l.Finish()
	rcfg, _ := explore.WithFaults(cfg, faults)
	want, werr := model.Run(rcfg)
	if (err != nil) != (werr != nil) {
		t.Fatalf("%s: fork error %v, replay error %v", what, err, werr)
	}
	if err != nil {
		return
	}
	if got.Fingerprint != want.Fingerprint || got.Events != want.Events || got.EndedAt != want.EndedAt {
		t.Fatalf("%s: fork %v (%d events, ended %v), replay %v (%d events, ended %v)", what,
			got.Fingerprint, got.Events, got.EndedAt, want.Fingerprint, want.Events, want.EndedAt)
	}
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got.Trace), len(want.Trace)) {
			if !reflect.DeepEqual(got.Trace[i], want.Trace[i]) {
				t.Logf("record %d: fork %+v, replay %+v", i, got.Trace[i], want.Trace[i])
				break
			}
		}
		t.Fatalf("%s: the fork's Result differs from the replay's in %v", what, diffFields(got, want))
	}
}

func diffFields(a, b *model.Result) []string {
	var out []string
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, va.Type().Field(i).Name)
		}
	}
	return out
}

// TestInjectRefusesWhatAReplayWouldOrderOtherwise: a fault at an instant
// whose events have already fired (the run went past it) would fire after
// them here and before them in a replay, so Inject refuses it, as it
// refuses a step with a trigger; at the next event's instant it is taken.
func TestInjectRefusesWhatAReplayWouldOrderOtherwise(t *testing.T) {
	sc, err := scenarios.Resolve("app-purged-mid-upload")
	if err != nil {
		t.Fatal(err)
	}
	l, err := model.Start(sc.Variants[0].Config)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.RunUntil(5 * sim.Second); err != nil {
		t.Fatal(err)
	}
	past := l.Now()
	if past == 0 {
		t.Fatal("no event fired before 5s")
	}
	if _, err := l.Fork().Inject(model.Action{At: past, Do: model.Purge}); !errors.Is(err, model.ErrNotForkable) {
		t.Errorf("a purge at %v, whose events fired: %v, want ErrNotForkable", past, err)
	}
	if _, err := l.Fork().Inject(model.Action{At: past - 1, Do: model.Purge}); !errors.Is(err, model.ErrNotForkable) {
		t.Errorf("a purge before the clock: %v, want ErrNotForkable", err)
	}
	next, ok := l.Next()
	if !ok {
		t.Fatal("nothing pending")
	}
	if _, err := l.Fork().Inject(model.Action{At: next, Do: model.Purge}); err != nil {
		t.Errorf("a purge at the next event's instant %v: %v", next, err)
	}
	trig := model.Action{At: next, Do: model.Purge}
	trig.When.Upload, trig.When.Sent = "photo", 50
	if _, err := l.Fork().Inject(trig); err == nil {
		t.Error("a step with a trigger was injected")
	}
}
