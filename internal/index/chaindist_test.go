package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
)

// TestChainDistancesPruneAsTheFullSearch: the tracer finds the same chains,
// in the same order, whether it prunes by chainDistances (searching only
// where a chain can pass) or by distancesTo (every entity around the
// end), on generated graphs of several shapes, for random ends (a loop
// when they are one entity), depths, avoided entities, filters and
// orders.
func TestChainDistancesPruneAsTheFullSearch(t *testing.T) {
	shapes := []gen.Config{
		{Edges: 300, Degree: 2, Seed: 1},
		{Edges: 2_000, Degree: 4, Seed: 2},
		{Edges: 4_000, Degree: 8, Seed: 3},
		{Edges: 1_500, Degree: 1, Seed: 4},
	}
	ctx := context.Background()
	for _, cfg := range shapes {
		t.Run(fmt.Sprintf("%d-links-degree-%d", cfg.Edges, cfg.Degree), func(t *testing.T) {
			var r Records
			r.Add(gen.Generate(cfg))
			s := New(r, nil)
			rng := rand.New(rand.NewPCG(cfg.Seed, 5))
			n := len(s.entities)
			found := 0
			for range 300 {
				start, end := int32(rng.IntN(n)), int32(rng.IntN(n))
				if rng.IntN(8) == 0 {
					end = start
				}
				depth := 1 + rng.IntN(graph.MaxTraceDepth)
				avoid := make([]bool, n)
				if rng.IntN(2) == 0 {
					for range n / 20 {
						if m := int32(rng.IntN(n)); m != start && m != end {
							avoid[m] = true
						}
					}
				}
				var f graph.Filter
				if rng.IntN(3) == 0 {
					f.MinBelief = rng.Float64()
				}
				order := []graph.Order{graph.ByLength, graph.ByConfidence}[rng.IntN(2)]
				limit := 1 + rng.IntN(20)
				run := func(full bool) ([][]int32, bool) {
					w, err := s.work(ctx, 0, f)
					if err != nil {
						t.Fatal(err)
					}
					tr := s.newTracer(w, start, end, depth, slices.Clone(avoid))
					if full {
						tr.dist = s.distancesTo(w, end, depth, tr.avoid)
					}
					return tr.run(limit, order)
				}
				got, gotMore := run(false)
				want, wantMore := run(true)
				if !slices.EqualFunc(got, want, slices.Equal) || gotMore != wantMore {
					t.Fatalf("%d -> %d, depth %d, %v, filter %+v, limit %d: chainDistances gave %v (more %v), distancesTo %v (more %v)",
						start, end, depth, order, f, limit, got, gotMore, want, wantMore)
				}
				found += len(got)
			}
			if found == 0 {
				t.Fatal("no chain found at all: the comparison shows nothing")
			}
			t.Logf("%d chains compared", found)
		})
	}
}
