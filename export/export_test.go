package export

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/leydigkg/leydigkg/data"
	lg "github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./export -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./export -update to accept):\n%s", name, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + itoa(i+1) + ":\n got: " + g[i] + "\nwant: " + w[i]
		}
	}
	return "lengths differ"
}

func itoa(i int) string { return fmtInt(i) }

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func curated(t testing.TB) (*kg.Store, *lg.Batch) {
	t.Helper()
	ctx := context.Background()
	s, err := data.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	b, err := s.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s, b
}

// export writes b in format; kgx formats give the nodes and edges files.
func export(t testing.TB, format string, b *lg.Batch) map[string][]byte {
	t.Helper()
	var one, nodes, edges bytes.Buffer
	var err error
	switch format {
	case "nquads":
		err = NQuads(&one, b)
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{"graph.nq": one.Bytes()}
	case "kgx":
		err = KGX(&nodes, &edges, b)
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{"nodes.tsv": nodes.Bytes(), "edges.tsv": edges.Bytes()}
	case "kgx-jsonl":
		err = KGXJSONL(&nodes, &edges, b)
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{"nodes.jsonl": nodes.Bytes(), "edges.jsonl": edges.Bytes()}
	case "json":
		err = JSON(&one, b)
		if err != nil {
			t.Fatal(err)
		}
		return map[string][]byte{"graph.json": one.Bytes()}
	}
	t.Fatalf("format %s: %v", format, err)
	return nil
}

// TestRoundTrip exports the curated graph, loads the export into an empty
// store, exports again and wants the same bytes, and the golden ones. KGX
// carries one edge per assertion and source and no quotes, so a belief that
// rests on how many quotes a source gave, or on their hedging, is not what
// a KGX file can restore: for KGX every column but leydigkg_belief
// must come back the same.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, b := curated(t)
	beliefs, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	belief := map[string]float64{}
	for _, l := range b.Links {
		belief[l.ID] = l.Confidence
	}
	for _, format := range []string{"nquads", "kgx", "kgx-jsonl", "json"} {
		t.Run(format, func(t *testing.T) {
			first := export(t, format, b)
			empty, err := kg.OpenWith(ctx, "memory", kg.Options{Beliefs: beliefs})
			if err != nil {
				t.Fatal(err)
			}
			defer empty.Close()
			var ins []loaders.Input
			for _, name := range []string{"graph.nq", "nodes.tsv", "edges.tsv", "nodes.jsonl", "edges.jsonl", "graph.json"} {
				if data, ok := first[name]; ok {
					ins = append(ins, loaders.Input{Name: name, R: bytes.NewReader(data)})
					golden(t, "curated."+name, data)
				}
			}
			l := &loaders.Loader{Store: empty}
			rep, err := l.Load(ctx, ins...)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Created != 0 || rep.Ignored != 0 || len(rep.Skipped) != 0 {
				t.Errorf("report %v: want nothing created, ignored or skipped", rep)
			}
			b2, err := empty.Records(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(b2.Entities) != len(b.Entities) || len(b2.Links) != len(b.Links) {
				t.Errorf("reloaded %d entities, %d links; want %d, %d", len(b2.Entities), len(b2.Links), len(b.Entities), len(b.Links))
			}
			if !carriesAll(format) {
				for i := range b2.Links {
					b2.Links[i].Confidence = belief[b2.Links[i].ID]
				}
			}
			second := export(t, format, b2)
			for name, data := range first {
				if !bytes.Equal(data, second[name]) {
					t.Errorf("%s: second export differs from the first:\n%s", name, firstDiff(second[name], data))
				}
			}
		})
	}
}

