package index_test

import (
	"context"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestNegatedLinks: a link only negated evidence supports (a source says
// it does not hold) is kept and found by id, but is no causal link: no
// traversal, loop or contradiction takes it. With one asserted item too,
// it is an ordinary link.
func TestNegatedLinks(t *testing.T) {
	ctx := context.Background()
	item := func(neg bool) graph.Evidence { return graph.Evidence{Source: "src", Key: "k", Negated: neg} }
	link := func(id, s, o string, e graph.Effect, ev ...graph.Evidence) graph.Link {
		return graph.Link{ID: id, Subject: s, Object: o, Effect: e, Predicate: "biolink:regulates", Confidence: 0.5, Evidence: ev}
	}
	for _, tc := range []struct {
		name     string
		ab       []graph.Evidence // the items of a→b
		reachesB bool
	}{
		{"asserted", []graph.Evidence{item(false)}, true},
		{"negated only", []graph.Evidence{item(true)}, false},
		{"asserted and negated", []graph.Evidence{item(false), {Source: "src", Key: "k2", Negated: true}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &graph.Batch{
				Sources:  []graph.Source{{ID: "src", Title: "test"}},
				Entities: []graph.Entity{{ID: "a", Name: "A", Kind: graph.GeneProduct}, {ID: "b", Name: "B", Kind: graph.GeneProduct}},
				Links: []graph.Link{link("a_b", "a", "b", graph.Increases, tc.ab...), link("b_a", "b", "a", graph.Increases, item(false)),
					link("a_b_down", "a", "b", graph.Decreases, item(false))},
			}
			s := snapshotOf(b)
			if _, ok := s.Link("a_b"); !ok {
				t.Fatal("a_b is not found by id")
			}
			tr, err := s.Trace(ctx, graph.TraceQuery{From: "a", To: "b", MaxDepth: 3, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range tr.Paths {
				found = found || p.Links[0].ID == "a_b"
			}
			if found != tc.reachesB {
				t.Errorf("trace a→b through a_b: %v, want %v", found, tc.reachesB)
			}
			loops, err := s.Loops(ctx, graph.LoopQuery{Through: "a", MaxLength: 3})
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 2, false: 1}[tc.reachesB]; len(loops.Loops) != want {
				t.Errorf("%d loops through a, want %d", len(loops.Loops), want)
			}
			// Every link of a, causal or not (what removing a must remove).
			if links, _ := s.LinksOf("a"); len(links) != 3 {
				t.Errorf("LinksOf(a) = %d links, want 3", len(links))
			}
			if got := len(s.Opposites("a_b_down")) == 1; got != tc.reachesB {
				t.Errorf("a_b contradicts a_b_down: %v, want %v", got, tc.reachesB)
			}
		})
	}
}
