package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bgsim/bgsim/sim"
)

// Pos is a position in a scenario file, 1-based.
type Pos struct {
	Line, Col int
}

func posOf(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

// scalar is a YAML scalar value of the scenario language: it remembers
// whether it was set and where, so that defaults can apply and semantic
// errors can point at the value.
type scalar interface {
	set(n *yaml.Node) error
	given(n *yaml.Node)
	position() Pos
	// expected describes valid values for error messages: "a duration
	// like 90s or 1m30s".
	expected() string
}

// meta is embedded in every scalar type. Given says the key was written;
// Set says its value was also valid.
type meta struct {
	Pos   Pos
	Set   bool
	Given bool
}

func (m *meta) position() Pos { return m.Pos }

func (m *meta) given(n *yaml.Node) { m.Pos, m.Given = posOf(n), true }

func (m *meta) mark(n *yaml.Node) { m.Pos, m.Set = posOf(n), true }

// Str is a string value.
type Str struct {
	meta
	Value string
}

func (s *Str) expected() string { return "a string" }
func (s *Str) set(n *yaml.Node) error {
	if n.Tag == "!!null" {
		return fmt.Errorf("expected %s, found nothing", s.expected())
	}
	s.mark(n)
	s.Value = n.Value
	return nil
}

// Text is a Str that may be written as a number: an amount whose unit,
// if any, is read later ("14.5", 14.5, "5%", "21s").
type Text struct {
	Str
}

// Bool is true or false.
type Bool struct {
	meta
	Value bool
}

func (b *Bool) expected() string { return "true or false" }
func (b *Bool) set(n *yaml.Node) error {
	if n.Tag != "!!bool" {
		return fmt.Errorf("expected %s, found %s", b.expected(), describe(n))
	}
	v, err := strconv.ParseBool(n.Value)
	if err != nil {
		return fmt.Errorf("expected %s, found %s", b.expected(), describe(n))
	}
	b.mark(n)
	b.Value = v
	return nil
}

// Int is an integer.
type Int struct {
	meta
	Value int64
}

func (i *Int) expected() string { return "an integer" }
func (i *Int) set(n *yaml.Node) error {
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if n.Tag != "!!int" || err != nil {
		return fmt.Errorf("expected %s, found %s", i.expected(), describe(n))
	}
	i.mark(n)
	i.Value = v
	return nil
}

// Float is a decimal number.
type Float struct {
	meta
	Value float64
}

func (f *Float) expected() string { return "a number" }
func (f *Float) set(n *yaml.Node) error {
	v, err := strconv.ParseFloat(n.Value, 64)
	if (n.Tag != "!!float" && n.Tag != "!!int") || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("expected %s, found %s", f.expected(), describe(n))
	}
	f.mark(n)
	f.Value = v
	return nil
}

// Duration is a span of virtual time written as people write it: 90s,
// 1m30s, 250ms, 2h, 7d. A bare 0 is zero.
type Duration struct {
	meta
	Value sim.Time
}

func (d *Duration) expected() string { return "a duration like 90s, 1m30s, 250ms or 7d" }
func (d *Duration) set(n *yaml.Node) error {
	v, ok := parseDuration(n.Value)
	if n.Kind != yaml.ScalarNode || !ok {
		return fmt.Errorf("expected %s, found %s", d.expected(), describe(n))
	}
	d.mark(n)
	d.Value = v
	return nil
}

var daysRe = regexp.MustCompile(`^(-?)(\d+)d(.*)$`)

func parseDuration(s string) (sim.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, true
	}
	var days int64
	neg := false
	if m := daysRe.FindStringSubmatch(s); m != nil {
		n, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil || n > 100*365 {
			return 0, false
		}
		days, neg, s = n, m[1] == "-", m[3]
		if s == "" {
			s = "0s"
		}
		if strings.HasPrefix(s, "-") {
			return 0, false
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, false
	}
	t := sim.Time(d) + sim.Time(days)*24*sim.Hour
	if neg {
		t = -t
	}
	return t, true
}

// Size is a number of bytes: 512B, 50KB, 5MB, 1.5GB (powers of 1000) or
// 64KiB, 5MiB (powers of 1024). A bare integer is bytes.
type Size struct {
	meta
	Value int64
}

func (s *Size) expected() string { return "a size like 5MB, 50KB, 512B or 64KiB" }
func (s *Size) set(n *yaml.Node) error {
	return setUnit(n, sizeUnits, &s.meta, &s.Value, s.expected())
}

// Bitrate is a speed in bits per second: 500kbps, 10Mbps, 1Gbps.
type Bitrate struct {
	meta
	Value int64
}

func (b *Bitrate) expected() string { return "a bit rate like 10Mbps, 500kbps or 1Gbps" }
func (b *Bitrate) set(n *yaml.Node) error {
	return setUnit(n, rateUnits, &b.meta, &b.Value, b.expected())
}

// Percent is a whole percentage: 60% (a bare 60 too).
type Percent struct {
	meta
	Value int64
}

var percentRe = regexp.MustCompile(`^([0-9]{1,18})\s*%?$`)

func (p *Percent) expected() string { return "a whole percentage like 60%" }
func (p *Percent) set(n *yaml.Node) error {
	m := percentRe.FindStringSubmatch(strings.TrimSpace(n.Value))
	if n.Kind != yaml.ScalarNode || m == nil {
		return fmt.Errorf("expected %s, found %s", p.expected(), describe(n))
	}
	v, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return fmt.Errorf("expected %s, found %s", p.expected(), describe(n))
	}
	p.mark(n)
	p.Value = v
	return nil
}

// setUnit parses a number with a unit into value and marks m set.
func setUnit(n *yaml.Node, units map[string]float64, m *meta, value *int64, expected string) error {
	v, ok := parseUnit(n.Value, units)
	if n.Kind != yaml.ScalarNode || !ok {
		return fmt.Errorf("expected %s, found %s", expected, describe(n))
	}
	m.mark(n)
	*value = v
	return nil
}

var (
	sizeUnits = map[string]float64{"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
		"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "": 1}
	rateUnits = map[string]float64{"bps": 1, "kbps": 1e3, "Kbps": 1e3, "Mbps": 1e6, "Gbps": 1e9}
	unitRe    = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$`)
)

func parseUnit(s string, units map[string]float64) (int64, bool) {
	m := unitRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	mult, ok := units[m[2]]
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, false
	}
	v := math.Round(f * mult)
	if v > 1e18 {
		return 0, false
	}
	return int64(v), true
}

// describe says what a node holds, for "found ..." in messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return strconv.Quote(n.Value)
}
