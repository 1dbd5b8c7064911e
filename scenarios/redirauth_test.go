package scenarios

import (
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// server.redirect and server.auth_challenge, and a session's auth, reach
// the Config; their mistakes are reported where they are written.
func TestRedirectAndAuthKeys(t *testing.T) {
	doc := "server: {redirect: {status: 307, latency: 50ms}, auth_challenge: true}\nparams: {max_redirects: 3}\n" +
		"app:\n  sessions:\n    up: {identifier: com.x, delegate: D, auth: credential-storage}\n" +
		"  uploads:\n    photo: {session: up, size: 1MB}\ntimeline:\n  - {at: 0s, do: launch}\n  - {at: 1s, do: upload, upload: photo}\nname: u\ntitle: U\n"
	sc, err := Load("u.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Variants[0].Config
	want := model.Redirect{Status: 307, Times: 1, Latency: 50 * sim.Millisecond}
	if c.Server.Redirect != want || !c.Server.AuthChallenge || c.Params.MaxRedirects != 3 || c.App.Sessions[0].Auth != model.AuthCredentialStorage {
		t.Errorf("redirect %+v, challenge %v, max %d, auth %q", c.Server.Redirect, c.Server.AuthChallenge, c.Params.MaxRedirects, c.App.Sessions[0].Auth)
	}
	for _, tt := range []struct{ doc, want string }{
		{"server: {redirect: {status: 304}}\n", "u.yaml:1:29: server.redirect.status: 301, 302, 303, 307 or 308, found 304"},
		{"server: {redirect: {times: 2}}\n", "u.yaml:1:20: server.redirect: times and latency need status: 301, 302, 303, 307 or 308"},
		{"server: {redirect: {status: 307, times: 101}}\n", "u.yaml:1:41: server.redirect.times: 0 to 100, found 101"},
	} {
		if got := loadErr(t, tt.doc+untrustedBase); got != tt.want {
			t.Errorf("%s got  %s\nwant %s", tt.doc, got, tt.want)
		}
	}
}

// One bad redirect status, one error (found in review: 404 got both the
// range and the list of statuses).
func TestRedirectStatusOneError(t *testing.T) {
	for _, tt := range []struct{ status, want string }{
		{"404", "server.redirect.status: 301 to 308, found 404"},
		{"305", "server.redirect.status: 301, 302, 303, 307 or 308, found 305"},
	} {
		_, err := Load("u.yaml", []byte("server: {redirect: {status: "+tt.status+"}}\n"+limitsBase))
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Count(err.Error(), "server.redirect.status") != 1 {
			t.Errorf("status %s: %v; want one error, %q", tt.status, err, tt.want)
		}
	}
}
