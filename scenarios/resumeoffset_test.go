package scenarios

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
)

// Resume data from cancel(byProducingResumeData:) holds what the server
// acknowledged at the upload's own URL: nothing after a redirect (the
// bytes went to the redirect's location) and nothing after an
// authentication challenge (the server answered 401 and kept nothing).
// Found in review: the offsets were 2 095 225 and 5 000 000.
func TestRule_R_RESUMABLE_UPLOAD_17_OffsetAfterRedirectOrChallenge(t *testing.T) {
	const base = `name: c
title: t
horizon: 1h
device: {ios: 17}
network:
  wifi: {up: 2Mbps, down: 20Mbps, rtt: 80ms}
  cellular: {available: false}
app:
  sessions:
    uploads: {identifier: com.example.upload, delegate: UploadDelegate}
  uploads:
    video: {session: uploads, size: 5MB}
  at_launch: [uploads]
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: video}
  - {at: 30s, do: cancel, upload: video, resume_data: true}
  - {at: 1m, do: resume, upload: video}
`
	for _, tt := range []struct{ name, server string }{
		{"after a 307", "server: {resumable: true, latency: 10s, redirect: {status: 307, times: 1, latency: 100ms}}\n"},
		{"after a challenge", "server: {resumable: true, auth_challenge: true}\n"},
	} {
		sc, err := Load("c.yaml", []byte(base+tt.server))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		r, err := model.Run(sc.Variants[0].Config)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(r.Uploads) != 2 || r.Uploads[1].ResumedFrom != "u1" {
			t.Fatalf("%s: uploads %+v; want u2 resumed from u1", tt.name, r.Uploads)
		}
		if off := r.Uploads[1].ResumeOffset; off != 0 {
			t.Errorf("%s: u2 resumes from byte %d; the server acknowledged nothing at the upload's URL", tt.name, off)
		}
		if strings.Contains(r.Uploads[1].Reason, "from byte ") && !strings.Contains(r.Uploads[1].Reason, "from byte 0") {
			t.Errorf("%s: reason %q", tt.name, r.Uploads[1].Reason)
		}
	}
}
