package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/leydigkg/leydigkg"

// pkg is what go list says of a package.
type pkg struct {
	ImportPath string
	Imports    []string // direct, non-test
	Deps       []string // transitive, non-test
}

func list(t *testing.T) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")] = p
	}
	return pkgs
}

// storage is what only internal/store may import: cayley's store, bbolt and
// its KV adapter, and the SQL drivers.
func storage(path string) bool {
	for _, p := range []string{"github.com/cayleygraph/cayley", "go.etcd.io/bbolt", "github.com/hidal-go/hidalgo",
		"github.com/lib/pq", "github.com/jackc/pgx", "database/sql"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// stdlib says whether path is a package of Go's standard library (its
// first element has no dot).
func stdlib(path string) bool { return !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") }

func ours(path string) bool { return path == module || strings.HasPrefix(path, module+"/") }

func TestImportRules(t *testing.T) {
	pkgs := list(t)
	for _, name := range []string{"graph", "kg", "internal/index", "internal/layout", "internal/par", "internal/store", "loaders", "export", "schema", "internal/mcpserver"} {
		if _, ok := pkgs[name]; !ok {
			t.Fatalf("go list knows no package %q", name)
		}
	}
	rules := []struct {
		name string
		ok   func(p pkg) []string // what breaks the rule
	}{
		{"only internal/store imports cayley's store, bbolt or SQL", func(p pkg) []string {
			if p.ImportPath == module+"/internal/store" || p.ImportPath == module+"/internal/pgtest" { // pgtest: a real PostgreSQL for tests
				return nil
			}
			if p.ImportPath == module+"/scripts/memory/cayleyrss" { // a measuring tool: cayley's memstore on its own, to compare with
				return nil
			}
			return filter(p.Imports, storage)
		}},
	}
	deps := []struct {
		pkg  string
		bad  func(string) bool
		rule string
	}{
		{"graph", func(d string) bool {
			return ours(d) && d != module+"/graph" || storage(d) || strings.HasPrefix(d, "github.com/cayleygraph/")
		},
			"the domain imports nothing of this module and no storage"},
		{"internal/index", func(d string) bool {
			return storage(d) || strings.HasPrefix(d, "github.com/cayleygraph/") || ours(d) && d != module+"/graph" && d != module+"/internal/par"
		}, "the index imports the domain (and internal/par) only, and no storage or cayley"},
		{"internal/par", func(d string) bool { return ours(d) && d != module+"/internal/par" || !stdlib(d) },
			"par imports only the standard library"},
		{"internal/layout", func(d string) bool { return storage(d) }, "the layout imports no storage"},
		{"export", func(d string) bool { return d == module+"/loaders" }, "export imports no loaders"},
		{"schema", func(d string) bool { return d == module+"/loaders" }, "schema imports no loaders"},
		{"kg", func(d string) bool {
			return slices.Contains([]string{"loaders", "export", "schema", "server", "internal/cli", "internal/mcpserver", "data"}, strings.TrimPrefix(d, module+"/")) && ours(d)
		}, "kg wires graph, index, layout and store only"},
		{"internal/mcpserver", func(d string) bool {
			return storage(d) || strings.HasPrefix(d, "github.com/cayleygraph/") || ours(d) && d != module+"/graph"
		}, "the MCP server asks the domain through its Store interface: it imports graph only, and no storage, kg, schema, server or cli"},
	}
	for _, r := range rules {
		for name, p := range pkgs {
			if bad := r.ok(p); len(bad) > 0 {
				t.Errorf("%s: %s imports %q", r.name, name, bad)
			}
		}
	}
	for _, d := range deps {
		if bad := filter(pkgs[d.pkg].Deps, d.bad); len(bad) > 0 {
			t.Errorf("%s: %s depends on %q", d.rule, d.pkg, bad)
		}
	}
}

func filter(xs []string, keep func(string) bool) []string {
	var out []string
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}
