package scenarios

import (
	"errors"
	"testing"
)

// An extension's mistakes are reported where they are written, with the
// nearest name.
func TestExtensionErrorsPositioned(t *testing.T) {
	doc := `name: bad
title: bad
app:
  sessions:
    uploads: {identifier: com.example.app.uploads, delegate: UploadDelegate}
  at_launch: [share-uploads]
  extensions:
    share:
      sessions:
        share-uploads: {identifier: com.example.app.share, delegate: ShareDelegate, shared_container_identifier: group.x}
      uploads:
        shared-photo: {session: share-uplods, size: 5MB, api: data-task}
timeline:
  - {at: 0s, do: extension-open, extension: shre}
  - {at: 1s, do: upload, upload: shared-photo, extension: share}
`
	_, err := Load("u.yaml", []byte(doc))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v, want positioned errors", err)
	}
	want := []string{
		`u.yaml:6:15: app.at_launch[0]: "share-uploads" is an extension's session: the app's code creates only its own`,
		`u.yaml:12:33: app.extensions.share.uploads.shared-photo.session: no session named "share-uplods" in extension share; did you mean "share-uploads"?`,
		`u.yaml:12:63: app.extensions.share.uploads.shared-photo.api: an extension's uploads are modelled as upload-from-file only, found data-task`,
		`u.yaml:14:45: timeline[0].extension: no extension named "shre"; did you mean "share"?`,
		`u.yaml:15:59: timeline[1].extension: extension: applies only to do: extension-open and extension-close`,
	}
	if len(es) != len(want) {
		t.Errorf("%d errors, want %d:\n%v", len(es), len(want), err)
	}
	for i := range min(len(es), len(want)) {
		if es[i].Error() != want[i] {
			t.Errorf("error %d\n got: %s\nwant: %s", i, es[i].Error(), want[i])
		}
	}
}

// An extension's sizes and timeouts have the ranges of the app's own.
func TestExtensionRangesPositioned(t *testing.T) {
	doc := `name: bad
title: bad
app:
  sessions:
    uploads: {identifier: com.example.app.uploads, delegate: UploadDelegate}
  extensions:
    share:
      sessions:
        share-uploads: {identifier: com.example.app.share, delegate: ShareDelegate, request_timeout: 4000d}
      uploads:
        shared-photo: {session: share-uploads, size: 500GB}
timeline:
  - {at: 0s, do: extension-open, extension: share}
`
	_, err := Load("u.yaml", []byte(doc))
	var es Errors
	if !errors.As(err, &es) || len(es) != 2 {
		t.Fatalf("error %v, want 2 positioned errors", err)
	}
	for i, want := range []string{
		"u.yaml:9:102: app.extensions.share.sessions.share-uploads.request_timeout: positive, at most 3650d, found 4000d",
		"u.yaml:11:54: app.extensions.share.uploads.shared-photo.size: 1B to 100GB, found 500GB",
	} {
		if es[i].Error() != want {
			t.Errorf("error %d\n got: %s\nwant: %s", i, es[i].Error(), want)
		}
	}
}

// The app's code cannot start an extension's upload nor create or
// invalidate an extension's session from a hook: each is refused at the
// name, with the reason. An extension's upload has no hooks of its own:
// on_complete and on_error are refused at the key, as its other keys are.
func TestExtensionHooksRefused(t *testing.T) {
	doc := `name: bad
title: bad
app:
  sessions:
    uploads: {identifier: com.example.app.uploads, delegate: UploadDelegate}
  uploads:
    photo:
      session: uploads
      size: 1MB
      on_complete: [{do: upload, upload: shared-photo}]
      on_error: [{do: cancel, upload: shared-photo}]
    shared-phot: {session: uploads, size: 1MB}
  at_launch: [uploads]
  handle_events:
    then: [{do: create_session, session: share-uploads}]
  on_finish_events: [{do: invalidate, session: share-uploads}]
  extensions:
    share:
      sessions:
        share-uploads: {identifier: com.example.app.share, delegate: ShareDelegate, shared_container_identifier: group.x}
      uploads:
        shared-photo:
          session: share-uploads
          size: 5MB
          on_complete: [{do: upload, upload: photo}]
          on_error: [{do: upload, upload: photo}]
timeline:
  - {at: 0s, do: extension-open, extension: share}
  - {at: 1s, do: upload, upload: shared-photo}
`
	_, err := Load("u.yaml", []byte(doc))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v, want positioned errors", err)
	}
	want := []string{
		`u.yaml:10:42: app.uploads.photo.on_complete[0].upload: "shared-photo" is extension share's upload: the app's code cannot start, cancel or resume it (the extension's code starts it: do: upload on the timeline while share is open); did you mean "shared-phot"?`,
		`u.yaml:11:39: app.uploads.photo.on_error[0].upload: "shared-photo" is extension share's upload: the app's code cannot start, cancel or resume it (the extension's code starts it: do: upload on the timeline while share is open); did you mean "shared-phot"?`,
		`u.yaml:15:42: app.handle_events.then[0].session: "share-uploads" is extension share's session: the app's code creates and invalidates only its own (its sessions: "uploads")`,
		`u.yaml:16:48: app.on_finish_events[0].session: "share-uploads" is extension share's session: the app's code creates and invalidates only its own (its sessions: "uploads")`,
		`u.yaml:25:25: app.extensions.share.uploads.shared-photo.on_complete[0]: code hooks are not modelled in an extension; leave on_complete out`,
		`u.yaml:26:22: app.extensions.share.uploads.shared-photo.on_error[0]: code hooks are not modelled in an extension; leave on_error out`,
	}
	if len(es) != len(want) {
		t.Errorf("%d errors, want %d:\n%v", len(es), len(want), err)
	}
	for i := range min(len(es), len(want)) {
		if es[i].Error() != want[i] {
			t.Errorf("error %d\n got: %s\nwant: %s", i, es[i].Error(), want[i])
		}
	}
}

// An extension step without extension: says the key is required, with
// the extensions to choose from, rather than "no extension named """.
func TestExtensionStepNeedsExtension(t *testing.T) {
	base := `name: bad
title: bad
app:
  sessions:
    uploads: {identifier: com.example.app.uploads, delegate: UploadDelegate}
`
	ext := `  extensions:
    share:
      sessions:
        share-uploads: {identifier: com.example.app.share, delegate: ShareDelegate, shared_container_identifier: group.x}
`
	for _, tt := range []struct{ doc, want string }{
		{base + ext + "timeline:\n  - {at: 0s, do: extension-open}\n",
			`u.yaml:11:5: timeline[0].extension: do: extension-open needs extension: NAME, one of the extensions under app.extensions ("share")`},
		{base + "timeline:\n  - {at: 0s, do: extension-close}\n",
			`u.yaml:7:5: timeline[0].extension: do: extension-close needs extension: NAME, one of the extensions under app.extensions (this scenario has none)`},
	} {
		_, err := Load("u.yaml", []byte(tt.doc))
		if err == nil || err.Error() != tt.want {
			t.Errorf("got: %v\nwant: %s", err, tt.want)
		}
	}
}
