package model

import "bgsim/sim"

// server receives uploads and answers each after its latency.
type server struct {
	w *world
}

func (s *server) init(w *world) { s.w = w }

func (s *server) handle(m msg) {
	if m.kind != serverReceive {
		return
	}
	u := s.w.ledger.get(m.up)
	now := s.w.s.Now()
	if u.ServerReceivedAt == sim.Never {
		u.ServerReceivedAt = now
	}
	u.ServerReceipts++
	status := s.w.cfg.Server.Status
	if now < s.w.cfg.Server.UnresponsiveUntil {
		s.w.record(toServer, KindUploadReceived, "", "the server has the whole body, but its backend is stalled: no answer",
			str(AttrUpload, u.ID), num(AttrBytes, u.Bytes), num(AttrReceipt, int64(u.ServerReceipts)))
		return
	}
	s.w.record(toServer, KindUploadReceived, "", "the server has the whole body", str(AttrUpload, u.ID),
		num(AttrBytes, u.Bytes), num(AttrStatus, int64(status)), num(AttrReceipt, int64(u.ServerReceipts)))
	s.w.send(s.w.cfg.Server.Latency, msg{to: toNetwork, kind: netRespond, up: m.up, status: int32(status)})
}
