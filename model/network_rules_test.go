package model

import (
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// The network and scheduling rules of issue 4, one test each.

func step(at sim.Time, do ActionKind) Action { return Action{At: at, Do: do} }

func TestRule_R_BG_ALWAYS_WAITS_FOR_CONNECTIVITY(t *testing.T) {
	c := base()
	c.Timeline = []Action{step(0, Launch), step(500*sim.Millisecond, WiFiOff), {At: sim.Second, Do: StartUpload, Upload: "photo"}, step(30*sim.Second, WiFiOn)}
	r := mustRun(t, c)
	wantCites(t, r, "transfer.waiting", RuleBGAlwaysWaitsForConnectivity)
	u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	if u.ServerReceivedAt < 30*sim.Second {
		t.Errorf("the server had the upload at %v, before any path came back", u.ServerReceivedAt)
	}
	// Still offline at the end: pending, waiting for a path, no error.
	c.Timeline = c.Timeline[:3]
	r = mustRun(t, c)
	wantUpload(t, r, 0, Pending, RuleBGAlwaysWaitsForConnectivity, 0)
}

// outageMidUpload cuts every path from 10 s to 30 s of a 5 MB upload that
// started at about 1.2 s on a 2 Mbit/s uplink (about 2.2 MB sent by 10 s).
func outageMidUpload(ios int, resumable bool) Config {
	c := base()
	c.IOS = ios
	c.Server.Resumable = resumable
	c.Timeline = append(c.Timeline, Action{At: 10 * sim.Second, Do: Outage, For: 20 * sim.Second})
	return c
}

func TestRule_R_NETWORK_LOSS_MIDTRANSFER(t *testing.T) {
	r := mustRun(t, outageMidUpload(16, true))
	u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	if u.Attempts != 2 || u.BytesSent <= u.Bytes {
		t.Errorf("attempts %d, bytes sent %d of %d: want a silent restart that sends the start again", u.Attempts, u.BytesSent, u.Bytes)
	}
	wantCites(t, r, "transfer.path-lost", RuleNetworkLossMidtransfer)
	for _, rec := range r.Trace {
		if rec.Actor == "app" && rec.Kind == "delegate.did-complete" {
			t.Error("the app was told about the intermediate error")
		}
	}
}

func TestRule_R_RESUMABLE_UPLOAD_17(t *testing.T) {
	tests := []struct {
		name      string
		ios       int
		resumable bool
		resumes   bool
	}{
		{"iOS 17, resumable server", 17, true, true},
		{"iOS 26, resumable server", 26, true, true},
		{"iOS 16, resumable server", 16, true, false},
		{"iOS 17, plain server", 17, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRun(t, outageMidUpload(tt.ios, tt.resumable))
			u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
			// Resuming sends again only the bytes in flight when the path
			// went: what the server had not acknowledged, one one-way
			// delay (40 ms) at 2 Mbit/s.
			const inFlight = 2_000_000 * 40 / 1000 / 8
			if resumed := u.BytesSent == u.Bytes+inFlight; resumed != tt.resumes {
				t.Errorf("bytes sent %d for a %d-byte body: resumed = %v, want %v", u.BytesSent, u.Bytes, resumed, tt.resumes)
			}
			if tt.resumes {
				wantCites(t, r, "task.retry", RuleResumableUpload17)
				if u.Attempts != 2 || u.ErrorCode != 0 {
					t.Errorf("attempts %d, code %d: a short outage resumes silently", u.Attempts, u.ErrorCode)
				}
			}
		})
	}
}

func TestRule_R_TIMEOUT_RETRY(t *testing.T) {
	c := base()
	c.App.Uploads[0].Bytes = 100_000
	c.App.Sessions[0].RequestTimeout = 30 * sim.Second
	c.Server.UnresponsiveUntil = 90 * sim.Second
	r := mustRun(t, c)
	wantCites(t, r, "request.timed-out", RuleTimeoutRetry)
	u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	if u.ServerReceipts < 3 || u.SettledAt < 90*sim.Second {
		t.Errorf("server receipts %d, settled at %v: want retries every 30 s, each sending the body again, until the server answers after 90 s",
			u.ServerReceipts, u.SettledAt)
	}
}

