package index_test

import (
	"context"
	"slices"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// selfLoops is a small graph with autoregulation: a raises b, b represses
// itself, c raises itself and raises a.
func selfLoops() *graph.Batch {
	link := func(id, s, o string, e graph.Effect) graph.Link {
		return graph.Link{ID: id, Subject: s, Object: o, Effect: e, Predicate: "biolink:regulates", Confidence: 0.5,
			Evidence: []graph.Evidence{{Quote: "q " + id, Source: "src"}}}
	}
	return &graph.Batch{
		Sources: []graph.Source{{ID: "src", Title: "test"}},
		Entities: []graph.Entity{
			{ID: "a", Name: "A", Kind: graph.GeneProduct},
			{ID: "b", Name: "B", Kind: graph.GeneProduct},
			{ID: "c", Name: "C", Kind: graph.GeneProduct},
		},
		Links: []graph.Link{
			link("a_b", "a", "b", graph.Increases),
			link("b_b", "b", "b", graph.Decreases),
			link("c_c", "c", "c", graph.Increases),
			link("c_a", "c", "a", graph.Increases),
		},
	}
}

// A self-loop is a valid link, a loop of length 1, and never a step of a
// traversal.
func TestSelfLoops(t *testing.T) {
	ctx := context.Background()
	b := selfLoops()
	if ps := graph.CheckBatch(b); len(ps) > 0 {
		t.Fatalf("a batch with self-loops is refused: %v", ps)
	}
	s := snapshotOf(b)

	loops := []struct {
		through string
		want    []string // link ids of each loop, in order
		kinds   []graph.LoopKind
	}{
		{"b", []string{"b_b"}, []graph.LoopKind{graph.Balancing}},
		{"c", []string{"c_c"}, []graph.LoopKind{graph.Reinforcing}},
		{"a", nil, nil},
		{"", []string{"b_b", "c_c"}, []graph.LoopKind{graph.Balancing, graph.Reinforcing}},
	}
	for _, tc := range loops {
		t.Run("loops through "+tc.through, func(t *testing.T) {
			res, err := s.Loops(ctx, graph.LoopQuery{Through: tc.through, MaxLength: 6})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			var kinds []graph.LoopKind
			for _, l := range res.Loops {
				if len(l.Path.Links) != 1 {
					t.Errorf("loop of %d links: %v", len(l.Path.Links), l.Path.Links)
					continue
				}
				got = append(got, l.Path.Links[0].ID)
				kinds = append(kinds, l.Kind)
			}
			if !slices.Equal(got, tc.want) || !slices.Equal(kinds, tc.kinds) {
				t.Errorf("loops = %v %v, want %v %v", got, kinds, tc.want, tc.kinds)
			}
		})
	}

	reach := []struct {
		name string
		q    graph.ReachQuery
		up   bool
		want map[string][]graph.Effect // entity -> effects
	}{
		{"downstream of c", graph.ReachQuery{Of: "c", MaxDepth: 4}, false,
			map[string][]graph.Effect{"a": {graph.Increases}, "b": {graph.Increases}}},
		{"downstream of b", graph.ReachQuery{Of: "b", MaxDepth: 4}, false, map[string][]graph.Effect{}},
		{"upstream of b", graph.ReachQuery{Of: "b", MaxDepth: 4}, true,
			map[string][]graph.Effect{"a": {graph.Increases}, "c": {graph.Increases}}},
	}
	for _, tc := range reach {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Downstream(ctx, tc.q)
			if tc.up {
				res, err = s.Upstream(ctx, tc.q)
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]graph.Effect{}
			for _, r := range res.Reached {
				got[r.Entity.ID] = r.Effects
			}
			if len(got) != len(tc.want) {
				t.Fatalf("reached %v, want %v", got, tc.want)
			}
			for id, want := range tc.want {
				if !slices.Equal(got[id], want) {
					t.Errorf("%s: effects %v, want %v", id, got[id], want)
				}
			}
		})
	}

	tr, err := s.Trace(ctx, graph.TraceQuery{From: "c", To: "b", MaxDepth: 6, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Paths) != 1 || len(tr.Paths[0].Links) != 2 {
		t.Fatalf("trace c→b = %d chains (%v), want the one chain c_a, a_b", len(tr.Paths), tr.Paths)
	}
}
