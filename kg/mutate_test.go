package kg

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// expected opens a memory store holding b: what a store edited into b must
// hold, quad for quad.
func expected(t *testing.T, b *graph.Batch) []string {
	t.Helper()
	s := mustOpen(t, "memory")
	mustApply(t, s, b)
	return dump(t, s)
}

func without[T any](xs []T, drop func(T) bool) []T {
	return slices.DeleteFunc(slices.Clone(xs), drop)
}

func traceIDs(t *testing.T, s *Store, from, to string) []string {
	t.Helper()
	res, err := s.Trace(context.Background(), graph.TraceQuery{From: from, To: to})
	if err != nil {
		t.Fatalf("Trace(%s, %s): %v", from, to, err)
	}
	var out []string
	for _, p := range res.Paths {
		out = append(out, pathString(p))
	}
	return out
}

func TestMutations(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("AddEvidence", func(t *testing.T) { testAddEvidence(t, open(t)) })
			t.Run("RemoveLink", func(t *testing.T) { testRemoveLink(t, open(t)) })
			t.Run("RemoveEntity", func(t *testing.T) { testRemoveEntity(t, open(t)) })
			t.Run("RemoveEntityRelations", func(t *testing.T) { testRemoveEntityRelations(t, open(t)) })
		})
	}
}

func testAddEvidence(t *testing.T, s *Store) {
	ctx := context.Background()
	mustApply(t, s, fixture())
	before := dump(t, s)
	ev := graph.Evidence{Quote: "more support", Section: "T", Source: "src", References: []string{"ref1"}}

	refused := []struct {
		name string
		id   string
		ev   []graph.Evidence
		want error
	}{
		{"unknown link", "nope", []graph.Evidence{ev}, graph.ErrNotFound},
		{"nothing to add", "ab", nil, graph.ErrMissingEvidence},
		{"empty quote", "ab", []graph.Evidence{{Quote: " ", Source: "src"}}, graph.ErrEmptyQuote},
		{"unknown source", "ab", []graph.Evidence{{Quote: "q", Source: "nope"}}, graph.ErrUnknownSource},
		{"unknown reference", "ab", []graph.Evidence{ev, {Quote: "q", Source: "src", References: []string{"nope"}}}, graph.ErrUnknownReference},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.AddEvidence(ctx, tt.id, tt.ev...); !errors.Is(err, tt.want) {
				t.Fatalf("AddEvidence: %v, want %v", err, tt.want)
			}
			if got := dump(t, s); !slices.Equal(got, before) {
				t.Fatalf("a refused edit changed the store:\n%s", diff(before, got))
			}
		})
	}

	l, err := s.AddEvidence(ctx, "ab", ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Evidence) != 2 || l.Evidence[1].Quote != "more support" {
		t.Fatalf("returned link: %+v", l)
	}
	got, err := s.Link(ctx, "ab")
	if err != nil || len(got.Evidence) != 2 || got.Evidence[1].References[0] != "ref1" {
		t.Fatalf("Link after AddEvidence: %+v, %v", got, err)
	}
	want := fixture()
	want.Links[0].Evidence = append(want.Links[0].Evidence, ev)
	if d := dump(t, s); !slices.Equal(d, expected(t, want)) {
		t.Errorf("store after AddEvidence differs from one loaded with it:\n%s", diff(expected(t, want), d))
	}
	res, err := s.Trace(ctx, graph.TraceQuery{From: "alpha", To: "beta"})
	if err != nil || len(res.Paths) != 1 || len(res.Paths[0].Links[0].Evidence) != 2 {
		t.Errorf("trace does not see the new evidence: %+v, %v", res, err)
	}
}

