package scenarios

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

const limitsBase = `name: l
title: L
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
`

func TestLimits(t *testing.T) {
	var steps strings.Builder
	for i := range MaxTimelineSteps + 1 {
		steps.WriteString("  - {at: " + sim.Time(i+1).String() + ", do: background}\n")
	}
	var updates strings.Builder
	for i := range 8000 {
		updates.WriteString("  - {at: " + sim.Time(i+1).String() + ", do: update_app, app: {at_launch: [up]}}\n")
	}
	var sessions strings.Builder
	for i := range 800 {
		sessions.WriteString("    s" + strconv.Itoa(i) + ": {identifier: com.x." + strconv.Itoa(i) + ", delegate: D}\n")
	}
	manyUpdates := strings.Replace(limitsBase, "  uploads:", sessions.String()+"  uploads:", 1) + updates.String()
	tests := []struct{ name, doc, want string }{
		{"updates", manyUpdates, "timeline[33]: more than 32 do: update_app steps"},
		{"horizon", "horizon: 400d\n" + limitsBase, "horizon: positive, at most 365d, found 400d"},
		{"events", "max_events: 1000000000\n" + limitsBase, "max_events: 1 to 100000000"},
		{"timeline", limitsBase + steps.String(), "a scenario has at most 10000"},
		{"deep", strings.Repeat("[", 20000), "nests too deeply"},
		{"items", strings.Replace(limitsBase, "timeline:", "  workload: {items: 1000000, size: 1KB, every: 1s, session: up, strategy: individual}\ntimeline:", 1), "app.workload.items: 1 to 100000"},
	}
	for _, tt := range tests {
		start := time.Now()
		_, err := Load("l.yaml", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		if d := time.Since(start); d > quick {
			t.Errorf("%s: refused after %v; it should be quick", tt.name, d)
		}
	}
}

// A 100 MB file is refused from its size, without being read.
func TestHugeFileRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(100 << 20) // sparse: no disk written
	f.Close()
	start := time.Now()
	_, err = LoadFile(p)
	var es Errors
	if !errors.As(err, &es) || !strings.Contains(err.Error(), "scenarios are at most 1048576") || time.Since(start) > quick {
		t.Errorf("error %v after %v", err, time.Since(start))
	}
}

// A run that exceeds its event budget ends with an error naming it.
func TestEventBudget(t *testing.T) {
	sc, err := Load("l.yaml", []byte("max_events: 10\n"+limitsBase+"  - {at: 1s, do: upload, upload: photo}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sc.Run(RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "event budget of 10 events exhausted") {
		t.Errorf("error %v", err)
	}
}

// untrustedBase is a minimal scenario whose params and horizon the
// TestUntrusted tests change.
const untrustedBase = `name: u
title: U
app:
  sessions:
    up: {identifier: com.x, delegate: D}
  uploads:
    photo: {session: up, size: 1MB}
timeline:
  - {at: 0s, do: launch}
  - {at: 1s, do: upload, upload: photo}
`

// An upload whose hand-off to the daemon is still in flight at the
// horizon (the XPC hop outlasts the run) ends pending, not in a panic.
func TestUntrusted1_XPCLatencyPastHorizon(t *testing.T) {
	sc, err := Load("u.yaml", []byte("horizon: 1m\nparams: {xpc_latency: 1m}\n"+untrustedBase))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	if r.EndedAt != sim.Minute {
		t.Errorf("the run ended at %v, want the horizon 1m", r.EndedAt)
	}
	if len(r.Uploads) != 1 || r.Uploads[0].Fate != model.Pending || r.Uploads[0].Rule != "R-OUT-OF-PROCESS" ||
		!strings.Contains(r.Uploads[0].Reason, "on its way to the daemon") {
		t.Errorf("uploads %+v; want one pending on its way to the daemon", r.Uploads)
	}
}

// loadErr loads doc and returns its single positioned error's text.
func loadErr(t *testing.T, doc string) string {
	t.Helper()
	_, err := Load("u.yaml", []byte(doc))
	var es Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("error %v, want positioned errors", err)
	}
	return es[0].Error()
}

