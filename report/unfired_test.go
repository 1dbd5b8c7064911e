package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// A step whose trigger did not fire is in the table and in the JSON, as a
// list that is empty, never null, when every step happened.
func TestUnfiredStepsReported(t *testing.T) {
	r := &model.Result{Scenario: "s", Unfired: []model.UnfiredStep{
		{Step: 3, Do: model.Purge, When: "{upload: photo, fate: failed}", HeldAt: sim.Never},
		{Step: 4, Do: model.Launch, When: "{background_launches: 1}", After: sim.Hour, HeldAt: 21 * sim.Second},
	}}
	var tb bytes.Buffer
	if err := Table(&tb, []*model.Result{r}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"step did not happen: timeline[3] (do: purge, when: {upload: photo, fate: failed}): the condition never held",
		"step did not happen: timeline[4] (do: launch, when: {background_launches: 1}, after: 1h0m0s): held at 21s, the step came past the run's end",
	} {
		if !strings.Contains(strings.Join(strings.Fields(tb.String()), " "), want) {
			t.Errorf("the table lacks %q:\n%s", want, tb.String())
		}
	}
	var doc struct {
		Runs []struct {
			Unfired []map[string]any `json:"unfired_steps"`
		} `json:"runs"`
	}
	var jb bytes.Buffer
	if err := JSON(&jb, []*model.Result{r, {Scenario: "t"}}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(jb.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	u := doc.Runs[0].Unfired
	if len(u) != 2 || u[0]["step"] != 3.0 || u[0]["held_at_s"] != nil || u[1]["held_at_s"] != 21.0 || u[1]["after_s"] != 3600.0 || u[1]["do"] != "launch" {
		t.Errorf("unfired_steps %v", u)
	}
	if !strings.Contains(jb.String(), `"unfired_steps": []`) {
		t.Errorf("a run with every step done has no empty unfired_steps list:\n%s", jb.String())
	}
}
