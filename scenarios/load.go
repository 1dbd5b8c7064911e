package scenarios

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bgsim/bgsim/model"
)

// Scenario is a loaded, checked scenario: one model.Config per variant.
type Scenario struct {
	Name  string
	Title string
	About string
	// File is where it came from: a path, or "NAME.yaml (embedded)".
	File string
	// Line is the line of its name: key (1 if it has none), where
	// reports point for the scenario as a whole.
	Line int
	// Source is the YAML as written.
	Source []byte
	// Variants lists the runs the scenario makes, in file order. A
	// scenario without variants has one, named "".
	Variants []Variant

	sweep   *SweepSpec
	params  []*Param
	explore ExploreBlock
}

// Variant is one run of a scenario.
type Variant struct {
	Name   string
	About  string
	Config model.Config
	// Line is the line of the variant's key; the scenario's Line for a
	// scenario without variants.
	Line int
	// Expect is what bgsim test checks after the run; nil if nothing.
	Expect *ExpectSpec
}

// maxFileSize is the largest scenario file bgsim reads.
const maxFileSize = 1 << 20

// LoadFile reads and loads a scenario file. It reads at most
// maxFileSize+1 bytes, whatever the file claims to be: a device or a FIFO
// has no meaningful size, and a file can grow while it is read.
func LoadFile(path string) (*Scenario, error) {
	data, err := readLimited(path, maxFileSize)
	if err != nil {
		var tl *tooLargeError
		if errors.As(err, &tl) {
			return nil, Errors{{File: path, Msg: fmt.Sprintf("the file is larger than %d bytes; scenarios are at most %d bytes", tl.Max, tl.Max)}}
		}
		return nil, err
	}
	return Load(path, data)
}

// tooLargeError says that a file holds more than a limit allows.
type tooLargeError struct {
	Path string
	Max  int64
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d bytes", e.Path, e.Max)
}

// readLimited reads a whole file of at most max bytes, through a limited
// reader: a file found larger (from its stated size, or while reading it)
// is a *tooLargeError, and no more than max+1 bytes are ever read.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory", path)
		}
		if fi.Mode().IsRegular() && fi.Size() > max {
			return nil, &tooLargeError{Path: path, Max: max}
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &tooLargeError{Path: path, Max: max}
	}
	return data, nil
}

// Load parses and checks a scenario. file names it in error messages. The
// error, if any, is an Errors listing every problem found, each with its
// position.
func Load(file string, data []byte) (*Scenario, error) {
	e := &errs{file: file}
	if len(data) > maxFileSize {
		e.add(Pos{}, "the file is %d bytes; scenarios are at most %d bytes", len(data), maxFileSize)
		return nil, e.err()
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		e.add(yamlErrorPos(err), "%s", yamlErrorText(err))
		return nil, e.err()
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		e.add(Pos{}, "the file is empty; a scenario needs at least name, title and app")
		return nil, e.err()
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		e.add(posOf(root), "expected a mapping of scenario keys at the top, found %s", describe(root))
		return nil, e.err()
	}
	base, variantsNode := splitVariants(root)
	d := &decoder{errs: e}

	var f File
	d.decode(base, reflect.ValueOf(&f).Elem(), "")
	sc := &Scenario{Name: f.Name.Value, Title: f.Title.Value, About: f.About.Value, File: file, Source: data, Line: 1}
	if f.Name.Set {
		sc.Line = f.Name.Pos.Line
	}
	sc.explore = d.checkExplore(f.Explore)
	if variantsNode == nil {
		cfg := d.config(&f, "")
		d.checkExpect(f.Expect, nil)
		sc.Variants = []Variant{{Config: cfg, Expect: f.Expect, Line: sc.Line}}
		sc.sweep, sc.params = f.Sweep, d.sweepParams(f.Sweep, sc.Variants)
		return sc, e.err()
	}
	if d.full() {
		// Each variant decodes the base again and would find the same
		// problems: with the list full, they would only be counted.
		return nil, e.err()
	}
	overlays := d.variants(variantsNode)
	// The fields found wrong in the variants' about and add_timeline;
	// each variant's own decoding starts a new set.
	overlayBad := d.bad
	var names []string
	for _, v := range overlays {
		names = append(names, v.name)
	}
	for _, v := range overlays {
		merged := merge(base, v.overlay)
		var vf File
		d.bad = nil
		d.decode(merged, reflect.ValueOf(&vf).Elem(), "")
		d.addSteps(&vf, v, overlayBad)
		cfg := d.config(&vf, v.name)
		cfg.About = v.about
		d.checkExpect(vf.Expect, names)
		sc.Variants = append(sc.Variants, Variant{Name: v.name, About: v.about, Config: cfg, Expect: vf.Expect, Line: v.line})
	}
	sameEnergyWindow(sc.Variants)
	if len(sc.Variants) > 0 {
		sc.sweep, sc.params = f.Sweep, d.sweepParams(f.Sweep, sc.Variants)
	}
	return sc, e.err()
}

