package kg

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// signedRow is what a signed network's row becomes: an assertion with one
// evidence item of its file.
func signedRow(source, row, subj, obj string, e graph.Effect) graph.Link {
	return graph.Link{ID: subj + "_" + strings.ToLower(string(e)) + "_" + obj, Subject: subj, Object: obj, Effect: e,
		Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: source, Key: row}}}
}

func networkBatch(source string, links ...graph.Link) *graph.Batch {
	return &graph.Batch{
		Sources: []graph.Source{{ID: source, Title: "network " + source, License: map[string]string{"a": "CC-BY-4.0", "b": "CC-BY-NC-4.0"}[source]}},
		Entities: []graph.Entity{{ID: "TNF", Name: "TNF", Kind: graph.GeneProduct}, {ID: "NFKB1", Name: "NFKB1", Kind: graph.GeneProduct},
			{ID: "IL6", Name: "IL6", Kind: graph.GeneProduct}},
		Links: links,
	}
}

// The assertion model on every backend: sources that state one link add
// evidence to it, the same file twice changes nothing, opposite effects are
// contradictions, and filters leave out what they should.
func TestManySources(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			a := networkBatch("a", signedRow("a", "row1", "TNF", "NFKB1", graph.Increases), signedRow("a", "row2", "NFKB1", "IL6", graph.Increases))
			b := networkBatch("b", signedRow("b", "row1", "TNF", "NFKB1", graph.Increases), signedRow("b", "row2", "TNF", "IL6", graph.Decreases))
			b.Links[0].ID = "b_edge_1" // another file's id for the same assertion

			res := mustApply(t, s, a)
			if res.Links != 2 || res.Evidence != 2 {
				t.Errorf("first source: %+v", res)
			}
			one, _ := s.Link(ctx, "TNF_increases_NFKB1")
			alone := one.Confidence

			// The same file again changes nothing.
			if res := mustApply(t, s, a); res.Links+res.Merged+res.Evidence+res.Quads != 0 {
				t.Errorf("the same file again: %+v", res)
			}
			// A second source that states one of the links adds its evidence.
			res = mustApply(t, s, b)
			if res.Links != 1 || res.Merged != 1 || res.Evidence != 2 {
				t.Errorf("second source: %+v, want 1 new assertion, 1 merged, 2 evidence items", res)
			}
			l, err := s.Link(ctx, "TNF_increases_NFKB1")
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Evidence) != 2 || !slices.Equal(l.Aliases, []string{"b_edge_1"}) {
				t.Errorf("merged link: evidence %v, aliases %v", l.Evidence, l.Aliases)
			}
			if l.Confidence <= alone {
				t.Errorf("belief with two sources %v, not above one source alone %v", l.Confidence, alone)
			}
			if by, err := s.Link(ctx, "b_edge_1"); err != nil || by.ID != l.ID {
				t.Errorf("the second file's id does not find the assertion: %v, %v", by, err)
			}
			if st := s.Stats(ctx); st.Links != 3 {
				t.Errorf("%d links, want 3 assertions", st.Links)
			}

			// The store holds what the snapshot says, after a reopen too.
			recs, err := s.ReadRecords(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(recs.Links); n != 3 {
				t.Errorf("store holds %d links, want 3", n)
			}

			// TNF raises NFKB1 (a, b) but b says TNF lowers IL6, while
			// NFKB1 raises IL6 (a): no contradiction yet (other pairs).
			pairs, _, err := s.Contradictions(ctx, graph.ContradictionQuery{})
			if err != nil || len(pairs) != 0 {
				t.Fatalf("contradictions = %v, %v; want none", pairs, err)
			}
			// A third source states the opposite of TNF -> NFKB1.
			c := networkBatch("c", signedRow("c", "r9", "TNF", "NFKB1", graph.Decreases))
			mustApply(t, s, c)
			pairs, _, err = s.Contradictions(ctx, graph.ContradictionQuery{})
			if err != nil || len(pairs) != 1 || pairs[0].Increases.ID != "TNF_increases_NFKB1" || pairs[0].Decreases.ID != "TNF_decreases_NFKB1" {
				t.Fatalf("contradictions = %+v, %v", pairs, err)
			}
			if opp := s.Opposites(ctx, "TNF_increases_NFKB1"); len(opp) != 1 || opp[0].ID != "TNF_decreases_NFKB1" {
				t.Errorf("Opposites = %v", opp)
			}
			if pairs, _, _ := s.Contradictions(ctx, graph.ContradictionQuery{Filter: denySources("c")}); len(pairs) != 0 {
				t.Errorf("contradictions without source c = %v", pairs)
			}

			// Filters: each leaves out what it should, and an empty trace
			// says the filter did it.
			filters := []struct {
				name   string
				f      graph.Filter
				chains int
				reason graph.Reason
			}{
				{"none", graph.Filter{}, 1, ""},
				{"deny a", denySources("a"), 0, graph.RemovedByFilter},
				{"allow b", allowSources("b"), 0, graph.RemovedByFilter},
				{"allow a", allowSources("a"), 1, ""},
				{"licence CC-BY-4.0", graph.Filter{Licenses: []string{"CC-BY-4.0"}}, 1, ""},
				{"licence none of theirs", graph.Filter{Licenses: []string{"MIT"}}, 0, graph.RemovedByFilter},
				{"levels stated only", graph.Filter{KnowledgeLevels: []graph.KnowledgeLevel{graph.KnowledgeAssertion}}, 0, graph.RemovedByFilter},
				{"levels not provided", graph.Filter{KnowledgeLevels: []graph.KnowledgeLevel{graph.KnowledgeNotProvided}}, 1, ""},
				{"min belief above", graph.Filter{MinBelief: 0.99}, 0, graph.RemovedByFilter},
			}
			for _, tc := range filters {
				res, err := s.Trace(ctx, graph.TraceQuery{From: "NFKB1", To: "IL6", Filter: tc.f})
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if len(res.Paths) != tc.chains {
					t.Errorf("%s: %d chains, want %d", tc.name, len(res.Paths), tc.chains)
				}
				if tc.reason != "" && (res.Explanation == nil || res.Explanation.Reason != tc.reason) {
					t.Errorf("%s: explanation %+v, want %s", tc.name, res.Explanation, tc.reason)
				}
			}
			// MinBelief with a source filter scores what the filter keeps:
			// TNF -> NFKB1 rests on a and b (0.75), on a alone 0.5.
			for _, tc := range []struct {
				deny []string
				want bool
			}{{[]string{"c"}, true}, {[]string{"b", "c"}, false}} {
				f := denySources(tc.deny...)
				f.MinBelief = 0.6
				res, err := s.Trace(ctx, graph.TraceQuery{From: "TNF", To: "NFKB1", MaxDepth: 1, Filter: f})
				if err != nil || (len(res.Paths) == 1) != tc.want {
					t.Errorf("deny %v, minBelief 0.6: %d chains (%v), want found %v", tc.deny, len(res.Paths), err, tc.want)
				}
			}
			// Listing links and searching entities take the filter too.
			page, err := s.Links(ctx, "", denySources("a", "b"), graph.PageArgs{})
			if err != nil || len(page.Items) != 1 || page.Items[0].ID != "TNF_decreases_NFKB1" {
				t.Errorf("links without a and b: %v, %v", linkIDs(page.Items), err)
			}
			for _, tc := range []struct {
				text  string
				found bool
			}{{"NFKB1", true}, {"IL6", false}} {
				hits, err := s.Search(ctx, tc.text, nil, 5, allowSources("c"))
				if err != nil || (len(hits) > 0) != tc.found {
					t.Errorf("search %q with source c only: %v, %v; want found %v", tc.text, hits, err, tc.found)
				}
			}
			// A chain's confidence is that of the evidence the filter keeps.
			full, _ := s.Trace(ctx, graph.TraceQuery{From: "TNF", To: "NFKB1", MaxDepth: 1, Filter: denySources("c")})
			onlyA, _ := s.Trace(ctx, graph.TraceQuery{From: "TNF", To: "NFKB1", MaxDepth: 1, Filter: denySources("b", "c")})
			if len(full.Paths) != 1 || len(onlyA.Paths) != 1 || onlyA.Paths[0].Confidence != alone || full.Paths[0].Confidence <= alone {
				t.Errorf("chain confidence: all sources %v, only a %v; want a alone = %v below all", full.Paths, onlyA.Paths, alone)
			}
			down, err := s.Downstream(ctx, graph.ReachQuery{Of: "TNF", MaxDepth: 3, Filter: denySources("a", "c")})
			if err != nil {
				t.Fatal(err)
			}
			if len(down.Reached) != 2 { // NFKB1 (b), IL6 (b, directly)
				t.Errorf("downstream of TNF without a and c: %+v", down.Reached)
			}
		})
	}
}

