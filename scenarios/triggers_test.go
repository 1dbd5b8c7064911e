package scenarios

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

const triggerBase = `name: t
title: t
horizon: 10m
network:
  wifi: {up: 2Mbps, down: 20Mbps, rtt: 80ms}
app:
  sessions:
    up: {identifier: com.example.up, delegate: D}
  uploads:
    photo: {session: up, size: 5MB}
  at_launch: [up]
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
  - {at: 3s, do: background}
`

// The four kinds of trigger load into the Config as written.
func TestTriggersLoad(t *testing.T) {
	sc, err := Load("t.yaml", []byte(triggerBase+`  - {when: {upload: photo, sent: 60%}, do: purge}
  - {when: {upload: photo, state: transferring}, after: 2s, do: outage, for: 30s}
  - {when: {background_launches: 3}, after: 10s, do: launch}
  - {when: {upload: photo, fate: delivered}, do: foreground}
`))
	if err != nil {
		t.Fatal(err)
	}
	tl := sc.Variants[0].Config.Timeline
	want := []model.Action{
		{When: model.Trigger{Upload: "photo", Sent: 60}, Do: model.Purge},
		{When: model.Trigger{Upload: "photo", State: model.UploadTransferring}, After: 2 * sim.Second, Do: model.Outage, For: 30 * sim.Second},
		{When: model.Trigger{BackgroundLaunches: 3}, After: 10 * sim.Second, Do: model.Launch},
		{When: model.Trigger{Upload: "photo", Fate: model.Delivered}, Do: model.Return},
	}
	for i, w := range want {
		if g := tl[3+i]; g.When != w.When || g.After != w.After || g.Do != w.Do || g.For != w.For || g.At != 0 {
			t.Errorf("timeline[%d] = %+v, want %+v", 3+i, g, w)
		}
	}
}

// Errors in a trigger are reported where they are written.
func TestTriggerErrorsArePositioned(t *testing.T) {
	for _, tt := range []struct{ step, want string }{
		{"  - {when: {upload: phot, sent: 60%}, do: purge}",
			`t.yaml:16:21: timeline[3].when.upload: no upload named "phot"; did you mean "photo"?`},
		{"  - {when: {upload: photo, sent: 160%}, do: purge}",
			`t.yaml:16:34: timeline[3].when.sent: 1% to 100%, found 160%`},
		{"  - {when: {upload: photo, sent: lots}, do: purge}",
			`t.yaml:16:34: timeline[3].when.sent: expected a whole percentage like 60%, found "lots"`},
		{"  - {when: {upload: photo, state: transfering}, do: purge}",
			`t.yaml:16:35: timeline[3].when.state: "transfering" is not one of created, handed_off, transferring, received; did you mean "transferring"?`},
		{"  - {when: {upload: photo, fate: pending}, do: purge}",
			`t.yaml:16:34: timeline[3].when.fate: "pending" is not one of delivered, failed, lost, never_sent`},
		{"  - {when: {upload: photo, sent: 50%, fate: failed}, do: purge}",
			`t.yaml:16:12: timeline[3].when: a trigger has one condition: sent, state, fate or background_launches; found 2`},
		{"  - {when: {upload: photo}, do: purge}",
			`t.yaml:16:12: timeline[3].when: a trigger has one condition: sent, state, fate or background_launches; found 0 in {upload: photo}`},
		{"  - {at: 5s, when: {upload: photo, sent: 50%}, do: purge}",
			`t.yaml:16:20: timeline: a step happens at: a time or when: a condition holds, not both`},
		{"  - {do: purge}",
			`t.yaml:16:5: timeline: a step needs at: a time, or when: a condition`},
		{"  - {at: 5s, after: 2s, do: purge}",
			`t.yaml:16:21: timeline: after: applies only to a step with when:`},
		{"  - {when: {background_launches: 2, upload: photo}, do: launch}",
			`t.yaml:16:45: timeline[3].when.upload: background_launches counts the app's launches; it takes no upload`},
		{"  - {when: {upload: photo, sent: 60%}, after: -1s, do: purge}",
			`t.yaml:16:47: timeline[3].after: 0s to 3650d, found -1s`},
	} {
		_, err := Load("t.yaml", []byte(triggerBase+tt.step+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s\n got %v\nwant %s", tt.step, err, tt.want)
		}
	}
	// A step with a trigger is in no time order: the at: steps after it
	// are ordered among themselves.
	if _, err := Load("t.yaml", []byte(triggerBase+"  - {when: {upload: photo, sent: 60%}, do: purge}\n  - {at: 4s, do: foreground}\n")); err != nil {
		t.Errorf("a step at 4s after a trigger: %v", err)
	}
	_, err := Load("t.yaml", []byte(triggerBase+"  - {when: {upload: photo, sent: 60%}, do: purge}\n  - {at: 2s, do: foreground}\n"))
	if want := "t.yaml:17:10: timeline[4].at: this step at 2s comes before the step above it at 3s"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %s", err, want)
	}
}