// cellularOnly makes Wi-Fi unavailable and cellular available.
func cellularOnly(c *Config) {
	c.Network.Interfaces[WiFi].Available = false
	c.Network.Interfaces[Cellular].Available = true
}

func TestRule_R_CELLULAR_DISALLOWED(t *testing.T) {
	c := base()
	cellularOnly(&c)
	c.App.Sessions[0].Access.Cellular = Denied
	r := mustRun(t, c)
	wantUpload(t, r, 0, Pending, RuleCellularDisallowed, 0)
	// Wi-Fi comes: the task goes over it.
	c.Timeline = append(c.Timeline, step(time60, WiFiOn))
	r = mustRun(t, c)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt < time60 {
		t.Errorf("received at %v, before Wi-Fi came", u.ServerReceivedAt)
	}
	if r.Radios[Cellular].BytesUp != 0 {
		t.Error("bytes went over cellular")
	}
	// The request's setting overrides the session's.
	c = base()
	cellularOnly(&c)
	c.App.Sessions[0].Access.Cellular = Denied
	c.App.Uploads[0].Access.Cellular = Allowed
	r = mustRun(t, c)
	wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
}

func TestRule_R_EXPENSIVE_CONSTRAINED(t *testing.T) {
	t.Run("expensive", func(t *testing.T) {
		c := base()
		cellularOnly(&c)
		c.App.Sessions[0].Access.Expensive = Denied
		r := mustRun(t, c)
		wantUpload(t, r, 0, Pending, RuleExpensiveConstrained, 0)
	})
	t.Run("Low Data Mode", func(t *testing.T) {
		c := base()
		c.Network.Interfaces[WiFi].Constrained = true
		c.App.Sessions[0].Access.Constrained = Denied
		r := mustRun(t, c)
		wantUpload(t, r, 0, Pending, RuleExpensiveConstrained, 0)
		c.App.Sessions[0].Access.Constrained = Inherit
		r = mustRun(t, c)
		wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	})
}

// discretionaryBase marks the session discretionary on a phone on Wi-Fi
// and on battery.
func discretionaryBase() Config {
	c := base()
	c.App.Sessions[0].Discretionary = true
	c.Power.Charging = false
	return c
}

func TestRule_R_DISCRETIONARY_FLAG(t *testing.T) {
	c := discretionaryBase()
	r := mustRun(t, c)
	wantUpload(t, r, 0, Pending, RuleDiscretionaryFlag, 0)
	// Plugged in later: the task runs then.
	c.Timeline = append(c.Timeline, step(5*sim.Minute, PlugIn))
	r = mustRun(t, c)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt < 5*sim.Minute {
		t.Errorf("received at %v, before the phone was plugged in", u.ServerReceivedAt)
	}
	// Charging but on cellular only: it waits for Wi-Fi.
	c = discretionaryBase()
	c.Power.Charging = true
	cellularOnly(&c)
	r = mustRun(t, c)
	wantUpload(t, r, 0, Pending, RuleDiscretionaryFlag, 0)
}

func TestRule_R_DISCRETIONARY_RELAXATION(t *testing.T) {
	c := discretionaryBase()
	cellularOnly(&c)
	c.App.Sessions[0].ResourceTimeout = sim.Hour
	c.Horizon = 2 * sim.Hour
	r := mustRun(t, c)
	wantCites(t, r, "task.relaxed", RuleDiscretionaryRelaxation)
	u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	relaxAt := u.HandedOffAt + sim.Time(0.9*float64(sim.Hour))
	if u.ServerReceivedAt < relaxAt || u.ServerReceivedAt > relaxAt+time60 {
		t.Errorf("received at %v; the conditions lift at %v (0.9 of the resource timeout)", u.ServerReceivedAt, relaxAt)
	}
	if r.Radios[Cellular].BytesUp == 0 {
		t.Error("relaxed, the task should go over cellular")
	}
}

