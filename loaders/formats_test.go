package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

func open(t testing.TB) *kg.Store {
	t.Helper()
	s, err := kg.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// loadStrings loads named contents into s.
func loadStrings(s *kg.Store, opts Options, files ...string) (*Report, error) {
	var ins []Input
	for i := 0; i+1 < len(files); i += 2 {
		ins = append(ins, Input{Name: files[i], R: strings.NewReader(files[i+1])})
	}
	return (&Loader{Store: s, Opts: opts}).Load(context.Background(), ins...)
}

func records(t testing.TB, s *kg.Store) *graph.Batch {
	t.Helper()
	b, err := s.ReadRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func link(b *graph.Batch, subj, obj string) *graph.Link {
	for i := range b.Links {
		if b.Links[i].Subject == subj && b.Links[i].Object == obj {
			return &b.Links[i]
		}
	}
	return nil
}

func entity(b *graph.Batch, id string) *graph.Entity {
	for i := range b.Entities {
		if b.Entities[i].ID == id {
			return &b.Entities[i]
		}
	}
	return nil
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestKGX(t *testing.T) {
	for _, tc := range []struct{ nodes, edges string }{
		{"testdata/nodes.tsv", "testdata/edges.tsv"},
		{"testdata/nodes.jsonl", "testdata/edges.jsonl"},
	} {
		t.Run(tc.nodes, func(t *testing.T) {
			s := open(t)
			rep, err := loadStrings(s, Options{}, tc.nodes, readFile(t, tc.nodes), tc.edges, readFile(t, tc.edges))
			if err != nil {
				t.Fatal(err)
			}
			b := records(t, s)
			l := link(b, "HGNC:11892", "CHEBI:17347")
			if l == nil || l.Effect != graph.Decreases || l.Predicate != "biolink:regulates" {
				t.Fatalf("TNF -> testosterone = %+v, want a DECREASES biolink:regulates link", l)
			}
			tnf := entity(b, "HGNC:11892")
			if tnf == nil || tnf.Kind != graph.GeneProduct || !slices.Contains(tnf.Categories, "biolink:Gene") || !slices.Contains(tnf.Synonyms, "TNF-alpha") {
				t.Errorf("TNF = %+v", tnf)
			}
			if strings.HasSuffix(tc.nodes, ".tsv") {
				// Biolink 4.x qualifiers, publications, knowledge source,
				// a ragged row, a non-causal edge ignored, a " in a name.
				// Each edge is an evidence item of its knowledge source.
				up := link(b, "GO:0006954", "HGNC:11892")
				if up == nil || up.Effect != graph.Increases || len(up.Evidence) != 1 ||
					!slices.Equal(up.Evidence[0].Publications, []string{"PMID:1", "PMID:2"}) || up.Evidence[0].Source != "infores:example" {
					t.Errorf("inflammation -> TNF = %+v", up)
				}
				if len(l.Evidence) != 1 || l.Evidence[0].Source != "edges.tsv" {
					t.Errorf("an edge naming no source: evidence %+v, want an item of the file", l.Evidence)
				}
				if src, err := s.Source(context.Background(), "infores:example"); err != nil || src.Title == "" {
					t.Errorf("the knowledge source an edge names is not a source: %v, %v", src, err)
				}
				if rep.Ignored != 1 {
					t.Errorf("ignored %d, want 1 (biolink:interacts_with)", rep.Ignored)
				}
				if e := entity(b, "CHEBI:17347"); e == nil || e.Name != `testosterone "T"` || e.Kind != graph.Molecule {
					t.Errorf("testosterone = %+v", e)
				}
			}
		})
	}
}

func TestSigned(t *testing.T) {
	tests := []struct {
		name, file, body string
		opts             Options
		want             map[[2]string]graph.Effect
	}{
		{"header with interaction", "net.csv", "source,interaction,target\nTNF,-1,\"Leydig cell\"\nIL6,inhibition,T\nLH,+,T\n",
			Options{}, map[[2]string]graph.Effect{{"TNF", "Leydig_cell"}: graph.Decreases, {"IL6", "T"}: graph.Decreases, {"LH", "T"}: graph.Increases}},
		{"SIF without header", "net.tsv", "TNF\tdown\tSTAR\nIL1B\tactivation\tSTAR\n",
			Options{}, map[[2]string]graph.Effect{{"TNF", "STAR"}: graph.Decreases, {"IL1B", "STAR"}: graph.Increases}},
		{"target first, mor", "dorothea.tsv", "target\ttf\tmor\nSTAR\tNR5A1\t1\nCYP17A1\tNR0B1\t-0.5\n",
			Options{}, map[[2]string]graph.Effect{{"NR5A1", "STAR"}: graph.Increases, {"NR0B1", "CYP17A1"}: graph.Decreases}},
		{"columns by position, no header", "x.csv", "a;b;stimulation\nc;d;inhibition\n",
			Options{Signed: SignedColumns{Source: "1", Target: "2", Sign: "3", Comma: ';'}},
			map[[2]string]graph.Effect{{"a", "b"}: graph.Increases, {"c", "d"}: graph.Decreases}},
		{"columns by name", "x.csv", "from_gene,to_gene,weight,effect_word\nA,B,0.3,up\nC,D,0.4,down\n",
			Options{Signed: SignedColumns{Source: "from_gene", Target: "to_gene", Sign: "effect_word"}},
			map[[2]string]graph.Effect{{"A", "B"}: graph.Increases, {"C", "D"}: graph.Decreases}},
		{"OmniPath flags", "omnipath.tsv", "source\ttarget\tis_directed\tis_stimulation\tis_inhibition\nA\tB\t1\t1\t0\nC\tD\t1\t0\t1\nE\tF\t1\t0\t0\n",
			Options{}, map[[2]string]graph.Effect{{"A", "B"}: graph.Increases, {"C", "D"}: graph.Decreases}},
		{"SIGNOR words", "signor.tsv", "ENTITYA\tENTITYB\tEFFECT\nTNF\tIL6\tup-regulates quantity\nIL10\tTNF\tdown-regulates activity\n",
			Options{Signed: SignedColumns{Source: "ENTITYA", Target: "ENTITYB", Sign: "EFFECT"}},
			map[[2]string]graph.Effect{{"TNF", "IL6"}: graph.Increases, {"IL10", "TNF"}: graph.Decreases}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			if _, err := loadStrings(s, tc.opts, tc.file, tc.body); err != nil {
				t.Fatal(err)
			}
			b := records(t, s)
			if len(b.Links) != len(tc.want) {
				t.Errorf("%d links, want %d", len(b.Links), len(tc.want))
			}
			for ends, eff := range tc.want {
				l := link(b, ends[0], ends[1])
				if l == nil || l.Effect != eff {
					t.Errorf("%s -> %s = %+v, want %s", ends[0], ends[1], l, eff)
				}
			}
			for _, e := range b.Entities {
				if e.Kind != graph.GeneProduct {
					t.Errorf("entity %s kind %s, want the default GENE_PRODUCT", e.ID, e.Kind)
				}
			}
		})
	}
}

// TestSignedResolvesNames links names a signed list uses to the entities a
// store already has (by id, name, synonym or xref) and creates the others
// with --kind.
func TestSignedResolvesNames(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	if _, err := s.Apply(ctx, &graph.Batch{
		Sources:  []graph.Source{{ID: "src", Title: "S"}},
		Entities: []graph.Entity{{ID: "lh", Name: "luteinizing hormone", Kind: graph.Hormone, Synonyms: []string{"LH"}}, {ID: "testosterone", Name: "testosterone", Kind: graph.Hormone, Xrefs: []string{"CHEBI:17347"}}},
	}); err != nil {
		t.Fatal(err)
	}
	rep, err := loadStrings(s, Options{Kind: graph.Molecule}, "n.csv", "source,target,sign\nLH,CHEBI:17347,1\nhCG,LH,1\n")
	if err != nil {
		t.Fatal(err)
	}
	b := records(t, s)
	if link(b, "lh", "testosterone") == nil || link(b, "hCG", "lh") == nil {
		t.Errorf("links = %+v", b.Links)
	}
	if e := entity(b, "hCG"); rep.Created != 1 || e == nil || e.Kind != graph.Molecule {
		t.Errorf("created %d, hCG = %+v; want 1, a MOLECULE", rep.Created, e)
	}
}

func TestNQuads(t *testing.T) {
	s := open(t)
	opts := Options{Predicates: map[string]PredicateMapping{"http://example.org/inhibits": {graph.Decreases, "biolink:regulates"}}}
	rep, err := loadStrings(s, opts, "rdf.nq", readFile(t, "testdata/rdf.nq"))
	if err != nil {
		t.Fatal(err)
	}
	b := records(t, s)
	if l := link(b, "http://example.org/tnf", "CHEBI:17347"); l == nil || l.Effect != graph.Decreases {
		t.Errorf("tnf -> CHEBI:17347 (an OBO IRI compacted) = %+v", l)
	}
	if l := link(b, "http://example.org/tnf", "http://example.org/il6"); l == nil || l.Effect != graph.Increases {
		t.Errorf("tnf -RO:0002213-> il6 = %+v", l)
	}
	if e := entity(b, "http://example.org/il6"); e == nil || e.Name != "interleukin 6" {
		t.Errorf("il6 = %+v, want its rdfs:label as name", e)
	}
	if rep.Ignored != 1 {
		t.Errorf("ignored %d, want 1 (an unmapped predicate)", rep.Ignored)
	}
	// With a prefix, IRIs become CURIEs.
	s2 := open(t)
	opts.Prefixes = map[string]string{"ex": "http://example.org/"}
	if _, err := loadStrings(s2, opts, "rdf.nq", readFile(t, "testdata/rdf.nq")); err != nil {
		t.Fatal(err)
	}
	if link(records(t, s2), "ex:tnf", "ex:il6") == nil {
		t.Errorf("--prefix ex= did not compact the IRIs")
	}
}

func TestGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("source,target,sign\nA,B,1\n"))
	zw.Close()
	s := open(t)
	if _, err := (&Loader{Store: s}).Load(context.Background(), Input{Name: "net.csv.gz", R: &buf}); err != nil {
		t.Fatal(err)
	}
	if len(records(t, s).Links) != 1 {
		t.Error("no link from a gzipped list")
	}
	_, err := loadStrings(open(t), Options{}, "net.csv.gz", "not gzip")
	if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "net.csv.gz:1:1: syntax error: gzip") {
		t.Errorf("err = %v", err)
	}
}

