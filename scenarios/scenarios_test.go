package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// want is the outcome a canonical scenario must show, per upload.
type want struct {
	variant string
	fates   []model.Fate
	rule    string // rule of the first upload
	code    int    // error code of the first upload
	check   func(t *testing.T, r *model.Result)
}

func runEmbedded(t *testing.T, name string) []*model.Result {
	t.Helper()
	sc, err := LoadEmbedded(name)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(RunOptions{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func kinds(r *model.Result, kind string) []sim.Record {
	var out []sim.Record
	for _, rec := range r.Trace {
		if rec.Kind == kind {
			out = append(out, rec)
		}
	}
	return out
}

// TestCanonicalScenarios checks that each embedded scenario shows what its
// row in the table of issue 3 (and its title) says.
func TestCanonicalScenarios(t *testing.T) {
	crashed := func(reason string) func(*testing.T, *model.Result) {
		return func(t *testing.T, r *model.Result) {
			if len(r.Crashes) != 1 || r.Crashes[0].Exception != "NSGenericException" || r.Crashes[0].Reason != reason {
				t.Errorf("crashes %+v, want NSGenericException %q", r.Crashes, reason)
			}
		}
	}
	serverHas := func(n int) func(*testing.T, *model.Result) {
		return func(t *testing.T, r *model.Result) {
			if r.ServerReceived() != n {
				t.Errorf("server received %d uploads, want %d", r.ServerReceived(), n)
			}
		}
	}
	tests := map[string][]want{
		"attempt-1-shared-data-task": {{fates: []model.Fate{model.Failed}, rule: "R-IN-PROCESS-TRANSFER", code: model.ErrNetworkConnectionLost, check: serverHas(0)}},
		"attempt-2-completion-handler": {{fates: []model.Fate{model.NeverSent}, rule: "R-NO-COMPLETION-HANDLER",
			check: crashed("Completion handler blocks are not supported in background sessions. Use a delegate instead.")}},
		"attempt-3-upload-from-data": {{fates: []model.Fate{model.NeverSent}, rule: "R-UPLOAD-FROM-FILE",
			check: crashed("Upload tasks from NSData are not supported in background sessions.")}},
		"attempt-4-upload-from-file": {{fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
			if len(kinds(r, "file.deleted")) != 1 {
				t.Error("the code should delete its file after the hand-off")
			}
		}}},
		"app-purged-mid-upload": {{fates: []model.Fate{model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED", check: func(t *testing.T, r *model.Result) {
			if r.BackgroundLaunches != 1 || len(kinds(r, "completion-handler.called")) != 1 {
				t.Errorf("background launches %d; want 1 and the completion handler called", r.BackgroundLaunches)
			}
		}}},
		"share-extension-upload": {
			{variant: "delivered", fates: []model.Fate{model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED", check: func(t *testing.T, r *model.Result) {
				if r.UserLaunches != 0 || r.BackgroundLaunches != 1 || len(r.Wakes) != 1 || r.Wakes[0].Session != "com.example.app.share" {
					t.Errorf("user launches %d, background launches %d, wakes %+v; want 0, 1 and one wake for com.example.app.share",
						r.UserLaunches, r.BackgroundLaunches, r.Wakes)
				}
			}},
			{variant: "no-shared-container", fates: []model.Fate{model.Failed}, rule: "R-ONE-PROCESS-PER-SESSION",
				code: model.ErrBackgroundSessionRequiresSharedContainer, check: serverHas(0)},
			{variant: "app-holds-identifier", fates: []model.Fate{model.Failed}, rule: "R-ONE-PROCESS-PER-SESSION",
				code: model.ErrBackgroundSessionInUseByAnotherProcess, check: serverHas(0)},
		},
		"launch-events-off": {
			{variant: "user-comes-back", fates: []model.Fate{model.Delivered}, rule: "R-RECONNECT-SAME-ID", check: func(t *testing.T, r *model.Result) {
				if r.BackgroundLaunches+r.BackgroundResumes != 0 || r.Uploads[0].SettledAt < sim.Hour {
					t.Errorf("woken %d times, delivered at %v; want no wake and delivery at the user's launch at 1h",
						r.BackgroundLaunches+r.BackgroundResumes, r.Uploads[0].SettledAt)
				}
			}},
			{variant: "user-never-returns", fates: []model.Fate{model.Pending}, rule: "R-SEND-LAUNCH-EVENTS-FALSE", check: serverHas(1)},
		},
		"renamed-identifier-after-update": {
			{variant: "renamed", fates: []model.Fate{model.Lost}, rule: "R-WRONG-ID-ON-RECREATE", check: func(t *testing.T, r *model.Result) {
				// The update ends the suspended process half-way through
				// the body (5 MB at 2 Mbit/s from 1s: 50% at about 11.2s),
				// and iOS launches version 2 once for the events.
				if first := r.Terminations[0]; first.Reason != "updated" || first.At < 11*sim.Second || first.At > 12*sim.Second {
					t.Errorf("first termination %+v; want the update, at about 11.2s", first)
				}
				if r.BackgroundLaunches != 1 || !strings.Contains(r.Uploads[0].Reason, "the app update at") {
					t.Errorf("%d background launches, reason %q; want 1, and the reason to name the update", r.BackgroundLaunches, r.Uploads[0].Reason)
				}
				serverHas(1)(t, r)
			}},
			{variant: "old-identifier-kept", fates: []model.Fate{model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED", check: func(t *testing.T, r *model.Result) {
				if u := r.Uploads[0]; r.BackgroundLaunches != 1 || u.SettledAt-u.ServerReceivedAt > sim.Second {
					t.Errorf("%d background launches, settled %v after the server had it; want the one relaunch to deliver it at once",
						r.BackgroundLaunches, u.SettledAt-u.ServerReceivedAt)
				}
			}},
		},
		"wrong-identifier-on-recreate": {
			{variant: "fresh-identifier", fates: []model.Fate{model.Lost}, rule: "R-WRONG-ID-ON-RECREATE", check: func(t *testing.T, r *model.Result) {
				if len(kinds(r, "completion-handler.called")) != 0 {
					t.Error("the completion handler must never be called")
				}
				last := r.Terminations[len(r.Terminations)-1]
				if last.Rule != "R-NO-COMPLETION-CALL-PENALTY" {
					t.Errorf("last termination %+v; want the end of the allowance", last)
				}
				if r.Uploads[0].Session != "com.example.upload.1" {
					t.Errorf("u1 went out under %q; want com.example.upload.1", r.Uploads[0].Session)
				}
				serverHas(1)(t, r)
			}},
			// Lost means lost: the upload code creates com.example.upload
			// again, and the user's next upload receives the response.
			{variant: "old-constant", fates: []model.Fate{model.Delivered, model.Delivered}, rule: "R-RECONNECT-SAME-ID", check: func(t *testing.T, r *model.Result) {
				if u := r.Uploads[0]; u.SettledAt < 5*sim.Minute+sim.Second || r.BackgroundLaunches != 1 {
					t.Errorf("u1 settled at %v after %d background launches; want at the user's upload at 5m1s, after one wasted relaunch",
						u.SettledAt, r.BackgroundLaunches)
				}
			}},
		},
		"force-quit-mid-upload": {{fates: []model.Fate{model.Failed}, rule: "R-FORCE-QUIT-CANCELS", code: model.ErrCancelled, check: func(t *testing.T, r *model.Result) {
			u := r.Uploads[0]
			if u.CancelReason != 0 || u.SettledAt < 10*sim.Minute || r.BackgroundLaunches != 0 {
				t.Errorf("reason %d, settled %v, background launches %d; want reason 0 learnt at the 10m launch, no relaunch",
					u.CancelReason, u.SettledAt, r.BackgroundLaunches)
			}
		}}},
		"duplicate-identifier": {{fates: []model.Fate{model.Delivered}, rule: "R-DUP-ID-SAME-PROCESS", check: func(t *testing.T, r *model.Result) {
			if r.Uploads[0].Delegate != "UploadManagerDelegate" || len(r.Crashes) != 0 {
				t.Errorf("delivered to %q with %d crashes; want the first delegate, no crash", r.Uploads[0].Delegate, len(r.Crashes))
			}
		}}},
		"rate-limited-chain": {{fates: []model.Fate{model.Delivered, model.Delivered, model.Delivered, model.Delivered},
			rule: "R-SUSPENDED-APP-RESUMED", check: func(t *testing.T, r *model.Result) {
				var delays []string
				for _, rec := range kinds(r, "task.delayed") {
					delays = append(delays, rec.Attrs[1].Value())
				}
				if !slices.Equal(delays, []string{"1m0s", "2m0s", "4m0s"}) {
					t.Errorf("delays %v, want 1m0s 2m0s 4m0s", delays)
				}
				if len(kinds(r, "rate-limiter.reset")) != 1 {
					t.Error("opening the app should reset the rate limiter")
				}
			}}},
		"next-upload-from-completion": {
			{variant: "in-foreground", fates: []model.Fate{model.Delivered, model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
				// The hook starts the thumbnail when the photo's response
				// reaches the delegate, and it goes at once.
				if u1, u2 := r.Uploads[0], r.Uploads[1]; u2.CreatedAt != u1.SettledAt || u2.StartedAt != u2.HandedOffAt || len(kinds(r, "hook.run")) != 1 {
					t.Errorf("thumbnail created %v (photo delivered %v), started %v (handed off %v); hook runs %d",
						u2.CreatedAt, u1.SettledAt, u2.StartedAt, u2.HandedOffAt, len(kinds(r, "hook.run")))
				}
			}},
			{variant: "purged-in-background", fates: []model.Fate{model.Delivered, model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED", check: func(t *testing.T, r *model.Result) {
				if u2 := r.Uploads[1]; u2.LimiterDelay != sim.Minute || u2.StartedAt != u2.HandedOffAt+sim.Minute {
					t.Errorf("thumbnail held %v, started %v after hand-off at %v; want a minute", u2.LimiterDelay, u2.StartedAt, u2.HandedOffAt)
				}
			}},
			{variant: "both-at-once", fates: []model.Fate{model.Delivered, model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED", check: func(t *testing.T, r *model.Result) {
				if r.BackgroundLaunches+r.BackgroundResumes != 1 || len(kinds(r, "hook.run")) != 0 || len(kinds(r, "task.delayed")) != 0 {
					t.Errorf("%d wakes, %d hook runs, %d delays; want one wake and neither", r.BackgroundLaunches+r.BackgroundResumes,
						len(kinds(r, "hook.run")), len(kinds(r, "task.delayed")))
				}
			}},
		},
		"data-task-in-background-session": {{fates: []model.Fate{model.Failed}, rule: "R-DATA-TASK-IN-BG-SESSION", code: model.ErrBackgroundSessionWasDisconnected}},
		"network-outage-mid-upload": {
			{variant: "ios16-restart", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
				if u := r.Uploads[0]; u.BytesSent <= u.Bytes || u.Attempts != 2 {
					t.Errorf("sent %d of %d bytes in %d attempts; want a restart from zero", u.BytesSent, u.Bytes, u.Attempts)
				}
			}},
			{variant: "ios17-resume", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
				// A resume sends again only what was in flight when the
				// path went: 40 ms (half the 80 ms RTT) at 2 Mbit/s.
				if u := r.Uploads[0]; u.BytesSent != u.Bytes+10_000 || u.Attempts != 2 {
					t.Errorf("sent %d of %d bytes in %d attempts; want a resume from the acknowledged byte", u.BytesSent, u.Bytes, u.Attempts)
				}
			}},
		},
		"resume-after-long-outage": {
			{variant: "no-handler", fates: []model.Fate{model.Failed}, rule: "R-RESUMABLE-UPLOAD-17", code: model.ErrNetworkConnectionLost},
			{variant: "resume-once", fates: []model.Fate{model.Failed, model.Delivered}, rule: "R-RESUMABLE-UPLOAD-17", code: model.ErrNetworkConnectionLost, check: func(t *testing.T, r *model.Result) {
				// The resumed task sends only what the server had not
				// acknowledged; the two together send the body and the
				// 10 000 bytes in flight when the path went.
				u1, u2 := r.Uploads[0], r.Uploads[1]
				if u2.ResumedFrom != "u1" || u2.ResumeOffset != u1.BytesSent-10_000 || u2.BytesSent != u2.Bytes-u2.ResumeOffset {
					t.Errorf("u2 resumed from %q at byte %d and sent %d; u1 sent %d", u2.ResumedFrom, u2.ResumeOffset, u2.BytesSent, u1.BytesSent)
				}
			}},
		},
		"redirected-upload": {
			{variant: "temporary-307", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
				if u := r.Uploads[0]; u.Status != 200 || u.BytesSent != 2*u.Bytes || u.ServerReceipts != 1 || u.Attempts != 1 {
					t.Errorf("status %d, sent %d of %d bytes, %d receipts, %d attempts; want 200 after the body went twice in one attempt",
						u.Status, u.BytesSent, u.Bytes, u.ServerReceipts, u.Attempts)
				}
			}},
			{variant: "found-302", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
				if u := r.Uploads[0]; u.Status != 200 || u.BytesSent != u.Bytes || u.ServerReceipts != 0 {
					t.Errorf("status %d, sent %d of %d bytes, %d receipts; want 200 to a GET, the body sent once and never received",
						u.Status, u.BytesSent, u.Bytes, u.ServerReceipts)
				}
			}},
		},
		"auth-challenge": {
			{variant: "delegate-answers", fates: []model.Fate{model.Delivered}, rule: "R-SUSPENDED-APP-RESUMED", check: func(t *testing.T, r *model.Result) {
				if u := r.Uploads[0]; u.BytesSent != 2*u.Bytes || r.BackgroundLaunches != 1 || len(r.Wakes) != 2 || r.Wakes[0].Delay != sim.Minute {
					t.Errorf("sent %d of %d bytes, %d background launches, wakes %+v; want the body twice and a launch for the challenge that set the limiter to 1m",
						u.BytesSent, u.Bytes, r.BackgroundLaunches, r.Wakes)
				}
			}},
			{variant: "credential-storage", fates: []model.Fate{model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED", check: func(t *testing.T, r *model.Result) {
				if u := r.Uploads[0]; len(r.Wakes) != 1 || r.Wakes[0].At < u.ServerReceivedAt {
					t.Errorf("wakes %+v; want one, for the finished upload only", r.Wakes)
				}
			}},
			{variant: "never-answered", fates: []model.Fate{model.Failed}, rule: "R-AUTH-WAKE", code: model.ErrTimedOut},
		},
		"cellular-disallowed": {{fates: []model.Fate{model.Delivered}, rule: "R-SUSPENDED-APP-RESUMED", check: func(t *testing.T, r *model.Result) {
			if r.Uploads[0].ServerReceivedAt < 20*sim.Minute || r.Radios[model.Cellular].BytesUp != 0 || !slices.Contains(r.Rules, "R-CELLULAR-DISALLOWED") {
				t.Errorf("the upload should wait for Wi-Fi at 20m, send nothing over cellular, and cite R-CELLULAR-DISALLOWED")
			}
		}}},
		"low-data-mode": {
			{variant: "constrained-disallowed", fates: []model.Fate{model.Pending}, rule: "R-EXPENSIVE-CONSTRAINED"},
			{variant: "constrained-allowed", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY"},
		},
		"discretionary-waits-for-wifi": {{fates: []model.Fate{model.Delivered}, rule: "R-SUSPENDED-APP-RESUMED", check: func(t *testing.T, r *model.Result) {
			if r.Uploads[0].ServerReceivedAt < sim.Hour || r.Radios[model.Cellular].BytesUp != 0 {
				t.Errorf("the backup should wait for power at 1h and go over Wi-Fi; received at %v", r.Uploads[0].ServerReceivedAt)
			}
		}}},
		"resource-timeout": {{fates: []model.Fate{model.Failed}, rule: "R-RESOURCE-TIMEOUT", code: model.ErrTimedOut, check: func(t *testing.T, r *model.Result) {
			if s := r.Uploads[0].SettledAt; s < sim.Hour || s > sim.Hour+sim.Minute {
				t.Errorf("settled at %v, want just after the 1h resource timeout", s)
			}
		}}},
		"earliest-begin-date": {{fates: []model.Fate{model.Delivered}, rule: "R-SUSPENDED-APP-RESUMED", check: func(t *testing.T, r *model.Result) {
			if u := r.Uploads[0]; u.ServerReceivedAt < u.CreatedAt+15*sim.Minute {
				t.Errorf("received at %v, before the begin date", u.ServerReceivedAt)
			}
		}}},
		"batched-vs-individual": batchedVsIndividual(),
		// The sweep scenarios: one draw each, as bgsim run shows it.
		"purge-anywhere": {
			{variant: "launch-events-on", fates: []model.Fate{model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED"},
			{variant: "launch-events-off", fates: []model.Fate{model.Delivered}, rule: "R-RECONNECT-SAME-ID"},
		},
		"flaky-network": {
			{variant: "ios16-restart", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY"},
			{variant: "ios17-resume", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY"},
		},
		"batching-window": {{fates: repeat(model.Delivered, 9), rule: "R-UPLOAD-RESPONSE-DELIVERY"}},
		"periodic-analytics": {
			{variant: "every-minute", fates: repeat(model.Delivered, 60), rule: "R-UPLOAD-RESPONSE-DELIVERY"},
			{variant: "one-deferred-batch", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
				if r.Uploads[0].Items != 60 || r.Uploads[0].ServerReceivedAt < 62*sim.Minute || r.Radios[model.Cellular].BytesUp != 0 {
					t.Errorf("one batch of 60 should go over Wi-Fi once the phone is plugged in (62m): %+v", r.Uploads[0])
				}
			}},
		},
		"purge-at-60-percent": {{fates: []model.Fate{model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED", check: func(t *testing.T, r *model.Result) {
			// The 5 MB body takes 20 s alone on 2 Mbit/s and reaches the
			// server RTT/2 after its last byte: 60% is 8 s before that.
			want := r.Uploads[0].ServerReceivedAt - 40*sim.Millisecond - 8*sim.Second
			if len(r.Terminations) != 1 || r.Terminations[0].Reason != "purged" || r.Terminations[0].At != want {
				t.Errorf("terminations %+v; want one purge at %v", r.Terminations, want)
			}
			if r.BackgroundLaunches != 1 || len(r.Unfired) != 0 {
				t.Errorf("%d background launches, unfired %v; want the relaunch, every step done", r.BackgroundLaunches, r.Unfired)
			}
		}}},
		"missing-completion-handler-call": {{fates: []model.Fate{model.Delivered}, rule: "R-PURGED-APP-RELAUNCHED", check: func(t *testing.T, r *model.Result) {
			last := r.Terminations[len(r.Terminations)-1]
			if len(r.Terminations) != 2 || last.Rule != "R-NO-COMPLETION-CALL-PENALTY" {
				t.Errorf("terminations %+v; want the purge, then termination at the end of the allowance", r.Terminations)
			}
		}}},
	}
	for _, name := range Names() {
		if _, ok := tests[name]; !ok {
			t.Errorf("embedded scenario %s has no expected outcome in this test", name)
		}
	}
	for name, wants := range tests {
		t.Run(name, func(t *testing.T) {
			rs := runEmbedded(t, name)
			if len(rs) != len(wants) {
				t.Fatalf("%d runs, want %d", len(rs), len(wants))
			}
			for i, w := range wants {
				r := rs[i]
				if r.Variant != w.variant {
					t.Errorf("run %d is variant %q, want %q", i, r.Variant, w.variant)
				}
				var fates []model.Fate
				for _, u := range r.Uploads {
					fates = append(fates, u.Fate)
				}
				if !slices.Equal(fates, w.fates) {
					t.Errorf("%s: fates %v, want %v", w.variant, fates, w.fates)
					continue
				}
				if u := r.Uploads[0]; string(u.Rule) != w.rule || u.ErrorCode != w.code {
					t.Errorf("%s: rule %s code %d, want %s %d (%s)", w.variant, u.Rule, u.ErrorCode, w.rule, w.code, u.Reason)
				}
				if w.check != nil {
					w.check(t, r)
				}
			}
		})
	}
}

func repeat(f model.Fate, n int) []model.Fate {
	out := make([]model.Fate, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// batchedVsIndividual: 30 uploads against one, on LTE and on Wi-Fi, and the
// energy the batch saves: a large share on LTE, with its long tail, little
// on Wi-Fi.
func batchedVsIndividual() []want {
	var indLTE, indWiFi float64
	return []want{
		{variant: "individual-lte", fates: repeat(model.Delivered, 30), rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
			indLTE = r.Energy.Joules()
			if r.Energy.Promotions != 30 {
				t.Errorf("%d promotions, want one per sample", r.Energy.Promotions)
			}
		}},
		{variant: "batched-lte", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
			if ratio := r.Energy.Joules() / indLTE; ratio > 0.2 || r.Energy.Promotions != 1 {
				t.Errorf("batched on LTE uses %.3f of individual with %d promotions; want below 0.2 and one", ratio, r.Energy.Promotions)
			}
			if r.Items.WaitMax < 29*sim.Minute {
				t.Errorf("the first sample waited %v; batching should make it wait for the last", r.Items.WaitMax)
			}
		}},
		{variant: "individual-wifi", fates: repeat(model.Delivered, 30), rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
			indWiFi = r.Energy.Joules()
			if indWiFi > indLTE/5 {
				t.Errorf("individual uploads cost %.1f J on Wi-Fi against %.1f J on LTE; Wi-Fi's short tail should make them far cheaper", indWiFi, indLTE)
			}
		}},
		{variant: "batched-wifi", fates: []model.Fate{model.Delivered}, rule: "R-UPLOAD-RESPONSE-DELIVERY", check: func(t *testing.T, r *model.Result) {
			if ratio := r.Energy.Joules() / indWiFi; ratio < 0.5 || ratio >= 1 {
				t.Errorf("batched on Wi-Fi uses %.3f of individual; want a small saving (0.5 to 1)", ratio)
			}
		}},
	}
}

// Same scenario, same seed: the same fingerprint and byte-identical trace,
// for every embedded scenario and variant.
func TestDeterminism(t *testing.T) {
	for _, name := range Names() {
		a, b := runEmbedded(t, name), runEmbedded(t, name)
		for i := range a {
			if a[i].Fingerprint != b[i].Fingerprint || !reflect.DeepEqual(a[i].Trace, b[i].Trace) {
				t.Errorf("%s/%s: two runs differ (%v, %v)", name, a[i].Variant, a[i].Fingerprint, b[i].Fingerprint)
			}
		}
	}
}

func TestEmbeddedLibrary(t *testing.T) {
	names := Names()
	if len(names) < 12 {
		t.Errorf("%d embedded scenarios, want at least 12", len(names))
	}
	for _, name := range names {
		sc, err := LoadEmbedded(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if sc.Name != name {
			t.Errorf("%s.yaml calls itself %q", name, sc.Name)
		}
		if sc.Title == "" || len(sc.About) < 100 {
			t.Errorf("%s: a canonical scenario needs a title and an about text that teaches", name)
		}
		for _, v := range sc.Variants {
			if v.Name != "" && v.About == "" {
				t.Errorf("%s/%s: a variant needs an about text", name, v.Name)
			}
		}
	}
}

// Each malformed scenario gets one clear error at the right place.
func TestMalformed(t *testing.T) {
	const good = `name: t
title: T
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 5MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
`
	if _, err := Load("good.yaml", []byte(good)); err != nil {
		t.Fatalf("the base document does not load: %v", err)
	}
	tests := []struct {
		name, doc, want string
	}{
		{"resume data before iOS 17", strings.Replace(good, "photo: {session: up, size: 5MB}", "photo: {session: up, size: 5MB, on_failure: resume}\ndevice: {ios: 16}", 1),
			`good.yaml:7:49: app.uploads.photo.on_failure: on_failure: resume needs NSURLSessionUploadTaskResumeData, which iOS 17 introduced; this is iOS 16 (R-RESUMABLE-UPLOAD-17)`},
		{"resume_data on an upload step", strings.Replace(good, "upload: photo}", "upload: photo, resume_data: true}", 1),
			`good.yaml:10:54: timeline: resume_data: applies only to do: cancel`},
		{"cancel an unknown upload", good + "  - {at: 2s, do: cancel, upload: phot}\n",
			`good.yaml:11:34: timeline[2].upload: no upload named "phot"; did you mean "photo"?`},
		{"invalidate without a session", good + "  - {at: 2s, do: invalidate}\n",
			`good.yaml:11:5: timeline: do: invalidate needs session: NAME, one of the sessions under app.sessions`},
		{"unknown key with suggestion", strings.Replace(good, "title: T", "title: T\nhorizn: 1h", 1),
			`good.yaml:3:1: scenario: unknown key "horizn"; did you mean "horizon"?`},
		{"unknown nested key", strings.Replace(good, "delegate: D}", "delegate: D, sends_launch_event: false}", 1),
			`good.yaml:5:42: app.sessions.up: unknown key "sends_launch_event"; did you mean "sends_launch_events"?`},
		{"wrong type", strings.Replace(good, "title: T", "title: T\nseed: [1]", 1),
			`good.yaml:3:7: seed: expected an integer, found a list`},
		{"bad duration", strings.Replace(good, "at: 1s", "at: 1 sec", 1),
			`good.yaml:10:10: timeline[1].at: expected a duration like 90s, 1m30s, 250ms or 7d, found "1 sec"`},
		{"bad size", strings.Replace(good, "size: 5MB", "size: 5 megs", 1),
			`good.yaml:7:32: app.uploads.photo.size: expected a size like 5MB, 50KB, 512B or 64KiB, found "5 megs"`},
		{"missing required field", strings.Replace(good, "title: T\n", "", 1),
			`good.yaml:1:1: scenario: missing required key "title"`},
		{"negative time", strings.Replace(good, "at: 0s", "at: -5s", 1),
			`good.yaml:9:10: timeline[0].at: 0s to 3650d, found -5s`},
		{"unknown enum value", strings.Replace(good, "do: launch", "do: lanch", 1),
			`good.yaml:9:18: timeline[0].do: "lanch" is not one of launch, background, foreground, force-quit, purge, upload, cancel, resume, invalidate, create_session, update_app, extension-open, extension-close, wifi-off, wifi-on, cellular-off, cellular-on, outage, bandwidth, plug-in, unplug, low-power-on, low-power-off; did you mean "launch"?`},
		{"unknown upload", strings.Replace(good, "upload: photo}", "upload: phot}", 1),
			`good.yaml:10:34: timeline[1].upload: no upload named "phot"; did you mean "photo"?`},
		{"steps out of order", strings.Replace(good, "at: 1s", "at: 0.5s", 1) + "  - {at: 0.2s, do: background}\n",
			`good.yaml:11:10: timeline[2].at: this step at 200ms comes before the step above it at 500ms; list the steps in time order`},
		{"YAML syntax", "name: t\ntitle: [unclosed\n", `good.yaml:1: YAML syntax: did not find expected ',' or ']'`},
		{"not a mapping", "- just\n- a list\n", `good.yaml:1:1: expected a mapping of scenario keys at the top, found a list`},
		{"empty", "", `good.yaml: the file is empty; a scenario needs at least name, title and app`},
		{"alias", strings.Replace(good, "title: T", "title: &t T", 1), `good.yaml:2:8: title: anchors and aliases are not supported; write the value out`},
		{"horizon before timeline", strings.Replace(good, "title: T", "title: T\nhorizon: 500ms", 1),
			`good.yaml:3:10: horizon: the run ends at 500ms, before the timeline's last step at 1s`},
		{"unknown variant key", good + "variants:\n  a:\n    about: x\n    netwrk: {rtt: 1s}\n",
			`good.yaml:14:5: variants.a: unknown key "netwrk"; did you mean "network"?`},
		{"explore in a variant", good + "variants:\n  a:\n    explore: {faults: [outage]}\n",
			`good.yaml:13:5: variants.a: explore: is the scenario's, not a variant's: bgsim explore reads the top-level explore: block for every variant; move it to the top`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("good.yaml", []byte(tt.doc))
			if err == nil {
				t.Fatalf("no error for:\n%s", tt.doc)
			}
			var es Errors
			if !asErrors(err, &es) || len(es) != 1 {
				t.Fatalf("want exactly one positioned error, got:\n%v", err)
			}
			if got := es[0].Error(); got != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func asErrors(err error, es *Errors) bool {
	e, ok := err.(Errors)
	*es = e
	return ok
}

// Every problem in a file is reported, not just the first.
func TestAllErrorsReported(t *testing.T) {
	doc := `name: Bad Name
title: T
app:
  sessions:
    up: {identifier: com.x}
  uploads:
    photo: {session: upp, size: 0B}
timeline:
  - {at: -1s, do: launch}
`
	_, err := Load("x.yaml", []byte(doc))
	es, _ := err.(Errors)
	if len(es) != 5 {
		t.Fatalf("want 5 errors (name, delegate, session, size, negative time), got %d:\n%v", len(es), err)
	}
}

func TestVariants(t *testing.T) {
	doc := `name: v
title: V
network: {wifi: {rtt: 80ms}}
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
variants:
  base: {}
  slow:
    about: A slower path.
    network: {wifi: {up: 100kbps}}
    add_timeline:
      - {at: 0.5s, do: background}
`
	sc, err := Load("v.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Variants) != 2 || sc.Variants[1].About != "A slower path." {
		t.Fatalf("variants %+v", sc.Variants)
	}
	slow := sc.Variants[1].Config
	if w := slow.Network.Interfaces[model.WiFi]; w.UpBitsPerSecond != 100_000 || w.RTT != 80*sim.Millisecond {
		t.Errorf("overlay: up %d, rtt %v; want 100kbps and the base's 80ms", w.UpBitsPerSecond, w.RTT)
	}
	var dos []model.ActionKind
	for _, a := range slow.Timeline {
		dos = append(dos, a.Do)
	}
	if !slices.Equal(dos, []model.ActionKind{model.Launch, model.Leave, model.StartUpload}) {
		t.Errorf("add_timeline steps are merged by time: got %v", dos)
	}
	if base := sc.Variants[0].Config; base.Network.Interfaces[model.WiFi].UpBitsPerSecond != model.DefaultNetwork().Interfaces[model.WiFi].UpBitsPerSecond || len(base.Timeline) != 2 {
		t.Errorf("the base variant was changed by another variant's overlay")
	}
	if _, err := sc.Run(RunOptions{Variant: "slw"}); err == nil || !strings.Contains(err.Error(), `did you mean "slow"?`) {
		t.Errorf("unknown variant: %v", err)
	}
}

func TestUnits(t *testing.T) {
	durations := map[string]sim.Time{"90s": 90 * sim.Second, "1m30s": 90 * sim.Second, "250ms": 250 * sim.Millisecond,
		"7d": 7 * 24 * sim.Hour, "1d12h": 36 * sim.Hour, "0": 0, "-5s": -5 * sim.Second}
	for s, want := range durations {
		if got, ok := parseDuration(s); !ok || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, bad := range []string{"", "5", "1 sec", "d", "1d-5s", "5x"} {
		if _, ok := parseDuration(bad); ok {
			t.Errorf("parseDuration(%q) accepted", bad)
		}
	}
	sizes := map[string]int64{"512B": 512, "50KB": 50_000, "5MB": 5_000_000, "1.5GB": 1_500_000_000, "64KiB": 65536, "1024": 1024}
	for s, want := range sizes {
		if got, ok := parseUnit(s, sizeUnits); !ok || got != want {
			t.Errorf("size %q = %d, %v; want %d", s, got, ok, want)
		}
	}
	rates := map[string]int64{"10Mbps": 10_000_000, "500kbps": 500_000, "1Gbps": 1_000_000_000}
	for s, want := range rates {
		if got, ok := parseUnit(s, rateUnits); !ok || got != want {
			t.Errorf("rate %q = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, bad := range []string{"5mb", "10 Mbit", "-1MB", "MB"} {
		if _, ok := parseUnit(bad, sizeUnits); ok {
			t.Errorf("size %q accepted", bad)
		}
	}
}

func TestResolve(t *testing.T) {
	if _, err := Resolve("app-purged-mid-upload"); err != nil {
		t.Errorf("embedded name: %v", err)
	}
	_, err := Resolve("app-purged-mid-uplod")
	if err == nil || !strings.Contains(err.Error(), `did you mean "app-purged-mid-upload"?`) {
		t.Errorf("misspelt name: %v", err)
	}
}

// Issue 15: the workshop flipped recreate: legacy in a copy of
// app-purged-mid-upload, which has no session legacy; the error said so
// without naming the sessions that exist.
func TestUnknownSessionListsSessions(t *testing.T) {
	src, ok := Source("app-purged-mid-upload")
	if !ok {
		t.Fatal("no app-purged-mid-upload")
	}
	for _, c := range []struct{ from, to, want string }{
		{"recreate: given", "recreate: legacy", `app.handle_events.recreate: "legacy" is not given, none or a session name (its sessions: "uploads")`},
		{"at_launch: [uploads]", "at_launch: [legacy]", `app.at_launch[0]: no session named "legacy" (its sessions: "uploads")`},
		{"session: uploads", "session: upload", `no session named "upload"; did you mean "uploads"? (its sessions: "uploads")`},
	} {
		_, err := Load("mine.yaml", []byte(strings.Replace(string(src), c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s → %s: got %v, want %q", c.from, c.to, err, c.want)
		}
	}
}