func denySources(ids ...string) graph.Filter {
	var f graph.Filter
	f.Sources.Deny = ids
	return f
}

func allowSources(ids ...string) graph.Filter {
	var f graph.Filter
	f.Sources.Allow = ids
	return f
}

// What remains a conflict: an evidence item of the same key with other
// content, and a link id that names another assertion.
func TestAssertionConflicts(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "memory")
	mustApply(t, s, networkBatch("a", signedRow("a", "row1", "TNF", "NFKB1", graph.Increases)))
	tests := []struct {
		name  string
		link  graph.Link
		field string
	}{
		{"an evidence key with other content", func() graph.Link {
			l := signedRow("a", "row1", "TNF", "NFKB1", graph.Increases)
			l.Evidence[0].KnowledgeLevel = graph.Prediction
			return l
		}(), "evidence[0]"},
		{"an id naming another assertion", func() graph.Link {
			l := signedRow("a", "row7", "TNF", "IL6", graph.Increases)
			l.ID = "TNF_increases_NFKB1"
			return l
		}(), "id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Apply(ctx, networkBatch("a", tc.link))
			var ps graph.Problems
			if !errors.Is(err, graph.ErrConflict) || !errors.As(err, &ps) || ps[0].Field != tc.field {
				t.Errorf("err = %v, want a conflict at %s", err, tc.field)
			}
		})
	}
}