func testRemoveLink(t *testing.T, s *Store) {
	ctx := context.Background()
	mustApply(t, s, fixture())
	if err := s.RemoveLink(ctx, "nope"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("RemoveLink(nope): %v", err)
	}
	if got := traceIDs(t, s, "alpha", "gamma"); len(got) != 2 {
		t.Fatalf("before: %q", got)
	}
	if err := s.RemoveLink(ctx, "ag"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Link(ctx, "ag"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("Link(ag) after removal: %v", err)
	}
	if got := traceIDs(t, s, "alpha", "gamma"); !slices.Equal(got, []string{"alpha ab beta bg gamma"}) {
		t.Errorf("trace after removal: %q", got)
	}
	out, err := s.Outgoing(ctx, "alpha", "", 0)
	if err != nil || len(out) != 1 {
		t.Errorf("Outgoing(alpha): %v, %v", linkIDs(out), err)
	}
	want := fixture()
	want.Links = without(want.Links, func(l graph.Link) bool { return l.ID == "ag" })
	if d := dump(t, s); !slices.Equal(d, expected(t, want)) {
		t.Errorf("store after RemoveLink differs:\n%s", diff(expected(t, want), d))
	}
	// The same id can be written again.
	mustApply(t, s, fixture())
	if got := traceIDs(t, s, "alpha", "gamma"); len(got) != 2 {
		t.Errorf("after re-adding: %q", got)
	}
}

func testRemoveEntity(t *testing.T, s *Store) {
	ctx := context.Background()
	mustApply(t, s, fixture())
	before := dump(t, s)
	if _, err := s.RemoveEntity(ctx, "nope", true); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("RemoveEntity(nope): %v", err)
	}
	if _, err := s.RemoveEntity(ctx, "beta", false); !errors.Is(err, graph.ErrConflict) {
		t.Fatalf("RemoveEntity(beta) while used: %v, want ErrConflict", err)
	}
	if got := dump(t, s); !slices.Equal(got, before) {
		t.Fatalf("a refused removal changed the store:\n%s", diff(before, got))
	}
	if removed, err := s.RemoveEntity(ctx, "island", false); err != nil || len(removed) != 0 {
		t.Fatalf("RemoveEntity(island): %q, %v", removed, err)
	}
	removed, err := s.RemoveEntity(ctx, "beta", true)
	if err != nil || !slices.Equal(removed, []string{"ab", "bg"}) {
		t.Fatalf("RemoveEntity(beta, cascade): %q, %v", removed, err)
	}
	if _, err := s.Resolve(ctx, "Beta cell"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("Resolve(Beta cell) after removal: %v", err)
	}
	if got := traceIDs(t, s, "alpha", "gamma"); !slices.Equal(got, []string{"alpha ag gamma"}) {
		t.Errorf("trace after removal: %q", got)
	}
	want := fixture()
	want.Entities = without(want.Entities, func(e graph.Entity) bool { return e.ID == "beta" || e.ID == "island" })
	want.Links = without(want.Links, func(l graph.Link) bool { return l.ID == "ab" || l.ID == "bg" })
	if d := dump(t, s); !slices.Equal(d, expected(t, want)) {
		t.Errorf("store after RemoveEntity differs:\n%s", diff(expected(t, want), d))
	}
	if st := s.Stats(ctx); st.Entities != 3 || st.Links != 3 {
		t.Errorf("stats: %+v", st)
	}
}

// testRemoveEntityRelations: an entity's part-of and subclass-of
// relations go with it, whichever end it is; the others stay.
func testRemoveEntityRelations(t *testing.T, s *Store) {
	ctx := context.Background()
	b := fixture()
	rel := func(sub, pred, obj string) graph.Relation {
		return graph.Relation{Subject: sub, Predicate: pred, Object: obj, Evidence: []graph.Evidence{{Quote: sub + " " + obj, Source: "src"}}}
	}
	b.Relations = []graph.Relation{rel("island", graph.PartOf, "alpha"), rel("beta", graph.SubclassOf, "island"), rel("beta", graph.PartOf, "alpha")}
	mustApply(t, s, b)
	if removed, err := s.RemoveEntity(ctx, "island", false); err != nil || len(removed) != 0 {
		t.Fatalf("RemoveEntity(island): %q, %v", removed, err)
	}
	want := fixture()
	want.Entities = without(want.Entities, func(e graph.Entity) bool { return e.ID == "island" })
	want.Relations = b.Relations[2:]
	if d := dump(t, s); !slices.Equal(d, expected(t, want)) {
		t.Errorf("store after RemoveEntity differs:\n%s", diff(expected(t, want), d))
	}
	if got := s.Relations(ctx); len(got) != 1 || got[0].Key() != b.Relations[2].Key() {
		t.Errorf("relations left: %+v", got)
	}
}

// TestMutationsSurviveRestart edits a bolt store, closes it and opens it
// again: the edits are what cayley holds, not only what the snapshot shows.
func TestMutationsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	spec := "bolt:" + filepath.Join(t.TempDir(), "db")
	s, err := Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, s, fixture())
	if _, err := s.AddEvidence(ctx, "gd", graph.Evidence{Quote: "again", Source: "src"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveLink(ctx, "ag"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveEntity(ctx, "island", false); err != nil {
		t.Fatal(err)
	}
	want := dump(t, s)
	wantTrace := traceIDs(t, s, "alpha", "delta")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveLink(ctx, "ab"); !errors.Is(err, graph.ErrClosed) {
		t.Errorf("RemoveLink on a closed store: %v", err)
	}
	s2 := mustOpen(t, spec)
	if got := dump(t, s2); !slices.Equal(got, want) {
		t.Errorf("reopened store differs:\n%s", diff(want, got))
	}
	if got := traceIDs(t, s2, "alpha", "delta"); !slices.Equal(got, wantTrace) || len(got) != 1 {
		t.Errorf("trace after reopen: %q, want %q", got, wantTrace)
	}
	l, err := s2.Link(ctx, "gd")
	if err != nil || len(l.Evidence) != 2 {
		t.Errorf("Link(gd) after reopen: %+v, %v", l, err)
	}
}
