package model

import (
	"strconv"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// redirected is base() with a server that redirects each attempt times
// times with status.
func redirected(status, times int) Config {
	c := base()
	c.Server.Redirect = Redirect{Status: status, Times: times, Latency: c.Server.Latency}
	return c
}

// appSawStatus reports whether any record of the app carries a status
// for which bad is true.
func appSawStatus(r *Result, bad func(int) bool) bool {
	for _, rec := range r.Trace {
		if rec.Actor != "app" {
			continue
		}
		if s, err := strconv.Atoi(attr(rec, string(AttrStatus))); err == nil && bad(s) {
			return true
		}
	}
	return false
}

func TestRule_R_REDIRECTS_ALWAYS_FOLLOWED(t *testing.T) {
	plain := mustRun(t, base())
	p := wantUpload(t, plain, 0, Delivered, RuleUploadResponseDelivery, 0)

	t.Run("307 sends the body again", func(t *testing.T) {
		r := mustRun(t, redirected(307, 1))
		u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
		if u.Status != 200 {
			t.Errorf("the app got status %d, want the final 200", u.Status)
		}
		if appSawStatus(r, IsRedirect) {
			t.Errorf("a 3xx reached the app:\n%s", dump(r))
		}
		if u.Attempts != 1 || u.BytesSent != 2*u.Bytes || u.ServerReceipts != 1 {
			t.Errorf("attempts %d, bytes sent %d of %d, receipts %d; want one attempt whose body went twice and arrived once",
				u.Attempts, u.BytesSent, u.Bytes, u.ServerReceipts)
		}
		if got := r.Radios[WiFi].BytesUp; got != 2*u.Bytes {
			t.Errorf("the Wi-Fi radio sent %d bytes, want %d", got, 2*u.Bytes)
		}
		// The body takes 20 s at 2 Mbit/s: the redirect costs at least that.
		if d := u.SettledAt - p.SettledAt; d < 20*sim.Second {
			t.Errorf("settled %v after the unredirected upload, want at least the 20 s of a second body", d)
		}
		if n := len(recordsOf(r, string(KindRedirectFollowed))); n != 1 {
			t.Errorf("%d redirects followed, want 1", n)
		}
		wantCites(t, r, string(KindRedirectFollowed), RuleRedirectsAlwaysFollowed)
	})

	t.Run("302 follows with a GET and drops the body", func(t *testing.T) {
		r := mustRun(t, redirected(302, 1))
		u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
		if u.Status != 200 || appSawStatus(r, IsRedirect) {
			t.Errorf("status %d; the app must get the final response only", u.Status)
		}
		if u.BytesSent != u.Bytes || u.ServerReceipts != 0 {
			t.Errorf("bytes sent %d of %d, receipts %d; want the body sent once and never received by the final location",
				u.BytesSent, u.Bytes, u.ServerReceipts)
		}
		if !strings.Contains(u.Reason, "the server never had the upload") {
			t.Errorf("reason %q does not say the body never arrived", u.Reason)
		}
		f := recordsOf(r, string(KindRedirectFollowed))
		if len(f) != 1 || attr(f[0], string(AttrMethod)) != "GET" {
			t.Errorf("want one follow-up, a GET:\n%s", dump(r))
		}
		// A GET has no body to send: it takes about the round trips, not 20 s more.
		if d := u.SettledAt - p.SettledAt; d >= 20*sim.Second {
			t.Errorf("settled %v after the unredirected upload: the GET sent a body", d)
		}
	})

	t.Run("16 redirects are followed", func(t *testing.T) {
		c := redirected(308, 16)
		c.App.Uploads[0].Bytes = 10_000
		r := mustRun(t, c)
		u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
		if u.BytesSent != 17*u.Bytes {
			t.Errorf("bytes sent %d, want 17 bodies of %d", u.BytesSent, u.Bytes)
		}
	})

	t.Run("the 17th fails with -1007", func(t *testing.T) {
		c := redirected(307, 17)
		c.App.Uploads[0].Bytes = 10_000
		r := mustRun(t, c)
		u := wantUpload(t, r, 0, Failed, RuleRedirectsAlwaysFollowed, ErrHTTPTooManyRedirects)
		if n := len(recordsOf(r, string(KindRedirectFollowed))); n != 16 || u.Attempts != 1 {
			t.Errorf("%d redirects followed in %d attempts, want 16 in one: the daemon does not retry it", n, u.Attempts)
		}
		if appSawStatus(r, IsRedirect) {
			t.Errorf("a 3xx reached the app")
		}
	})

	t.Run("the limit is a parameter", func(t *testing.T) {
		c := redirected(307, 3)
		c.App.Uploads[0].Bytes = 10_000
		c.Params.MaxRedirects = 2
		r := mustRun(t, c)
		wantUpload(t, r, 0, Failed, RuleRedirectsAlwaysFollowed, ErrHTTPTooManyRedirects)
	})

	t.Run("a shared session follows too, without citing the daemon", func(t *testing.T) {
		c := redirected(307, 1)
		c.App.Sessions = append(c.App.Sessions, Session{Name: "sh", Kind: Shared, Delegate: "D"})
		c.App.Uploads = append(c.App.Uploads, Upload{Name: "s", Session: "sh", API: UploadFromData, Bytes: 10_000})
		c.Timeline = []Action{{At: 0, Do: Launch}, {At: sim.Second, Do: StartUpload, Upload: "s"}}
		r := mustRun(t, c)
		u := wantUpload(t, r, 0, Delivered, RuleInProcessTransfer, 0)
		if u.Status != 200 || u.BytesSent != 2*u.Bytes || appSawStatus(r, IsRedirect) {
			t.Errorf("status %d, bytes sent %d of %d: want 200 after the body went twice", u.Status, u.BytesSent, u.Bytes)
		}
		if cites(r, string(KindRedirectFollowed), RuleRedirectsAlwaysFollowed) {
			t.Error("an in-process follow cites the daemon's rule")
		}
	})
}
