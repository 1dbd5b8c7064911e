package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// ExpectSpec is what must be true at the end of a run: the `expect:` block
// of a scenario or a variant (a variant's merges over the base's).
type ExpectSpec struct {
	Pos                Pos
	Uploads            Int                `yaml:"uploads" doc:"how many uploads the app attempted"`
	Delivered          Int                `yaml:"delivered" doc:"how many ended delivered"`
	Failed             Int                `yaml:"failed" doc:"how many ended failed"`
	Lost               Int                `yaml:"lost" doc:"how many ended lost"`
	Pending            Int                `yaml:"pending" doc:"how many ended pending"`
	NeverSent          Int                `yaml:"never_sent" doc:"how many were never sent"`
	ServerReceived     Int                `yaml:"server_received" doc:"how many the server received in full"`
	Crashes            Int                `yaml:"crashes" doc:"how many crashes"`
	UserLaunches       Int                `yaml:"user_launches" doc:"how many launches by the user"`
	BackgroundLaunches Int                `yaml:"background_launches" doc:"how many launches into the background"`
	BackgroundResumes  Int                `yaml:"background_resumes" doc:"how many resumes in the background"`
	WakesRelaunch      Int                `yaml:"wakes_relaunch" doc:"how many wakes the daemon made to relaunch the app (it was not running)"`
	WakesResume        Int                `yaml:"wakes_resume" doc:"how many wakes the daemon made to resume the app (it was suspended)"`
	UnfiredSteps       Int                `yaml:"unfired_steps" doc:"how many timeline steps with when: did not happen (their condition never held, or after: put them past the run's end)"`
	Wakes              []WakesExpectSpec  `yaml:"wakes,keyed" doc:"wakes the daemon made for each session identifier, by identifier"`
	Upload             []UploadExpectSpec `yaml:"upload,keyed" doc:"per upload, by id (u1, u2, ... in creation order)"`
	Crash              []CrashExpectSpec  `yaml:"crash" doc:"crashes, in order"`
	Energy             EnergyExpectSpec   `yaml:"energy" doc:"the radios' energy"`
	Rules              RulesExpectSpec    `yaml:"rules" doc:"rules the run must or must not cite"`
}

// UploadExpectSpec is what must be true of one upload.
type UploadExpectSpec struct {
	Name           string
	NamePos        Pos
	Pos            Pos
	Fate           Str       `yaml:"fate" bgsim:"enum=delivered|failed|lost|pending|never_sent" doc:"its fate"`
	Rule           Str       `yaml:"rule" doc:"the rule that decided it"`
	ErrorCode      Int       `yaml:"error_code" doc:"the URL error code the app was told (0 for none)"`
	CancelReason   Int       `yaml:"cancel_reason" doc:"NSURLErrorBackgroundTaskCancelledReasonKey"`
	Status         Int       `yaml:"status" doc:"the HTTP status the server answered"`
	ServerReceived Bool      `yaml:"server_received" doc:"whether the server received it in full"`
	SettledBefore  Duration  `yaml:"settled_before" doc:"its fate was final before this time"`
	SettledAfter   Duration  `yaml:"settled_after" doc:"and not before this time"`
	BytesSent      BytesSpec `yaml:"bytes_sent" doc:"body bytes put on the air, restarts included: exact, or {value, tolerance}"`
	Attempts       Int       `yaml:"attempts" doc:"transfer attempts (1 without retries)"`
	StartedBefore  Duration  `yaml:"started_before" doc:"its first transfer attempt began before this time"`
	StartedAfter   Duration  `yaml:"started_after" doc:"and not before this time"`
	Interface      Str       `yaml:"interface" bgsim:"enum=wifi|cellular|both|none" doc:"the interfaces its attempts used"`
	LimiterDelay   DelaySpec `yaml:"limiter_delay" doc:"the rate limiter's hold on the task when the daemon took it (R-RATE-LIMITER): exact, or {value, tolerance}"`
	ResumedFrom    Str       `yaml:"resumed_from" doc:"the upload whose resume data created this task (\"\" for none)"`
	ResumeOffset   Int       `yaml:"resume_offset" doc:"the byte the resumed task started at"`
}

