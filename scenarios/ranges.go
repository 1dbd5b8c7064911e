package scenarios

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/bgsim/bgsim/model"
)

// paramRange is one row of model.ParamTable, the one table of the
// language's parameters: the loader's Config.Check refuses a value
// outside its range, sweeps check grid values and distributions against
// it, hold draws to it and set values through it, suggestions list its
// paths, and the schema and docs/scenarios.md are generated from it
// (TestRangeTableInDocs keeps the docs equal).
type paramRange struct{ *model.Param }

// paramRanges are the table's rows, in its order.
var paramRanges = func() []paramRange {
	out := make([]paramRange, len(model.ParamTable))
	for i := range model.ParamTable {
		out[i] = paramRange{&model.ParamTable[i]}
	}
	return out
}()

func (r paramRange) unit() unit { return unit(r.Unit) }

// rangeRes are the table's paths as patterns, in the table's order.
var rangeRes = func() []*regexp.Regexp {
	var res []*regexp.Regexp
	for _, r := range paramRanges {
		p := regexp.QuoteMeta(r.Path)
		p = strings.ReplaceAll(p, "<interface>", "(wifi|cellular)")
		p = strings.ReplaceAll(p, "<name>", ".*") // names may be empty or hold dots
		p = strings.ReplaceAll(p, `\[\]`, `\[[0-9]+\]`)
		if rest, ok := strings.CutPrefix(p, `timeline\[[0-9]+\]`); ok {
			p = `timeline(\[[0-9]+\]|\.[a-z-]+)` + rest // a sweep's timeline.purge.at
		}
		res = append(res, regexp.MustCompile(`(?s)^`+p+`$`))
	}
	return res
}()

// rangeOf returns the range of a parameter by its path as written
// (network.wifi.up, app.sessions.up.request_timeout, timeline.purge.at,
// timeline[3].at).
func rangeOf(path string) (paramRange, bool) {
	for i, re := range rangeRes {
		if re.MatchString(path) {
			return paramRanges[i], true
		}
	}
	return paramRange{}, false
}

// String describes the range as the docs and errors write it.
func (r paramRange) String() string { return r.Range() }

// text writes a bound or a value exactly, in the unit's own notation.
func (u unit) text(v float64) string { return model.Unit(u).Text(v) }

// inRange reports a set value outside its parameter's range at pos, for
// the values the loader checks itself because a Config cannot hold them
// as written (a negative max_events, a timeout of 0 written out, which a
// Config reads as the default) or holds none of them (the sweep's
// outages). key is the value's path, as in rangeOf.
func (d *decoder) inRange(pos Pos, set bool, v float64, key string) bool {
	r, ok := rangeOf(key)
	if !ok {
		panic("scenarios: no range for " + key)
	}
	if !set || r.Contains(v) {
		return true
	}
	d.addAt(key, pos, "%s: %s, found %s", key, r, r.unit().text(v))
	return false
}

// rangeTable is the table of parameters, as docs/scenarios.md has it.
func rangeTable() string {
	var b strings.Builder
	b.WriteString("| parameter | valid values | a sweep can vary it | what it is |\n|---|---|---|---|\n")
	for _, r := range paramRanges {
		sweep := ""
		if r.Set != nil {
			sweep = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.Path, r, sweep, r.Doc)
	}
	return b.String()
}
