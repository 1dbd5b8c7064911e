package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/bgsim/bgsim/model"
)

//go:embed *.yaml
var embedded embed.FS

// Names returns the names of the embedded scenarios, sorted.
func Names() []string {
	entries, err := fs.ReadDir(embedded, ".")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(names)
	return names
}

// Source returns the YAML of an embedded scenario, by its name or a
// former name (see Renamed).
func Source(name string) ([]byte, bool) {
	if n, ok := Renamed(name); ok {
		name = n
	}
	if !slices.Contains(Names(), name) {
		return nil, false
	}
	data, err := embedded.ReadFile(name + ".yaml")
	return data, err == nil
}

// LoadEmbedded loads an embedded scenario by name.
func LoadEmbedded(name string) (*Scenario, error) {
	data, ok := Source(name)
	if !ok {
		return nil, notFound(name)
	}
	if n, ok := Renamed(name); ok {
		name = n
	}
	return Load(name+".yaml (embedded)", data)
}

// ErrNotFound is returned (wrapped) when an argument names neither a file
// nor an embedded scenario.
var ErrNotFound = errors.New("no such scenario")

func notFound(arg string) error {
	return fmt.Errorf("%w: %q is neither a file nor an embedded scenario%s (bgsim list shows them)",
		ErrNotFound, arg, didYouMean(arg, Names()))
}

// Resolve loads what a command-line argument names: a scenario file if one
// exists at that path, else an embedded scenario of that name.
func Resolve(arg string) (*Scenario, error) {
	if _, err := os.Stat(arg); err == nil {
		return LoadFile(arg)
	}
	if _, ok := Source(arg); ok {
		return LoadEmbedded(arg)
	}
	return nil, notFound(arg)
}

// ErrNoVariant is returned (wrapped) by Run for a variant the scenario
// does not have.
var ErrNoVariant = errors.New("no such variant")

// RunOptions choose what Run runs.
type RunOptions struct {
	// Seed, if not nil, replaces the scenario's seed.
	Seed *uint64
	// Variant, if not "", runs only that variant.
	Variant string
	// KeepTrace keeps the trace records in the results.
	KeepTrace bool
}

// Run runs the scenario's variants (or the one named) on the same seed and
// returns their results in file order.
func (sc *Scenario) Run(opts RunOptions) ([]*model.Result, error) {
	variants := sc.Variants
	if opts.Variant != "" {
		i := slices.IndexFunc(variants, func(v Variant) bool { return v.Name == opts.Variant })
		if i < 0 {
			var names []string
			for _, v := range variants {
				if v.Name != "" {
					names = append(names, v.Name)
				}
			}
			if len(names) == 0 {
				return nil, fmt.Errorf("%w: %s has no variants", ErrNoVariant, sc.Name)
			}
			return nil, fmt.Errorf("%w: %s has no variant %q%s; its variants are %s",
				ErrNoVariant, sc.Name, opts.Variant, didYouMean(opts.Variant, names), strings.Join(names, ", "))
		}
		variants = variants[i : i+1]
	}
	var out []*model.Result
	for _, v := range variants {
		cfg := v.Config
		if opts.Seed != nil {
			cfg.Seed = *opts.Seed
		}
		cfg.KeepTrace = opts.KeepTrace
		if cfg.KeepTrace {
			cfg.MaxRecords = MaxTraceRecords
		}
		r, err := model.Run(cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
