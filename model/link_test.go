package model

import (
	"fmt"
	"math"
	"testing"

	"github.com/bgsim/bgsim/sim"
)

// concurrent returns base() with n uploads of size bytes each, all started
// at 1 s.
func concurrent(n int, size int64) Config {
	c := base()
	c.App.Uploads = nil
	c.Timeline = c.Timeline[:1]
	for i := range n {
		name := fmt.Sprintf("u%d", i)
		c.App.Uploads = append(c.App.Uploads, Upload{Name: name, Session: "up", API: UploadFromFile, Bytes: size})
		then(&c, Action{At: sim.Second, Do: StartUpload, Upload: name})
	}
	return c
}

// bodyEnds returns when each upload's last body byte left the device:
// half base()'s 80 ms round trip before the server had it.
func bodyEnds(t *testing.T, r *Result) []sim.Time {
	t.Helper()
	var ends []sim.Time
	for _, u := range r.Uploads {
		if u.Fate != Delivered {
			t.Fatalf("%s: %s (%s)", u.ID, u.Fate, u.Reason)
		}
		// The server has the last byte half a round trip after it left.
		ends = append(ends, u.ServerReceivedAt-40*sim.Millisecond)
	}
	return ends
}

// Three 5 MB bodies on a 2 Mbit/s uplink share it: each goes at a third
// of the rate, and all end together 60 s after they start, not 20 s.
// (Issue 12, "a link is shared": on main all three ended at about 21 s.)
func TestSharedLink_ThreeBodiesShareTheUplink(t *testing.T) {
	alone := mustRun(t, concurrent(1, 5_000_000))
	r := mustRun(t, concurrent(3, 5_000_000))
	one := bodyEnds(t, alone)[0]
	ends := bodyEnds(t, r)
	// The lone body takes exactly 20 s (5 MB at 2 Mbit/s); three together
	// take 60 s from the same start.
	start := one - 20*sim.Second
	for i, e := range ends {
		if e != start+60*sim.Second {
			t.Errorf("body %d ended at %v; want %v (start %v + 60 s)\n%s", i+1, e, start+60*sim.Second, start, dump(r))
		}
	}
	// Each radio byte is counted once.
	for _, u := range r.Uploads {
		if u.BytesSent != 5_000_000 || u.Attempts != 1 {
			t.Errorf("%s: %d bytes sent in %d attempts; want 5000000 in 1", u.ID, u.BytesSent, u.Attempts)
		}
	}
}

// A 1 MB and a 4 MB body start together on 2 Mbit/s: the small one has
// half the link, 1 Mbit/s, and ends after 8 s; the large one has 3 MB left
// and the whole link: 12 s more. Closed form: 8 s and 20 s.
func TestSharedLink_ShareGrowsWhenAFlowEnds(t *testing.T) {
	c := concurrent(2, 0)
	c.App.Uploads[0].Bytes, c.App.Uploads[1].Bytes = 1_000_000, 4_000_000
	r := mustRun(t, c)
	alone := mustRun(t, concurrent(1, 1_000_000))
	start := bodyEnds(t, alone)[0] - 4*sim.Second // 1 MB alone: 4 s
	ends := bodyEnds(t, r)
	if ends[0] != start+8*sim.Second || ends[1] != start+20*sim.Second {
		t.Errorf("bodies ended at %v and %v after their start; want 8s and 20s\n%s", ends[0]-start, ends[1]-start, dump(r))
	}
}

