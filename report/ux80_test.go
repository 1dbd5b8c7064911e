package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
	"github.com/bgsim/bgsim/sim"
)

func runEmbedded(t *testing.T, name, variant string) []*model.Result {
	t.Helper()
	sc, err := scenarios.LoadEmbedded(name)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(scenarios.RunOptions{Variant: variant, KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// The timeline told every upload's fate ("u2: DELIVERED") at the run's
// end, when the ledger writes it, half an hour after the response reached
// the app. The fate line now comes at the upload's settled time, right
// after what settled it; the trace (and the fingerprint) is unchanged.
func TestTimelineFateAtSettledTime(t *testing.T) {
	for _, r := range runEmbedded(t, "batched-vs-individual", "individual-lte") {
		fp := r.Fingerprint
		var b bytes.Buffer
		if err := TimelineText(&b, []*model.Result{r}, TextOptions{Width: 80, Uploads: []string{"u2"}}); err != nil {
			t.Fatal(err)
		}
		var u2 *model.UploadRecord
		for i := range r.Uploads {
			if r.Uploads[i].ID == "u2" {
				u2 = &r.Uploads[i]
			}
		}
		if u2 == nil || u2.Fate != model.Delivered || u2.SettledAt == sim.Never || u2.SettledAt >= r.EndedAt {
			t.Fatalf("want u2 delivered well before the end, got %+v", u2)
		}
		lines := strings.Split(b.String(), "\n")
		fate := -1
		for i, l := range lines {
			if strings.Contains(l, "u2: DELIVERED") {
				fate = i
			}
		}
		if fate < 0 {
			t.Fatalf("no fate line:\n%s", b.String())
		}
		if want := When(u2.SettledAt) + " "; !strings.HasPrefix(lines[fate], want) {
			t.Errorf("fate line %q, want it at the settled time %s\n%s", lines[fate], When(u2.SettledAt), b.String())
		}
		// It follows the response reaching the app.
		if !strings.Contains(strings.Join(lines[:fate], "\n"), "gets the response") {
			t.Errorf("the fate comes before the response:\n%s", b.String())
		}
		if r.Fingerprint != fp {
			t.Error("the fingerprint changed")
		}
	}
	// A pending upload (SettledAt sim.Never) keeps the end.
	r := sampleRun(t)
	r.Uploads[0].SettledAt = sim.Never
	for _, bt := range story(r) {
		if bt.rec.Kind == string(model.KindLedgerFate) && bt.At != bt.rec.At {
			t.Errorf("a pending upload's fate moved from %v to %v", bt.rec.At, bt.At)
		}
	}
}

// Two concurrent uploads of different sizes sharing a link: the second,
// smaller, reaches the server and settles first. Grouped, the row showed
// "+41.331s … +17.331s", the first's time then the last's; it shows the
// earliest then the latest.
func TestGroupSpanEarliestToLatest(t *testing.T) {
	r := sampleRun(t)
	big, small := r.Uploads[0], r.Uploads[0]
	big.ID, big.Bytes, big.ServerReceivedAt, big.SettledAt = "u1", 4e6, 41*sim.Second+331*sim.Millisecond, 41*sim.Second+331*sim.Millisecond
	small.ID, small.Bytes, small.ServerReceivedAt, small.SettledAt = "u2", 1e6, 17*sim.Second+331*sim.Millisecond, 17*sim.Second+331*sim.Millisecond
	r.Uploads = []model.UploadRecord{big, small}
	var b bytes.Buffer
	if err := TableText(&b, []*model.Result{r}, TextOptions{Width: 120}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "u1-u2 ×2") {
		t.Fatalf("the two uploads are not grouped:\n%s", out)
	}
	if strings.Contains(out, "+41.331s … +17.331s") || !strings.Contains(out, "+17.331s … +41.331s") {
		t.Errorf("the group's span is not earliest … latest:\n%s", out)
	}
}

// redirected-upload / found-302: the final response is 200, but a 302
// turned the POST into a GET, so the server never had the body. --explain
// said "nothing to explain"; it explains the upload, citing
// R-REDIRECTS-ALWAYS-FOLLOWED. And every delivered upload of every
// embedded scenario that the server never received is explained.
func TestExplainDeliveredNeverReceived(t *testing.T) {
	rs := runEmbedded(t, "redirected-upload", "found-302")
	u := rs[0].Uploads[0]
	if u.Fate != model.Delivered || u.ServerReceivedAt != sim.Never || u.Status != 200 {
		t.Fatalf("want u1 delivered with 200 and never received, got %+v", u)
	}
	var b bytes.Buffer
	if err := ExplainText(&b, rs, TextOptions{Width: 80}); err != nil {
		t.Fatal(err)
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if strings.Contains(out, "nothing to explain") || !strings.Contains(out, "never received its body") ||
		!strings.Contains(out, string(model.RuleRedirectsAlwaysFollowed)) {
		t.Errorf("found-302 is not explained:\n%s", b.String())
	}
	for _, name := range scenarios.Names() {
		sc, err := scenarios.LoadEmbedded(name)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := sc.Run(scenarios.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			for _, u := range r.Uploads {
				if u.Fate != model.Delivered || u.ServerReceivedAt != sim.Never {
					continue
				}
				t.Logf("%s: %s delivered, never received: %s", runLabel(r), u.ID, u.Reason)
				if !strings.Contains(strings.Join(explanations(r), "\n"), "Upload "+u.ID+" ") {
					t.Errorf("%s: %s delivered but never received, not explained", runLabel(r), u.ID)
				}
			}
		}
	}
}

// --explain on runs where everything was delivered printed, per variant,
// a heading, a rule and "nothing to explain." between blank lines; each
// such variant now takes one line, and the lines sit together.
func TestExplainNothingIsOneLinePerVariant(t *testing.T) {
	rs := runEmbedded(t, "batched-vs-individual", "")
	if len(rs) < 2 {
		t.Fatalf("want several variants, got %d", len(rs))
	}
	for _, r := range rs {
		if got := explanations(r); len(got) != 1 || got[0] != nothingToExplain {
			t.Fatalf("%s: want nothing to explain, got %q", runLabel(r), got)
		}
	}
	var b bytes.Buffer
	if err := ExplainText(&b, rs, TextOptions{Width: 80}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(rs) {
		t.Fatalf("%d lines for %d variants with nothing to explain:\n%s", len(lines), len(rs), b.String())
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, "Why: "+runLabel(rs[i])+": ") || !strings.HasSuffix(l, "nothing to explain.") ||
			utf8.RuneCountInString(l) > 80 {
			t.Errorf("line %d: %q", i, l)
		}
	}
}

// At 80 columns the upload table split identifiers mid-word
// ("R-UPLOAD-RESPONSE-DELIVER│Y", "NSURLErrorNet│workConnectio│nLost"):
// a cell that must wrap breaks after a hyphen or at a camel-case
// boundary, and the column narrows no further than such a piece first.
func TestTableBreaksIdentifiersAtHyphensAndCamelCase(t *testing.T) {
	if got := hangCell("R-UPLOAD-RESPONSE-DELIVERY", 25); got != "R-UPLOAD-RESPONSE-\nDELIVERY" {
		t.Errorf("hang = %q", got)
	}
	if got := hangCell("-1005 NSURLErrorNetworkConnectionLost", 20); got != "-1005\nNSURLErrorNetwork\nConnectionLost" {
		t.Errorf("hang = %q", got)
	}
	if got := hangCell("ABCDEFGHIJ", 4); got != "ABCD\nEFGH\nIJ" {
		t.Errorf("hang without a break = %q", got)
	}
	for _, tt := range []struct {
		name, variant string
		whole         []string // pieces that must stay whole in a cell
	}{
		{"redirected-upload", "temporary-307", []string{"DELIVERY"}},
		{"attempt-1-shared-data-task", "", []string{"TRANSFER", "ConnectionLost"}},
	} {
		rs := runEmbedded(t, tt.name, tt.variant)
		var b bytes.Buffer
		if err := TableText(&b, rs, TextOptions{Width: 80}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, line := range strings.Split(out, "\n") {
			if utf8.RuneCountInString(line) > 80 {
				t.Errorf("%s: line wider than 80: %q", tt.name, line)
			}
		}
		for _, w := range tt.whole {
			if !strings.Contains(out, "│ "+w+" ") {
				t.Errorf("%s: %q is not a whole cell line:\n%s", tt.name, w, out)
			}
		}
	}
}
