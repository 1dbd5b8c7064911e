package scenarios

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

const hookBase = `name: t
title: t
horizon: 10m
network:
  wifi: {up: 2Mbps, down: 20Mbps, rtt: 80ms}
app:
  sessions:
    up: {identifier: com.example.up, delegate: D}
  uploads:
    photo:
      session: up
      size: 5MB
      on_complete: [{do: upload, upload: thumbnail}]
      on_error: [{do: cancel, upload: thumbnail, resume_data: true}]
    thumbnail: {session: up, size: 100KB}
  at_launch: [up]
  handle_events:
    recreate: given
    then: [{do: create_session, session: up}]
  on_finish_events: [{do: invalidate, session: up, cancel_tasks: true}]
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
`

// The four hooks load into the Config as written.
func TestHooksLoad(t *testing.T) {
	sc, err := Load("t.yaml", []byte(hookBase))
	if err != nil {
		t.Fatal(err)
	}
	app := sc.Variants[0].Config.App
	if got, want := app.Uploads[0].OnComplete, []model.HookStep{{Do: model.StartUpload, Upload: "thumbnail"}}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("on_complete %+v, want %+v", got, want)
	}
	if got := app.Uploads[0].OnError; len(got) != 1 || got[0] != (model.HookStep{Do: model.Cancel, Upload: "thumbnail", ResumeData: true}) {
		t.Errorf("on_error %+v", got)
	}
	if got := app.HandleEvents.Then; len(got) != 1 || got[0] != (model.HookStep{Do: model.CreateSession, Session: "up"}) {
		t.Errorf("handle_events.then %+v", got)
	}
	if got := app.OnFinishEvents; len(got) != 1 || got[0] != (model.HookStep{Do: model.Invalidate, Session: "up", CancelTasks: true}) {
		t.Errorf("on_finish_events %+v", got)
	}
	if app.Uploads[1].OnComplete != nil || app.Uploads[1].OnError != nil {
		t.Errorf("thumbnail has no hooks, found %+v", app.Uploads[1])
	}
}