// Ten 5 MB uploads over LTE at 5 Mbit/s move the same 50 MB as one 50 MB
// upload on the same link, at the same total rate: the radio spends the
// same above idle, within the few promotions and tails. On main the ten
// each had the whole link and cost a tenth of the time.
func TestSharedLink_TenSmallCostAsMuchAsOneLarge(t *testing.T) {
	lte := func(c Config) Config {
		c.Network = DefaultNetwork()
		c.Network.Interfaces[WiFi].Available = false
		return c
	}
	ten := mustRun(t, lte(concurrent(10, 5_000_000)))
	one := mustRun(t, lte(concurrent(1, 50_000_000)))
	for _, r := range []*Result{ten, one} {
		for _, u := range r.Uploads {
			if u.Fate != Delivered {
				t.Fatalf("%s: %s (%s)", u.ID, u.Fate, u.Reason)
			}
		}
	}
	used := func(r *Result) float64 { e := r.Radios[Cellular].Energy; return e.Joules() - e.Idle }
	a, b := used(ten), used(one)
	if math.Abs(a-b)/b > 0.01 {
		t.Errorf("ten 5 MB uploads cost %.3f J above idle, one 50 MB upload %.3f J: want within 1%%", a, b)
	}
	// 50 MB at 5 Mbit/s: 80 s of transfer either way.
	if d := ten.Radios[Cellular].ActiveTime - one.Radios[Cellular].ActiveTime; d < -sim.Second || d > sim.Second {
		t.Errorf("active time %v against %v: want the same within 1 s", ten.Radios[Cellular].ActiveTime, one.Radios[Cellular].ActiveTime)
	}
}

// Two responses of 2.5 MB share a 2 Mbit/s downlink: 20 s for both, not
// 10 s each.
func TestSharedLink_ResponsesShareTheDownlink(t *testing.T) {
	mk := func(n int) Config {
		c := concurrent(n, 1000)
		c.Network = wifiOnly(2_000_000, 2_000_000, 80*sim.Millisecond)
		c.Server.ResponseBytes = 2_500_000
		return c
	}
	got := func(r *Result) []sim.Time {
		var ts []sim.Time
		for _, u := range r.Uploads {
			if u.Fate != Delivered {
				t.Fatalf("%s: %s (%s)", u.ID, u.Fate, u.Reason)
			}
			ts = append(ts, u.SettledAt)
		}
		return ts
	}
	one, two := got(mustRun(t, mk(1))), got(mustRun(t, mk(2)))
	// The bodies (1000 bytes each) differ by 4 ms at most; the responses
	// then take 20 s instead of 10 s.
	for i, ts := range two {
		if d := ts - one[0]; d < 10*sim.Second-10*sim.Millisecond || d > 10*sim.Second+10*sim.Millisecond {
			t.Errorf("response %d settled %v after a lone one; want 10 s later", i+1, d)
		}
	}
}

// flowStart is when a lone 5 MB body on base()'s link starts to go out.
func flowStart(t *testing.T) sim.Time {
	return bodyEnds(t, mustRun(t, concurrent(1, 5_000_000)))[0] - 20*sim.Second
}

// Two 5 MB bodies share 2 Mbit/s; 20 s in, each has sent 2.5 MB, and the
// uplink goes to 4 Mbit/s: the 2.5 MB left of each take 10 s at 2 Mbit/s
// each.
func TestSharedLink_BandwidthChangeReshares(t *testing.T) {
	start := flowStart(t)
	c := concurrent(2, 5_000_000)
	then(&c, Action{At: start + 20*sim.Second, Do: Bandwidth, Interface: WiFi, Up: 4_000_000})
	r := mustRun(t, c)
	for i, e := range bodyEnds(t, r) {
		if e != start+30*sim.Second {
			t.Errorf("body %d ended %v after its start; want 30s\n%s", i+1, e-start, dump(r))
		}
	}
}

// Wi-Fi goes away 10 s into two shared 5 MB bodies: each had half of
// 2 Mbit/s, so each put 1.25 MB on the air;
// both are cut at the same instant.
func TestSharedLink_PathLostCountsSharedBytes(t *testing.T) {
	start := flowStart(t)
	c := concurrent(2, 5_000_000)
	then(&c, Action{At: start + 10*sim.Second, Do: WiFiOff})
	r := mustRun(t, c)
	for _, u := range r.Uploads {
		if u.BytesSent != 1_250_000 {
			t.Errorf("%s: %d bytes on the air; want 1250000 (10 s at 1 Mbit/s)", u.ID, u.BytesSent)
		}
	}
}
