package model

import "github.com/bgsim/bgsim/sim"

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
	s.receipts[m.up]++
	n := int64(s.receipts[m.up])
	out.fact(fact{kind: factReceived, up: m.up})
	status := s.cfg.Server.Status
	if now < s.cfg.Server.UnresponsiveUntil {
		out.record(toServer, KindUploadReceived, "", "the server has the whole body, but its backend is stalled: no answer",
			upAttr(m.up), num(AttrBytes, m.size), num(AttrReceipt, n))
		return
	}
	out.record(toServer, KindUploadReceived, "", "the server has the whole body", upAttr(m.up),
		num(AttrBytes, m.size), num(AttrStatus, int64(status)), num(AttrReceipt, n))
	out.send(s.cfg.Server.Latency, msg{to: toNetwork, kind: netRespond, up: m.up, status: int32(status)})
}
