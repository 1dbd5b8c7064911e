package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// summaryCells returns the cells of the first summary-table row of
// `bgsim run name` whose label starts with label, one per variant.
func summaryCells(t *testing.T, name, label string) []string {
	t.Helper()
	t.Setenv("COLUMNS", "200")
	code, out, errs := bgsim(t, "run", name)
	if code != exitOK {
		t.Fatalf("bgsim run %s exits %d: %s", name, code, errs)
	}
	for _, line := range strings.Split(out, "\n") {
		cells := strings.Split(line, "│")
		if len(cells) < 3 || !strings.HasPrefix(strings.TrimSpace(cells[1]), strings.TrimSpace(label)) {
			continue
		}
		var out []string
		for _, c := range cells[2 : len(cells)-1] {
			out = append(out, strings.TrimSpace(c))
		}
		return out
	}
	t.Fatalf("bgsim run %s: no row %q in\n%s", name, label, out)
	return nil
}

func joulesCell(t *testing.T, cell string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(strings.TrimSuffix(cell, " J"), 64)
	if err != nil {
		t.Fatalf("%q is not joules", cell)
	}
	return x
}

// Energy on equal terms (issue 12): launch-events-off's two variants send
// the same upload; one runs an hour longer only because the user comes
// back. Counted to each run's last event, the variant in which nothing is
// delivered showed 0.156× the energy, the gap being 79 J of idle against
// 0.44 J. Over one window and above idle they cost the same.
func TestEnergyRatioIsNotIdleLaunchEventsOff(t *testing.T) {
	cells := summaryCells(t, "launch-events-off", "  vs user-comes-back")
	if cells[1] != "1.000×" {
		t.Errorf("user-never-returns against user-comes-back: %s, want 1.000× (the same upload, the same radio work)", cells[1])
	}
}

// periodic-analytics' deferred batch showed 74.94 J of radio energy, of
// which 74.74 J was idle: the headline is the energy above idle, a
// fraction of a joule, and idle is on its own line, the same for both
// variants (one window, one radio idling).
func TestEnergyHeadlineAboveIdlePeriodicAnalytics(t *testing.T) {
	head := summaryCells(t, "periodic-analytics", "radio energy")
	if j := joulesCell(t, head[1]); j >= 1 {
		t.Errorf("one-deferred-batch's headline energy is %s: want what the batch cost above idle, under 1 J", head[1])
	}
	if j := joulesCell(t, head[0]); j < 100 {
		t.Errorf("every-minute's headline energy is %s: sixty LTE tails cost hundreds of joules", head[0])
	}
	idle := summaryCells(t, "periodic-analytics", "idle over 1h30m")
	if idle[0] != idle[1] || joulesCell(t, idle[0]) < 100 {
		t.Errorf("idle over the window: %v, want the same for both variants (LTE idle for 90 minutes, above 100 J)", idle)
	}
}

// The README's batching paragraph (issue 12) said batching costs "about a
// ninth of the energy": that was the ratio with idle counted to each
// run's end. Its fraction must be the ratio of the energies above idle
// that the runs' picture labels, and its table the command's output.
func TestREADMEBatchingFigureIsAboveIdle(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`batching costs\s+about an?\s+([a-z-]+)\s+of the energy`).FindStringSubmatch(string(readme))
	if m == nil {
		t.Fatal(`README.md: no "batching costs about a ... of the energy"`)
	}
	n := ordinal(m[1])
	if n == 0 {
		t.Fatalf("README.md: %q is not an ordinal this test reads", m[1])
	}
	svg := svgPicture(t, "batched-vs-individual")
	above := map[string]float64{}
	for _, p := range regexp.MustCompile(`(individual-lte|batched-lte) — ended [^,]+, radios ([0-9.]+) J above idle`).FindAllStringSubmatch(svg, -1) {
		above[p[1]], _ = strconv.ParseFloat(p[2], 64)
	}
	if above["individual-lte"] == 0 || above["batched-lte"] == 0 {
		t.Fatalf("the picture labels no energy above idle for the LTE variants: %v", above)
	}
	ratio := above["batched-lte"] / above["individual-lte"]
	if got := 1 / float64(n); got < ratio*0.95 || got > ratio*1.05 {
		t.Errorf("README.md says batching costs about a %s (%.4f); above idle it is %.2f J against %.2f J, %.4f (1/%.1f)",
			m[1], got, above["batched-lte"], above["individual-lte"], ratio, 1/ratio)
	}
	t.Setenv("COLUMNS", "100")
	_, out, _ := bgsim(t, "run", "batched-vs-individual")
	table := out[strings.Index(out, "┌"):]
	table = table[:strings.Index(table, "┘")+len("┘")]
	if !strings.Contains(string(readme), table) {
		t.Errorf("README.md does not hold the table `COLUMNS=100 bgsim run batched-vs-individual` prints:\n%s", table)
	}
}

// ordinal reads "ninth", "twenty-ninth", "thirtieth": 1 to 39.
func ordinal(s string) int {
	units := map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9}
	teens := map[string]int{"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
		"sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30}
	if n, ok := units[s]; ok {
		return n
	}
	if n, ok := teens[s]; ok {
		return n
	}
	for prefix, tens := range map[string]int{"twenty-": 20, "thirty-": 30} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && units[rest] > 0 {
			return tens + units[rest]
		}
	}
	return 0
}
