package scenarios

import (
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"
)

// A problem only model.Config.Check catches (a shared session whose
// delegate is written as "", so that no code sees the response) is
// reported where the field is written, not at the file's top.
func TestCheckErrorAtTheField(t *testing.T) {
	doc := "name: u\ntitle: U\napp:\n  sessions:\n    up: {kind: shared, delegate: \"\"}\n  uploads:\n    photo: {session: up, size: 1MB}\ntimeline:\n  - {at: 0s, do: launch}\n"
	_, err := Load("u.yaml", []byte(doc))
	want := `u.yaml:7:12: upload "photo": on a shared session the code needs a completion handler or a session delegate to see the response`
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
