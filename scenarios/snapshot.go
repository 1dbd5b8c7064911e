package scenarios

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// maxSnapshotUploads is the most uploads ExpectBlock describes one by
// one; a workload of hundreds is described by its counts.
const maxSnapshotUploads = 20

// ExpectBlock writes an expect: block, in the scenario language, that a
// run with result r meets: its counts, the wakes for each identifier,
// each upload's fate, rule, status or error, whether the server received
// it, the bytes it sent, its attempts, the second its first attempt began
// in, the interfaces it used, the rate limiter's delay and the resume
// data it came from, its crashes, the rules it cited, and its energy (the
// total over the energy window, above idle and in each state) within
// tolerance (a percentage, e.g. "5%"). Each
// line is prefixed with indent, so that the block can be pasted under a
// variant. It is a snapshot, to review before pasting: it says what
// happens, not what should.
func ExpectBlock(r *model.Result, indent, tolerance string) string {
	var b strings.Builder
	line := func(depth int, format string, args ...any) {
		b.WriteString(indent + strings.Repeat("  ", depth) + fmt.Sprintf(format, args...) + "\n")
	}
	line(0, "expect:")
	counts := []struct {
		key string
		n   int
	}{
		{"uploads", len(r.Uploads)},
		{"delivered", r.Count(model.Delivered)},
		{"failed", r.Count(model.Failed)},
		{"lost", r.Count(model.Lost)},
		{"pending", r.Count(model.Pending)},
		{"never_sent", r.Count(model.NeverSent)},
		{"server_received", r.ServerReceived()},
		{"crashes", len(r.Crashes)},
		{"user_launches", r.UserLaunches},
		{"background_launches", r.BackgroundLaunches},
		{"background_resumes", r.BackgroundResumes},
		{"wakes_relaunch", wakesOf(r, model.WakeRelaunch)},
		{"wakes_resume", wakesOf(r, model.WakeResume)},
	}
	for _, c := range counts {
		line(1, "%s: %d", c.key, c.n)
	}
	if len(r.Unfired) > 0 {
		line(1, "unfired_steps: %d", len(r.Unfired))
	}
	if len(r.Wakes) > 0 {
		line(1, "wakes:")
		var ids []string
		for _, w := range r.Wakes {
			if !slices.Contains(ids, w.Session) {
				ids = append(ids, w.Session)
			}
		}
		for _, id := range ids {
			n, _, _ := wakesFor(r, id)
			line(2, "%s: %d", yamlString(id), n)
		}
	}
	if n := len(r.Uploads); n > 0 && n <= maxSnapshotUploads {
		line(1, "upload:")
		for i, u := range r.Uploads {
			fields := []string{"fate: " + string(u.Fate)}
			if u.Rule != "" {
				fields = append(fields, "rule: "+string(u.Rule))
			}
			switch {
			case u.Fate == model.Delivered && u.Status != 0:
				fields = append(fields, "status: "+strconv.Itoa(u.Status))
			case u.Fate == model.Failed:
				fields = append(fields, "error_code: "+strconv.Itoa(u.ErrorCode))
			}
			fields = append(fields, "server_received: "+strconv.FormatBool(u.ServerReceivedAt != sim.Never),
				"bytes_sent: "+strconv.FormatInt(u.BytesSent, 10), "attempts: "+strconv.Itoa(u.Attempts),
				"interface: "+interfacesUsed(u))
			if u.StartedAt != sim.Never {
				from := u.StartedAt / sim.Second * sim.Second
				fields = append(fields, "started_after: "+durationText(from), "started_before: "+durationText(from+sim.Second))
			}
			if u.LimiterDelay > 0 {
				fields = append(fields, "limiter_delay: "+durationText(u.LimiterDelay))
			}
			if u.ResumedFrom != "" {
				fields = append(fields, "resumed_from: "+u.ResumedFrom, "resume_offset: "+strconv.FormatInt(u.ResumeOffset, 10))
			}
			line(2, "u%d: {%s}", i+1, strings.Join(fields, ", "))
		}
	}
	if len(r.Crashes) > 0 {
		line(1, "crash:")
		for _, c := range r.Crashes {
			line(2, "- {exception: %s, reason: %s}", yamlString(c.Exception), yamlString(c.Reason))
		}
	}
	line(1, "energy:")
	line(2, "joules: {value: %s, tolerance: %s}", strconv.FormatFloat(r.Energy.Joules(), 'g', 6, 64), tolerance)
	line(2, "above_idle: {value: %s, tolerance: %s}", strconv.FormatFloat(r.Energy.AboveIdle(), 'g', 6, 64), tolerance)
	line(2, "promotions: %d", r.Energy.Promotions)
	line(2, "by_state:")
	for _, st := range (ByStateSpec{}).byState(r.Energy) {
		line(3, "%s: {value: %s, tolerance: %s}", st.key, strconv.FormatFloat(st.got, 'g', 6, 64), tolerance)
	}
	if r.WakeCPUJoules > 0 {
		line(2, "app_cpu_joules: {value: %s, tolerance: %s}", strconv.FormatFloat(r.WakeCPUJoules, 'g', 6, 64), tolerance)
	}
	if len(r.Rules) > 0 {
		line(1, "rules:")
		ids := make([]string, len(r.Rules))
		for i, id := range r.Rules {
			ids[i] = string(id)
		}
		line(2, "fired: [%s]", strings.Join(ids, ", "))
	}
	return b.String()
}

