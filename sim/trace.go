package sim

import (
	"fmt"
	"slices"
	"strconv"
)

// Record is one entry of a run's trace: something an actor did or decided
// at a virtual instant.
type Record struct {
	At    Time   // when; filled in by Sim.Record
	Seq   int    // position in the trace, from 0; filled in by the trace
	Actor string // who: "app", "daemon", "network", "server", "radio"
	Kind  string // what, as a stable dotted name: "task.created"
	Rule  string // the iOS rule behind a decision ("R-..."), or ""
	Attrs []Attr // the key facts, in a fixed order chosen by the model
	Note  string // words for people; not part of the fingerprint
}

// AttrKind tells which field of an Attr holds its value.
type AttrKind uint8

// The kinds of attribute value.
const (
	AttrString AttrKind = iota // Attr.Str
	AttrInt                    // Attr.Num
	AttrTime                   // Attr.Num, a Time
)

// Attr is one key fact of a Record: a task id, a session identifier, a byte
// count, an error code.
type Attr struct {
	Key  string
	Kind AttrKind
	Str  string
	Num  int64
}

// String returns an Attr holding a string.
func String(key, value string) Attr { return Attr{Key: key, Kind: AttrString, Str: value} }

// Int returns an Attr holding an integer.
func Int(key string, value int64) Attr { return Attr{Key: key, Kind: AttrInt, Num: value} }

// At returns an Attr holding a virtual time or span.
func At(key string, value Time) Attr { return Attr{Key: key, Kind: AttrTime, Num: int64(value)} }

// Value formats the attribute's value: the string itself, a decimal integer,
// or a duration such as "1m30s".
func (a Attr) Value() string {
	switch a.Kind {
	case AttrInt:
		return strconv.FormatInt(a.Num, 10)
	case AttrTime:
		return Time(a.Num).String()
	default:
		return a.Str
	}
}

// Fingerprint is a 64-bit hash of the semantic fields of a run's trace, in
// order: time, actor, kind, rule and attributes, never the Note. Two runs
// with the same fingerprint took the same steps; rewording a note does not
// change it. It prints as 16 hex digits.
type Fingerprint uint64

func (f Fingerprint) String() string { return fmt.Sprintf("%016x", uint64(f)) }

// Trace collects a run's records and folds each into the fingerprint as it
// arrives. Whether records are kept (Config.KeepTrace) changes nothing but
// memory: the fingerprint is computed either way.
type Trace struct {
	off     bool // Config.NoTrace
	keep    bool
	records []Record
	n       int
	hash    uint64
}

func (t *Trace) reset(keep bool) {
	t.keep = keep
	clear(t.records) // let go of attribute slices
	t.records = t.records[:0]
	t.n = 0
	t.hash = 0
}

// Add appends r to the trace, setting its Seq.
func (t *Trace) Add(r Record) {
	t.add(r.At, r.Actor, r.Kind, r.Rule, r.Note, r.Attrs)
}

// add hashes a record and keeps it if asked. attrs is only read (and
// copied to be kept), so callers may build it on the stack.
func (t *Trace) add(at Time, actor, kind, rule, note string, attrs []Attr) {
	r := Record{At: at, Actor: actor, Kind: kind, Rule: rule, Note: note}
	h := t.hash
	if t.n == 0 {
		h = fnvOffset // so that a zero Trace is ready to use
	}
	r.Seq = t.n
	t.n++
	h = fnvUint(h, uint64(r.At))
	h = fnvString(h, r.Actor)
	h = fnvString(h, r.Kind)
	h = fnvString(h, r.Rule)
	h = fnvUint(h, uint64(len(attrs)))
	for _, a := range attrs {
		h = fnvString(h, a.Key)
		h = fnvUint(h, uint64(a.Kind))
		if a.Kind == AttrString {
			h = fnvString(h, a.Str)
		} else {
			h = fnvUint(h, uint64(a.Num))
		}
	}
	t.hash = h
	if t.keep {
		// Keep a copy of the attributes: the caller's slice then never
		// outlives the call, so models can build it on the stack.
		r.Attrs = slices.Clone(attrs)
		t.records = append(t.records, r)
	}
}

// Len returns the number of records added, kept or not.
func (t *Trace) Len() int { return t.n }

// Records returns the kept records in order; nil unless Config.KeepTrace.
// The slice is the trace's own: do not modify it.
func (t *Trace) Records() []Record { return t.records }

// Fingerprint returns the hash of every record added so far.
func (t *Trace) Fingerprint() Fingerprint {
	if t.n == 0 {
		return Fingerprint(fnvOffset)
	}
	return Fingerprint(t.hash)
}

// Trace returns the run's trace.
func (s *Sim[M]) Trace() *Trace { return &s.trace }

// Record adds r to the run's trace, stamped with the current time.
func (s *Sim[M]) Record(r Record) {
	if s.trace.off {
		return
	}
	r.At = s.now
	s.trace.Add(r)
	s.checkRecords()
}

// checkRecords ends the run once it keeps more records than allowed. The
// records kept so far stay, for whoever reads the error.
func (s *Sim[M]) checkRecords() {
	if s.trace.keep && s.cfg.MaxRecords > 0 && len(s.trace.records) > s.cfg.MaxRecords {
		s.trace.keep = false
		s.fail(&CapacityError{Limit: "trace records kept", Max: uint64(s.cfg.MaxRecords), At: s.now})
	}
}

// Emit is Record with the parts given one by one. It copies the attributes
// it keeps, so a caller's attribute list (a variadic call) stays on the
// stack: that matters to sweeps of many thousands of runs.
func (s *Sim[M]) Emit(actor, kind, rule, note string, attrs ...Attr) {
	if s.trace.off {
		return
	}
	s.trace.add(s.now, actor, kind, rule, note, attrs)
	s.checkRecords()
}

// FNV-1a, 64-bit, written out so that hashing allocates nothing. Strings
// are length-prefixed so that ("ab","c") and ("a","bc") differ.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvUint(h, v uint64) uint64 {
	for i := 0; i < 8; i++ {
		h ^= v & 0xff
		h *= fnvPrime
		v >>= 8
	}
	return h
}

func fnvString(h uint64, s string) uint64 {
	h = fnvUint(h, uint64(len(s)))
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}
