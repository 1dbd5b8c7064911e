package scenarios

import "github.com/bgsim/bgsim/model"

// extensions builds the app's extensions (app.extensions): each one's
// sessions and uploads, read as the app's are. What an extension may
// hold, and the steps that name one, are Config.Check's to judge
// (model/extension.go).
func (d *decoder) extensions(a AppSpec, c *model.Config) {
	for _, e := range a.Extensions {
		path := "app.extensions." + e.Name
		me := model.Extension{Name: e.Name}
		for _, s := range e.Sessions {
			sp := path + ".sessions." + s.Name
			ms := model.Session{Name: s.Name, Kind: model.Background, Identifier: s.Identifier.Value,
				SendsLaunchEvents: boolOr(s.SendsLaunchEvents, true), Discretionary: s.Discretionary.Value,
				ResourceTimeout: durationOr(s.ResourceTimeout, model.DefaultResourceTimeout),
				RequestTimeout:  durationOr(s.RequestTimeout, model.DefaultRequestTimeout),
				Access:          access(s.AccessSpec), Auth: model.AuthNone, SharedContainer: s.SharedContainer.Value}
			// A Config reads a zero timeout as the default; written out, it
			// is refused.
			if s.RequestTimeout.Set && s.RequestTimeout.Value == 0 {
				d.add(s.RequestTimeout.Pos, "%s.request_timeout: must be positive", sp)
			}
			if s.ResourceTimeout.Set && s.ResourceTimeout.Value == 0 {
				d.add(s.ResourceTimeout.Pos, "%s.resource_timeout: must be positive", sp)
			}
			if s.Kind.Set {
				ms.Kind = model.SessionKind(s.Kind.Value)
			}
			if s.Auth.Set {
				ms.Auth = model.AuthAnswer(s.Auth.Value)
			}
			if !s.Delegate.Set {
				d.add(s.Pos, "%s: say which delegate the session is created with (delegate: SomeDelegate), or delegate: none", sp)
			}
			if s.Delegate.Value != "none" {
				ms.Delegate = s.Delegate.Value
			}
			me.Sessions = append(me.Sessions, ms)
		}
		for _, u := range e.Uploads {
			up := path + ".uploads." + u.Name
			mu := model.Upload{Name: u.Name, Session: u.Session.Value, API: model.UploadFromFile,
				CompletionHandler: u.CompletionHandler.Value, TaskDelegate: u.TaskDelegate.Value,
				RequestClass: u.RequestClass.Value, Bytes: u.Size.Value, DeleteFile: u.DeleteFile.Value, Chain: int(u.Chain.Value),
				BeginAfter: u.BeginAfter.Value, Access: access(u.AccessSpec), OnFailure: model.OnFailure(u.OnFailure.Value)}
			if u.API.Set {
				mu.API = model.TaskAPI(u.API.Value)
			}
			if !u.Size.Given {
				d.addAt(up+".size", u.Pos, "%s: missing required key \"size\"", up)
			}
			// The extension's process runs no code hooks in the model
			// (model/hooks.go runs the app's): refused, not left unrun.
			for _, h := range []struct {
				key   string
				steps []HookStep
			}{{"on_complete", u.OnComplete}, {"on_error", u.OnError}} {
				if len(h.steps) > 0 {
					d.addAt(up+"."+h.key, h.steps[0].Pos, "%s.%s: code hooks are modelled for the app's own uploads only, not an extension's", up, h.key)
				}
			}
			me.Uploads = append(me.Uploads, mu)
		}
		c.App.Extensions = append(c.App.Extensions, me)
	}
}

// ExtensionSpec is an app extension's code: a process of its own.
type ExtensionSpec struct {
	Name     string
	NamePos  Pos
	Pos      Pos
	Sessions []SessionSpec `yaml:"sessions,keyed" bgsim:"required" doc:"the background sessions the extension's code creates, by name (each with shared_container_identifier)"`
	Uploads  []UploadSpec  `yaml:"uploads,keyed" doc:"the uploads the extension's code starts (do: upload while it is open), by name"`
}