// A sweep varies a trigger's after: and sent:, by index or by action.
func TestSweepVariesTriggers(t *testing.T) {
	doc := triggerBase + "  - {when: {upload: photo, sent: 60%}, do: purge}\n" +
		"sweep:\n  runs: 1\n  vary:\n    timeline.purge.when.sent: {grid: [20, 80]}\n    timeline[3].after: {grid: [0s, 1s]}\n"
	sc, err := Load("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	sw, err := sc.Plan(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[2]int64]bool{}
	for i := range sw.Jobs() {
		c, _ := sw.Config(i)
		a := c.Timeline[3]
		seen[[2]int64{int64(a.When.Sent), int64(a.After)}] = true
		if c.Timeline[2].After != 0 || c.Timeline[2].When.Set() {
			t.Errorf("job %d changed another step: %+v", i, c.Timeline[2])
		}
	}
	for _, w := range [][2]int64{{20, 0}, {20, int64(sim.Second)}, {80, 0}, {80, int64(sim.Second)}} {
		if !seen[w] {
			t.Errorf("no job with sent %d%%, after %v: %v", w[0], sim.Time(w[1]), seen)
		}
	}
	for _, tt := range []struct{ vary, want string }{
		{"timeline.purge.at: {grid: [1s, 2s]}", "the timeline has no purge step with at"},
		{"timeline[2].after: {grid: [1s, 2s]}", "timeline[2] (do: background) has no after"},
		{"timeline.background.when.sent: {grid: [10, 20]}", "the timeline has no background step with when.sent"},
	} {
		_, err := Load("t.yaml", []byte(triggerBase+"  - {when: {upload: photo, sent: 60%}, do: purge}\nsweep:\n  runs: 1\n  vary:\n    "+tt.vary+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s\n got %v\nwant %s", tt.vary, err, tt.want)
		}
	}
}

// expect: {unfired_steps: N} checks how many steps with when: did not
// happen, and bgsim expect writes it when some did not.
func TestExpectUnfiredSteps(t *testing.T) {
	// No background launch ever comes: the app is never purged.
	doc := triggerBase + "  - {when: {background_launches: 1}, do: launch}\n"
	for _, tt := range []struct {
		want  string
		fails bool
	}{{"1", false}, {"0", true}} {
		sc, err := Load("t.yaml", []byte(doc+"expect:\n  unfired_steps: "+tt.want+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		c := sc.Variants[0].Config
		c.KeepTrace = true
		r, err := model.Run(c)
		if err != nil {
			t.Fatal(err)
		}
		fs := sc.Check([]*model.Result{r})
		if tt.fails != (len(fs) == 1) {
			t.Fatalf("unfired_steps: %s: failures %+v", tt.want, fs)
		}
		if tt.fails && (fs[0].What != "expect.unfired_steps" || fs[0].Expected != "0" || fs[0].Actual != "1") {
			t.Errorf("failure %+v; want expect.unfired_steps, expected 0, got 1", fs[0])
		}
		if block := ExpectBlock(r, "", ""); !strings.Contains(block, "unfired_steps: 1\n") {
			t.Errorf("bgsim expect's block lacks unfired_steps: 1:\n%s", block)
		}
	}
}