// TestNQuadsLoadIntoCayley loads our N-Quads export with cayley's own
// loading path (what `cayley load` runs: the quad store's writer fed by
// quad.CopyBatch from the nquads reader) and checks that every quad is
// there.
func TestNQuadsLoadIntoCayley(t *testing.T) {
	_, b := curated(t)
	var buf bytes.Buffer
	if err := NQuads(&buf, b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(buf.String(), "\n")
	qs, err := graph.NewQuadStore("memstore", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer qs.Close()
	n, err := cayleyLoad(qs, bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if n != lines {
		t.Errorf("cayley read %d quads from %d lines", n, lines)
	}
	st, err := qs.Stats(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if int(st.Quads.Value) != lines {
		t.Errorf("cayley holds %d quads, want %d", st.Quads.Value, lines)
	}
	// And the same quads come back out: cayley's quads, written as N-Quads
	// and sorted, are the export's sorted lines.
	var back []string
	it := qs.QuadsAllIterator().Iterate()
	for it.Next(context.Background()) {
		q, err := qs.Quad(it.Result())
		if err != nil {
			t.Fatal(err)
		}
		back = append(back, layout.Absolute(q).NQuad()) // cayley writes xsd:integer short
	}
	it.Close()
	want := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	slices.Sort(back)
	slices.Sort(want)
	if !slices.Equal(back, want) {
		t.Errorf("cayley gives back other quads than it read:\n%s", firstDiff([]byte(strings.Join(back, "\n")), []byte(strings.Join(want, "\n"))))
	}
}

// cayleyLoad is cayley's `load` command (cmd/cayley/command/database.go
// and internal/load.go) without its flags: the store's own quad writer,
// fed in quad.DefaultBatch batches from the N-Quads reader.
func cayleyLoad(qs graph.QuadStore, r io.Reader) (int, error) {
	qw, err := qs.NewQuadWriter()
	if err != nil {
		return 0, err
	}
	n, err := quad.CopyBatch(qw, nquads.NewReader(r, false), quad.DefaultBatch)
	if err != nil {
		return n, err
	}
	return n, qw.Close()
}

// TestNQuadsAbsolute: every line of the N-Quads export names things by
// absolute IRIs only (no <rdf:type>, no ^^<xsd:integer>) and passes the
// strict reader (loaders' RDF 1.1 N-Quads grammar), for the curated graph
// and a generated one with every field set.
func TestNQuadsAbsolute(t *testing.T) {
	_, cur := curated(t)
	for _, tc := range []struct {
		name string
		b    *lg.Batch
	}{{"curated", cur}, {"generated", generated(t, 300)}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := NQuads(&buf, tc.b); err != nil {
				t.Fatal(err)
			}
			iri := regexp.MustCompile(`<([^>]*)>`)
			for i, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
				for _, m := range iri.FindAllStringSubmatch(line, -1) {
					if !strings.HasPrefix(m[1], "urn:leydigkg:") && !strings.HasPrefix(m[1], "http://www.w3.org/") {
						t.Fatalf("line %d: IRI <%s> is not absolute (or not ours):\n%s", i+1, m[1], line)
					}
				}
				if _, err := loaders.NewNQuadsReader("x.nq", strings.NewReader(line+"\n"), loaders.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			rr, err := loaders.NewNQuadsReader("export.nq", bytes.NewReader(buf.Bytes()), loaders.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for {
				_, err := rr.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Errorf("the strict reader refuses the export: %v", err)
				}
			}
		})
	}
}

func TestPictures(t *testing.T) {
	ctx := context.Background()
	s, _ := curated(t)
	res, err := s.Trace(ctx, lg.TraceQuery{From: "chronic inflammation", To: "testosterone", MaxDepth: 4, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Paths) == 0 {
		t.Fatal("no chains to draw")
	}
	p := TracePicture(res)
	dot, mer := p.DOTString(), p.MermaidString()
	golden(t, "trace.dot", []byte(dot))
	golden(t, "trace.mmd", []byte(mer))
	for _, want := range []string{"arrowhead=tee", "style=dashed", "net "} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %q", want)
		}
	}
	var svg bytes.Buffer
	if err := p.SVG(ctx, &svg); err != nil {
		t.Fatal(err)
	}
	out := svg.String()
	if !strings.Contains(out, "<svg") || !strings.Contains(out, res.To.Name) || !strings.Contains(out, decreaseColor) {
		t.Errorf("SVG lacks <svg, the end's name or the DECREASES colour:\n%.500s", out)
	}
}

// TestJSONEmptyLists: a list a record always has is [] in JSON whether it
// is empty or nil, as a store that read the records back gives it (a bolt
// store has no quad for an empty list): the export of the store a JSON
// export was loaded into is then the same bytes.
func TestJSONEmptyLists(t *testing.T) {
	batch := func(empty []string) *lg.Batch {
		return &lg.Batch{
			Sources:    []lg.Source{{ID: "s", Title: "s"}},
			References: []lg.Reference{{ID: "r", Citation: "c", Authors: empty}},
			Entities:   []lg.Entity{{ID: "a", Name: "a", Kind: lg.Process, Synonyms: empty, Xrefs: empty}, {ID: "b", Name: "b", Kind: lg.Process}},
			Links: []lg.Link{{ID: "l", Subject: "a", Object: "b", Effect: lg.Increases, Predicate: "biolink:regulates",
				Evidence: []lg.Evidence{{Source: "s", Quote: "q", References: empty}}}},
		}
	}
	var nilLists, emptyLists bytes.Buffer
	b := batch(nil)
	if err := JSON(&nilLists, b); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&emptyLists, batch([]string{})); err != nil {
		t.Fatal(err)
	}
	if nilLists.String() != emptyLists.String() || strings.Contains(nilLists.String(), "null") {
		t.Errorf("nil lists:\n%s\nempty lists:\n%s", nilLists.String(), emptyLists.String())
	}
	if b.Links[0].Evidence[0].References != nil {
		t.Error("JSON changed the caller's batch")
	}
}