// durationText writes t exactly, as a duration the scenario language
// reads back.
func durationText(t sim.Time) string {
	if t%sim.Second == 0 {
		return strconv.FormatInt(int64(t/sim.Second), 10) + "s"
	}
	return time.Duration(t).String()
}

// yamlString quotes s as YAML reads it back exactly: a JSON string is a
// YAML double-quoted scalar.
func yamlString(s string) string {
	data, _ := json.Marshal(s)
	return string(data)
}

// WithoutExpectations returns a scenario's YAML without its expect:
// blocks, the base's and every variant's, with comments and layout kept
// elsewhere; name, if not "", replaces the scenario's name. The lines
// removed are found from the parsed document, so that a line of an
// about: text that starts with "expect:" stays. A document that does not
// parse is returned as it is.
func WithoutExpectations(src []byte, name string) []byte {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return src
	}
	lines := strings.SplitAfter(string(src), "\n")
	drop := make([]bool, len(lines)+1)
	// cut drops the lines of the key at i of mapping m: from its line to
	// the line before whatever follows it (end when it is the last).
	var cut func(m *yaml.Node, i, end int)
	cut = func(m *yaml.Node, i, end int) {
		from := m.Content[i].Line
		to := end
		if i+2 < len(m.Content) {
			to = m.Content[i+2].Line - 1
		}
		for to > from && to <= len(lines) && strings.TrimSpace(lines[to-1]) == "" {
			to--
		}
		for l := from; l <= to && l <= len(lines); l++ {
			drop[l] = true
		}
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		end := len(lines)
		if i+2 < len(root.Content) {
			end = root.Content[i+2].Line - 1
		}
		switch k.Value {
		case "expect":
			cut(root, i, end)
		case "name":
			if name != "" && v.Kind == yaml.ScalarNode && v.Line == k.Line && v.Line <= len(lines) {
				nl := ""
				if strings.HasSuffix(lines[v.Line-1], "\n") {
					nl = "\n"
				}
				lines[v.Line-1] = lines[v.Line-1][:v.Column-1] + name + nl
			}
		case "variants":
			if v.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				vv := v.Content[j+1]
				vend := end
				if j+2 < len(v.Content) {
					vend = v.Content[j+2].Line - 1
				}
				if vv.Kind != yaml.MappingNode || vv.Style&yaml.FlowStyle != 0 {
					continue
				}
				for x := 0; x+1 < len(vv.Content); x += 2 {
					if vv.Content[x].Value == "expect" {
						cut(vv, x, vend)
					}
				}
			}
		}
	}
	var b strings.Builder
	for i, l := range lines {
		if !drop[i+1] {
			b.WriteString(l)
		}
	}
	return []byte(b.String())
}