// Errors in a hook are reported where they are written; an unknown upload
// or session names the nearest one.
func TestHookErrorsArePositioned(t *testing.T) {
	for _, tt := range []struct{ from, to, want string }{
		{"on_complete: [{do: upload, upload: thumbnail}]", "on_complete: [{do: upload, upload: thumbnal}]",
			`t.yaml:13:42: app.uploads.photo.on_complete[0].upload: no upload named "thumbnal"; did you mean "thumbnail"?`},
		{"then: [{do: create_session, session: up}]", "then: [{do: create_session, session: uq}]",
			`t.yaml:19:42: app.handle_events.then[0].session: no session named "uq"; did you mean "up"?`},
		{"on_complete: [{do: upload, upload: thumbnail}]", "on_complete: [{do: launch}]",
			`t.yaml:13:26: app.uploads.photo.on_complete[0].do: "launch" is not one of upload, resume, cancel, create_session, invalidate`},
		{"on_complete: [{do: upload, upload: thumbnail}]", "on_complete: [{at: 1s, do: upload, upload: thumbnail}]",
			`t.yaml:13:22: app.uploads.photo.on_complete[0]: unknown key "at"`},
		{"on_complete: [{do: upload, upload: thumbnail}]", "on_complete: [{do: upload}]",
			`t.yaml:13:21: app.uploads.photo.on_complete[0]: do: upload needs upload: NAME`},
		{"on_finish_events: [{do: invalidate, session: up, cancel_tasks: true}]", "on_finish_events: [{do: create_session, session: up, cancel_tasks: true}]",
			`t.yaml:20:70: app.on_finish_events[0]: cancel_tasks: applies only to do: invalidate`},
		{"on_error: [{do: cancel, upload: thumbnail, resume_data: true}]", "on_error: [{do: upload, upload: thumbnail, resume_data: true}]",
			`t.yaml:14:63: app.uploads.photo.on_error[0]: resume_data: applies only to do: cancel`},
		{"on_error: [{do: cancel, upload: thumbnail, resume_data: true}]", "on_error: [{do: resume, upload: photo}]",
			`t.yaml:15:23: app.uploads.photo.on_error[0].do: do: resume needs NSURLSessionUploadTaskResumeData, which iOS 17 introduced`},
	} {
		doc := strings.Replace(hookBase, tt.from, tt.to, 1)
		if tt.to == "on_error: [{do: resume, upload: photo}]" {
			doc = strings.Replace(doc, "horizon: 10m", "horizon: 10m\ndevice: {ios: 16}", 1)
		}
		_, err := Load("t.yaml", []byte(doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s\n got %v\nwant %s", tt.to, err, tt.want)
		}
	}
}

// The schema describes the hooks and refuses what a hook cannot do.
func TestSchemaHasHooks(t *testing.T) {
	sch := compileSchema(t)
	if err := sch.Validate(asJSON(t, []byte(hookBase))); err != nil {
		t.Errorf("the schema refuses the hooks: %v", err)
	}
	bad := strings.Replace(hookBase, "on_complete: [{do: upload, upload: thumbnail}]", "on_complete: [{do: purge}]", 1)
	if err := sch.Validate(asJSON(t, []byte(bad))); err == nil {
		t.Error("the schema accepts do: purge in a hook")
	}
	var root struct {
		Properties struct {
			App struct {
				Properties struct {
					Uploads struct {
						AdditionalProperties struct {
							Properties map[string]struct{ Description string }
						} `json:"additionalProperties"`
					}
					HandleEvents struct {
						Properties map[string]struct{ Description string }
					} `json:"handle_events"`
					OnFinishEvents struct{ Description string } `json:"on_finish_events"`
				}
			}
		}
	}
	if err := json.Unmarshal(Schema(), &root); err != nil {
		t.Fatal(err)
	}
	app := root.Properties.App.Properties
	up := app.Uploads.AdditionalProperties.Properties
	for key, doc := range map[string]string{"on_complete": up["on_complete"].Description, "on_error": up["on_error"].Description,
		"then": app.HandleEvents.Properties["then"].Description, "on_finish_events": app.OnFinishEvents.Description} {
		if !strings.HasPrefix(doc, "code hook: ") {
			t.Errorf("the schema describes %s as %q", key, doc)
		}
	}
}

// An update of the app's code (do: update_app) can change its hooks: the
// process after the update runs the new version's, and a hook the update
// writes wrong is reported under the step, at the key.
func TestHooksInAnUpdate(t *testing.T) {
	doc := strings.Replace(hookBase, "  - {at: 1s, do: upload, upload: photo}\n",
		"  - {at: 1s, do: update_app, app: {uploads: {photo: {on_complete: [{do: upload, upload: photo}]}}}}\n  - {at: 2s, do: launch}\n  - {at: 3s, do: upload, upload: photo}\n", 1)
	doc = strings.Replace(doc, "horizon: 10m", "horizon: 40s", 1)
	sc, err := Load("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	// Version 2's photo restarts itself on each 2xx response (about 21 s
	// for 5 MB at 2 Mbit/s); version 1's would have started thumbnail.
	var specs []string
	for _, u := range r.Uploads {
		specs = append(specs, u.Spec)
	}
	if len(specs) != 2 || specs[0] != "photo" || specs[1] != "photo" {
		t.Errorf("uploads %v; want photo, then photo again from version 2's on_complete", specs)
	}
	bad := strings.Replace(doc, "on_complete: [{do: upload, upload: photo}]", "on_complete: [{do: upload, upload: phote}]", 1)
	_, err = Load("t.yaml", []byte(bad))
	if want := `timeline[1].app.uploads.photo.on_complete[0].upload: no upload named "phote"; did you mean "photo"?`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