// BytesSpec is a number of bytes, exact or within a tolerance.
type BytesSpec struct {
	Pos       Pos
	Value     Size `yaml:"value" bgsim:"required,short" doc:"the bytes: 5000000 or 5MB"`
	Tolerance Text `yaml:"tolerance" doc:"5% of the value, or an absolute size like 10KB (default: exact)"`
}

// DelaySpec is a duration, exact or within a tolerance.
type DelaySpec struct {
	Pos       Pos
	Value     Duration `yaml:"value" bgsim:"required,short" doc:"the duration: 60s"`
	Tolerance Text     `yaml:"tolerance" doc:"5% of the value, or an absolute duration like 1s (default: exact)"`
}

// WakesExpectSpec is what must be true of the wakes for one identifier.
type WakesExpectSpec struct {
	Name     string
	NamePos  Pos
	Pos      Pos
	Count    Int `yaml:"count" bgsim:"required,short" doc:"how many wakes the daemon made for the identifier"`
	Relaunch Int `yaml:"relaunch" doc:"how many of them relaunched the app"`
	Resume   Int `yaml:"resume" doc:"how many of them resumed it"`
}

// CrashExpectSpec is what must be true of one crash.
type CrashExpectSpec struct {
	Pos       Pos
	Exception Str `yaml:"exception" doc:"the exception's name"`
	Reason    Str `yaml:"reason" doc:"its reason text, exactly"`
}

// EnergyExpectSpec bounds the radios' energy.
type EnergyExpectSpec struct {
	Pos         Pos
	Joules      ToleranceSpec `yaml:"joules" doc:"total radio energy over the energy window, idle included, J, with a tolerance"`
	AboveIdle   ToleranceSpec `yaml:"above_idle" doc:"radio energy above the idle baseline, J, with a tolerance"`
	RadioActive ToleranceSpec `yaml:"radio_active" doc:"time the radios were not idle, with a tolerance"`
	Promotions  Int           `yaml:"promotions" doc:"how many radio promotions"`
	Ratio       RatioSpec     `yaml:"ratio" doc:"this variant's energy above idle against another variant's"`
	AppCPU      ToleranceSpec `yaml:"app_cpu_joules" doc:"the app's CPU energy in background wakes (params.wake_cpu_watts), apart from the radios, J, with a tolerance"`
	ByState     ByStateSpec   `yaml:"by_state" doc:"the radios' energy over the energy window in each state, J, with tolerances"`
}

// ByStateSpec bounds the radios' energy in each state; the four add up to
// the joules.
type ByStateSpec struct {
	Pos       Pos
	Promotion ToleranceSpec `yaml:"promotion" doc:"in promotions, J, with a tolerance"`
	Transfer  ToleranceSpec `yaml:"transfer" doc:"transferring, J, with a tolerance"`
	Tail      ToleranceSpec `yaml:"tail" doc:"in tails after the last packet, J, with a tolerance"`
	Idle      ToleranceSpec `yaml:"idle" doc:"idle, J, with a tolerance"`
}

// byState lists the states of a ByStateSpec with their energy in e.
func (b ByStateSpec) byState(e model.Energy) []struct {
	key  string
	spec ToleranceSpec
	got  float64
} {
	return []struct {
		key  string
		spec ToleranceSpec
		got  float64
	}{
		{"promotion", b.Promotion, e.Promotion},
		{"transfer", b.Transfer, e.Transfer},
		{"tail", b.Tail, e.Tail},
		{"idle", b.Idle, e.Idle},
	}
}

// ToleranceSpec is a value and how far from it is still a pass: "5%" of the
// value, or an absolute amount in the value's unit.
type ToleranceSpec struct {
	Pos       Pos
	Value     Text `yaml:"value" bgsim:"required" doc:"the expected value: joules as a number, times as a duration"`
	Tolerance Text `yaml:"tolerance" doc:"5% of the value, or an absolute amount (default 1%)"`
}

// RatioSpec compares this variant's energy above idle with another
// variant's.
type RatioSpec struct {
	Pos   Pos
	To    Str   `yaml:"to" doc:"the other variant"`
	Below Float `yaml:"below" doc:"the ratio must be below this"`
	Above Float `yaml:"above" doc:"the ratio must be above this"`
}

