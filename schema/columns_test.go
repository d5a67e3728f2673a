package schema_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/schema"
)

// countingStore counts the reach searches the schema asks of a store.
type countingStore struct {
	*kg.Store
	searches int
}

func (c *countingStore) Downstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error) {
	c.searches++
	return c.Store.Downstream(ctx, q)
}

func (c *countingStore) Upstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error) {
	c.searches++
	return c.Store.Upstream(ctx, q)
}

// oldColumns is how columns were written before they wrote themselves:
// a map of columns through encoding/json, as the server encodes.
func oldColumns(t *testing.T, res *graph.ReachResult) []byte {
	n := len(res.Reached)
	id, name, kind := make([]string, n), make([]string, n), make([]string, n)
	dist, conf := make([]int, n), make([]float64, n)
	inc, dec := make([]bool, n), make([]bool, n)
	for i, r := range res.Reached {
		id[i], name[i], kind[i] = r.Entity.ID, r.Entity.Name, string(r.Entity.Kind)
		dist[i], conf[i] = r.Distance, r.Confidence
		for _, e := range r.Effects {
			inc[i] = inc[i] || e == graph.Increases
			dec[i] = dec[i] || e == graph.Decreases
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{
		"of": res.Of.ID, "upstream": res.Upstream, "truncated": res.Truncated,
		"id": id, "name": name, "kind": kind, "distance": dist,
		"increases": inc, "decreases": dec, "confidence": conf,
	}); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// TestColumnsOneSearch: columns asked for alone (directly or through
// fragments) costs one search, not a page and then everything; with
// entities beside it, two. Either way columns holds every matching
// entity, written as the map of columns was.
func TestColumnsOneSearch(t *testing.T) {
	ctx := context.Background()
	s, err := kg.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := gen.Generate(gen.Config{Edges: 2000, Seed: 3})
	b.Entities[12].Name = `a "quoted" <name> & tab	here`
	if _, err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	cs := &countingStore{Store: s}
	sc, err := schema.New(cs)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Upstream(ctx, graph.ReachQuery{Of: gen.EntityID(40), MaxDepth: 3})
	if err != nil || all.Total < 20 {
		t.Fatalf("%v: %d upstream: too few to page", err, all.Total)
	}
	want := oldColumns(t, all)
	args := `of: "` + gen.EntityID(40) + `", maxDepth: 3, first: 5`
	for _, tc := range []struct {
		name, query string
		searches    int
	}{
		{"alone", `{ upstream(` + args + `) { total columns } }`, 1},
		{"fragment", `{ upstream(` + args + `) { ...c } } fragment c on Reach { of { id } columns }`, 1},
		{"inline fragment", `{ upstream(` + args + `) { ... on Reach { columns } } }`, 1},
		{"with entities", `{ upstream(` + args + `) { entities { entity { id } } columns } }`, 2},
		{"entities in a fragment", `{ upstream(` + args + `) { columns ...e } } fragment e on Reach { entities { distance } }`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs.searches = 0
			res := graphql.Do(graphql.Params{Schema: sc, RequestString: tc.query, Context: ctx})
			if len(res.Errors) > 0 {
				t.Fatal(res.Errors)
			}
			if cs.searches != tc.searches {
				t.Errorf("%d searches, want %d", cs.searches, tc.searches)
			}
			up := res.Data.(map[string]any)["upstream"].(map[string]any)
			got, err := json.Marshal(up["columns"])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("columns\n%s\nwant (as the map of columns)\n%s", got, want)
			}
			if n, ok := up["total"]; ok && n != all.Total {
				t.Errorf("total %v, want %d", n, all.Total)
			}
			if ents, ok := up["entities"].([]any); ok && len(ents) != 5 {
				t.Errorf("%d entities, want the page of 5", len(ents))
			}
		})
	}
}
