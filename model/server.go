package model

import (
	"fmt"

	"github.com/bgsim/bgsim/sim"
)

// server receives uploads and answers each after its latency.
type server struct {
	cfg      *Config
	receipts []int32 // by upload index: how often the whole body arrived
}

// init readies the server for a run; receipts is memory to reuse.
func (s *server) init(cfg *Config, receipts []int32) { s.cfg, s.receipts = cfg, receipts }

// step is the server's entry point: it handles m at now and appends what
// it wants done to out.
func (s *server) step(now sim.Time, m msg, out *effects) {
	if m.kind != serverReceive {
		return
	}
	for int(m.up) >= len(s.receipts) {
		s.receipts = append(s.receipts, 0)
	}
	status := s.cfg.Server.Status
	if s.cfg.Server.AuthChallenge && m.flags&flagCredential == 0 {
		// The request carries no credential: the server keeps nothing of
		// it and answers 401 with a challenge (R-AUTH-WAKE).
		out.record(toServer, KindAuthChallenge, RuleAuthWake, "the request has no credential: the server answers 401 with an authentication challenge",
			upAttr(m.up), num(AttrStatus, 401))
		out.send(s.cfg.Server.Latency, msg{to: toNetwork, kind: netRespond, up: m.up, status: 401, flags: flagChallenge})
		return
	}
	if r := s.cfg.Server.Redirect; r.Status != 0 && int(m.hop) < r.Times {
		// The location answers with a redirect and keeps nothing of the
		// body (R-REDIRECTS-ALWAYS-FOLLOWED).
		out.record(toServer, KindRedirectAnswered, RuleRedirectsAlwaysFollowed,
			fmt.Sprintf("the server answers %d: the upload is to go to another location", r.Status),
			upAttr(m.up), num(AttrStatus, int64(r.Status)), num(AttrHop, int64(m.hop)))
		out.send(r.Latency, msg{to: toNetwork, kind: netRespond, up: m.up, status: int32(r.Status)})
		return
	}
	if m.flags&flagNoBody != 0 {
		// A GET after a 301, 302 or 303: the final location answers, but
		// the body never reaches it.
		if now < s.cfg.Server.UnresponsiveUntil {
			out.record(toServer, KindUploadReceived, "", "the server gets a GET without the body, but its backend is stalled: no answer",
				upAttr(m.up), num(AttrBytes, 0))
			return
		}
		out.record(toServer, KindUploadReceived, RuleRedirectsAlwaysFollowed,
			"the server gets a GET without the body: the upload never arrives, but the request is answered",
			upAttr(m.up), num(AttrBytes, 0), num(AttrStatus, int64(status)))
		out.send(s.cfg.Server.Latency, msg{to: toNetwork, kind: netRespond, up: m.up, status: int32(status)})
		return
	}
	s.receipts[m.up]++
	n := int64(s.receipts[m.up])
	out.fact(fact{kind: factReceived, up: m.up})
	if now < s.cfg.Server.UnresponsiveUntil {
		out.record(toServer, KindUploadReceived, "", "the server has the whole body, but its backend is stalled: no answer",
			upAttr(m.up), num(AttrBytes, m.size), num(AttrReceipt, n))
		return
	}
	out.record(toServer, KindUploadReceived, "", "the server has the whole body", upAttr(m.up),
		num(AttrBytes, m.size), num(AttrStatus, int64(status)), num(AttrReceipt, n))
	out.send(s.cfg.Server.Latency, msg{to: toNetwork, kind: netRespond, up: m.up, status: int32(status)})
}
