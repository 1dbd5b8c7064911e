package scenarios

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

const updateBase = `name: t
title: t
horizon: 10m
network:
  wifi: {up: 2Mbps, down: 20Mbps, rtt: 80ms}
app:
  sessions:
    up: {identifier: com.example.up, delegate: D, discretionary: true}
  uploads:
    photo: {session: up, size: 5MB, chain: 1}
  at_launch: [up]
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
  - {at: 3s, do: background}
`

// An update's app: merges over the code before it: mappings key by key
// (a session named again keeps the keys not written; a new name adds
// one), values and lists replace. A second update merges over the first.
func TestUpdateAppMerges(t *testing.T) {
	sc, err := Load("t.yaml", []byte(updateBase+`  - at: 10s
    do: update_app
    app:
      sessions:
        up: {identifier: com.example.up.v2}
        legacy: {identifier: com.example.up, delegate: D}
      uploads:
        photo: {size: 1MB}
      at_launch: [legacy]
  - {at: 20s, do: update_app, app: {handle_events: {recreate: none}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Variants[0].Config
	v2, v3 := c.Timeline[3].App, c.Timeline[4].App
	if v2 == nil || v3 == nil {
		t.Fatalf("the update steps hold no code: %+v", c.Timeline[3:])
	}
	want := []model.Session{
		{Name: "up", Kind: model.Background, Identifier: "com.example.up.v2", Delegate: "D", Discretionary: true},
		{Name: "legacy", Kind: model.Background, Identifier: "com.example.up", Delegate: "D"},
	}
	for _, app := range []*model.App{v2, v3} {
		if len(app.Sessions) != 2 {
			t.Fatalf("sessions %+v; want up (merged) and legacy (added)", app.Sessions)
		}
		for i, w := range want {
			if g := app.Sessions[i]; g.Name != w.Name || g.Identifier != w.Identifier || g.Delegate != w.Delegate || g.Discretionary != w.Discretionary {
				t.Errorf("session %d = %+v; want %+v", i, g, w)
			}
		}
		if u := app.Uploads[0]; u.Bytes != 1_000_000 || u.Session != "up" || u.Chain != 1 {
			t.Errorf("photo %+v; want size 1MB, the rest kept", u)
		}
		if !slices.Equal(app.AtLaunch, []string{"legacy"}) {
			t.Errorf("at_launch %v; want the list replaced", app.AtLaunch)
		}
	}
	if v2.HandleEvents.Recreate != model.RecreateGiven || v3.HandleEvents.Recreate != model.RecreateNone {
		t.Errorf("recreate %q then %q; want given (the default), then none", v2.HandleEvents.Recreate, v3.HandleEvents.Recreate)
	}
	if s := c.App.Sessions; len(s) != 1 || s[0].Identifier != "com.example.up" || c.App.Uploads[0].Bytes != 5_000_000 {
		t.Errorf("the app before the update changed: %+v", c.App)
	}
	if c.Params.UpdateCancelsTasks {
		t.Error("update_keeps_tasks defaults to true")
	}
}

// The problems an update brings are reported at the step's keys, with
// the step's path; those of the code before it once, under app.
func TestUpdateAppErrorsArePositioned(t *testing.T) {
	for _, tt := range []struct{ step, want string }{
		{"  - {at: 10s, do: update_app, app: {at_launch: [upp]}}",
			`t.yaml:16:49: timeline[3].app.at_launch[0]: no session named "upp"; did you mean "up"? (its sessions: "up")`},
		{"  - {at: 10s, do: update_app, app: {sessions: {new: {identifier: x}}}}",
			`t.yaml:16:53: timeline[3].app.sessions.new: say which delegate the session is created with (delegate: SomeDelegate), or delegate: none`},
		{"  - {at: 10s, do: update_app, app: {uploads: {photo: {size: 0}}}}",
			`t.yaml:16:61: timeline[3].app.uploads.photo.size: 1B to 100GB, found 0B`},
		{"  - {at: 10s, do: update_app, app: {uploads: {photo: {session: nope}}}}",
			`t.yaml:16:64: timeline[3].app.uploads.photo.session: no session named "nope" (its sessions: "up")`},
		{"  - {at: 10s, do: update_app, app: {sessions: {up: {identifier: \"a.{x}\"}}}}",
			`t.yaml:16:65: timeline[3].app.sessions.up.identifier: "a.{x}": the only thing an identifier may hold in braces is {launch}, once (the number of the process that creates it)`},
		{"  - {at: 10s, do: update_app}",
			`t.yaml:16:5: timeline[3]: do: update_app needs app: the keys the new version of the code changes (say app: {} for a version that changes nothing bgsim models)`},
		{"  - {at: 10s, do: purge, app: {at_launch: []}}",
			`t.yaml:16:31: timeline[3]: app: applies only to do: update_app`},
		{"  - {at: 10s, do: update_app, app: {workload: {items: 2, size: 1KB, every: 1s, session: up, strategy: individual}}}",
			`t.yaml:16:47: timeline[3].app.workload: an update cannot change the workload`},
		{"  - {at: 10s, do: update_app, app: {sesions: {}}}",
			`t.yaml:16:37: timeline[3].app: unknown key "sesions"; did you mean "sessions"?`},
	} {
		_, err := Load("t.yaml", []byte(updateBase+tt.step+"\n"))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s\n got: %v\nwant: %s", tt.step, err, tt.want)
		}
	}
	// A problem of the code before the update is not the update's.
	_, err := Load("t.yaml", []byte(strings.Replace(updateBase, "size: 5MB", "size: 0", 1)+
		"  - {at: 10s, do: update_app, app: {sessions: {up: {identifier: v2}}}}\n"))
	if err == nil || strings.Contains(err.Error(), "timeline[3]") || !strings.Contains(err.Error(), "app.uploads.photo.size") {
		t.Errorf("got %v; want only app.uploads.photo.size", err)
	}
}

// The schema takes a step's app: with nothing required, and
// params.update_keeps_tasks.
func TestUpdateAppSchema(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(Schema(), &s); err != nil {
		t.Fatal(err)
	}
	props := s["properties"].(map[string]any)
	step := props["timeline"].(map[string]any)["items"].(map[string]any)
	app := step["properties"].(map[string]any)["app"].(map[string]any)
	if _, ok := app["required"]; ok || !strings.Contains(app["description"].(string), "merged over the code before it") {
		t.Errorf("timeline[].app schema %v; want a description and nothing required", app)
	}
	upload := app["properties"].(map[string]any)["uploads"].(map[string]any)["additionalProperties"].(map[string]any)
	if _, ok := upload["required"]; ok {
		t.Errorf("an upload in an update requires %v; want nothing", upload["required"])
	}
	if !slices.Contains(step["properties"].(map[string]any)["do"].(map[string]any)["enum"].([]any), any("update_app")) {
		t.Error("do: update_app is not in the schema's enum")
	}
	p := props["params"].(map[string]any)["properties"].(map[string]any)["update_keeps_tasks"].(map[string]any)
	if p["type"] != "boolean" || !strings.Contains(p["description"].(string), "R-APP-UPDATE") {
		t.Errorf("params.update_keeps_tasks schema %v", p)
	}
}

// In a variant, an update merges over the variant's app:, and an
// update_app step may come from add_timeline.
func TestUpdateAppInVariant(t *testing.T) {
	sc, err := Load("t.yaml", []byte(updateBase+`variants:
  plain: {}
  other:
    app: {sessions: {up: {delegate: Other}}}
    add_timeline:
      - {at: 10s, do: update_app, app: {sessions: {up: {identifier: v2}}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Variants) != 2 {
		t.Fatalf("%d variants", len(sc.Variants))
	}
	for _, a := range sc.Variants[0].Config.Timeline {
		if a.Do == model.UpdateApp {
			t.Error("the plain variant has an update")
		}
	}
	tl := sc.Variants[1].Config.Timeline
	if len(tl) != 4 || tl[3].Do != model.UpdateApp || tl[3].App == nil {
		t.Fatalf("timeline %+v; want the added update last", tl)
	}
	if s := tl[3].App.Sessions[0]; s.Identifier != "v2" || s.Delegate != "Other" {
		t.Errorf("session %+v; want identifier v2 over the variant's delegate Other", s)
	}
}

// An update removes nothing: a null in its app: is refused, at the null,
// saying so, rather than read as "no change".
func TestUpdateAppNullRefused(t *testing.T) {
	for _, tt := range []struct{ step, want string }{
		{"  - {at: 10s, do: update_app, app: {sessions: {up: null}}}",
			`t.yaml:16:52: timeline[3].app.sessions.up: null removes nothing: an update keeps every session and upload of the code before it; leave the key out`},
		{"  - {at: 10s, do: update_app, app: {uploads: null}}",
			`t.yaml:16:46: timeline[3].app.uploads: null removes nothing: an update keeps every session and upload of the code before it; leave the key out`},
		{"  - {at: 10s, do: update_app, app: {at_launch: null}}",
			`t.yaml:16:48: timeline[3].app.at_launch: null removes nothing: an update keeps every session and upload of the code before it; leave the key out (an empty list, [], replaces a list)`},
		{"  - {at: 10s, do: update_app, app: {handle_events: null}}",
			`t.yaml:16:52: timeline[3].app.handle_events: null removes nothing: an update keeps every session and upload of the code before it; leave the key out`},
	} {
		_, err := Load("t.yaml", []byte(updateBase+tt.step+"\n"))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s\n got: %v\nwant: %s", tt.step, err, tt.want)
		}
	}
}

// Timeline steps name what the scenario's own app: has: a step naming an
// upload, a session or an extension that only an update adds is refused
// with that hint.
func TestUpdateAddsNameHint(t *testing.T) {
	for _, tt := range []struct{ steps, want string }{
		{"  - {at: 10s, do: update_app, app: {uploads: {thumb: {session: up, size: 1KB}}}}\n  - {at: 11s, do: upload, upload: thumb}",
			`t.yaml:17:35: timeline[4].upload: no upload named "thumb"; timeline steps name what the scenario's own app: has, and "thumb" is added by the update_app at timeline[3]: add it to app: as well`},
		{"  - {at: 10s, do: update_app, app: {sessions: {more: {identifier: x, delegate: D}}}}\n  - {at: 11s, do: create_session, session: more}",
			`t.yaml:17:44: timeline[4].session: no session named "more" (its sessions: "up"); timeline steps name what the scenario's own app: has, and "more" is added by the update_app at timeline[3]: add it to app: as well`},
	} {
		_, err := Load("t.yaml", []byte(updateBase+tt.steps+"\n"))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s\n got: %v\nwant: %s", tt.steps, err, tt.want)
		}
	}
}
