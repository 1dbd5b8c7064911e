package scenarios

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// A problem model.Config.Check catches (a shared session whose delegate
// is written as "", so that no code sees the response) is reported where
// the field is written, not at the file's top.
func TestCheckErrorAtTheField(t *testing.T) {
	doc := "name: u\ntitle: U\napp:\n  sessions:\n    up: {kind: shared, delegate: \"\"}\n  uploads:\n    photo: {session: up, size: 1MB}\ntimeline:\n  - {at: 0s, do: launch}\n"
	_, err := Load("u.yaml", []byte(doc))
	want := `u.yaml:7:12: app.uploads.photo: on a shared session the code needs completion_handler: true or a session delegate to see the response`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestFieldPos(t *testing.T) {
	doc := untrustedBase + "network:\n  wifi: {up: 2Mbps}\n"
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatal(err)
	}
	d := &decoder{errs: &errs{file: "u.yaml"}}
	var f File
	d.decode(n.Content[0], reflect.ValueOf(&f).Elem(), "")
	for _, tt := range []struct {
		path string
		want Pos
	}{
		{"", Pos{1, 1}},
		{"network.wifi.up", Pos{12, 14}},
		{"network.wifi.rtt", Pos{12, 9}},       // not written: the block around it
		{"network.cellular.up", Pos{12, 3}},    // no cellular block: network
		{"app.uploads.photo.size", Pos{7, 32}}, // keyed by name
		{"app.uploads.photo", Pos{7, 12}},
		{"app.uploads.nope.size", Pos{4, 3}}, // no such upload: app
		{"timeline[1].at", Pos{10, 10}},      // counted from 0
		{"timeline[1].upload", Pos{10, 34}},
		{"timeline[7].at", Pos{1, 1}}, // no such step: the top
	} {
		if got := fieldPos(&f, tt.path); got != tt.want {
			t.Errorf("fieldPos(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// A file with many problems gets each once, at its field: the decoder's
// (bad scalars, which Config.Check then leaves alone) and Config.Check's
// (ranges, references, settings that contradict each other or the iOS
// version, timeline order), which run together; a variant that adds
// steps does not repeat the base's problems under other step indexes.
func TestSeveralProblemsEachOnceAtItsField(t *testing.T) {
	const file = "testdata/several-problems.yaml"
	_, err := LoadFile(file)
	want := []string{
		"4:23: params.xpc_latency: 0s to 3650d, found 3651d",
		`4:46: params.handshake_rtts: expected an integer, found "lots"`,
		`10:32: app.uploads.photo.size: expected a size like 5MB, 50KB, 512B or 64KiB, found "5 megs"`,
		"10:55: app.uploads.photo.task_delegate: task.delegate exists from iOS 15; this device runs iOS 14",
		"11:11: app.uploads.note: on a shared session the code needs completion_handler: true or a session delegate to see the response",
		"12:15: app.uploads.workload: the name workload is the workload's own; choose another",
		`12:25: app.uploads.workload.session: no session named "upp"; did you mean "up"? (its sessions: "up", "inproc")`,
		"13:69: app.workload.strategy: a batched strategy needs batch.count, batch.window or batch.on_foreground",
		"17:10: timeline[2].at: this step at 1s comes before the step above it at 2s; list the steps in time order",
		"17:31: timeline[2].for: positive, at most 3650d, found 0s",
		`18:34: timeline[3].upload: no upload named "phot"; did you mean "photo"?`,
		"24:58: timeline[2].up: 1kbps to 1000Gbps, found 10bps",
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Load: %v", err)
	}
	var got []string
	for _, e := range es {
		got = append(got, strings.TrimPrefix(e.Error(), file+":"))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
