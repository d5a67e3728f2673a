package kg_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
)

// chainKey names a chain by its links.
func chainKey(p graph.Path) string {
	ids := make([]string, len(p.Links))
	for i, l := range p.Links {
		ids[i] = l.ID
	}
	return strings.Join(ids, ",")
}

// TestPathsMatchesTraces checks set-to-set paths against the traces of
// every pair: the same chains (those whose interior holds no source or
// target), ranked the same way over all pairs.
func TestPathsMatchesTraces(t *testing.T) {
	ctx := context.Background()
	s := kg.IndexedStore(gen.Generate(gen.Config{Edges: 600, Seed: 7}))
	for _, tc := range []struct {
		name     string
		from, to []string
		depth    int
		order    graph.Order
		effect   graph.Effect
	}{
		{"hub to few", []string{"n0", "n5"}, []string{"n3", "n9", "n12"}, 3, graph.ByLength, ""},
		{"by confidence", []string{"n1", "n2", "n7"}, []string{"n0", "n4"}, 3, graph.ByConfidence, ""},
		{"net effect", []string{"n0", "n8"}, []string{"n6", "n11"}, 3, graph.ByLength, graph.Decreases},
		{"one to one", []string{"n2"}, []string{"n10"}, 4, graph.ByLength, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ends := map[string]bool{}
			for _, id := range append(slices.Clone(tc.from), tc.to...) {
				ends[id] = true
			}
			type want struct {
				key  string
				n    int
				conf float64
			}
			var all []want
			for _, f := range tc.from {
				for _, to := range tc.to {
					tr, err := s.Trace(ctx, graph.TraceQuery{From: f, To: to, MaxDepth: tc.depth, Limit: graph.MaxTraceLimit, OrderBy: tc.order, NetEffect: tc.effect})
					if err != nil {
						t.Fatal(err)
					}
					if tr.Truncated {
						t.Skipf("trace %s -> %s truncated; the oracle needs every chain", f, to)
					}
				next:
					for _, p := range tr.Paths {
						for _, e := range p.Entities[1 : len(p.Entities)-1] {
							if ends[e.ID] {
								continue next
							}
						}
						all = append(all, want{chainKey(p), p.Len(), p.Confidence})
					}
				}
			}
			if len(all) == 0 {
				t.Fatal("no chains: pick other ends")
			}
			limit := min(len(all), 7)
			res, err := s.Paths(ctx, graph.PathsQuery{From: tc.from, To: tc.to, MaxDepth: tc.depth, Limit: limit, OrderBy: tc.order, NetEffect: tc.effect})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Paths) != limit {
				t.Fatalf("got %d chains, want %d", len(res.Paths), limit)
			}
			if res.Truncated != (len(all) > limit) {
				t.Errorf("truncated = %v with %d chains and limit %d", res.Truncated, len(all), limit)
			}
			in := map[string]want{}
			for _, w := range all {
				in[w.key] = w
			}
			for i, p := range res.Paths {
				w, ok := in[chainKey(p)]
				if !ok {
					t.Fatalf("chain %d (%s) is not among the pairs' traces", i, chainKey(p))
				}
				if i == 0 {
					continue
				}
				prev := res.Paths[i-1]
				var ordered bool
				if tc.order == graph.ByConfidence {
					ordered = prev.Confidence > p.Confidence || prev.Confidence == p.Confidence && prev.Len() <= p.Len()
				} else {
					ordered = prev.Len() < p.Len() || prev.Len() == p.Len() && prev.Confidence >= p.Confidence
				}
				if !ordered {
					t.Errorf("chain %d (len %d, conf %v) ranks after chain %d (len %d, conf %v)", i, p.Len(), p.Confidence, i-1, prev.Len(), prev.Confidence)
				}
				_ = w
			}
			// The last chain returned is at least as good as every chain left out.
			last := res.Paths[len(res.Paths)-1]
			got := map[string]bool{}
			for _, p := range res.Paths {
				got[chainKey(p)] = true
			}
			for _, w := range all {
				if got[w.key] {
					continue
				}
				var better bool
				if tc.order == graph.ByConfidence {
					better = w.conf > last.Confidence || w.conf == last.Confidence && w.n < last.Len()
				} else {
					better = w.n < last.Len() || w.n == last.Len() && w.conf > last.Confidence
				}
				if better {
					t.Errorf("chain %s (len %d, conf %v) was left out, better than the last returned", w.key, w.n, w.conf)
				}
			}
		})
	}
}

func TestPathsBadArguments(t *testing.T) {
	ctx := context.Background()
	s := kg.IndexedStore(gen.Generate(gen.Config{Edges: 200, Seed: 7}))
	many := make([]string, graph.MaxPathEnds+1)
	for i := range many {
		many[i] = gen.EntityID(i)
	}
	for _, tc := range []struct {
		name string
		q    graph.PathsQuery
		want error
	}{
		{"overlap", graph.PathsQuery{From: []string{"n1", "n2"}, To: []string{"n2"}}, graph.ErrBadArgument},
		{"empty from", graph.PathsQuery{To: []string{"n2"}}, graph.ErrBadArgument},
		{"too many", graph.PathsQuery{From: many, To: []string{"n2"}}, graph.ErrBadArgument},
		{"unknown", graph.PathsQuery{From: []string{"n1"}, To: []string{"nope"}}, graph.ErrNotFound},
		{"avoid an end", graph.PathsQuery{From: []string{"n1"}, To: []string{"n2"}, Avoid: []string{"n2"}}, graph.ErrBadArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Paths(ctx, tc.q); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// BenchmarkPaths asks for the best chains from 10 sources to 10 targets on
// a generated graph of 10^5 links.
func BenchmarkPaths(b *testing.B) {
	ctx := context.Background()
	s := kg.IndexedStore(gen.Generate(gen.Config{Edges: 100_000, Seed: 1}))
	var from, to []string
	for i := range 10 {
		from = append(from, gen.EntityID(100+i*37))
		to = append(to, gen.EntityID(5000+i*53))
	}
	q := graph.PathsQuery{From: from, To: to, MaxDepth: 4, Limit: 20}
	b.ResetTimer()
	var res *graph.PathsResult
	for b.Loop() {
		var err error
		if res, err = s.Paths(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(res.Paths)), "chains")
	if len(res.Paths) == 0 {
		b.Fatal(fmt.Errorf("no chains"))
	}
}
