package scenarios

import (
	"fmt"

	"github.com/bgsim/bgsim/model"
)

// HookStep is one step of a code hook: what the app's code does when an
// event reaches it (app.uploads.NAME.on_complete and on_error,
// app.handle_events.then, app.on_finish_events). It speaks the timeline's
// vocabulary, limited to the app's own calls; it has no time: it runs at
// its event's instant (model/hooks.go).
type HookStep struct {
	Pos         Pos
	Do          Str  `yaml:"do" bgsim:"required,enum=upload|resume|cancel|create_session|invalidate" doc:"what the code does: upload (start one), resume (uploadTask(withResumeData:), iOS 17+), cancel (the upload's newest task), create_session or invalidate"`
	Upload      Str  `yaml:"upload" doc:"for do: upload, cancel and resume, the upload (by name)"`
	ResumeData  Bool `yaml:"resume_data" doc:"for do: cancel, the code calls cancel(byProducingResumeData:) (iOS 17+) rather than cancel() (default false)"`
	Session     Str  `yaml:"session" doc:"for do: create_session and invalidate, the session (by name)"`
	CancelTasks Bool `yaml:"cancel_tasks" doc:"for do: invalidate, the code calls invalidateAndCancel() rather than finishTasksAndInvalidate() (default false)"`
}

// hooks builds the app's code hooks; the model's Check finds unknown
// uploads and sessions, and what a step does that the code cannot.
func (d *decoder) hooks(a *AppSpec, c *model.Config) {
	for i := range a.Uploads {
		u := &a.Uploads[i]
		path := "app.uploads." + u.Name
		c.App.Uploads[i].OnComplete = d.hookSteps(path+".on_complete", u.OnComplete)
		c.App.Uploads[i].OnError = d.hookSteps(path+".on_error", u.OnError)
	}
	c.App.HandleEvents.Then = d.hookSteps("app.handle_events.then", a.HandleEvents.Then)
	c.App.OnFinishEvents = d.hookSteps("app.on_finish_events", a.OnFinishEvents)
}

func (d *decoder) hookSteps(path string, steps []HookStep) []model.HookStep {
	if len(steps) == 0 {
		return nil
	}
	out := make([]model.HookStep, 0, len(steps))
	for i, s := range steps {
		at := fmt.Sprintf("%s[%d]", path, i)
		do := model.ActionKind(s.Do.Value)
		switch do {
		case model.StartUpload, model.Cancel, model.Resume:
			if !s.Upload.Set {
				d.addAt(at+".upload", s.Pos, "%s: do: %s needs upload: NAME, one of the uploads under app.uploads", at, do)
			}
		case model.CreateSession, model.Invalidate:
			if !s.Session.Set {
				d.addAt(at+".session", s.Pos, "%s: do: %s needs session: NAME, one of the sessions under app.sessions", at, do)
			}
		}
		if s.Upload.Given && do != model.StartUpload && do != model.Cancel && do != model.Resume {
			d.add(s.Upload.Pos, "%s: upload: applies only to do: upload, cancel and resume", at)
		}
		if s.Session.Given && do != model.CreateSession && do != model.Invalidate {
			d.add(s.Session.Pos, "%s: session: applies only to do: create_session and invalidate", at)
		}
		if s.ResumeData.Given && do != model.Cancel {
			d.add(s.ResumeData.Pos, "%s: resume_data: applies only to do: cancel", at)
		}
		if s.CancelTasks.Given && do != model.Invalidate {
			d.add(s.CancelTasks.Pos, "%s: cancel_tasks: applies only to do: invalidate", at)
		}
		out = append(out, model.HookStep{Do: do, Upload: s.Upload.Value, ResumeData: s.ResumeData.Value,
			Session: s.Session.Value, CancelTasks: s.CancelTasks.Value})
	}
	return out
}
