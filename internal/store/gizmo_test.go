package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// TestGizmoWalksLinks: a store stays a graph cayley's own query languages
// walk. A Gizmo query from an entity's node along the edge predicates
// reaches the entities it affects, each with the sign of its link.
func TestGizmoWalksLinks(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "bolt:"+filepath.Join(t.TempDir(), "kg"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ev := []graph.Evidence{{Source: "net.csv", At: "net.csv:2"}}
	b := &graph.Batch{
		Sources:  []graph.Source{{ID: "net.csv", Title: "net.csv"}},
		Entities: []graph.Entity{{ID: "TNF", Name: "TNF", Kind: graph.GeneProduct}, {ID: "NFKB1", Name: "NFKB1", Kind: graph.GeneProduct}, {ID: "IL6", Name: "IL6", Kind: graph.GeneProduct}},
		Links: []graph.Link{
			{ID: "a", Subject: "TNF", Object: "NFKB1", Effect: graph.Increases, Predicate: "biolink:regulates", Evidence: ev},
			{ID: "b", Subject: "TNF", Object: "IL6", Effect: graph.Decreases, Predicate: "biolink:regulates", Evidence: ev},
			{ID: "c", Subject: "NFKB1", Object: "IL6", Effect: graph.Increases, Predicate: "biolink:regulates", Evidence: ev},
			// denied by its source: no causal edge
			{ID: "d", Subject: "IL6", Object: "TNF", Effect: graph.Increases, Predicate: "biolink:regulates",
				Evidence: []graph.Evidence{{Source: "net.csv", At: "net.csv:5", Negated: true}}},
		},
	}
	if _, err := db.Write(ctx, layout.QuadsOf(b), nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{`g.V("<urn:leydigkg:entity:TNF>").Out("<urn:leydigkg:increases>").All()`, []string{"<urn:leydigkg:entity:NFKB1>"}},
		{`g.V("<urn:leydigkg:entity:TNF>").Out("<urn:leydigkg:decreases>").All()`, []string{"<urn:leydigkg:entity:IL6>"}},
		{`g.V("<urn:leydigkg:entity:TNF>").Out(["<urn:leydigkg:increases>", "<urn:leydigkg:decreases>"]).Out("<urn:leydigkg:increases>").All()`, []string{"<urn:leydigkg:entity:IL6>"}},
		{`g.V("<urn:leydigkg:entity:IL6>").In(["<urn:leydigkg:increases>", "<urn:leydigkg:decreases>"]).All()`, []string{"<urn:leydigkg:entity:NFKB1>", "<urn:leydigkg:entity:TNF>"}},
		{`g.V("<urn:leydigkg:entity:IL6>").Out(["<urn:leydigkg:increases>", "<urn:leydigkg:decreases>"]).All()`, nil},
		{`g.V("<urn:leydigkg:entity:IL6>").Out("<urn:leydigkg:deniedIncreases>").All()`, []string{"<urn:leydigkg:entity:TNF>"}},
	} {
		if got := gizmoValues(t, db.qs, tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.query, got, tc.want)
		}
	}
	w, err := db.Walker(nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := w.FollowRecursive(ctx, "TNF", 2)
	if err != nil || n != 2 {
		t.Errorf("FollowRecursive from TNF = %d, %v; want 2", n, err)
	}
}

// gizmoValues runs a Gizmo query on qs and returns the values it reaches,
// sorted.
func gizmoValues(t *testing.T, qs cgraph.QuadStore, src string) []string {
	t.Helper()
	ctx := context.Background()
	it, err := query.Execute(ctx, qs, "gizmo", src, query.Options{Collation: query.Raw})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var got []string
	for it.Next(ctx) {
		v, err := qs.NameOf(it.Result().(*gizmo.Result).Tags["id"])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, quad.StringOf(v))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}
