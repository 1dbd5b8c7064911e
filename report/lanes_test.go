package report

import (
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// An upload whose request waits for the app to answer an authentication
// challenge is drawn waiting, not transferring (seen by a new user in
// auth-challenge's never-answered variant: transferring for a minute
// after the body had gone).
func TestUploadLaneWaitsForTheChallenge(t *testing.T) {
	u := sim.String("upload", "u1")
	rec := func(at sim.Time, actor, kind string) sim.Record {
		return sim.Record{At: at, Actor: actor, Kind: kind, Attrs: []sim.Attr{u}}
	}
	r := &model.Result{EndedAt: 90 * sim.Second,
		Uploads: []model.UploadRecord{{ID: "u1", Spec: "photo", Fate: model.Failed, SettledAt: 81 * sim.Second}},
		Trace: []sim.Record{
			rec(1*sim.Second, "daemon", "task.received"),
			rec(1*sim.Second, "network", "transfer.connecting"),
			rec(21*sim.Second, "daemon", "auth.challenge"),
			rec(81*sim.Second, "daemon", "task.failed"),
		}}
	var got []span
	for _, l := range uploadLanes(r) {
		got = append(got, l.spans...)
	}
	want := []span{{1 * sim.Second, 21 * sim.Second, "transferring"}, {21 * sim.Second, 81 * sim.Second, "waiting"}}
	if len(got) < 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("spans %+v; want %+v first", got, want)
	}
}

// A share extension's process gets a lane of its own: running from
// extension-open to extension-close (seen in share-extension-upload's
// picture: an upload started from nowhere under an app not running).
// Runs without an extension draw no such lane.
func TestExtensionLane(t *testing.T) {
	rec := func(at sim.Time, to string) sim.Record {
		return sim.Record{At: at, Actor: "app", Kind: "extension.state",
			Attrs: []sim.Attr{sim.String("extension", "share"), sim.String("to", to)}}
	}
	r := &model.Result{EndedAt: 60 * sim.Second, Trace: []sim.Record{rec(0, "running"), rec(3*sim.Second, "ended")}}
	ls := extensionLanes(r)
	if len(ls) != 1 || ls[0].label != "Extension share" {
		t.Fatalf("lanes %+v, want one for extension share", ls)
	}
	want := []span{{0, 3 * sim.Second, "foreground"}, {3 * sim.Second, 60 * sim.Second, "not running"}}
	if len(ls[0].spans) != 2 || ls[0].spans[0] != want[0] || ls[0].spans[1] != want[1] {
		t.Errorf("spans %+v, want %+v", ls[0].spans, want)
	}
	if ls := extensionLanes(&model.Result{EndedAt: sim.Second}); len(ls) != 0 {
		t.Errorf("a run without an extension draws %d extension lanes", len(ls))
	}
}