// RulesExpectSpec lists rules a run must or must not cite.
type RulesExpectSpec struct {
	Pos      Pos
	Fired    []Str `yaml:"fired" doc:"rule ids the run must cite"`
	NotFired []Str `yaml:"not_fired" doc:"rule ids it must not cite"`
}

// Failure is one expectation that did not hold.
type Failure struct {
	Scenario string
	Variant  string
	Seed     uint64
	What     string // the expectation, as written: "expect.delivered"
	Expected string
	Actual   string
	File     string
	Pos      Pos
}

func (f Failure) run() string {
	if f.Variant == "" {
		return f.Scenario
	}
	return f.Scenario + "/" + f.Variant
}

func (f Failure) String() string {
	return fmt.Sprintf("%s:%d: %s: %s: expected %s, got %s", f.File, f.Pos.Line, f.run(), f.What, f.Expected, f.Actual)
}

var uploadIDRe = regexp.MustCompile(`^u[1-9][0-9]*$`)

// checkExpect validates an expect block at load time: names of uploads,
// rules and variants, and tolerances that parse.
func (d *decoder) checkExpect(e *ExpectSpec, variants []string) {
	if e == nil {
		return
	}
	var ids []string
	for _, r := range model.Catalog {
		ids = append(ids, string(r.ID))
	}
	rule := func(s Str, path string) {
		if s.Set {
			if _, ok := model.LookupRule(s.Value); !ok {
				d.add(s.Pos, "%s: no rule %q in the catalog%s (bgsim rules lists them)", path, s.Value, didYouMean(s.Value, ids))
			}
		}
	}
	for _, u := range e.Upload {
		if !uploadIDRe.MatchString(u.Name) {
			d.add(u.NamePos, "expect.upload: %q is not an upload id; uploads are u1, u2, ... in the order the app creates them", u.Name)
		}
		rule(u.Rule, "expect.upload."+u.Name+".rule")
		if f := u.ResumedFrom; f.Set && f.Value != "" && !uploadIDRe.MatchString(f.Value) {
			d.add(f.Pos, "expect.upload.%s.resumed_from: %q is not an upload id; uploads are u1, u2, ... in the order the app creates them (\"\" for none)", u.Name, f.Value)
		}
		if _, err := bytesTolerance(u.BytesSent); err != nil {
			d.add(u.BytesSent.Pos, "expect.upload.%s.bytes_sent: %v", u.Name, err)
		}
		if _, err := delayTolerance(u.LimiterDelay); err != nil {
			d.add(u.LimiterDelay.Pos, "expect.upload.%s.limiter_delay: %v", u.Name, err)
		}
	}
	for _, r := range e.Rules.Fired {
		rule(r, "expect.rules.fired")
	}
	for _, r := range e.Rules.NotFired {
		rule(r, "expect.rules.not_fired")
	}
	if _, _, err := tolerance(e.Energy.Joules, false); err != nil {
		d.add(e.Energy.Joules.Pos, "expect.energy.joules: %v", err)
	}
	if _, _, err := tolerance(e.Energy.AboveIdle, false); err != nil {
		d.add(e.Energy.AboveIdle.Pos, "expect.energy.above_idle: %v", err)
	}
	if _, _, err := tolerance(e.Energy.AppCPU, false); err != nil {
		d.add(e.Energy.AppCPU.Pos, "expect.energy.app_cpu_joules: %v", err)
	}
	if _, _, err := tolerance(e.Energy.RadioActive, true); err != nil {
		d.add(e.Energy.RadioActive.Pos, "expect.energy.radio_active: %v", err)
	}
	for _, st := range e.Energy.ByState.byState(model.Energy{}) {
		if _, _, err := tolerance(st.spec, false); err != nil {
			d.add(st.spec.Pos, "expect.energy.by_state.%s: %v", st.key, err)
		}
	}
	if r := e.Energy.Ratio; r.To.Set && !slices.Contains(variants, r.To.Value) {
		d.add(r.To.Pos, "expect.energy.ratio.to: no variant %q%s", r.To.Value, didYouMean(r.To.Value, variants))
	}
	if r := e.Energy.Ratio; r.Pos.Line > 0 && (!r.To.Set || (!r.Below.Set && !r.Above.Set)) {
		d.add(r.Pos, "expect.energy.ratio: needs to: a variant, and below:, above: or both")
	}
}

