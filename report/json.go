package report

import (
	"encoding/json"
	"io"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// The JSON document `bgsim run --format json` writes. Others parse it:
// fields are added, never renamed or removed. Times are in seconds from the
// start of the run, null where the thing did not happen. Every list is [],
// never null. docs/reports.md lists every field with its unit.

// JSONFormat is the version of the document's format. It is bumped when a
// field changes meaning (or, against the contract, goes away), never for
// an added field: a reader that knows format N reads any document of
// format N, ignoring the fields it does not know.
const JSONFormat = 1

// Document is the top level: {"format": 1, "runs": [...]}.
type Document struct {
	Format int   `json:"format"`
	Runs   []Run `json:"runs"`
}

// Run is one run (one variant) of a scenario.
type Run struct {
	Scenario     string        `json:"scenario"`
	Variant      string        `json:"variant"`
	Title        string        `json:"title"`
	Seed         uint64        `json:"seed"`
	IOS          int           `json:"ios"`
	Fingerprint  string        `json:"fingerprint"`
	EndedAtS     float64       `json:"ended_at_s"`
	Events       uint64        `json:"events"`
	Summary      Summary       `json:"summary"`
	Uploads      []Upload      `json:"uploads"`
	Crashes      []Crash       `json:"crashes"`
	Terminations []Termination `json:"terminations"`
	Rules        []string      `json:"rules"`
	Energy       Energy        `json:"energy"`
	Items        *Items        `json:"items"`
	Wakes        []Wake        `json:"wakes"`
	// UnfiredSteps are the timeline steps with a when: condition that did
	// not happen.
	UnfiredSteps []UnfiredStep `json:"unfired_steps"`
}

// UnfiredStep is a timeline step with a when: condition that did not
// happen: the condition never held (held_at_s null), or it held but the
// step, after: later, came past the run's end.
type UnfiredStep struct {
	Step   int      `json:"step"` // its index in the timeline
	Do     string   `json:"do"`
	When   string   `json:"when"`
	AfterS float64  `json:"after_s"`
	HeldAt *float64 `json:"held_at_s"`
}

// Wake is one time the daemon woke the app for a session's events, and
// what the app did on it.
type Wake struct {
	AtS        float64 `json:"at_s"`       // when the daemon decided to wake the app
	Identifier string  `json:"identifier"` // the session whose events it announced
	Cause      string  `json:"cause"`      // "relaunch" (the app was not running) or "resume" (suspended), as the daemon knew it
	Rule       string  `json:"rule"`
	Events     int     `json:"events"` // the held events it announced
	// DelaySetS is the rate limiter's delay the wake set, for tasks
	// created in the background after it (R-RATE-LIMITER).
	DelaySetS float64 `json:"delay_set_s"`
	// Pid is the process that came up for the wake, at UpAtS, Came how
	// it came up ("relaunch" or "resume"; "" if none came up).
	Pid   *int     `json:"pid"`
	UpAtS *float64 `json:"up_at_s"`
	Came  string   `json:"came"`
	// End is why the wake is over ("finished", "process ended", "user
	// opened the app"), at EndAtS; "" and null while under way at the end.
	End    string   `json:"end"`
	EndAtS *float64 `json:"end_at_s"`
	// App is what the app did; null if the wake reached no process that
	// handled it.
	App *WakeApp `json:"app"`
}

// WakeApp is what the app did when a wake reached it.
type WakeApp struct {
	AtS   float64 `json:"at_s"`
	Pid   int     `json:"pid"`
	Found string  `json:"found"` // the app's state the wake found: not running, suspended, background, foreground
	// Created lists the identifiers the code the wake ran created.
	Created          []string `json:"created"`
	WrongIdentifier  bool     `json:"wrong_identifier"`
	HandlerStored    bool     `json:"handler_stored"`
	HandlerCalledAtS *float64 `json:"handler_called_at_s"`
	// AllowanceUsedS is the app's time awake in the background for
	// events from the wake's arrival to the end of that time awake
	// (handler called, allowance over, process ended, user opened the
	// app, or the run's end); null if the wake found it in the
	// foreground.
	AllowanceUsedS *float64 `json:"allowance_used_s"`
}

// InterfaceUse is the body bytes an upload put on the air over one
// interface.
type InterfaceUse struct {
	Interface string `json:"interface"`
	BytesSent int64  `json:"bytes_sent"`
}

// Energy is the radios' account: the sum, and each interface's.
type Energy struct {
	EnergyAccount
	Interfaces    []InterfaceEnergy `json:"interfaces"`
	AppWakes      int               `json:"app_wakes"`
	AppWakeJoules float64           `json:"app_wake_joules"`
	// AppAwakeS is the app's time awake in background wakes, from each
	// wake to the completion handler's call or the suspension or
	// termination that ended it; AppCPUJoules is its cost at
	// params.wake_cpu_watts. Both apart from the radios.
	AppAwakeS    float64 `json:"app_awake_s"`
	AppCPUJoules float64 `json:"app_cpu_joules"`
}

// EnergyAccount is joules by state, with radio-active time and promotions.
// Joules is the total over the energy window (window_s, from the start of
// the run, the same for every variant), idle included; above_idle is what
// the traffic cost: joules less idle_baseline, what the radio would have
// spent idle over the same window.
type EnergyAccount struct {
	Joules       float64 `json:"joules"`
	WindowS      float64 `json:"window_s"`
	AboveIdle    float64 `json:"above_idle"`
	IdleBaseline float64 `json:"idle_baseline"`
	RadioActiveS float64 `json:"radio_active_s"`
	Promotions   int     `json:"promotions"`
	ByState      ByState `json:"by_state"`
	BytesUp      int64   `json:"bytes_up"`
	BytesDown    int64   `json:"bytes_down"`
}

// ByState splits joules by radio state.
type ByState struct {
	Promotion float64 `json:"promotion"`
	Transfer  float64 `json:"transfer"`
	Tail      float64 `json:"tail"`
	Idle      float64 `json:"idle"`
}

// InterfaceEnergy is one interface's radio account.
type InterfaceEnergy struct {
	Interface string `json:"interface"`
	Profile   string `json:"profile"`
	EnergyAccount
}

// Items is a workload's freshness.
type Items struct {
	Produced  int     `json:"produced"`
	Skipped   int     `json:"skipped"`
	AtServer  int     `json:"at_server"`
	WaitMeanS float64 `json:"wait_mean_s"`
	WaitMaxS  float64 `json:"wait_max_s"`
}

func account(e model.Energy) EnergyAccount {
	return EnergyAccount{Joules: e.Joules(), WindowS: e.Window.Seconds(), AboveIdle: e.AboveIdle(), IdleBaseline: e.Baseline, RadioActiveS: e.ActiveTime.Seconds(), Promotions: e.Promotions,
		ByState: ByState{e.Promotion, e.Transfer, e.Tail, e.Idle}, BytesUp: e.BytesUp, BytesDown: e.BytesDown}
}

// Summary counts what happened in a run.
type Summary struct {
	Uploads            int `json:"uploads"`
	Delivered          int `json:"delivered"`
	Failed             int `json:"failed"`
	Lost               int `json:"lost"`
	Pending            int `json:"pending"`
	NeverSent          int `json:"never_sent"`
	ServerReceived     int `json:"server_received"`
	Crashes            int `json:"crashes"`
	UserLaunches       int `json:"user_launches"`
	BackgroundLaunches int `json:"background_launches"`
	BackgroundResumes  int `json:"background_resumes"`
}

// Upload is one upload's account.
type Upload struct {
	ID             string `json:"id"`
	Spec           string `json:"upload"`
	Session        string `json:"session"`
	Bytes          int64  `json:"bytes"`
	Fate           string `json:"fate"`
	Reason         string `json:"reason"`
	Rule           string `json:"rule"`
	ErrorCode      *int   `json:"error_code"`
	ErrorName      string `json:"error_name,omitempty"`
	CancelReason   *int   `json:"cancel_reason"`
	Status         *int   `json:"status"`
	Delegate       string `json:"delegate"`
	BytesSent      int64  `json:"bytes_sent"`
	Attempts       int    `json:"attempts"`
	ServerReceipts int    `json:"server_receipts"`
	Items          int    `json:"items"`
	// ResumedFrom is the upload whose resume data created this one's task
	// (uploadTask(withResumeData:)), and ResumeOffset the byte it resumed
	// at; both left out when it was not resumed.
	ResumedFrom       string   `json:"resumed_from,omitempty"`
	ResumeOffset      int64    `json:"resume_offset,omitempty"`
	CreatedAtS        *float64 `json:"created_at_s"`
	HandedOffAtS      *float64 `json:"handed_off_at_s"`
	StartedAtS        *float64 `json:"started_at_s"`
	ServerReceivedAtS *float64 `json:"server_received_at_s"`
	SettledAtS        *float64 `json:"settled_at_s"`
	// Interfaces are those an attempt of the upload used, in interface
	// order (wifi, cellular), with the body bytes sent over each.
	Interfaces []InterfaceUse `json:"interfaces"`
	// LimiterDelayS is the rate limiter's hold on the task when the
	// daemon took it, 0 if none.
	LimiterDelayS float64 `json:"limiter_delay_s"`
}

// Crash is an uncaught exception.
type Crash struct {
	AtS       float64 `json:"at_s"`
	Exception string  `json:"exception"`
	Reason    string  `json:"reason"`
	Rule      string  `json:"rule"`
	Upload    string  `json:"upload"`
}

// Termination is the system ending the app's process.
type Termination struct {
	AtS    float64 `json:"at_s"`
	Reason string  `json:"reason"`
	Rule   string  `json:"rule"`
}

func seconds(t sim.Time) *float64 {
	if t == sim.Never {
		return nil
	}
	s := t.Seconds()
	return &s
}

func intOrNull(v int, null bool) *int {
	if null {
		return nil
	}
	return &v
}

// NewRun converts a Result to its JSON form.
func NewRun(r *model.Result) Run {
	out := Run{
		Scenario: r.Scenario, Variant: r.Variant, Title: r.Title, Seed: r.Seed, IOS: r.IOS,
		Fingerprint: r.Fingerprint.String(), EndedAtS: r.EndedAt.Seconds(), Events: r.Events,
		Summary: Summary{
			Uploads: len(r.Uploads), Delivered: r.Count(model.Delivered), Failed: r.Count(model.Failed),
			Lost: r.Count(model.Lost), Pending: r.Count(model.Pending), NeverSent: r.Count(model.NeverSent),
			ServerReceived: r.ServerReceived(), Crashes: len(r.Crashes), UserLaunches: r.UserLaunches,
			BackgroundLaunches: r.BackgroundLaunches, BackgroundResumes: r.BackgroundResumes,
		},
		Uploads: []Upload{}, Crashes: []Crash{}, Terminations: []Termination{}, Rules: []string{}, Wakes: []Wake{},
		UnfiredSteps: []UnfiredStep{},
	}
	for _, u := range r.Unfired {
		out.UnfiredSteps = append(out.UnfiredSteps, UnfiredStep{Step: u.Step, Do: string(u.Do), When: u.When, AfterS: u.After.Seconds(), HeldAt: seconds(u.HeldAt)})
	}
	for i := range r.Uploads {
		u := &r.Uploads[i]
		ifs := []InterfaceUse{}
		for j, used := range u.UsedOn {
			if used {
				ifs = append(ifs, InterfaceUse{Interface: model.InterfaceName(j), BytesSent: u.BytesOn[j]})
			}
		}
		out.Uploads = append(out.Uploads, Upload{
			ID: u.ID, Spec: u.Spec, Session: u.Session, Bytes: u.Bytes, Fate: string(u.Fate), Reason: u.Reason, Rule: string(u.Rule),
			ErrorCode: intOrNull(u.ErrorCode, u.ErrorCode == 0), ErrorName: model.ErrorName(u.ErrorCode),
			CancelReason: intOrNull(u.CancelReason, u.CancelReason == model.NoCancelReason),
			Status:       intOrNull(u.Status, u.Status == 0), Delegate: u.Delegate,
			BytesSent: u.BytesSent, Attempts: u.Attempts, ServerReceipts: u.ServerReceipts, Items: u.Items,
			ResumedFrom: u.ResumedFrom, ResumeOffset: u.ResumeOffset,
			CreatedAtS: seconds(u.CreatedAt), HandedOffAtS: seconds(u.HandedOffAt), StartedAtS: seconds(u.StartedAt),
			ServerReceivedAtS: seconds(u.ServerReceivedAt), SettledAtS: seconds(u.SettledAt),
			Interfaces: ifs, LimiterDelayS: u.LimiterDelay.Seconds(),
		})
	}
	for i := range r.Wakes {
		out.Wakes = append(out.Wakes, newWake(&r.Wakes[i]))
	}
	for _, c := range r.Crashes {
		out.Crashes = append(out.Crashes, Crash{AtS: c.At.Seconds(), Exception: c.Exception, Reason: c.Reason, Rule: string(c.Rule), Upload: c.Upload})
	}
	for _, t := range r.Terminations {
		out.Terminations = append(out.Terminations, Termination{AtS: t.At.Seconds(), Reason: t.Reason, Rule: string(t.Rule)})
	}
	for _, id := range r.Rules {
		out.Rules = append(out.Rules, string(id))
	}
	out.Energy = Energy{EnergyAccount: account(r.Energy), Interfaces: []InterfaceEnergy{},
		AppWakes: r.BackgroundLaunches + r.BackgroundResumes, AppWakeJoules: r.WakeJoules,
		AppAwakeS: r.WakeAwake.Seconds(), AppCPUJoules: r.WakeCPUJoules}
	for _, re := range r.Radios {
		out.Energy.Interfaces = append(out.Energy.Interfaces, InterfaceEnergy{Interface: re.Interface, Profile: re.Profile, EnergyAccount: account(re.Energy)})
	}
	if it := r.Items; it != nil {
		out.Items = &Items{Produced: it.Produced, Skipped: it.Skipped, AtServer: it.AtServer,
			WaitMeanS: it.WaitMean.Seconds(), WaitMaxS: it.WaitMax.Seconds()}
	}
	return out
}

func newWake(w *model.Wake) Wake {
	out := Wake{AtS: w.At.Seconds(), Identifier: w.Session, Cause: string(w.Cause), Rule: string(w.Rule), Events: w.Events,
		DelaySetS: w.Delay.Seconds(), Pid: intOrNull(int(w.Pid), w.Pid == 0), UpAtS: seconds(w.UpAt), Came: string(w.Came),
		End: w.End, EndAtS: seconds(w.EndAt)}
	if a := w.App; a != nil {
		out.App = &WakeApp{AtS: a.At.Seconds(), Pid: int(a.Pid), Found: a.Found, Created: append([]string{}, a.Recreated...),
			WrongIdentifier: a.WrongID, HandlerStored: a.StoredHandler, HandlerCalledAtS: seconds(a.HandlerCalledAt)}
		if a.AwakeUntil != sim.Never {
			used := (a.AwakeUntil - a.At).Seconds()
			out.App.AllowanceUsedS = &used
		}
	}
	return out
}

// JSON writes runs as one indented JSON document.
func JSON(w io.Writer, runs []*model.Result) error {
	doc := Document{Format: JSONFormat, Runs: []Run{}}
	for _, r := range runs {
		doc.Runs = append(doc.Runs, NewRun(r))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
