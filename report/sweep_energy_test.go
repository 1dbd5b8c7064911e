package report

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

// A sweep's statistics are the energy above idle (issue 12, item 2): the
// table, the mean and the paired difference; the JSON keeps the totals
// with idle as joules beside above_idle.
func TestSweepEnergyIsAboveIdle(t *testing.T) {
	s := NewSweepStats(SweepMeta{Scenario: "s", Runs: 2, Variants: []string{"a", "b"}, Points: []string{""}})
	for k, recs := range [][2]model.RunRecord{
		{{Joules: 110, AboveIdle: 10}, {Joules: 101, AboveIdle: 1}},
		{{Joules: 130, AboveIdle: 30}, {Joules: 103, AboveIdle: 3}},
	} {
		for v, r := range recs {
			r.Run, r.Variant, r.Fates, r.Uploads = k, v, [5]int{1}, 1
			if err := s.Add(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	g := s.Groups()
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !near(g[0].MeanAboveIdle.Value, 20) || !near(g[0].MeanJoules.Value, 120) || !near(g[1].MeanAboveIdle.Value, 2) {
		t.Errorf("means above idle %v and %v, total %v; want 20, 2 and 120", g[0].MeanAboveIdle.Value, g[1].MeanAboveIdle.Value, g[0].MeanJoules.Value)
	}
	if d := g[1].Difference; !near(d.AboveIdle.Value, -18) || !near(d.Joules.Value, -18) {
		t.Errorf("differences above idle %v, total %v; want -18 and -18", d.AboveIdle.Value, d.Joules.Value)
	}
	var b bytes.Buffer
	if err := s.TableText(&b, TextOptions{Width: 200}); err != nil { // unwrapped, to find the heading whole
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "radio energy above idle per run") || !strings.Contains(out, "│ 20 J (") || strings.Contains(out, "120") {
		t.Errorf("the table does not show the energy above idle (mean 20 J, not the total 120 J):\n%s", out)
	}
}
