package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// TestCheckListsEveryProblem: a Config with several problems gets one
// FieldError for each, with its path and words that name the range, the
// unit and the value found, and none for a problem that follows from
// another.
func TestCheckListsEveryProblem(t *testing.T) {
	c := base()
	c.IOS = 14
	c.Params.XPCLatency = MaxDuration + 1
	c.Network.Interfaces[Cellular].UpBitsPerSecond = 10
	c.App.Uploads[0].TaskDelegate = true
	c.App.Sessions = append(c.App.Sessions, Session{Name: "inproc", Kind: Shared})
	c.App.Uploads = append(c.App.Uploads,
		Upload{Name: "note", Session: "inproc", API: UploadFromData, Bytes: 100},
		Upload{Name: "log", Session: "upp", API: UploadFromData, Bytes: 100})
	c.App.Workload = &Workload{Items: 3, Bytes: 10, Every: sim.Second, Session: "up", Strategy: Batched}
	c.Timeline = append(c.Timeline, Action{At: 500 * sim.Millisecond, Do: Purge}, Action{At: sim.Minute, Do: StartUpload, Upload: "phot"})
	var l FieldErrors
	if err := c.Check(); !errors.As(err, &l) {
		t.Fatalf("Check() = %v, want FieldErrors", err)
	}
	got := map[string]string{}
	for _, e := range l {
		if _, dup := got[e.Path]; dup {
			t.Errorf("two errors for %s: %q and %q", e.Path, got[e.Path], e.Msg)
		}
		got[e.Path] = e.Msg
	}
	want := map[string]string{
		"params.xpc_latency":              "0s to 3650d, found 87600h0m0.000000001s",
		"network.cellular.up":             "1kbps to 1000Gbps, found 10bps",
		"app.uploads.photo.task_delegate": "task.delegate exists from iOS 15; this device runs iOS 14",
		"app.uploads.note":                "on a shared session the code needs completion_handler: true or a session delegate to see the response",
		"app.uploads.log.session":         `no session named "upp"; did you mean "up"? (its sessions: "up", "inproc")`,
		"app.workload.strategy":           "a batched strategy needs batch.count, batch.window or batch.on_foreground",
		"timeline[2].at":                  "this step at 500ms comes before the step above it at 1s; list the steps in time order",
		"timeline[3].upload":              `no upload named "phot"; did you mean "photo"?`,
	}
	for path, msg := range want {
		if got[path] != msg {
			t.Errorf("%s: got %q\nwant %q", path, got[path], msg)
		}
	}
	if len(l) != len(want) {
		t.Errorf("%d errors, want %d:\n%v", len(l), len(want), strings.ReplaceAll(l.Error(), "; ", "\n"))
	}
	if s := l[0].Error(); !strings.HasPrefix(s, l[0].Path+": ") {
		t.Errorf("FieldError.Error() = %q, want it to start with the path", s)
	}
}

// TestCheckIsBounded: a Config with more problems than MaxCheckErrors
// gets the first MaxCheckErrors and one line counting the rest.
func TestCheckIsBounded(t *testing.T) {
	c := base()
	for i := range MaxCheckErrors + 50 {
		c.App.Uploads = append(c.App.Uploads, Upload{Name: fmt.Sprint("u", i), Session: "up", API: UploadFromFile, Bytes: -1})
	}
	var l FieldErrors
	if err := c.Check(); !errors.As(err, &l) {
		t.Fatalf("Check() = %v", err)
	}
	if len(l) != MaxCheckErrors+1 || l[len(l)-1].Msg != "50 more problems not shown (at most 200 are listed)" {
		t.Errorf("%d errors, the last %q", len(l), l[len(l)-1].Msg)
	}
}

// Every parameter a sweep can set is checked: a value past its maximum
// in a valid Config gets an error naming the range and the value (the
// others are covered by TestCheckNamesTheField and the scenarios tests).
func TestCheckCoversTheTable(t *testing.T) {
	for i := range ParamTable {
		p := &ParamTable[i]
		if p.each == nil {
			continue
		}
		c := base()
		c.Network = DefaultNetwork()
		c = c.Clone()
		c.Network.Interfaces[WiFi].Radio.Tail = append(c.Network.Interfaces[WiFi].Radio.Tail, TailPhase{Name: "t", Duration: sim.Second})
		c.App.Workload = &Workload{Items: 1, Bytes: 1, Every: sim.Second, Session: "up", Strategy: Individual}
		c.Timeline = append(c.Timeline, Action{At: 2 * sim.Second, Do: Outage, For: sim.Second},
			Action{At: 3 * sim.Second, Do: Bandwidth, Up: MinBitsPerSecond, Down: MinBitsPerSecond})
		if err := c.Check(); err != nil {
			t.Fatalf("the base config fails: %v", err)
		}
		if p.Set == nil {
			continue
		}
		at := 0
		switch {
		case strings.HasPrefix(p.Path, "timeline[]."):
			at = len(c.Timeline) - 1
		}
		p.Set(&c, at, p.Max*2+1)
		if p.Path == "power.battery" || strings.HasSuffix(p.Path, "_chance") || strings.HasSuffix(p.Path, "_relax_after") {
			continue // its setter holds the value to the range
		}
		var l FieldErrors
		if err := c.Check(); !errors.As(err, &l) || !strings.Contains(l.Error(), p.Range()+", found ") {
			t.Errorf("%s set to %v: Check() = %v", p.Path, p.Max*2+1, err)
		}
	}
}

// Check runs before every run of a sweep: for a valid Config it builds
// no path and no message, and allocates only its collector.
func TestCheckAllocatesLittle(t *testing.T) {
	c := base()
	if n := testing.AllocsPerRun(100, func() { _ = c.Check() }); n > 1 {
		t.Errorf("Check of a valid Config allocates %v times, want at most 1", n)
	}
}
