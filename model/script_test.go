package model

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bgsim/bgsim/sim"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output of the scripts in testdata/ with the current output")

// TestScripts runs the interaction scripts of testdata/*.txt, one file per
// group of rules, in the style of raft's testdata: each block is a command,
// a line "----", and the output it must produce, up to a blank line. The
// commands drive one run of the model: steps of the user and the system
// happen at the script's current time, "run" moves time on and prints what
// the app, the daemon and the server did, "ledger" prints the uploads'
// fates, "wakes" the daemon's wake log joined with the app's reports. "config" changes the configuration of the whole run, from its
// start: a script is a description of one run, not a live session.
// Regenerate the outputs with go test ./model -run TestScripts
// -rewrite and review the diff.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) { runScript(t, f) })
	}
}

// block is one command of a script with its expected output.
type block struct {
	line int // where the command is
	cmd  string
	want string
}

func parseScript(t *testing.T, path string) (head string, blocks []block) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	var b strings.Builder
	i := 0
	// Comments and blank lines before a command belong to it when the file
	// is rewritten; they are kept in head or in the block's want prefix.
	for i < len(lines) {
		l := lines[i]
		if l == "" || strings.HasPrefix(l, "#") {
			b.WriteString(l + "\n")
			i++
			continue
		}
		blk := block{line: i + 1, cmd: l}
		i++
		if i >= len(lines) || lines[i] != "----" {
			t.Fatalf("%s:%d: want ---- after the command %q", path, blk.line, l)
		}
		i++
		var out strings.Builder
		for i < len(lines) && lines[i] != "" {
			out.WriteString(lines[i] + "\n")
			i++
		}
		blk.want = out.String()
		if len(blocks) == 0 {
			head = b.String()
		} else {
			blocks[len(blocks)-1].want += "\x00" + b.String() // the comments after a block's output
		}
		b.Reset()
		blocks = append(blocks, blk)
	}
	if len(blocks) > 0 {
		blocks[len(blocks)-1].want += "\x00" + b.String()
	}
	return head, blocks
}