// TestBadInput checks each problem is found, and found where it is, and
// that nothing is written.
func TestBadInput(t *testing.T) {
	big := strings.Repeat("A", 1<<20)
	tests := []struct {
		name, file, body string
		want             []string
		sentinel         error
	}{
		{"malformed IRI", "x.nq", "<http://a b> <http://example.org/p> <http://o> .\n", []string{`x.nq:1:10: syntax error: invalid N-Quad: ' ' in an IRI`}, quad.ErrInvalid},
		{"bad escape", "x.nq", "\n<http://a> <http://p> \"bad \\q escape\" .\n", []string{`x.nq:2:28: syntax error: invalid N-Quad: bad escape "\\q"`}, quad.ErrInvalid},
		{"escape out of Unicode's range", "x.nq", "<http://a> <http://p> \"\\U80000000\" .\n", []string{`x.nq:1:24: syntax error: invalid N-Quad: bad escape "\\U80000000"`}, quad.ErrInvalid},
		{"relative IRI", "x.nq", "<http://a> <p> <http://o> .\n", []string{`x.nq:1:12: syntax error: invalid N-Quad: relative IRI <p>`}, quad.ErrInvalid},
		{"a number for a literal", "x.nq", "<http://a> <http://p> 1 .\n", []string{`x.nq:1:23: syntax error: invalid N-Quad: unexpected '1'`}, quad.ErrInvalid},
		{"five terms", "x.nq", "<http://a> <http://p> <http://o> <http://g> <http://x> .\n", []string{`x.nq:1:45: syntax error: invalid N-Quad`}, ErrSyntax},
		{"unterminated literal", "x.nq", "<http://a> <http://p> \"open .\n", []string{`x.nq:1:23: syntax error: incomplete N-Quad: a literal without its closing '"'`}, quad.ErrIncomplete},
		{"invalid UTF-8 in N-Quads", "x.nq", "<http://a> <http://p> \"\xff\" .\n", []string{`x.nq:1:24: syntax error: not valid UTF-8`}, ErrSyntax},
		{"mapped link to a literal", "x.nq", "<http://a> <http://purl.obolibrary.org/obo/RO_0002213> \"b\" .\n", []string{`x.nq:1:1: wrong type: a <http://purl.obolibrary.org/obo/RO_0002213> link needs IRIs`}, ErrType},
		{"unterminated quote", "x.csv", "source,target,sign\nA,B,1\n\"C,D,1\n", []string{`x.csv:3:`, `extraneous or missing " in quoted-field`}, ErrSyntax},
		{"too few columns", "x.csv", "source,target,sign\nA,B\n", []string{`x.csv:2:3: missing field: row has 2 column(s), want at least 3`}, ErrMissingField},
		{"unknown sign word", "x.tsv", "source\ttarget\tsign\nA\tB\tsideways\n", []string{`x.tsv:2:5: unknown sign "sideways"`}, ErrSign},
		{"a sign word nobody knows", "x.tsv", "source\ttarget\tweight\nA\tB\tmaybe\n", []string{`x.tsv:2:5: unknown sign "maybe"`}, ErrSign},
		{"invalid UTF-8 in a name", "x.csv", "source,target,sign\nA\xff,B,1\n", []string{`x.csv:2:1: invalid value: name is not valid UTF-8`}, ErrInvalidValue},
		{"KGX row longer than the header", "e.tsv", "subject\tpredicate\tobject\nA\tbiolink:causes\tB\textra\n", []string{`e.tsv:2:`, `row has 4 fields, the header 3`}, ErrSyntax},
		{"KGX regulates without a direction", "e.tsv", "subject\tpredicate\tobject\nA\tbiolink:regulates\tB\n", []string{`e.tsv:2:3: missing field: biolink:regulates needs an object_direction_qualifier`}, ErrMissingField},
		{"KGX unknown node", "e.tsv", "subject\tpredicate\tobject\nA\tbiolink:causes\tB\n", []string{`e.tsv:2:1: unknown entity "A"`, `e.tsv:2:18: unknown entity "B"`}, ErrUnknownEntity},
		{"KGX bad direction", "e.jsonl", `{"subject":"A","predicate":"biolink:regulates","object":"B","object_direction_qualifier":"sideways"}` + "\n", []string{`e.jsonl:1:61: invalid value: object_direction_qualifier "sideways"`}, ErrInvalidValue},
		{"KGX JSON syntax", "n.jsonl", "{\"id\":\"A\",\"category\":[\"biolink:Gene\"],\"name\":\"A\"}\n{\"id\": \n", []string{`n.jsonl:2:7: syntax error: unexpected end of JSON input`}, ErrSyntax},
		{"KGX contradicting direction", "e.jsonl", `{"subject":"A","predicate":"biolink:treats","object":"B","object_direction_qualifier":"upregulated"}` + "\n", []string{`contradicts biolink:treats`}, ErrInvalidValue},
		{"60 KB name that is no id", "x.csv", "source,target,sign\n" + big[:60<<10] + " x,B,1\nA\xff,B,1\n", []string{`x.csv:3:1: invalid value: name is not valid UTF-8`}, ErrInvalidValue},
		// Past Limits.Text (64 KiB by default), a text is refused where it stands.
		{"1 MB name", "x.csv", "source,target,sign\n" + big + " x,B,1\nA\xff,B,1\n", []string{`x.csv:2:1: too large: subject longer than 65536 bytes (--max-text)`}, ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			before := records(t, s)
			_, err := loadStrings(s, Options{}, "good.csv", "source,target,sign\nG1,G2,1\n", tc.file, tc.body)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if !errors.Is(err, tc.sentinel) {
				t.Errorf("errors.Is(err, %v) is false: %v", tc.sentinel, err)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Errorf("err is %T, want an ErrorList", err)
			}
			after := records(t, s)
			if len(after.Entities) != len(before.Entities) || len(after.Links) != len(before.Links) {
				t.Errorf("a failed load wrote %d entities, %d links", len(after.Entities)-len(before.Entities), len(after.Links)-len(before.Links))
			}
		})
	}
}