// sameEnergyWindow makes every variant integrate its radios over the same
// window: energy.window when the scenario sets it (a variant cannot change
// it), else the horizon, the shortest of them when variants set their own,
// since no run is known past its horizon.
func sameEnergyWindow(vs []Variant) {
	if len(vs) == 0 || vs[0].Config.EnergyWindow > 0 {
		return
	}
	w := vs[0].Config.Horizon
	for _, v := range vs {
		w = min(w, v.Config.Horizon)
	}
	for i := range vs {
		if vs[i].Config.Horizon != w {
			vs[i].Config.EnergyWindow = w
		}
	}
}

// addSteps merges a variant's added steps into f's timeline: in time
// order among themselves, each before the first base step that comes
// later. For a base in time order this is the stable sort of the two; a
// base out of order keeps its order (which Config.Check reports), and an
// added step puts no step out of order. The fields found wrong in the
// timeline's steps, the base's and the added ones, are marked bad at the
// indexes they take. Linear in the steps and the marks, after the sort.
func (d *decoder) addSteps(f *File, v variantOverlay, overlayBad map[string]bool) {
	if len(v.added) == 0 {
		return
	}
	type origin struct {
		from string // the step's path as decoded
		step Step
	}
	added := make([]origin, len(v.added))
	for j, s := range v.added {
		added[j] = origin{fmt.Sprintf("variants.%s.add_timeline[%d]", v.name, j), s}
	}
	slices.SortStableFunc(added, func(a, b origin) int { return cmp.Compare(a.step.At.Value, b.step.At.Value) })
	steps := make([]origin, 0, len(f.Timeline)+len(added))
	for k, s := range f.Timeline {
		for len(added) > 0 && added[0].step.At.Value < s.At.Value {
			steps, added = append(steps, added[0]), added[1:]
		}
		steps = append(steps, origin{fmt.Sprintf("timeline[%d]", k), s})
	}
	steps = append(steps, added...)

	// The marks under a step, by the step's path as decoded.
	under := map[string][]string{}
	bad := map[string]bool{}
	overlay := "variants." + v.name + ".add_timeline["
	for n, set := range []map[string]bool{d.bad, overlayBad} {
		for b := range set {
			prefix := ""
			switch {
			case n == 0 && strings.HasPrefix(b, "timeline["):
				prefix = "timeline["
			case n == 1 && strings.HasPrefix(b, overlay):
				prefix = overlay
			case n == 0:
				bad[b] = true // not in the timeline: where it was
				continue
			default:
				continue
			}
			end := strings.IndexByte(b[len(prefix):], ']')
			if end < 0 {
				continue
			}
			from := b[:len(prefix)+end+1]
			under[from] = append(under[from], b[len(from):])
		}
	}
	f.Timeline = f.Timeline[:0]
	for i, o := range steps {
		f.Timeline = append(f.Timeline, o.step)
		for _, rest := range under[o.from] {
			bad[fmt.Sprintf("timeline[%d]%s", i, rest)] = true
		}
	}
	d.bad = bad
}

// splitVariants returns the root without its variants key, and the
// variants node (nil if none).
func splitVariants(root *yaml.Node) (base, variants *yaml.Node) {
	base = &yaml.Node{Kind: root.Kind, Tag: root.Tag, Line: root.Line, Column: root.Column}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "variants" {
			variants = root.Content[i+1]
			continue
		}
		base.Content = append(base.Content, root.Content[i], root.Content[i+1])
	}
	return base, variants
}