func runScript(t *testing.T, path string) {
	head, blocks := parseScript(t, path)
	s := &script{cfg: base()}
	s.cfg.Timeline = nil
	var out strings.Builder
	out.WriteString(head)
	for _, b := range blocks {
		want, after, _ := strings.Cut(b.want, "\x00")
		got, err := s.do(b.cmd)
		if err != nil {
			got = "error: " + err.Error() + "\n"
		}
		if got == "" {
			got = "ok\n"
		}
		if got != want && !*rewrite {
			t.Errorf("%s:%d: %s\n--- got\n%s--- want\n%s", path, b.line, b.cmd, got, want)
		}
		out.WriteString(b.cmd + "\n----\n" + got + after)
	}
	if *rewrite {
		text := strings.TrimRight(out.String(), "\n") + "\n"
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// script is the state of one script: the configuration and timeline so
// far, the current time, and the trace records already printed.
type script struct {
	cfg     Config
	now     sim.Time
	printed []sim.Record
	last    *Result
}

func (s *script) step(do ActionKind, upload string) {
	s.cfg.Timeline = append(s.cfg.Timeline, Action{At: s.now, Do: do, Upload: upload})
	s.last = nil
}

// result runs the configuration up to the current time: the run is
// deterministic, so this is the world as it stands now.
func (s *script) result() (*Result, error) {
	if s.last != nil {
		return s.last, nil
	}
	c := s.cfg
	c.Horizon = max(s.now, 1)
	r, err := Run(c)
	if err != nil {
		return nil, err
	}
	s.last = r
	return r, nil
}

func (s *script) do(cmd string) (string, error) {
	f := strings.Fields(cmd)
	args := f[1:]
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	switch f[0] {
	case "config":
		return "", s.config(args)
	case "session":
		if len(args) < 2 {
			return "", fmt.Errorf("session NAME IDENTIFIER [delegate=NAME] [launch-events=on|off]")
		}
		sess := Session{Name: args[0], Kind: Background, Identifier: args[1], Delegate: "UploadDelegate", SendsLaunchEvents: true,
			ResourceTimeout: DefaultResourceTimeout}
		for _, kv := range args[2:] {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "delegate":
				sess.Delegate = v
			case "launch-events":
				sess.SendsLaunchEvents = v == "on"
			default:
				return "", fmt.Errorf("session: unknown setting %s", k)
			}
		}
		s.cfg.App.Sessions = append(s.cfg.App.Sessions, sess)
		return "", nil
	case "define":
		// define NAME SESSION BYTES
		n, err := strconv.ParseInt(arg(2), 10, 64)
		if err != nil || len(args) != 3 {
			return "", fmt.Errorf("define NAME SESSION BYTES")
		}
		s.cfg.App.Uploads = append(s.cfg.App.Uploads, Upload{Name: args[0], Session: args[1], API: UploadFromFile, Bytes: n})
		return "", nil
	case "launch":
		s.step(Launch, "")
	case "background":
		s.step(Leave, "")
	case "return":
		s.step(Return, "")
	case "purge":
		s.step(Purge, "")
	case "force-quit":
		s.step(ForceQuit, "")
	case "upload":
		s.step(StartUpload, arg(0))
	case "create-session":
		s.cfg.Timeline = append(s.cfg.Timeline, Action{At: s.now, Do: CreateSession, Session: arg(0)})
		s.last = nil
	case "wifi", "cellular", "low-power":
		kinds := map[string]ActionKind{"wifi on": WiFiOn, "wifi off": WiFiOff, "cellular on": CellularOn, "cellular off": CellularOff,
			"low-power on": LowPowerOn, "low-power off": LowPowerOff}
		k, ok := kinds[f[0]+" "+arg(0)]
		if !ok {
			return "", fmt.Errorf("%s on|off", f[0])
		}
		s.step(k, "")
	case "plug-in":
		s.step(PlugIn, "")
	case "unplug":
		s.step(Unplug, "")
	case "outage":
		d, err := duration(arg(0))
		if err != nil {
			return "", err
		}
		s.cfg.Timeline = append(s.cfg.Timeline, Action{At: s.now, Do: Outage, For: d})
		s.last = nil
	case "run":
		d, err := duration(arg(0))
		if err != nil {
			return "", err
		}
		s.now += d
		s.last = nil
		r, err := s.result()
		if err != nil {
			return "", err
		}
		return s.news(r, args[1:]), nil
	case "ledger":
		r, err := s.result()
		if err != nil {
			return "", err
		}
		return ledgerText(r), nil
	case "trace":
		r, err := s.result()
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for _, rec := range r.Trace {
			if len(args) == 0 || slices.Contains(args, rec.Actor) {
				b.WriteString(recordText(rec, true))
			}
		}
		return b.String(), nil
	case "wakes":
		r, err := s.result()
		if err != nil {
			return "", err
		}
		return wakesText(r), nil
	case "process":
		r, err := s.result()
		if err != nil {
			return "", err
		}
		var b strings.Builder
		fmt.Fprintf(&b, "user launches %d, background launches %d, background resumes %d\n", r.UserLaunches, r.BackgroundLaunches, r.BackgroundResumes)
		for _, tm := range r.Terminations {
			fmt.Fprintf(&b, "terminated at %v: %s %s\n", tm.At, tm.Reason, tm.Rule)
		}
		return b.String(), nil
	case "energy":
		r, err := s.result()
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for _, e := range r.Radios {
			fmt.Fprintf(&b, "%s: %.3f J above idle, %.3f J over %v, %d promotions, active %v, up %d B\n",
				e.Interface, e.AboveIdle(), e.Joules(), e.Window, e.Promotions, e.ActiveTime, e.BytesUp)
		}
		return b.String(), nil
	default:
		return "", fmt.Errorf("unknown command %q", f[0])
	}
	return "", nil
}

func duration(s string) (sim.Time, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration such as 30s, got %q", s)
	}
	return sim.Time(d), nil
}

func (s *script) config(args []string) error {
	c := &s.cfg
	for _, kv := range args {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		d := func(p *sim.Time) { *p, err = duration(v) }
		n := func(p *int64) { *p, err = strconv.ParseInt(v, 10, 64) }
		switch k {
		case "launch-events":
			c.App.Sessions[0].SendsLaunchEvents = v == "on"
		case "xpc":
			d(&c.Params.XPCLatency)
		case "launch-latency":
			d(&c.Params.LaunchLatency)
		case "grace":
			d(&c.Params.BackgroundGrace)
		case "allowance":
			d(&c.Params.RelaunchAllowance)
		case "rate-cap":
			d(&c.Params.RateLimiterCap)
		case "resource-timeout":
			d(&c.App.Sessions[0].ResourceTimeout)
		case "bytes":
			n(&c.App.Uploads[0].Bytes)
		case "chain":
			var x int64
			n(&x)
			c.App.Uploads[0].Chain = int(x)
		case "identifier":
			c.App.Sessions[0].Identifier = v
		case "recreate":
			c.App.HandleEvents.Recreate = v
		case "store-handler":
			c.App.HandleEvents.StoreCompletionHandler = v == "yes"
		case "call-handler":
			c.App.HandleEvents.CallCompletionHandler = v == "yes"
		case "at-launch":
			c.App.AtLaunch = nil
			if v != "" {
				c.App.AtLaunch = strings.Split(v, ",")
			}
		case "at-user-launch":
			c.App.AtUserLaunch = nil
			if v != "" {
				c.App.AtUserLaunch = strings.Split(v, ",")
			}
		case "at-background-launch":
			c.App.AtBackgroundLaunch = nil
			if v != "" {
				c.App.AtBackgroundLaunch = strings.Split(v, ",")
			}
		case "charging":
			c.Power.Charging = v == "yes"
		case "discretionary":
			c.App.Sessions[0].Discretionary = v == "yes"
		case "cellular":
			c.Network.Interfaces[Cellular].Available = v == "on"
		case "cellular-access":
			c.App.Sessions[0].Access.Cellular = Allowed
			if v == "denied" {
				c.App.Sessions[0].Access.Cellular = Denied
			}
		case "ios":
			var x int64
			n(&x)
			c.IOS = int(x)
		case "resumable":
			c.Server.Resumable = v == "yes"
		case "redirect":
			var x int64
			n(&x)
			c.Server.Redirect = Redirect{Status: int(x), Times: 1, Latency: c.Server.Latency}
		case "challenge":
			c.Server.AuthChallenge = v == "yes"
		case "auth":
			c.App.Sessions[0].Auth = AuthAnswer(v)
		case "redirect-times":
			var x int64
			n(&x)
			c.Server.Redirect.Times = int(x)
		default:
			return fmt.Errorf("config: unknown setting %s", k)
		}
		if err != nil {
			return fmt.Errorf("config %s: %v", k, err)
		}
	}
	s.last = nil
	return nil
}