// tolerance parses a ToleranceSpec into the expected value and the largest
// allowed difference. Durations are in seconds.
func tolerance(t ToleranceSpec, duration bool) (value, within float64, err error) {
	if !t.Value.Set {
		return 0, 0, nil
	}
	parse := func(s string) (float64, error) {
		if duration {
			d, ok := parseDuration(s)
			if !ok {
				return 0, fmt.Errorf("%q is not a duration like 12s or 1m30s", s)
			}
			return d.Seconds(), nil
		}
		return strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "J"), 64)
	}
	value, err = parse(t.Value.Value)
	if err != nil {
		return 0, 0, fmt.Errorf("value: %v", err)
	}
	tol := t.Tolerance.Value
	if !t.Tolerance.Set {
		tol = "1%"
	}
	if p, ok := strings.CutSuffix(strings.TrimSpace(tol), "%"); ok {
		pct, err := strconv.ParseFloat(p, 64)
		if err != nil || pct < 0 {
			return 0, 0, fmt.Errorf("tolerance %q: want a percentage like 5%% or an absolute amount", tol)
		}
		return value, math.Abs(value) * pct / 100, nil
	}
	within, err = parse(tol)
	if err != nil || within < 0 {
		return 0, 0, fmt.Errorf("tolerance %q: want a percentage like 5%% or an absolute amount", tol)
	}
	return value, within, nil
}

// bytesTolerance is the largest difference from a BytesSpec's value that
// passes: 0 without a tolerance.
func bytesTolerance(b BytesSpec) (int64, error) {
	return amountTolerance(b.Tolerance, b.Value.Value, "a size like 10KB", func(s string) (int64, bool) { return parseUnit(s, sizeUnits) })
}

// delayTolerance is the largest difference from a DelaySpec's value that
// passes: 0 without a tolerance.
func delayTolerance(d DelaySpec) (sim.Time, error) {
	t, err := amountTolerance(d.Tolerance, int64(d.Value.Value), "a duration like 1s", func(s string) (int64, bool) {
		v, ok := parseDuration(s)
		return int64(v), ok
	})
	return sim.Time(t), err
}

func amountTolerance(tol Text, value int64, absolute string, parse func(string) (int64, bool)) (int64, error) {
	if !tol.Set {
		return 0, nil
	}
	bad := fmt.Errorf("tolerance %q: want a percentage like 5%% or %s", tol.Value, absolute)
	if p, ok := strings.CutSuffix(strings.TrimSpace(tol.Value), "%"); ok {
		pct, err := strconv.ParseFloat(p, 64)
		if err != nil || pct < 0 || math.IsInf(pct, 0) {
			return 0, bad
		}
		return int64(math.Abs(float64(value)) * pct / 100), nil
	}
	w, ok := parse(tol.Value)
	if !ok || w < 0 {
		return 0, bad
	}
	return w, nil
}

// interfacesUsed names the interfaces an upload's attempts used: wifi,
// cellular, both or none.
func interfacesUsed(u model.UploadRecord) string {
	wifi, cell := u.UsedOn[model.WiFi], u.UsedOn[model.Cellular]
	switch {
	case wifi && cell:
		return "both"
	case wifi:
		return "wifi"
	case cell:
		return "cellular"
	}
	return "none"
}

// wakesOf counts the wakes of a cause.
func wakesOf(r *model.Result, c model.WakeCause) int {
	n := 0
	for _, w := range r.Wakes {
		if w.Cause == c {
			n++
		}
	}
	return n
}

// wakesFor counts the wakes for an identifier: all, relaunches, resumes.
func wakesFor(r *model.Result, id string) (n, relaunch, resume int) {
	for _, w := range r.Wakes {
		if w.Session != id {
			continue
		}
		n++
		switch w.Cause {
		case model.WakeRelaunch:
			relaunch++
		case model.WakeResume:
			resume++
		}
	}
	return n, relaunch, resume
}

