package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

func TestWhen(t *testing.T) {
	tests := []struct {
		t    sim.Time
		want string
	}{
		{0, "+0s"}, {sim.Never, "—"}, {90*sim.Second + 500*sim.Millisecond, "+1m30.5s"},
		{21*sim.Second + 746_204_800, "+21.746s"}, {1499 * sim.Microsecond, "+1ms"},
	}
	for _, tt := range tests {
		if got := When(tt.t); got != tt.want {
			t.Errorf("When(%d) = %q, want %q", int64(tt.t), got, tt.want)
		}
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		u    model.UploadRecord
		want string
	}{
		{model.UploadRecord{CancelReason: model.NoCancelReason}, ""},
		{model.UploadRecord{ErrorCode: -999, CancelReason: 0}, "-999 NSURLErrorCancelled (reason 0)"},
		{model.UploadRecord{ErrorCode: -1005, CancelReason: model.NoCancelReason}, "-1005 NSURLErrorNetworkConnectionLost"},
	}
	for _, tt := range tests {
		if got := ErrorText(&tt.u); got != tt.want {
			t.Errorf("ErrorText = %q, want %q", got, tt.want)
		}
	}
}

func sampleRun(t *testing.T) *model.Result {
	t.Helper()
	r, err := model.Run(model.Config{
		Scenario: "sample", Seed: 1, Horizon: sim.Hour, MaxEvents: 10000, KeepTrace: true, IOS: 26,
		Params: model.DefaultParams(), Network: model.DefaultNetwork(), Power: model.DefaultPower(), Server: model.DefaultServer(),
		App: model.App{
			Sessions:     []model.Session{{Name: "s", Kind: model.Background, Identifier: "id \"quoted\"", Delegate: "D", SendsLaunchEvents: true}},
			Uploads:      []model.Upload{{Name: "u", Session: "s", API: model.UploadFromFile, Bytes: 1000}},
			HandleEvents: model.HandleEvents{Recreate: model.RecreateGiven, StoreCompletionHandler: true, CallCompletionHandler: true},
		},
		Timeline: []model.Action{{At: 0, Do: model.Launch}, {At: sim.Second, Do: model.StartUpload, Upload: "u"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTraceLines(t *testing.T) {
	r := sampleRun(t)
	var buf bytes.Buffer
	if err := Trace(&buf, []*model.Result{r}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(r.Trace) {
		t.Fatalf("%d lines for %d records", len(lines), len(r.Trace))
	}
	for i, line := range lines {
		var rec struct {
			Seq   int            `json:"seq"`
			TS    float64        `json:"t_s"`
			Actor string         `json:"actor"`
			Attrs map[string]any `json:"attrs"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		if rec.Seq != i || rec.TS != r.Trace[i].At.Seconds() || rec.Actor != r.Trace[i].Actor {
			t.Errorf("line %d: %+v does not match record %+v", i+1, rec, r.Trace[i])
		}
	}
	// Attributes keep the model's order, not alphabetical order.
	if !strings.Contains(buf.String(), `"attrs":{"identifier":"id \"quoted\"","delegate":"D"}`) {
		t.Errorf("attribute order or escaping lost:\n%s", buf.String())
	}
}

func TestTableAndJSON(t *testing.T) {
	r := sampleRun(t)
	var buf bytes.Buffer
	if err := Table(&buf, []*model.Result{r}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sample", "delivered", "u1 delivered:", r.Fingerprint.String()} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if n := len([]rune(line)); n > Width {
			t.Errorf("line of %d columns, wider than %d: %s", n, Width, line)
		}
	}
	buf.Reset()
	if err := JSON(&buf, []*model.Result{r}); err != nil {
		t.Fatal(err)
	}
	var doc Document
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || len(doc.Runs) != 1 || doc.Runs[0].Summary.Delivered != 1 {
		t.Errorf("JSON round trip: %v %+v", err, doc)
	}
	if u := doc.Runs[0].Uploads[0]; u.ErrorCode != nil || u.SettledAtS == nil || *u.Status != 200 {
		t.Errorf("upload %+v: error_code should be null, settled_at_s and status set", u)
	}
}

func TestGitHubEscapes(t *testing.T) {
	if got := GitHubMessage("100% a\r\nb, c: d"); got != "100%25 a%0D%0Ab, c: d" {
		t.Errorf("message %q", got)
	}
	if got := GitHubProperty("a%b\r\nc,d:e"); got != "a%25b%0D%0Ac%2Cd%3Ae" {
		t.Errorf("property %q", got)
	}
}
