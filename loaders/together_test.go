package loaders_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/export"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/loaders"
)

// TestManySourcesOneStore is issue 13's whole case: the curated graph, a
// signed network with autoregulation and repeated rows, and a KGX pair
// whose genes share names across species, loaded into one bolt store with
// no --skip-invalid. The report accounts for every row, names stay apart,
// and the N-Quads export loads into an empty store to give the same bytes.
func TestManySourcesOneStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := data.Open(ctx, "bolt:"+filepath.Join(dir, "kg"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// A generated signed network: 2,000 rows, 20 of them autoregulation,
	// 30 of them repeats of earlier ones.
	var csv strings.Builder
	csv.WriteString("source,target,sign\n")
	rows := 0
	row := func(s, o string, e graph.Effect) {
		sign := "1"
		if e == graph.Decreases {
			sign = "-1"
		}
		fmt.Fprintf(&csv, "%s,%s,%s\n", s, o, sign)
		rows++
	}
	links := gen.Generate(gen.Config{Edges: 1950, Seed: 7}).Links
	for _, l := range links {
		row(l.Subject, l.Object, l.Effect)
	}
	for i := range 20 {
		row(gen.EntityID(i), gen.EntityID(i), graph.Increases)
	}
	for _, l := range links[:30] {
		row(l.Subject, l.Object, l.Effect)
	}
	nodes := "id\tcategory\tname\n" +
		"NCBIGene:6469\tbiolink:Gene\tSHH\n" +
		"MGI:98297\tbiolink:Gene\tShh\n" +
		"NCBIGene:7157\tbiolink:Gene\tTP53\n"
	edges := "id\tsubject\tpredicate\tobject\tqualified_predicate\tobject_direction_qualifier\tprimary_knowledge_source\tknowledge_level\tagent_type\n" +
		"e1\tNCBIGene:7157\tbiolink:regulates\tNCBIGene:6469\tbiolink:causes\tdecreased\tinfores:signor\tknowledge_assertion\tmanual_agent\n" +
		"e2\tNCBIGene:7157\tbiolink:regulates\tMGI:98297\tbiolink:causes\tdecreased\tinfores:signor\tknowledge_assertion\tmanual_agent\n"
	files := []loaders.Input{
		{Name: "net.csv", R: strings.NewReader(csv.String())},
		{Name: "g_nodes.tsv", R: strings.NewReader(nodes)},
		{Name: "g_edges.tsv", R: strings.NewReader(edges)},
	}
	rep, err := (&loaders.Loader{Store: s}).Load(ctx, files...)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if want := rows + 3 + 2; rep.Rows != want || rep.Unaccounted() != 0 {
		t.Errorf("report: %d rows, %d unaccounted; want %d rows, every one accounted: %v", rep.Rows, rep.Unaccounted(), want, rep)
	}
	if rep.Repeated != 30 {
		t.Errorf("%d repeated rows, want 30: %v", rep.Repeated, rep)
	}
	if rep.SkippedRows != 0 || rep.Ignored != 0 {
		t.Errorf("rows skipped or ignored: %v", rep)
	}
	for _, id := range []string{"NCBIGene:6469", "MGI:98297"} {
		if _, err := s.Entity(ctx, id); err != nil {
			t.Errorf("%s not stored apart: %v", id, err)
		}
	}
	if _, err := s.Resolve(ctx, "shh"); err == nil {
		t.Error(`"shh" names two genes, yet resolves to one`)
	}
	loops, err := s.Loops(ctx, graph.LoopQuery{Through: gen.EntityID(3), MaxLength: 1})
	if err != nil || len(loops.Loops) != 1 {
		t.Errorf("the autoregulation of %s is not a loop of length 1: %v, %v", gen.EntityID(3), loops, err)
	}

	// The export round-trips byte for byte.
	nq := func(s *kg.Store) []byte {
		b, err := s.ReadRecords(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := export.NQuads(&out, b); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	first := nq(s)
	beliefs, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	empty, err := kg.OpenWith(ctx, "bolt:"+filepath.Join(dir, "again"), kg.Options{Beliefs: beliefs})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if _, err := (&loaders.Loader{Store: empty}).Load(ctx, loaders.Input{Name: "kg.nq", R: bytes.NewReader(first)}); err != nil {
		t.Fatalf("loading the export: %v", err)
	}
	if second := nq(empty); !bytes.Equal(first, second) {
		t.Errorf("the export of the reloaded store differs (%d bytes, want %d)", len(second), len(first))
	}
}

// An export written by an older leydigkg (layout 1: evidence without
// knowledge levels, links with stored confidences) loads as what it means:
// the same graph, its quotes stated by hand, scored as the curated graph
// is.
func TestLoadLayout1Export(t *testing.T) {
	ctx := context.Background()
	beliefs, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	s, err := kg.OpenWith(ctx, "memory", kg.Options{Beliefs: beliefs})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ins, done, err := loaders.OpenFiles("../kg/testdata/layout1.nq")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if _, err := (&loaders.Loader{Store: s}).Load(ctx, ins...); err != nil {
		t.Fatal(err)
	}
	cur, err := data.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	// Links whose evidence the curation of issue 15 left as layout 1 has it.
	for _, id := range []string{"lh_increases_testosterone", "ros_causes_oxidative_stress"} {
		old, err1 := s.Link(ctx, id)
		now, err2 := cur.Link(ctx, id)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if old.Confidence != now.Confidence || old.Evidence[0].KnowledgeLevel != graph.KnowledgeAssertion {
			t.Errorf("%s from a layout-1 export: belief %v, level %q; the curated graph's: %v", id, old.Confidence, old.Evidence[0].KnowledgeLevel, now.Confidence)
		}
	}
}
