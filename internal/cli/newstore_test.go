package cli

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dirState lists what path holds: "absent", or its entries' names.
func dirState(t *testing.T, path string) string {
	t.Helper()
	entries, err := os.ReadDir(path)
	if os.IsNotExist(err) {
		return "absent"
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return "[" + strings.Join(names, " ") + "]"
}

// TestLoadIntoNewStore: filling a new store with the curated graph and
// the user's files is one step. A refused load leaves the path as it was
// (absent stays absent, the directories above it too, an empty directory
// stays empty, a store keeps what
// it held); an export of the curated graph loads without the fill; a
// partial export is refused with a hint naming --no-curated.
func TestLoadIntoNewStore(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	// Exports of the curated graph, from a memory store.
	if code, _, errs := run(t, "export", "--format", "kgx", "--out", at("all")); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	if code, _, errs := run(t, "export", "--format", "kgx", "--around", "LH", "--depth", "1", "--out", at("part")); code != 0 {
		t.Fatalf("export --around: %s", errs)
	}
	write := func(name, text string) string {
		if err := os.WriteFile(at(name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return at(name)
	}
	bad := write("bad.csv", "source,target,sign\nTNF,NFKB1,1\nA,B,sideways\n")
	good := write("good.csv", "source,target,sign\nTNF,NFKB1,1\n")
	if err := os.Mkdir(at("empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A store filled before, to check a refused load leaves it as it was.
	if code, _, errs := run(t, "load", "--progress", "none", "--store", "bolt:"+at("filled"), good); code != 0 {
		t.Fatalf("fill: %s", errs)
	}
	filledBefore := dirState(t, at("filled"))

	for _, tc := range []struct {
		name  string
		store string
		files []string
		code  int
		errs  []string // in stderr
		out   string   // in stdout
		after string   // dirState of the store after
	}{
		{"bad file into a new directory", "absent", []string{bad}, 1,
			[]string{`bad.csv:3:5: unknown sign "sideways"`, "nothing was written"}, "", "absent"},
		{"bad file into a new directory in a new one", filepath.Join("newparent", "store"), []string{bad}, 1,
			[]string{"bad.csv:3:5", "nothing was written"}, "", "absent"},
		{"bad file into an empty directory", "empty", []string{bad}, 1,
			[]string{"bad.csv:3:5"}, "", "[]"},
		{"bad file into a filled store", "filled", []string{bad}, 1,
			[]string{"bad.csv:3:5"}, "", filledBefore},
		{"a whole-graph export loads without the fill", "fromall", []string{at("all_nodes.tsv"), at("all_edges.tsv")}, 0,
			[]string{"hold every curated entity", "loaded " + at("all_nodes.tsv")}, "holds 85 entities and 174 links", ""},
		{"a partial export is refused with a hint", "frompart", []string{at("part_nodes.tsv"), at("part_edges.tsv")}, 1,
			[]string{"duplicate id", "nothing was written", "add --no-curated"}, "", "absent"},
		{"a good file is loaded with the curated graph", "withgood", []string{good}, 0,
			[]string{"filled the new store with the curated graph in the same step", "loaded " + good + ": 1 row(s) in 1 file(s): 1 new assertion(s)"}, "holds 87 entities and 175 links", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"load", "--progress", "none", "--store", "bolt:" + at(tc.store)}, tc.files...)
			code, out, errs := run(t, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errs)
			}
			for _, want := range tc.errs {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}
			if !strings.Contains(out, tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, out)
			}
			if tc.after != "" {
				if got := dirState(t, at(tc.store)); got != tc.after {
					t.Errorf("store path holds %s after the load, want %s", got, tc.after)
				}
			}
		})
	}
	if _, err := os.Stat(at("newparent")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused load into newparent/store left newparent behind (%v)", err)
	}
	// The refused load into the filled store left it readable, with what
	// it held: the curated graph and good.csv's link.
	code, out, errs := run(t, "trace", "--store", "bolt:"+at("filled"), "TNF", "NFKB1")
	if code != 0 || !strings.Contains(out, "chain") {
		t.Errorf("trace in the filled store after a refused load: exit %d\n%s%s", code, out, errs)
	}
}
