package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bgsim/model"
	"bgsim/sim"
)

const limitsBase = `name: l
title: L
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
`

func TestLimits(t *testing.T) {
	var steps strings.Builder
	for i := range MaxTimelineSteps + 1 {
		steps.WriteString("  - {at: " + sim.Time(i+1).String() + ", do: background}\n")
	}
	tests := []struct{ name, doc, want string }{
		{"horizon", "horizon: 400d\n" + limitsBase, "horizon: must be positive and at most 365d"},
		{"events", "max_events: 1000000000\n" + limitsBase, "max_events: 1 to 100000000"},
		{"timeline", limitsBase + steps.String(), "a scenario has at most 10000"},
		{"deep", strings.Repeat("[", 20000), "nests too deeply"},
		{"items", strings.Replace(limitsBase, "timeline:", "  workload: {items: 1000000, size: 1KB, every: 1s, session: up, strategy: individual}\ntimeline:", 1), "app.workload.items: 1 to 100000"},
	}
	for _, tt := range tests {
		start := time.Now()
		_, err := Load("l.yaml", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: refused after %v; it should be quick", tt.name, d)
		}
	}
}

// A 100 MB file is refused from its size, without being read.
func TestHugeFileRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(100 << 20) // sparse: no disk written
	f.Close()
	start := time.Now()
	_, err = LoadFile(p)
	var es Errors
	if !errors.As(err, &es) || !strings.Contains(err.Error(), "scenarios are at most 1048576") || time.Since(start) > time.Second {
		t.Errorf("error %v after %v", err, time.Since(start))
	}
}

// A run that exceeds its event budget ends with an error naming it.
func TestEventBudget(t *testing.T) {
	sc, err := Load("l.yaml", []byte("max_events: 10\n"+limitsBase+"  - {at: 1s, do: upload, upload: photo}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sc.Run(RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "event budget of 10 events exhausted") {
		t.Errorf("error %v", err)
	}
}

// untrustedBase is a minimal scenario whose params and horizon the
// TestUntrusted tests change.
const untrustedBase = `name: u
title: U
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
`

// An upload whose hand-off to the daemon is still in flight at the
// horizon (the XPC hop outlasts the run) ends pending, not in a panic.
func TestUntrusted1_XPCLatencyPastHorizon(t *testing.T) {
	sc, err := Load("u.yaml", []byte("horizon: 1m\nparams: {xpc_latency: 1m}\n"+untrustedBase))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	if r.EndedAt != sim.Minute {
		t.Errorf("the run ended at %v, want the horizon 1m", r.EndedAt)
	}
	if len(r.Uploads) != 1 || r.Uploads[0].Fate != model.Pending || r.Uploads[0].Rule != "R-OUT-OF-PROCESS" ||
		!strings.Contains(r.Uploads[0].Reason, "on its way to the daemon") {
		t.Errorf("uploads %+v; want one pending on its way to the daemon", r.Uploads)
	}
}
