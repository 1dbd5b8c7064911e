package explore

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/scenarios"
)

// Counterexample writes the scenario file that replays failure f of
// scenario sc: sc's own file, renamed name, with f's faults added as
// timeline steps (to the variant's add_timeline, the variant alone kept,
// when sc has variants). bgsim run of it makes the run explore made,
// trace fingerprint included. The file is checked: it loads, and its
// timeline is the one explore ran.
func Counterexample(sc *scenarios.Scenario, f *Failure, name string) ([]byte, error) {
	v := slices.IndexFunc(sc.Variants, func(x scenarios.Variant) bool { return x.Name == f.Variant })
	if v < 0 {
		return nil, fmt.Errorf("%s has no variant %q", sc.Name, f.Variant)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(sc.Source, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: the scenario's source does not parse again", sc.File)
	}
	root := doc.Content[0]
	setScalar(root, "name", name)
	setScalar(root, "title", "Found by bgsim explore: "+faultList(f.Faults)+" in "+runName(sc.Name, f.Variant))
	setScalar(root, "about", about(sc, f))

	var nodes []*yaml.Node
	for _, st := range steps(f.Faults) {
		nodes = append(nodes, stepNode(st.a))
	}
	if f.Variant == "" {
		tl := value(root, "timeline")
		if tl == nil {
			tl = &yaml.Node{Kind: yaml.SequenceNode}
			setValue(root, "timeline", tl)
		}
		if tl.Kind != yaml.SequenceNode || len(tl.Content) != len(sc.Variants[v].Config.Timeline) {
			return nil, fmt.Errorf("%s: its timeline does not match the scenario as loaded", sc.File)
		}
		_, _, pos := withFaults(sc.Variants[v].Config, f.Faults)
		for i, n := range nodes {
			tl.Content = slices.Insert(tl.Content, pos[i], n)
		}
	} else {
		vs := value(root, "variants")
		if vs == nil || vs.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s: no variants mapping", sc.File)
		}
		var kept []*yaml.Node
		for i := 0; i+1 < len(vs.Content); i += 2 {
			if vs.Content[i].Value == f.Variant {
				kept = vs.Content[i : i+2]
			}
		}
		if kept == nil || kept[1].Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s: no variant %q in its source", sc.File, f.Variant)
		}
		vs.Content = kept
		add := value(kept[1], "add_timeline")
		if add == nil {
			add = &yaml.Node{Kind: yaml.SequenceNode}
			setValue(kept[1], "add_timeline", add)
		}
		if add.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s: variants.%s.add_timeline is not a list", sc.File, f.Variant)
		}
		add.Content = append(add.Content, nodes...)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	out := b.Bytes()

	// The file must run what explore ran.
	back, err := scenarios.Load(name+".yaml", out)
	if err != nil {
		return nil, fmt.Errorf("the counterexample does not load: %w", err)
	}
	want, _ := WithFaults(sc.Variants[v].Config, f.Faults)
	if len(back.Variants) != 1 || !reflect.DeepEqual(back.Variants[0].Config.Timeline, want.Timeline) {
		return nil, fmt.Errorf("the counterexample's timeline is not the one explore ran")
	}
	return out, nil
}

// stepNode is a fault's timeline step: {at: 12.8s, do: purge}.
func stepNode(a model.Action) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, LineComment: "added by bgsim explore"}
	kv := func(k, v string) {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &yaml.Node{Kind: yaml.ScalarNode, Value: v})
	}
	kv("at", a.At.String())
	kv("do", string(a.Do))
	if a.For > 0 {
		kv("for", a.For.String())
	}
	return n
}

func about(sc *scenarios.Scenario, f *Failure) string {
	var b strings.Builder
	fmt.Fprintf(&b, "bgsim explore found this schedule: %s, added to %s", faultList(f.Faults), runName(sc.Name, f.Variant))
	if len(f.Faults) == 0 {
		fmt.Fprintf(&b, " (the scenario as written; no fault added)")
	}
	switch f.Fate {
	case "expect":
		fmt.Fprintf(&b, ". An expectation fails: %s.", f.Reason)
	default:
		fmt.Fprintf(&b, ". Upload %s ends %s", f.Upload, f.Fate)
		if f.Rule != "" {
			fmt.Fprintf(&b, " (%s)", f.Rule)
		}
		fmt.Fprintf(&b, ": %s.", strings.TrimSuffix(f.Reason, "."))
	}
	fmt.Fprintf(&b, " bgsim run replays it exactly; the steps it added say \"added by bgsim explore\".")
	return wrap(b.String(), 76) + "\n"
}

// wrap breaks s into lines of at most width bytes, at spaces.
func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

func faultList(fs []Fault) string {
	if len(fs) == 0 {
		return "no fault"
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.String())
	}
	return strings.Join(parts, ", ")
}

func runName(scenario, variant string) string {
	if variant == "" {
		return scenario
	}
	return scenario + "/" + variant
}

// value returns the value of key in mapping m, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func setValue(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

func setScalar(m *yaml.Node, key, s string) {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	setValue(m, key, n)
}
