package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Issue 12, item 7: an upload the server answered with HTTP 500 was
// delivered, but the app got a server error; --explain and the error
// column say so instead of "nothing to explain" and a blank cell.
func TestRule_R_UPLOAD_RESPONSE_DELIVERY_HTTP500Explained(t *testing.T) {
	srv := model.DefaultServer()
	srv.Status = 500
	r, err := model.Run(model.Config{
		Scenario: "five-hundred", Seed: 1, Horizon: sim.Hour, MaxEvents: 10000, KeepTrace: true, IOS: 26,
		Params: model.DefaultParams(), Network: model.DefaultNetwork(), Power: model.DefaultPower(), Server: srv,
		App: model.App{
			Sessions:     []model.Session{{Name: "s", Kind: model.Background, Identifier: "id", Delegate: "D", SendsLaunchEvents: true}},
			Uploads:      []model.Upload{{Name: "u", Session: "s", API: model.UploadFromFile, Bytes: 1000}},
			HandleEvents: model.HandleEvents{Recreate: model.RecreateGiven, StoreCompletionHandler: true, CallCompletionHandler: true},
		},
		Timeline: []model.Action{{At: 0, Do: model.Launch}, {At: sim.Second, Do: model.StartUpload, Upload: "u"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	u := &r.Uploads[0]
	if u.Fate != model.Delivered || u.Status != 500 || u.ErrorCode != 0 {
		t.Fatalf("upload: fate %s, status %d, code %d; want delivered, 500, 0", u.Fate, u.Status, u.ErrorCode)
	}
	if got, want := ErrorText(u), "HTTP 500 (server error)"; got != want {
		t.Errorf("ErrorText = %q, want %q", got, want)
	}
	var b bytes.Buffer
	if err := Explain(&b, []*model.Result{r}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "nothing to explain") {
		t.Errorf("--explain says nothing to explain for an HTTP 500:\n%s", out)
	}
	for _, want := range []string{"delivered with HTTP status 500", "The transfer succeeded", "server error", "does not retry"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("--explain lacks %q:\n%s", want, out)
		}
	}
}