// news returns the records of r not printed yet, by the app, the daemon
// and the server (and the actors named in extra). Records are compared
// with those printed before, up to the first that differs: a step at the
// current instant happens before what was already due then.
func (s *script) news(r *Result, extra []string) string {
	var recs []sim.Record
	for _, rec := range r.Trace {
		if rec.Kind != string(KindLedgerFate) {
			recs = append(recs, rec)
		}
	}
	same := 0
	for same < len(recs) && same < len(s.printed) && sameRecord(recs[same], s.printed[same]) {
		same++
	}
	s.printed = recs
	var b strings.Builder
	for _, rec := range recs[same:] {
		switch rec.Actor {
		case "app", "daemon", "server":
		default:
			if !slices.Contains(extra, rec.Actor) {
				continue
			}
		}
		b.WriteString(recordText(rec, false))
	}
	return b.String()
}

func sameRecord(a, b sim.Record) bool {
	return a.At == b.At && a.Actor == b.Actor && a.Kind == b.Kind && a.Rule == b.Rule && a.Note == b.Note
}

func recordText(rec sim.Record, note bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v %s %s", rec.At, rec.Actor, rec.Kind)
	if rec.Rule != "" {
		b.WriteString(" [" + rec.Rule + "]")
	}
	for _, a := range rec.Attrs {
		b.WriteString(" " + a.Key + "=" + a.Value())
	}
	if note {
		b.WriteString(" — " + rec.Note)
	}
	b.WriteString("\n")
	return b.String()
}

func ledgerText(r *Result) string {
	var b strings.Builder
	when := func(t sim.Time) string {
		if t == sim.Never {
			return "-"
		}
		return t.String()
	}
	for _, u := range r.Uploads {
		fmt.Fprintf(&b, "%s %s %s [%s] received=%s settled=%s attempts=%d", u.ID, u.Spec, u.Fate, u.Rule,
			when(u.ServerReceivedAt), when(u.SettledAt), u.Attempts)
		if u.ErrorCode != 0 {
			fmt.Fprintf(&b, " code=%d", u.ErrorCode)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// wakesText prints the wake log: per wake, why the daemon woke the app,
// what came of it, and what the app reported doing.
func wakesText(r *Result) string {
	var b strings.Builder
	when := func(t sim.Time) string {
		if t == sim.Never {
			return "never"
		}
		return t.String()
	}
	for i, w := range r.Wakes {
		fmt.Fprintf(&b, "wake %d at %v for %s: %s [%s] events=%d delay=%v\n", i+1, w.At, w.Session, w.Cause, w.Rule, w.Events, w.Delay)
		if w.Came != "" {
			fmt.Fprintf(&b, "  daemon: pid %d came up (%s) at %v", w.Pid, w.Came, w.UpAt)
		} else {
			b.WriteString("  daemon: no process came up for it")
		}
		if w.End != "" {
			fmt.Fprintf(&b, "; over at %v: %s\n", w.EndAt, w.End)
		} else {
			b.WriteString("; under way\n")
		}
		if a := w.App; a != nil {
			handler := "not stored"
			if a.StoredHandler {
				handler = "stored, called " + when(a.HandlerCalledAt)
			}
			fmt.Fprintf(&b, "  app: at %v pid %d found %s, created [%s], wrong identifier %v, completion handler %s\n",
				a.At, a.Pid, a.Found, strings.Join(a.Recreated, " "), a.WrongID, handler)
		} else {
			b.WriteString("  app: no report\n")
		}
	}
	return b.String()
}