// Edits by an alias change the assertion it names, and only it.
func TestEditsByAlias(t *testing.T) {
	ctx := context.Background()
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			mustApply(t, s, networkBatch("a", signedRow("a", "row1", "TNF", "NFKB1", graph.Increases)))
			b := networkBatch("b", signedRow("b", "row1", "TNF", "NFKB1", graph.Increases))
			b.Links[0].ID = "b_edge_1"
			mustApply(t, s, b)
			l, err := s.AddEvidence(ctx, "b_edge_1", graph.Evidence{Source: "a", Quote: "TNF activates NF-kB."})
			if err != nil {
				t.Fatal(err)
			}
			if l.ID != "TNF_increases_NFKB1" || len(l.Evidence) != 3 {
				t.Fatalf("AddEvidence by alias = %s with %d items", l.ID, len(l.Evidence))
			}
			if st := s.Stats(ctx); st.Links != 1 {
				t.Fatalf("%d links after AddEvidence by alias, want 1", st.Links)
			}
			if err := s.RemoveLink(ctx, "b_edge_1"); err != nil {
				t.Fatal(err)
			}
			if st := s.Stats(ctx); st.Links != 0 {
				t.Errorf("%d links after RemoveLink by alias, want 0", st.Links)
			}
			recs, _ := s.ReadRecords(ctx)
			if len(recs.Links) != 0 {
				t.Errorf("the store still holds %d links", len(recs.Links))
			}
		})
	}
}
