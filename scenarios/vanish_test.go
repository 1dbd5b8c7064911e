package scenarios

import (
	"testing"

	"github.com/bgsim/bgsim/model"
)

// force_quit: vanish drops a task whose authentication challenge waited
// for an answer: nothing asks the app to answer it later, and no wake is
// made for it. Found in review: the vanished task's challenge was offered
// to the next process, resumed the app in the background for nothing and
// got it terminated for a completion handler never called.
func TestRule_R_FORCE_QUIT_CANCELS_VanishDropsChallenge(t *testing.T) {
	doc := `name: v
title: t
horizon: 30m
device: {ios: 17}
network:
  wifi: {up: 2Mbps, down: 20Mbps, rtt: 80ms}
  cellular: {available: false}
server: {auth_challenge: true}
params: {force_quit: vanish}
app:
  sessions:
    uploads: {identifier: com.example.upload, delegate: UploadDelegate, auth: none}
  uploads:
    photo: {session: uploads, size: 5MB}
  at_launch: [uploads]
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
  - {at: 40s, do: force-quit}
  - {at: 2m, do: launch}
  - {at: 2m30s, do: background}
`
	sc, err := Load("v.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Variants[0].Config
	c.KeepTrace = true
	r, err := model.Run(c)
	if err != nil {
		t.Fatal(err)
	}
	if u := r.Uploads[0]; u.Fate != model.Lost || u.Rule != model.RuleForceQuitCancels {
		t.Errorf("u1 %s %s; want lost by R-FORCE-QUIT-CANCELS", u.Fate, u.Rule)
	}
	if r.BackgroundLaunches+r.BackgroundResumes != 0 || len(r.Terminations) != 1 {
		t.Errorf("%d background launches, %d resumes, terminations %+v; want none but the force quit",
			r.BackgroundLaunches, r.BackgroundResumes, r.Terminations)
	}
	for _, rec := range r.Trace {
		if rec.At > 40e9 && (rec.Kind == string(model.KindAuthChallenge) || rec.Rule == string(model.RuleAuthWake)) {
			t.Errorf("after the force quit: %s %s %s", rec.At, rec.Kind, rec.Note)
		}
	}
}