type variantOverlay struct {
	name    string
	line    int
	about   string
	overlay *yaml.Node
	added   []Step
}

var nameRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// variants reads the variants mapping: each variant has an optional about,
// optional add_timeline steps, and any other keys overlay the base.
func (d *decoder) variants(n *yaml.Node) []variantOverlay {
	if n.Kind != yaml.MappingNode {
		d.add(posOf(n), "variants: expected a mapping of variant names to overrides, found %s", describe(n))
		return nil
	}
	// The count is checked before anything else is done per variant, so
	// that a file of a million variants is refused in time linear in its
	// size.
	if len(n.Content)/2 > MaxVariants {
		d.add(posOf(n), "variants: %d; a scenario has at most %d", len(n.Content)/2, MaxVariants)
		return nil
	}
	var out []variantOverlay
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		path := "variants." + name
		if !nameRe.MatchString(name) {
			d.add(posOf(k), "variants: %q is not a valid name: use lower-case words joined by hyphens", name)
		}
		if seen[name] {
			d.add(posOf(k), "variants: %q appears twice", name)
		}
		seen[name] = true
		vo := variantOverlay{name: name, line: k.Line, overlay: &yaml.Node{Kind: yaml.MappingNode, Line: v.Line, Column: v.Column}}
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
		case v.Kind != yaml.MappingNode:
			d.add(posOf(v), "%s: expected a mapping of overrides, found %s", path, describe(v))
		default:
			for j := 0; j+1 < len(v.Content); j += 2 {
				key, val := v.Content[j], v.Content[j+1]
				switch key.Value {
				case "about":
					var s Str
					d.decode(val, reflect.ValueOf(&s).Elem(), path+".about")
					vo.about = s.Value
				case "add_timeline":
					var steps []Step
					d.decode(val, reflect.ValueOf(&steps).Elem(), path+".add_timeline")
					vo.added = steps
				case "name", "title", "variants", "sweep", "energy":
					d.add(posOf(key), "%s: a variant cannot change %q", path, key.Value)
				case "explore":
					// Explore reads the scenario's block whichever
					// variant it runs: a variant's would be ignored.
					d.add(posOf(key), "%s: explore: is the scenario's, not a variant's: bgsim explore reads the top-level explore: block for every variant; move it to the top", path)
				default:
					if _, ok := fieldByKey(reflect.TypeFor[File](), key.Value); !ok {
						d.add(posOf(key), "%s: unknown key %q%s", path, key.Value,
							didYouMean(key.Value, append(keysOf(reflect.TypeFor[File]()), "about", "add_timeline")))
						continue
					}
					vo.overlay.Content = append(vo.overlay.Content, key, val)
				}
			}
		}
		out = append(out, vo)
	}
	if len(out) == 0 {
		d.add(posOf(n), "variants: none listed; remove the key or name at least one variant")
	}
	return out
}

// merge overlays over on base: mappings merge key by key, anything else in
// over replaces what base has. Nodes keep their positions, so errors in an
// override point into the variant.
func merge(base, over *yaml.Node) *yaml.Node {
	if base == nil {
		return over
	}
	if base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode {
		return over
	}
	out := *base
	out.Content = slices.Clone(base.Content)
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		found := false
		for j := 0; j+1 < len(out.Content); j += 2 {
			if out.Content[j].Value == k.Value {
				out.Content[j+1] = merge(out.Content[j+1], v)
				found = true
				break
			}
		}
		if !found {
			out.Content = append(out.Content, k, v)
		}
	}
	return &out
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlErrorPos(err error) Pos {
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Pos{Line: line} // yaml.v3 reports no column
	}
	return Pos{}
}

func yamlErrorText(err error) string {
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		return "YAML syntax: " + m[2]
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return "YAML: " + te.Error()
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "exceeded max depth") {
		return "the document nests too deeply (" + msg + "); a scenario needs only a few levels"
	}
	return "YAML syntax: " + msg
}
