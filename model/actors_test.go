package model

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The actors talk only in messages: no file of an actor names another
// actor's type or the world's, or reaches into a value of one. The world is
// the only router. The radio is a part of the network, which owns its
// radios as values: network.go may name radio.
func TestActorsKnowNoOtherActor(t *testing.T) {
	owners := map[string]string{ // file → the actor type it defines
		"app.go": "app", "workload.go": "app", "hooks.go": "app", "daemon.go": "daemon", "switches.go": "daemon",
		"network.go": "network", "link.go": "network", "radio.go": "radio", "server.go": "server",
		"extension_app.go": "app", "extension_daemon.go": "daemon",
	}
	allowed := map[string]bool{"network.go/radio": true}
	forbidden := map[string]bool{"world": true, "app": true, "daemon": true, "network": true, "radio": true, "server": true}

	fset := token.NewFileSet()
	model := parseDir(t, fset, ".")
	sim := parseDir(t, fset, "../sim")
	src := importer.ForCompiler(fset, "gc", nil)
	simPkg, err := (&types.Config{Importer: src}).Check("github.com/bgsim/bgsim/sim", fset, sim, nil)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	imp := importerFunc(func(path string) (*types.Package, error) {
		if path == "github.com/bgsim/bgsim/sim" {
			return simPkg, nil
		}
		return src.Import(path)
	})
	pkg, err := (&types.Config{Importer: imp}).Check("github.com/bgsim/bgsim/model", fset, model, info)
	if err != nil {
		t.Fatal(err)
	}
	// actorOf returns the actor type named by typ (through pointers), or "".
	actorOf := func(typ types.Type) string {
		for {
			p, ok := typ.(*types.Pointer)
			if !ok {
				break
			}
			typ = p.Elem()
		}
		if n, ok := typ.(*types.Named); ok && n.Obj().Pkg() == pkg && forbidden[n.Obj().Name()] {
			return n.Obj().Name()
		}
		return ""
	}
	check := func(pos token.Pos, name, what string) {
		file := filepath.Base(fset.Position(pos).Filename)
		own, ok := owners[file]
		if !ok || name == "" || name == own || allowed[file+"/"+name] {
			return
		}
		t.Errorf("%s: %s %s: an actor's file refers to %s", fset.Position(pos), what, name, name)
	}
	for id, obj := range info.Uses {
		if tn, ok := obj.(*types.TypeName); ok && tn.Pkg() == pkg {
			check(id.Pos(), actorOf(tn.Type()), "the type")
		}
	}
	for sel, s := range info.Selections {
		check(sel.Pos(), actorOf(s.Recv()), "a value of type")
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// parseDir parses the package's non-test Go files in dir.
func parseDir(t *testing.T, fset *token.FileSet, dir string) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if _, err := os.Stat(name); err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}
