package schema_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/schema"
)

// BenchmarkBulkDownstream compares the typed GraphQL list with the bulk
// columns field on a large answer: everything within 4 links of an early
// entity of a generated 10^5-link graph (about 14,000 entities). The typed
// list is capped at 500 items a page, so both report the cost per entity:
// executor plus JSON encoding, as a server pays it.
func BenchmarkBulkDownstream(b *testing.B) {
	ctx := context.Background()
	s, err := kg.Open(ctx, "memory")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Apply(ctx, gen.Generate(gen.Config{Edges: 100_000, Seed: 1})); err != nil {
		b.Fatal(err)
	}
	sc, err := schema.New(s)
	if err != nil {
		b.Fatal(err)
	}
	of := gen.EntityID(10)
	for _, tc := range []struct {
		name, query string
		entities    func(*graphql.Result) int
	}{
		{"typed-500", `{ downstream(of: "` + of + `", maxDepth: 4, first: 500) { entities { entity { id name kind } distance effects confidence } } }`,
			func(r *graphql.Result) int {
				return len(r.Data.(map[string]any)["downstream"].(map[string]any)["entities"].([]any))
			}},
		{"columns-all", `{ downstream(of: "` + of + `", maxDepth: 4, first: 1) { columns } }`,
			func(r *graphql.Result) int {
				return len(r.Data.(map[string]any)["downstream"].(map[string]any)["columns"].(schema.ReachColumns).Res.Reached)
			}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				res := graphql.Do(graphql.Params{Schema: sc, RequestString: tc.query, Context: ctx})
				if len(res.Errors) > 0 {
					b.Fatal(res.Errors)
				}
				if _, err := json.Marshal(res); err != nil {
					b.Fatal(err)
				}
				n = tc.entities(res)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entity")
			b.ReportMetric(float64(n), "entities")
		})
	}
}
