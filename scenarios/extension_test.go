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

// An extension's upload has no code hooks in the model: on_complete and
// on_error written under it are refused where they are written, not
// silently left unrun.
func TestExtensionUploadHooksRefused(t *testing.T) {
	doc := `name: bad
title: bad
app:
  sessions:
    uploads: {identifier: com.example.app.uploads, delegate: UploadDelegate}
  extensions:
    share:
      sessions:
        share-uploads: {identifier: com.example.app.share, delegate: ShareDelegate, shared_container_identifier: group.x}
      uploads:
        shared-photo:
          session: share-uploads
          size: 5MB
          on_complete: [{do: upload, upload: shared-photo}]
          on_error: [{do: upload, upload: shared-photo}]
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
		`u.yaml:14:25: app.extensions.share.uploads.shared-photo.on_complete: code hooks are modelled for the app's own uploads only, not an extension's`,
		`u.yaml:15:22: app.extensions.share.uploads.shared-photo.on_error: code hooks are modelled for the app's own uploads only, not an extension's`,
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