func TestSkipInvalid(t *testing.T) {
	s := open(t)
	rep, err := loadStrings(s, Options{SkipInvalid: true}, "x.csv", "source,target,sign\nA,B,1\nC,D,sideways\nE,F\nA\xff,B,1\nG,H,-1\n")
	if err != nil {
		t.Fatal(err)
	}
	b := records(t, s)
	if len(b.Links) != 2 || link(b, "A", "B") == nil || link(b, "G", "H") == nil {
		t.Errorf("links = %+v, want A->B and G->H", b.Links)
	}
	rows := map[int]bool{}
	for _, e := range rep.Skipped {
		rows[e.Line] = true
	}
	if len(rows) != 3 {
		t.Errorf("skipped rows %v, want 3, 4 and 5 (bad sign, short row, bad UTF-8): %v", rows, rep.Skipped)
	}
	for i, want := range []string{"x.csv:3:5:", "x.csv:4:", "x.csv:5:1:"} {
		if i < len(rep.Skipped) && !strings.HasPrefix(rep.Skipped[i].Error(), want) {
			t.Errorf("skipped[%d] = %v, want it at %s", i, rep.Skipped[i], want)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]string{
		"a.nq": FormatNQuads, "a.NT.gz": FormatNQuads, "a.yaml": FormatCurated, "a.tsv.gz": FormatSigned,
		"a.csv": FormatSigned, "a.jsonl.gz": FormatKGXJSON,
	} {
		if got, err := FormatOf(name); got != want || err != nil {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := FormatOf("a.xlsx"); !errors.Is(err, ErrFormat) {
		t.Errorf("FormatOf(a.xlsx) err = %v", err)
	}
}

func TestPredicateMap(t *testing.T) {
	m, err := ReadPredicateMap("map.txt", strings.NewReader("# mapping\n<http://x/act> INCREASES\nhttp://x/inh=DECREASES=biolink:regulates\nhttp://x/bad SIDEWAYS\n"))
	if err == nil || !strings.Contains(err.Error(), "map.txt:4:1:") {
		t.Errorf("err = %v, want the bad line 4", err)
	}
	if m["http://x/act"].Effect != graph.Increases || m["http://x/inh"].Effect != graph.Decreases {
		t.Errorf("map = %+v", m)
	}
}