// Check compares the results of a run of every variant (in the scenario's
// order, as Run returns them) with their expectations and returns the
// failures, in file order.
func (sc *Scenario) Check(results []*model.Result) []Failure {
	byVariant := map[string]*model.Result{}
	for _, r := range results {
		byVariant[r.Variant] = r
	}
	var out []Failure
	for _, r := range results {
		i := slices.IndexFunc(sc.Variants, func(v Variant) bool { return v.Name == r.Variant })
		if i < 0 || sc.Variants[i].Expect == nil {
			continue
		}
		out = append(out, sc.check(sc.Variants[i].Expect, r, byVariant)...)
	}
	return out
}

func (sc *Scenario) check(e *ExpectSpec, r *model.Result, byVariant map[string]*model.Result) []Failure {
	var out []Failure
	fail := func(what string, pos Pos, expected, actual any) {
		out = append(out, Failure{Scenario: sc.Name, Variant: r.Variant, Seed: r.Seed, What: what,
			Expected: fmt.Sprint(expected), Actual: fmt.Sprint(actual), File: sc.File, Pos: pos})
	}
	counts := []struct {
		key    string
		want   Int
		actual int
	}{
		{"uploads", e.Uploads, len(r.Uploads)},
		{"delivered", e.Delivered, r.Count(model.Delivered)},
		{"failed", e.Failed, r.Count(model.Failed)},
		{"lost", e.Lost, r.Count(model.Lost)},
		{"pending", e.Pending, r.Count(model.Pending)},
		{"never_sent", e.NeverSent, r.Count(model.NeverSent)},
		{"server_received", e.ServerReceived, r.ServerReceived()},
		{"crashes", e.Crashes, len(r.Crashes)},
		{"user_launches", e.UserLaunches, r.UserLaunches},
		{"background_launches", e.BackgroundLaunches, r.BackgroundLaunches},
		{"background_resumes", e.BackgroundResumes, r.BackgroundResumes},
		{"wakes_relaunch", e.WakesRelaunch, wakesOf(r, model.WakeRelaunch)},
		{"wakes_resume", e.WakesResume, wakesOf(r, model.WakeResume)},
		{"unfired_steps", e.UnfiredSteps, len(r.Unfired)},
	}
	for _, c := range counts {
		if c.want.Set && c.want.Value != int64(c.actual) {
			fail("expect."+c.key, c.want.Pos, c.want.Value, c.actual)
		}
	}
	for _, ue := range e.Upload {
		path := "expect.upload." + ue.Name
		n, _ := strconv.Atoi(strings.TrimPrefix(ue.Name, "u"))
		if n < 1 || n > len(r.Uploads) {
			fail(path, ue.NamePos, "an upload "+ue.Name, fmt.Sprintf("%d uploads", len(r.Uploads)))
			continue
		}
		u := r.Uploads[n-1]
		if ue.Fate.Set && ue.Fate.Value != string(u.Fate) {
			fail(path+".fate", ue.Fate.Pos, ue.Fate.Value, u.Fate)
		}
		if ue.Rule.Set && !strings.EqualFold(ue.Rule.Value, string(u.Rule)) {
			fail(path+".rule", ue.Rule.Pos, ue.Rule.Value, orDash(string(u.Rule)))
		}
		if ue.ErrorCode.Set && ue.ErrorCode.Value != int64(u.ErrorCode) {
			fail(path+".error_code", ue.ErrorCode.Pos, ue.ErrorCode.Value, u.ErrorCode)
		}
		if ue.CancelReason.Set && ue.CancelReason.Value != int64(u.CancelReason) {
			fail(path+".cancel_reason", ue.CancelReason.Pos, ue.CancelReason.Value, reasonText(u.CancelReason))
		}
		if ue.Status.Set && ue.Status.Value != int64(u.Status) {
			fail(path+".status", ue.Status.Pos, ue.Status.Value, u.Status)
		}
		if got := u.ServerReceivedAt != sim.Never; ue.ServerReceived.Set && ue.ServerReceived.Value != got {
			fail(path+".server_received", ue.ServerReceived.Pos, ue.ServerReceived.Value, got)
		}
		if b := ue.SettledBefore; b.Set && (u.SettledAt == sim.Never || u.SettledAt >= b.Value) {
			fail(path+".settled_before", b.Pos, "settled before "+b.Value.String(), "settled "+u.SettledAt.String())
		}
		if a := ue.SettledAfter; a.Set && u.SettledAt != sim.Never && u.SettledAt < a.Value {
			fail(path+".settled_after", a.Pos, "settled after "+a.Value.String(), "settled "+u.SettledAt.String())
		}
		if b := ue.BytesSent; b.Value.Set {
			within, _ := bytesTolerance(b)
			if d := u.BytesSent - b.Value.Value; d > within || -d > within {
				want := strconv.FormatInt(b.Value.Value, 10)
				if within > 0 {
					want += " ± " + strconv.FormatInt(within, 10)
				}
				fail(path+".bytes_sent", b.Value.Pos, want+" bytes", strconv.FormatInt(u.BytesSent, 10)+" bytes")
			}
		}
		if ue.Attempts.Set && ue.Attempts.Value != int64(u.Attempts) {
			fail(path+".attempts", ue.Attempts.Pos, ue.Attempts.Value, u.Attempts)
		}
		if b := ue.StartedBefore; b.Set && (u.StartedAt == sim.Never || u.StartedAt >= b.Value) {
			fail(path+".started_before", b.Pos, "started before "+b.Value.String(), "started "+u.StartedAt.String())
		}
		if a := ue.StartedAfter; a.Set && u.StartedAt != sim.Never && u.StartedAt < a.Value {
			fail(path+".started_after", a.Pos, "started after "+a.Value.String(), "started "+u.StartedAt.String())
		}
		if got := interfacesUsed(u); ue.Interface.Set && ue.Interface.Value != got {
			fail(path+".interface", ue.Interface.Pos, ue.Interface.Value, got)
		}
		if l := ue.LimiterDelay; l.Value.Set {
			within, _ := delayTolerance(l)
			if d := u.LimiterDelay - l.Value.Value; d > within || -d > within {
				want := l.Value.Value.String()
				if within > 0 {
					want += " ± " + within.String()
				}
				fail(path+".limiter_delay", l.Value.Pos, want, u.LimiterDelay.String())
			}
		}
		if f := ue.ResumedFrom; f.Set && f.Value != u.ResumedFrom {
			fail(path+".resumed_from", f.Pos, orNone(f.Value), orNone(u.ResumedFrom))
		}
		if o := ue.ResumeOffset; o.Set && o.Value != u.ResumeOffset {
			fail(path+".resume_offset", o.Pos, o.Value, u.ResumeOffset)
		}
	}
	for _, we := range e.Wakes {
		path := "expect.wakes." + we.Name
		n, relaunch, resume := wakesFor(r, we.Name)
		if we.Count.Set && we.Count.Value != int64(n) {
			fail(path, we.Count.Pos, fmt.Sprintf("%d wakes for %s", we.Count.Value, we.Name), fmt.Sprintf("%d%s", n, otherWakes(r, we.Name)))
		}
		if we.Relaunch.Set && we.Relaunch.Value != int64(relaunch) {
			fail(path+".relaunch", we.Relaunch.Pos, we.Relaunch.Value, relaunch)
		}
		if we.Resume.Set && we.Resume.Value != int64(resume) {
			fail(path+".resume", we.Resume.Pos, we.Resume.Value, resume)
		}
	}
	for i, ce := range e.Crash {
		path := fmt.Sprintf("expect.crash[%d]", i)
		if i >= len(r.Crashes) {
			fail(path, ce.Pos, "a crash", fmt.Sprintf("%d crashes", len(r.Crashes)))
			continue
		}
		c := r.Crashes[i]
		if ce.Exception.Set && ce.Exception.Value != c.Exception {
			fail(path+".exception", ce.Exception.Pos, ce.Exception.Value, c.Exception)
		}
		if ce.Reason.Set && ce.Reason.Value != c.Reason {
			fail(path+".reason", ce.Reason.Pos, strconv.Quote(ce.Reason.Value), strconv.Quote(c.Reason))
		}
	}
	en := e.Energy
	if v, within, err := tolerance(en.Joules, false); en.Joules.Value.Set && err == nil && math.Abs(r.Energy.Joules()-v) > within {
		fail("expect.energy.joules", en.Joules.Pos, fmt.Sprintf("%.4g J ± %.3g", v, within), fmt.Sprintf("%.4g J", r.Energy.Joules()))
	}
	if v, within, err := tolerance(en.AboveIdle, false); en.AboveIdle.Value.Set && err == nil && math.Abs(r.Energy.AboveIdle()-v) > within {
		fail("expect.energy.above_idle", en.AboveIdle.Pos, fmt.Sprintf("%.4g J ± %.3g", v, within), fmt.Sprintf("%.4g J", r.Energy.AboveIdle()))
	}
	if v, within, err := tolerance(en.AppCPU, false); en.AppCPU.Value.Set && err == nil && math.Abs(r.WakeCPUJoules-v) > within {
		fail("expect.energy.app_cpu_joules", en.AppCPU.Pos, fmt.Sprintf("%.4g J ± %.3g", v, within), fmt.Sprintf("%.4g J", r.WakeCPUJoules))
	}
	if v, within, err := tolerance(en.RadioActive, true); en.RadioActive.Value.Set && err == nil && math.Abs(r.Energy.ActiveTime.Seconds()-v) > within {
		fail("expect.energy.radio_active", en.RadioActive.Pos, fmt.Sprintf("%gs ± %gs", v, within), r.Energy.ActiveTime.String())
	}
	for _, st := range en.ByState.byState(r.Energy) {
		if v, within, err := tolerance(st.spec, false); st.spec.Value.Set && err == nil && math.Abs(st.got-v) > within {
			fail("expect.energy.by_state."+st.key, st.spec.Pos, fmt.Sprintf("%.4g J ± %.3g", v, within), fmt.Sprintf("%.4g J", st.got))
		}
	}
	if en.Promotions.Set && en.Promotions.Value != int64(r.Energy.Promotions) {
		fail("expect.energy.promotions", en.Promotions.Pos, en.Promotions.Value, r.Energy.Promotions)
	}
	if ra := en.Ratio; ra.To.Set {
		other, ok := byVariant[ra.To.Value]
		switch {
		case !ok:
			fail("expect.energy.ratio", ra.Pos, "a run of variant "+ra.To.Value, "none (run all variants to check ratios)")
		case other.Energy.AboveIdle() == 0:
			fail("expect.energy.ratio", ra.Pos, "energy above idle in "+ra.To.Value, "0 J")
		default:
			ratio := r.Energy.AboveIdle() / other.Energy.AboveIdle()
			if ra.Below.Set && ratio >= ra.Below.Value {
				fail("expect.energy.ratio.below", ra.Below.Pos, fmt.Sprintf("below %g of %s", ra.Below.Value, ra.To.Value), fmt.Sprintf("%.4g", ratio))
			}
			if ra.Above.Set && ratio <= ra.Above.Value {
				fail("expect.energy.ratio.above", ra.Above.Pos, fmt.Sprintf("above %g of %s", ra.Above.Value, ra.To.Value), fmt.Sprintf("%.4g", ratio))
			}
		}
	}
	for _, rule := range e.Rules.Fired {
		if !slices.ContainsFunc(r.Rules, func(s model.RuleID) bool { return strings.EqualFold(string(s), rule.Value) }) {
			fail("expect.rules.fired", rule.Pos, rule.Value+" cited", "not cited")
		}
	}
	for _, rule := range e.Rules.NotFired {
		if slices.ContainsFunc(r.Rules, func(s model.RuleID) bool { return strings.EqualFold(string(s), rule.Value) }) {
			fail("expect.rules.not_fired", rule.Pos, rule.Value+" not cited", "cited")
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return `"" (none)`
	}
	return s
}

// otherWakes names the identifiers the run woke the app for, when id is
// not among them: a misspelt identifier shows.
func otherWakes(r *model.Result, id string) string {
	var ids []string
	for _, w := range r.Wakes {
		if w.Session == id {
			return ""
		}
		if !slices.Contains(ids, w.Session) {
			ids = append(ids, w.Session)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return " (wakes for " + strings.Join(ids, ", ") + didYouMean(id, ids) + ")"
}

func reasonText(r int) string {
	if r == model.NoCancelReason {
		return "none"
	}
	return strconv.Itoa(r)
}