func TestRule_R_LOW_POWER_MODE(t *testing.T) {
	c := discretionaryBase()
	c.Power.Charging = true
	c.Power.LowPowerMode = true
	c.Timeline = append(c.Timeline, step(10*sim.Minute, LowPowerOff))
	r := mustRun(t, c)
	wantCites(t, r, "task.waiting", RuleLowPowerMode)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt < 10*sim.Minute {
		t.Errorf("received at %v, while Low Power Mode was on", u.ServerReceivedAt)
	}
	// A non-discretionary task is not paused.
	c = base()
	c.Power.LowPowerMode = true
	r = mustRun(t, c)
	if u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0); u.ServerReceivedAt > time60 {
		t.Errorf("a non-discretionary task waited for Low Power Mode: received at %v", u.ServerReceivedAt)
	}
}

func TestRule_R_CRITICAL_BATTERY(t *testing.T) {
	c := discretionaryBase()
	c.Power.BatteryPercent = 15
	r := mustRun(t, c)
	wantUpload(t, r, 0, Pending, RuleCriticalBattery, 0)
}

func TestRule_R_EARLIEST_BEGIN_DATE(t *testing.T) {
	c := base()
	c.App.Uploads[0].BeginAfter = 10 * sim.Minute
	r := mustRun(t, c)
	wantCites(t, r, "task.waiting", RuleEarliestBeginDate)
	u := wantUpload(t, r, 0, Delivered, RuleUploadResponseDelivery, 0)
	if u.ServerReceivedAt < u.CreatedAt+10*sim.Minute {
		t.Errorf("received at %v, before earliestBeginDate", u.ServerReceivedAt)
	}
	// The resource timeout counts from resume(), not from the begin date.
	c.App.Uploads[0].BeginAfter = 2 * sim.Hour
	c.App.Sessions[0].ResourceTimeout = sim.Hour
	r = mustRun(t, c)
	if u := wantUpload(t, r, 0, Failed, RuleResourceTimeout, ErrTimedOut); u.SettledAt > 2*sim.Hour {
		t.Errorf("failed at %v; the resource timeout ran out at 1h from resume()", u.SettledAt)
	}
}

// Without retries, the bytes on the air are the body, once.
func TestBytesSentWithoutRetry(t *testing.T) {
	r := mustRun(t, base())
	if u := r.Uploads[0]; u.BytesSent != u.Bytes || u.Attempts != 1 || u.ServerReceipts != 1 {
		t.Errorf("bytes sent %d of %d, attempts %d, receipts %d", u.BytesSent, u.Bytes, u.Attempts, u.ServerReceipts)
	}
	if e := r.Radios[WiFi]; e.BytesUp != r.Uploads[0].Bytes || e.BytesDown != 512 {
		t.Errorf("radio moved %d up, %d down; want the body up and the 512-byte response down", e.BytesUp, e.BytesDown)
	}
}

// A bandwidth change acts on the body in flight: what is left goes at the
// new rate.
func TestBandwidthChangeMidTransfer(t *testing.T) {
	c := base() // 5 MB at 2 Mbit/s: about 20 s
	c.Timeline = append(c.Timeline, Action{At: 6 * sim.Second, Do: Bandwidth, Interface: WiFi, Up: 8_000_000})
	r := mustRun(t, c)
	u := r.Uploads[0]
	// About 1.2 MB by 6 s, the remaining 3.8 MB at 8 Mbit/s: about 3.8 s.
	if u.ServerReceivedAt < 9*sim.Second || u.ServerReceivedAt > 11*sim.Second || u.BytesSent != u.Bytes {
		t.Errorf("received at %v with %d bytes sent; want about 10 s and the body once", u.ServerReceivedAt, u.BytesSent)
	}
}

// The optional CPU cost of background wakes is reported apart from the
// radios.
func TestWakeJoules(t *testing.T) {
	c := base()
	c.Params.WakeJoules = 2.5
	then(&c, at(2*sim.Second, Leave), at(10*sim.Second, Purge))
	r := mustRun(t, c)
	if r.BackgroundLaunches != 1 || r.WakeJoules != 2.5 {
		t.Errorf("%d background launches, wake energy %v J; want 1 and 2.5 J", r.BackgroundLaunches, r.WakeJoules)
	}
	if r.Energy.Joules() == r.WakeJoules {
		t.Error("wake energy should be apart from the radios' account")
	}
}
