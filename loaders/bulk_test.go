package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad/nquads"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/kg"
)

// ownNQuads writes b in the store's layout, one quad a line, as
// `leydigkg export --format nquads` does.
func ownNQuads(t *testing.T, b *graph.Batch) string {
	t.Helper()
	var buf bytes.Buffer
	w := nquads.NewWriter(&buf)
	if _, err := w.WriteQuads(layout.QuadsOf(b)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// lineOf is the 1-based line of s that holds sub.
func lineOf(t *testing.T, s, sub string) int {
	t.Helper()
	i := strings.Index(s, sub)
	if i < 0 {
		t.Fatalf("%q not in the file", sub)
	}
	return strings.Count(s[:i], "\n") + 1
}

// TestBulkLoad loads N-Quads in the store's own layout into memory and
// bolt stores: into an empty store it is written by a bulk load (while
// the file is read), in every other case by Apply, and the store ends up
// the same either way; a bad file writes nothing and leaves no files.
func TestBulkLoad(t *testing.T) {
	ctx := context.Background()
	g := gen.Generate(gen.Config{Edges: 400, Seed: 7})
	file := ownNQuads(t, g)
	half := strings.Index(file[len(file)/2:], "\n") + len(file)/2 + 1

	want := open(t)
	if _, err := want.Apply(ctx, g); err != nil {
		t.Fatal(err)
	}
	wantRecs := records(t, want)

	// The file without the quads of a link's object (but with the links
	// from it), and the link's first line in it.
	victim := g.Links[0]
	var lines []string
	for _, l := range strings.SplitAfter(file, "\n") {
		if !strings.HasPrefix(l, "<urn:leydigkg:entity:"+victim.Object+"> ") || strings.Contains(l, "<urn:leydigkg:link:") {
			lines = append(lines, l)
		}
	}
	orphan := strings.Join(lines, "")
	linkLine := lineOf(t, orphan, "<urn:leydigkg:link:"+victim.ID+">")
	cut := strings.LastIndex(orphan[:strings.Index(orphan, "<urn:leydigkg:link:")], "\n") + 1 // the links in a second file

	tests := []struct {
		name       string
		before     []string // files loaded first
		files      []string // name, contents, ...
		opts       Options
		bulk       bool
		wantErr    []string // each in the error; nothing written
		extraIDs   []string // links beside the generated graph
		nothingNew bool     // the store holds it all already
	}{
		{name: "own layout into an empty store", files: []string{"g.nq", file}, bulk: true},
		{name: "own layout in two files", files: []string{"a.nq", file[:half], "b.nq", file[half:]}, bulk: true},
		{name: "gzipped", files: []string{"g.nq.gz", gz(t, file)}, bulk: true},
		{name: "into a store that holds records", before: []string{"s.csv", "source,target,sign\nX1,X2,1\n"},
			files: []string{"g.nq", file}, bulk: true, extraIDs: []string{"X1_increases_X2"}},
		{name: "into a store that holds it already", before: []string{"g.nq", file}, files: []string{"g.nq", file}, nothingNew: true},
		{name: "with a mapped link of another vocabulary",
			files:    []string{"g.nq", file + "<http://ex.org/a> <http://purl.obolibrary.org/obo/RO_0002213> <http://ex.org/b> .\n"},
			bulk:     true,
			extraIDs: []string{"http://ex.org/a_increases_http://ex.org/b"}},
		{name: "with a signed list beside it", files: []string{"g.nq", file, "s.csv", "source,target,sign\nX1,X2,1\n"},
			bulk: true, extraIDs: []string{"X1_increases_X2"}},
		{name: "with a repeated quad", files: []string{"g.nq", file + strings.SplitAfter(file, "\n")[5]}},
		{name: "with a syntax error", files: []string{"g.nq", file[:half] + "<urn:leydigkg:entity:x> <urn:leydigkg:name> \"open .\n" + file[half:]},
			wantErr: []string{fmt.Sprintf("g.nq:%d:45: syntax error: incomplete N-Quad: a literal without its closing", strings.Count(file[:half], "\n")+1)}},
		{name: "with a link to an entity it lacks", files: []string{"g.nq", orphan},
			wantErr: []string{fmt.Sprintf("g.nq:%d:1: ", linkLine), "unknown entity"}},
		{name: "with a link to an entity it lacks, in the second file", files: []string{"a.nq", orphan[:cut], "b.nq", orphan[cut:]},
			wantErr: []string{fmt.Sprintf("b.nq:%d:1: ", linkLine-strings.Count(orphan[:cut], "\n")), "unknown entity"}},
	}
	for _, backend := range []string{"memory", "bolt"} {
		for _, tc := range tests {
			t.Run(backend+"/"+tc.name, func(t *testing.T) {
				spec, dir := "memory", ""
				if backend == "bolt" {
					dir = filepath.Join(t.TempDir(), "db")
					spec = "bolt:" + dir
				}
				s, err := kg.Open(ctx, spec)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if tc.before != nil {
					if _, err := loadStrings(s, Options{}, tc.before...); err != nil {
						t.Fatal(err)
					}
				}
				before := records(t, s)
				rep, err := loadStrings(s, tc.opts, tc.files...)
				if left, _ := filepath.Glob(filepath.Join(dir, ".bulk-*")); dir != "" && len(left) > 0 {
					t.Errorf("left behind: %q", left)
				}
				if tc.wantErr != nil {
					if err == nil {
						t.Fatal("no error")
					}
					for _, w := range tc.wantErr {
						if !strings.Contains(err.Error(), w) {
							t.Errorf("error lacks %q:\n%.500v", w, err)
						}
					}
					if after := records(t, s); !reflect.DeepEqual(after, before) {
						t.Errorf("a failed load changed the store: %d links, was %d", len(after.Links), len(before.Links))
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if want := tc.bulk && backend == "bolt"; rep.Bulk != want { // a memory store keeps no quads: no bulk load
					t.Errorf("Report.Bulk = %v, want %v", rep.Bulk, want)
				}
				if tc.nothingNew && (rep.Applied.Links != 0 || rep.Applied.Quads != 0 || rep.Applied.Unchanged == 0) {
					t.Errorf("loading what is stored wrote %+v", rep.Applied)
				}
				got := records(t, s)
				var extra []graph.Link
				for _, l := range got.Links {
					if link(wantRecs, l.Subject, l.Object) == nil {
						extra = append(extra, l)
					}
				}
				if len(extra) != len(tc.extraIDs) {
					t.Fatalf("links beside the generated graph: %+v, want %q", extra, tc.extraIDs)
				}
				for i, id := range tc.extraIDs {
					if extra[i].ID != id {
						t.Errorf("extra link %d = %q, want %q", i, extra[i].ID, id)
					}
				}
				if len(got.Links) != len(wantRecs.Links)+len(tc.extraIDs) {
					t.Fatalf("%d links, want %d", len(got.Links), len(wantRecs.Links)+len(tc.extraIDs))
				}
				for _, wl := range wantRecs.Links {
					if gl := link(got, wl.Subject, wl.Object); gl == nil || !reflect.DeepEqual(*gl, wl) {
						t.Fatalf("link %s = %+v, want %+v", wl.ID, gl, wl)
					}
				}
				for _, we := range wantRecs.Entities {
					if ge := entity(got, we.ID); ge == nil || !reflect.DeepEqual(*ge, we) {
						t.Fatalf("entity %s = %+v, want %+v", we.ID, ge, we)
					}
				}
				if dir == "" {
					return
				}
				// What a bolt bulk load wrote survives a reopen.
				s.Close()
				s2, err := kg.Open(ctx, spec)
				if err != nil {
					t.Fatal(err)
				}
				defer s2.Close()
				if again := records(t, s2); !reflect.DeepEqual(again, got) {
					t.Errorf("reopened bolt store differs: %d links, want %d", len(again.Links), len(got.Links))
				}
			})
		}
	}
}

// TestBulkSkipInvalid: with --skip-invalid a bad line among own-layout
// quads is reported, and the rest loads whole.
func TestBulkSkipInvalid(t *testing.T) {
	g := gen.Generate(gen.Config{Edges: 50, Seed: 3})
	file := ownNQuads(t, g)
	lines := strings.SplitAfter(file, "\n")
	bad := append(append(append([]string{}, lines[:10]...), "<urn:leydigkg:entity:x> <p> .\n"), lines[10:]...)
	s := open(t)
	rep, err := loadStrings(s, Options{SkipInvalid: true}, "g.nq", strings.Join(bad, ""))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 1 || !strings.HasPrefix(rep.Skipped[0].Error(), "g.nq:11:") {
		t.Errorf("skipped = %v, want line 11", rep.Skipped)
	}
	if got := records(t, s); len(got.Links) != len(g.Links) || len(got.Entities) != len(g.Entities) {
		t.Errorf("loaded %d links, %d entities; want %d, %d", len(got.Links), len(got.Entities), len(g.Links), len(g.Entities))
	}
}

func gz(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestLoadOldExports: an N-Quads export written by an older layout loads
// as it is, into the same records as this layout's export of the same
// graph: layout 2's (each link a node of class Link;
// testdata/layout2-export.nq is the curated graph as leydigkg exported it
// then, before issue 15 changed it) and layout 3's (each evidence node
// with its class and position; testdata/layout3-export.nq.gz, exported at
// 4f472a7).
func TestLoadOldExports(t *testing.T) {
	for _, tc := range []struct {
		file, mark string // mark: a quad only that layout wrote
		links      int    // the curated graph's links then
	}{
		{"testdata/layout2-export.nq", "<urn:leydigkg:Link>", 171},
		{"testdata/layout3-export.nq.gz", "<urn:leydigkg:position>", 174},
	} {
		t.Run(tc.file, func(t *testing.T) {
			old, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tc.file, ".gz") {
				zr, err := gzip.NewReader(bytes.NewReader(old))
				if err != nil {
					t.Fatal(err)
				}
				if old, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if !strings.Contains(string(old), tc.mark) {
				t.Fatalf("the file has no %s", tc.mark)
			}
			var got [2]*graph.Batch
			s := open(t)
			if _, err := loadStrings(s, Options{}, "g.nq", string(old)); err != nil {
				t.Fatal(err)
			}
			got[0] = records(t, s)
			now := ownNQuads(t, got[0])
			if strings.Contains(now, tc.mark) {
				t.Fatalf("this layout's export has %s", tc.mark)
			}
			s = open(t)
			if _, err := loadStrings(s, Options{}, "g.nq", now); err != nil {
				t.Fatal(err)
			}
			got[1] = records(t, s)
			if len(got[0].Links) != tc.links || len(got[0].Entities) != 85 || !reflect.DeepEqual(got[0], got[1]) {
				t.Errorf("the old export loads %d entities and %d links (the curated graph had 85 and %d), this layout's %d links, or they differ",
					len(got[0].Entities), len(got[0].Links), tc.links, len(got[1].Links))
			}
		})
	}
}