// Times that would overflow the clock (an RTT of 292 years times the
// handshake's round trips) are refused where they are written.
func TestUntrusted1_RTTOverflow(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{"network: {wifi: {rtt: 2562047h}}\n", "u.yaml:1:23: network.wifi.rtt: 0s to 3650d, found 2562047h0m0s"},
		{"params: {xpc_latency: 36500d}\n", "u.yaml:1:23: params.xpc_latency: 0s to 3650d, found 36500d"},
		{"params: {rate_limiter: {first: 3651d}}\n", "u.yaml:1:32: params.rate_limiter.first: 0s to 3650d, found 3651d"},
		{"network: {cellular: {up: 1000000Gbps}}\n", "u.yaml:1:26: network.cellular.up: 1kbps to 1000Gbps, found 1000000Gbps"},
		{"network: {wifi: {radio: {tail: [{duration: 3651d, watts: 1}]}}}\n",
			"u.yaml:1:44: network.wifi.radio.tail[0].duration: positive, at most 3650d, found 3651d"},
		{"server: {latency: 100000h}\n", "u.yaml:1:19: server.latency: 0s to 3650d, found 100000h0m0s"},
	} {
		if got := loadErr(t, tt.doc+untrustedBase); got != tt.want {
			t.Errorf("%s got  %s\nwant %s", tt.doc, got, tt.want)
		}
	}
}

// At the bounds, every time the model adds up stays on the clock: the
// run stops at its horizon with the upload pending, no internal error.
func TestUntrusted1_AtTheBounds(t *testing.T) {
	doc := `horizon: 365d
params: {xpc_latency: 1s, handshake_rtts: 10, rate_limiter: {first: 3650d, factor: 100}, background_grace: 3650d}
network:
  wifi: {up: 1kbps, rtt: 3650d, radio: {promotion_time: 3650d}}
  cellular: {available: false}
server: {latency: 3650d, response_size: 100GB}
` + strings.Replace(strings.Replace(untrustedBase, "delegate: D}", "delegate: D, resource_timeout: 3650d, request_timeout: 3650d}", 1), "size: 1MB}", "size: 100GB, begin_after: 3650d}", 1)
	sc, err := Load("u.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := sc.Run(RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := rs[0]; r.EndedAt != 365*24*sim.Hour || r.Uploads[0].Fate != model.Pending {
		t.Errorf("ended at %v with %+v; want the horizon, pending", r.EndedAt, r.Uploads[0])
	}
}

// Radio powers are bounded: 1e308 W made +Inf joules, NaN in pictures and
// JSON that failed to encode.
func TestUntrusted8_HugeWatts(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{"network: {cellular: {radio: {beta_watts: 1e308}}}\n", "u.yaml:1:42: network.cellular.radio.beta_watts: 0 W to 100 W, found 1e+308 W"},
		{"network: {wifi: {radio: {alpha_up: 101}}}\n", "u.yaml:1:36: network.wifi.radio.alpha_up: 0 W per Mbit/s to 100 W per Mbit/s, found 101 W per Mbit/s"},
		{"network: {wifi: {radio: {tail: [{duration: 1s, watts: -1}]}}}\n", "u.yaml:1:55: network.wifi.radio.tail[0].watts: 0 W to 100 W, found -1 W"},
		{"params: {wake_joules: 1e9}\n", "u.yaml:1:23: params.wake_joules: 0 J to 1000 J, found 1e+09 J"},
		{"params: {force_quit_continue_chance: 7}\n", "u.yaml:1:38: params.force_quit_continue_chance: 0 to 1, found 7"},
		{"power: {battery: -5}\n", "u.yaml:1:18: power.battery: 0% to 100%, found -5%"},
		{"device: {ios: 27}\n", "u.yaml:1:15: device.ios: 7 to 26, found 27"},
	} {
		if got := loadErr(t, tt.doc+untrustedBase); got != tt.want {
			t.Errorf("%s got  %s\nwant %s", tt.doc, got, tt.want)
		}
	}
	// The model refuses them too, for Configs built in Go.
	sc, err := Load("u.yaml", []byte(untrustedBase))
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Variants[0].Config
	c.Network.Interfaces[model.Cellular].Radio.BetaWatts = math.Inf(1)
	if _, err := model.Run(c); err == nil || !strings.Contains(err.Error(), "network.cellular.radio.beta_watts: 0 W to 100 W, found +Inf W") {
		t.Errorf("model.Run with infinite watts: %v", err)
	}
	c.Network.Interfaces[model.Cellular].Radio.BetaWatts = math.NaN()
	if _, err := model.Run(c); err == nil {
		t.Error("model.Run with NaN watts: no error")
	}
}

// quick is how long refusing an oversized input may take. The inputs the
// tests build took a minute or more before their limits were checked
// first (or never finished); a generous bound keeps the tests from failing
// on a loaded machine while still catching work that grows with the input.
// The race detector makes the same work several times slower (about 6 s
// against 2 s for TestUntrusted4_ManyErrorsCapped on an idle machine), so
// under it the bound is doubled (raceSlowdown, race_test.go).
const quick = 15 * time.Second * raceSlowdown
