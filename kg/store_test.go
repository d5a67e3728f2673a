package kg

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/internal/store"
	"github.com/leydigkg/leydigkg/internal/storetest"
)

// fixture is a small graph with a shortcut, a multi-hop chain and a
// feedback cycle:
//
//	alpha -+-> beta -+-> gamma -+-> delta -(-)-> alpha
//	alpha ------(-)-----> gamma
func fixture() *graph.Batch {
	ev := func(q string, c float64, refs ...string) []graph.Evidence {
		return []graph.Evidence{{Quote: q, Section: "S", Source: sourceOf(c), References: refs}}
	}
	link := func(id, s, o string, e graph.Effect, c float64) graph.Link {
		pred := "biolink:regulates"
		return graph.Link{ID: id, Subject: s, Object: o, Effect: e, Predicate: pred, Mechanism: "m " + id, Confidence: c, Evidence: ev("quote "+id, c)}
	}
	return &graph.Batch{
		Sources: []graph.Source{{ID: "src", Title: "A source"}, {ID: "s60", Title: "Trusted at 0.6"}, {ID: "s70", Title: "Trusted at 0.7"},
			{ID: "s80", Title: "Trusted at 0.8"}, {ID: "s90", Title: "Trusted at 0.9"}},
		References: []graph.Reference{{ID: "ref1", Citation: "Doe, J. et al. A study. J, 2020.", Authors: []string{"Doe, J.", "Roe, R."}, Title: "A study", Journal: "J", Year: 2020}},
		Entities: []graph.Entity{
			{ID: "alpha", Name: "Alpha hormone", Kind: graph.Hormone, Synonyms: []string{"A1", "alpha-h"}, Xrefs: []string{"CHEBI:1"}, Description: "The first."},
			{ID: "beta", Name: "Beta cell", Kind: graph.Cell},
			{ID: "gamma", Name: "Gamma process", Kind: graph.Process, Xrefs: []string{"GO:3"}},
			{ID: "delta", Name: "Delta", Kind: graph.Condition},
			{ID: "island", Name: "Island", Kind: graph.Anatomy},
		},
		Links: []graph.Link{
			link("ab", "alpha", "beta", graph.Increases, 0.9),
			link("bg", "beta", "gamma", graph.Decreases, 0.8),
			link("ag", "alpha", "gamma", graph.Decreases, 0.5),
			link("gd", "gamma", "delta", graph.Increases, 0.7),
			{ID: "da", Subject: "delta", Object: "alpha", Effect: graph.Decreases, Predicate: "biolink:regulates", Confidence: 0.6,
				Evidence: ev("quote da", 0.6, "ref1")},
		},
	}
}

// sourceOf is the fixture's source whose evidence beliefs (testBeliefs)
// score c; "src" scores 0.5.
func sourceOf(c float64) string {
	if c == 0.5 {
		return "src"
	}
	return fmt.Sprintf("s%.0f", c*100)
}

// testBeliefs scores one item of source sNN at 0.NN, and any other item at
// 0.5, so that the fixture's links have the beliefs it says.
var testBeliefs = graph.BeliefTable{
	{Source: "s90", Random: 0.1, Why: "test"},
	{Source: "s80", Random: 0.2, Why: "test"},
	{Source: "s70", Random: 0.3, Why: "test"},
	{Source: "s60", Random: 0.4, Why: "test"},
	{Random: 0.3, Systematic: 0.2, Why: "test"},
}

// backends lists the stores every test runs on.
func backends(t *testing.T) map[string]func(t *testing.T) *Store {
	return map[string]func(t *testing.T) *Store{
		"memory": func(t *testing.T) *Store { return mustOpen(t, "memory") },
		"bolt":   func(t *testing.T) *Store { return mustOpen(t, "bolt:"+filepath.Join(t.TempDir(), "db")) },
		// A real server: LEYDIGKG_TEST_POSTGRES (.ci/run starts one); skipped without.
		"postgres": func(t *testing.T) *Store { return mustOpen(t, pgtest.Spec(t)) },
		// LEYDIGKG_TEST_COCKROACH; skipped without (and never run by CI:
		// there is no CockroachDB to install).
		"cockroach": func(t *testing.T) *Store { return mustOpen(t, pgtest.CockroachSpec(t)) },
	}
}

func mustOpen(t *testing.T, spec string) *Store {
	t.Helper()
	s, err := OpenWith(context.Background(), spec, Options{Beliefs: testBeliefs})
	if err != nil {
		t.Fatalf("Open(%q): %v", spec, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mustOpenWith opens the store spec with the storage options o.
func mustOpenWith(t *testing.T, spec string, o store.Options) *Store {
	t.Helper()
	db, err := store.OpenWith(context.Background(), spec, o)
	if err != nil {
		t.Fatalf("OpenWith(%q): %v", spec, err)
	}
	s, err := newStore(context.Background(), db, Options{Beliefs: testBeliefs})
	if err != nil {
		t.Fatalf("newStore(%q): %v", spec, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustApply(t *testing.T, s *Store, b *graph.Batch) graph.Applied {
	t.Helper()
	res, err := s.Apply(context.Background(), b)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return res
}

// TestConformance is the suite every backend must pass.
func TestConformance(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			switch name { // one skip, not one per test
			case "postgres":
				pgtest.Require(t)
			case "cockroach":
				pgtest.CockroachSpec(t)
			}
			t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, open(t)) })
			t.Run("Idempotent", func(t *testing.T) { testIdempotent(t, open(t)) })
			t.Run("Resolve", func(t *testing.T) { testResolve(t, open(t)) })
			t.Run("Trace", func(t *testing.T) { testTrace(t, open(t)) })
			t.Run("Pages", func(t *testing.T) { testPages(t, open(t)) })
			t.Run("RejectsBadBatch", func(t *testing.T) { testRejects(t, open(t)) })
			t.Run("FailedWrite", func(t *testing.T) {
				if name == "memory" {
					t.Skip("a memory store keeps no quads: its backend refuses nothing")
				}
				testFailedWrite(t, open(t))
			})
			t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open(t)) })
		})
	}
}

func testRoundTrip(t *testing.T, s *Store) {
	ctx := context.Background()
	b := fixture()
	res := mustApply(t, s, b)
	if res.Entities != 5 || res.Links != 5 || res.References != 1 || res.Sources != len(b.Sources) || res.Evidence != 5 {
		t.Errorf("Applied = %+v", res)
	}
	for _, want := range b.Entities {
		got, err := s.Entity(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		w := want
		slices.Sort(w.Synonyms)
		if !got.Same(&w) {
			t.Errorf("entity %s:\n got %+v\nwant %+v", want.ID, *got, w)
		}
	}
	for _, want := range b.Links {
		got, err := s.Link(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("link %s:\n got %+v\nwant %+v", want.ID, *got, want)
		}
	}
	ref, err := s.Reference(ctx, "ref1")
	if err != nil || !reflect.DeepEqual(*ref, b.References[0]) {
		t.Errorf("Reference = %+v, %v", ref, err)
	}
	st := s.Stats(ctx)
	if st.Entities != 5 || st.Links != 5 || st.ByKind[graph.Hormone] != 1 || st.ByEffect[graph.Decreases] != 3 {
		t.Errorf("Stats = %+v", st)
	}
	out, _ := s.Outgoing(ctx, "alpha", "", 0)
	if got := linkIDs(out); !slices.Equal(got, []string{"ab", "ag"}) {
		t.Errorf("Outgoing(alpha) = %v", got)
	}
	in, _ := s.Incoming(ctx, "gamma", graph.Decreases, 0)
	if got := linkIDs(in); !slices.Equal(got, []string{"ag", "bg"}) {
		t.Errorf("Incoming(gamma, DECREASES) = %v", got)
	}
}

func linkIDs(ls []*graph.Link) []string {
	var ids []string
	for _, l := range ls {
		ids = append(ids, l.ID)
	}
	return ids
}

func testIdempotent(t *testing.T, s *Store) {
	mustApply(t, s, fixture())
	res := mustApply(t, s, fixture())
	if want := fixture().Len(); res.Unchanged != want || res.Quads != 0 {
		t.Errorf("second Apply = %+v, want all %d records unchanged", res, want)
	}
	// One evidence item (the same source and quote) with other content.
	changed := fixture()
	changed.Links[0].Evidence[0].Section = "another section"
	_, err := s.Apply(context.Background(), changed)
	if !errors.Is(err, graph.ErrConflict) {
		t.Errorf("changed evidence item: err = %v, want ErrConflict", err)
	}
}

func testResolve(t *testing.T, s *Store) {
	mustApply(t, s, fixture())
	tests := []struct {
		ref, want string
		err       error
	}{
		{"alpha", "alpha", nil},
		{"Alpha Hormone", "alpha", nil},
		{"ALPHAHORMONE", "alpha", nil},
		{"a1", "alpha", nil},
		{"alpha_h", "alpha", nil},
		{"chebi:1", "alpha", nil},
		{"  gamma   process ", "gamma", nil},
		{"GO:3", "gamma", nil},
		{"epsilon", "", graph.ErrNotFound},
		{"", "", graph.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			e, err := s.Resolve(context.Background(), tt.ref)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err == nil && e.ID != tt.want {
				t.Errorf("got %s, want %s", e.ID, tt.want)
			}
		})
	}
	_, err := s.Resolve(context.Background(), "Alpha hormon")
	var nf *graph.NotFoundError
	if !errors.As(err, &nf) || len(nf.Candidates) == 0 || nf.Candidates[0].ID != "alpha" ||
		!strings.Contains(err.Error(), `did you mean "Alpha hormone" (alpha)`) {
		t.Errorf("typo: err = %v, want a suggestion of alpha by name and id", err)
	}
}

func testTrace(t *testing.T, s *Store) {
	mustApply(t, s, fixture())
	type path struct {
		ids    string
		effect graph.Effect
	}
	tests := []struct {
		name      string
		q         graph.TraceQuery
		want      []path
		truncated bool
		err       error
	}{
		{"shortest first", graph.TraceQuery{From: "alpha", To: "gamma"},
			[]path{{"alpha ag gamma", graph.Decreases}, {"alpha ab beta bg gamma", graph.Decreases}}, false, nil},
		{"by name", graph.TraceQuery{From: "A1", To: "Delta"},
			[]path{{"alpha ag gamma gd delta", graph.Decreases}, {"alpha ab beta bg gamma gd delta", graph.Decreases}}, false, nil},
		{"same length by confidence", graph.TraceQuery{From: "beta", To: "alpha"},
			[]path{{"beta bg gamma gd delta da alpha", graph.Increases}}, false, nil},
		{"limit", graph.TraceQuery{From: "alpha", To: "gamma", Limit: 1},
			[]path{{"alpha ag gamma", graph.Decreases}}, true, nil},
		{"max depth", graph.TraceQuery{From: "alpha", To: "gamma", MaxDepth: 1},
			[]path{{"alpha ag gamma", graph.Decreases}}, false, nil},
		{"via", graph.TraceQuery{From: "alpha", To: "gamma", Via: []string{"beta"}},
			[]path{{"alpha ab beta bg gamma", graph.Decreases}}, false, nil},
		{"avoid", graph.TraceQuery{From: "alpha", To: "delta", Avoid: []string{"Beta cell"}},
			[]path{{"alpha ag gamma gd delta", graph.Decreases}}, false, nil},
		{"net effect", graph.TraceQuery{From: "alpha", To: "gamma", NetEffect: graph.Increases}, nil, false, nil},
		{"unreachable", graph.TraceQuery{From: "alpha", To: "island"}, nil, false, nil},
		{"budget", graph.TraceQuery{From: "alpha", To: "delta", Budget: 2}, nil, true, nil},
		{"unknown", graph.TraceQuery{From: "alpha", To: "omega"}, nil, false, graph.ErrNotFound},
		{"same ends", graph.TraceQuery{From: "alpha", To: "A1"}, nil, false, graph.ErrBadArgument},
		{"depth too big", graph.TraceQuery{From: "alpha", To: "beta", MaxDepth: graph.MaxTraceDepth + 1}, nil, false, graph.ErrBadArgument},
		{"limit too big", graph.TraceQuery{From: "alpha", To: "beta", Limit: graph.MaxTraceLimit + 1}, nil, false, graph.ErrBadArgument},
		{"avoid an end", graph.TraceQuery{From: "alpha", To: "beta", Avoid: []string{"beta"}}, nil, false, graph.ErrBadArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Trace(context.Background(), tt.q)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			var got []path
			for _, p := range res.Paths {
				got = append(got, path{pathString(p), p.NetEffect})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("paths:\n got %v\nwant %v", got, tt.want)
			}
			if res.Truncated != tt.truncated {
				t.Errorf("truncated = %v, want %v", res.Truncated, tt.truncated)
			}
		})
	}
	res, _ := s.Trace(context.Background(), graph.TraceQuery{From: "alpha", To: "gamma"})
	if c := res.Paths[1].Confidence; c < 0.7199 || c > 0.7201 {
		t.Errorf("confidence of alpha-beta-gamma = %v, want 0.9*0.8", c)
	}
}

func pathString(p graph.Path) string {
	parts := []string{p.Entities[0].ID}
	for i, l := range p.Links {
		parts = append(parts, l.ID, p.Entities[i+1].ID)
	}
	return strings.Join(parts, " ")
}

func testPages(t *testing.T, s *Store) {
	ctx := context.Background()
	mustApply(t, s, fixture())
	var ids []string
	after := ""
	for range 10 {
		p, err := s.Entities(ctx, "", graph.PageArgs{First: 2, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 5 {
			t.Errorf("Total = %d", p.Total)
		}
		for _, e := range p.Items {
			ids = append(ids, e.ID)
			after = e.ID
		}
		if !p.HasNext {
			break
		}
	}
	if want := []string{"alpha", "beta", "delta", "gamma", "island"}; !slices.Equal(ids, want) {
		t.Errorf("paged ids = %v, want %v", ids, want)
	}
	p, _ := s.Links(ctx, graph.Increases, graph.Filter{}, graph.PageArgs{})
	if got := linkIDs(p.Items); !slices.Equal(got, []string{"ab", "gd"}) || p.HasNext {
		t.Errorf("INCREASES links = %v", got)
	}
	if _, err := s.Entities(ctx, "", graph.PageArgs{First: graph.MaxPageSize + 1}); !errors.Is(err, graph.ErrBadArgument) {
		t.Errorf("first too big: err = %v", err)
	}
}

func testRejects(t *testing.T, s *Store) {
	ctx := context.Background()
	mustApply(t, s, fixture())
	before := dump(t, s)
	bad := &graph.Batch{
		Entities: []graph.Entity{
			{ID: "eps", Name: "Epsilon", Kind: "HORMONES"},
			{ID: "zeta", Name: "A1", Kind: graph.Cell, Synonyms: []string{" "}}, // sharing alpha's A1 is fine; an empty synonym is not
			{ID: "theta", Name: "Theta", Kind: graph.Cell, Description: "bad \xff utf-8"},
		},
		Links: []graph.Link{
			{ID: "x", Subject: "eps", Object: "tstosterone", Effect: graph.Increases, Predicate: "biolink:regulates", Confidence: 0.5,
				Evidence: []graph.Evidence{{Quote: "q", Source: "src"}}},
			{ID: "y", Subject: "alpha", Object: "beta", Effect: "UP", Predicate: "biolink:positively_regulates", Confidence: 2},
			{ID: "z", Subject: "alpha", Object: "beta", Effect: graph.Decreases, Predicate: "biolink:causes", Confidence: 0.5,
				Evidence: []graph.Evidence{{Quote: "  ", Source: "nowhere", References: []string{"nope"}}}},
		},
	}
	_, err := s.Apply(ctx, bad)
	var ps graph.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	for _, want := range []error{graph.ErrInvalidValue, graph.ErrUnknownEntity, graph.ErrPredicate, graph.ErrMissingEvidence,
		graph.ErrEmptyQuote, graph.ErrUnknownSource, graph.ErrUnknownReference} {
		if !errors.Is(err, want) {
			t.Errorf("problems lack %v:\n%v", want, err)
		}
	}
	if got := dump(t, s); !slices.Equal(got, before) {
		t.Errorf("a rejected batch changed the store")
	}
}

// testFailedWrite makes the backend itself refuse a write (a delete of a
// quad that is not there, after adds in the same transaction) and checks
// that the store is exactly as before and still takes writes. On bolt this
// is the poisoned-cache case (FIELD-NOTES: cayley keeps node ids of the
// rolled-back batch).
func testFailedWrite(t *testing.T, s *Store) {
	ctx := context.Background()
	mustApply(t, s, fixture())
	before := dump(t, s)
	extra := &graph.Batch{Entities: []graph.Entity{{ID: "eta", Name: "Eta", Kind: graph.Molecule}}}
	missing := quad.Make(quad.IRI("urn:leydigkg:entity:nobody"), quad.IRI("urn:leydigkg:name"), quad.String("Nobody"), nil)
	s.mu.Lock()
	err := s.writeLocked(ctx, layout.QuadsOf(extra), []quad.Quad{missing}, index.DeltaOf(extra))
	s.mu.Unlock()
	if err == nil {
		t.Fatal("write with a missing delete succeeded")
	}
	if got := dump(t, s); !slices.Equal(got, before) {
		t.Fatalf("failed write changed the store:\n%s", diff(before, got))
	}
	if _, err := s.Entity(ctx, "eta"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("entity of the failed write is visible: %v", err)
	}
	// The same records written properly now land whole.
	extra.Links = []graph.Link{{ID: "ea", Subject: "eta", Object: "alpha", Effect: graph.Increases, Predicate: "biolink:regulates",
		Confidence: 0.5, Evidence: []graph.Evidence{{Quote: "q", Source: "src"}}}}
	mustApply(t, s, extra)
	res, err := s.Trace(ctx, graph.TraceQuery{From: "eta", To: "beta"})
	if err != nil || len(res.Paths) != 1 || pathString(res.Paths[0]) != "eta ea alpha ab beta" {
		t.Errorf("trace after recovery = %+v, %v", res, err)
	}
	if after := dump(t, s); len(after) != len(before)+len(layout.QuadsOf(extra)) {
		t.Errorf("store holds %d quads, want %d", len(after), len(before)+len(layout.QuadsOf(extra)))
	}
}

// dump lists every quad in the store, sorted.
func dump(t *testing.T, s *Store) []string {
	t.Helper()
	return storetest.Dump(t, s.Quads)
}

func diff(a, b []string) string {
	var d []string
	for _, x := range b {
		if !slices.Contains(a, x) {
			d = append(d, "+ "+x)
		}
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			d = append(d, "- "+x)
		}
	}
	return strings.Join(d, "\n")
}

// testConcurrent runs readers and writers together; run under -race.
func testConcurrent(t *testing.T, s *Store) {
	ctx := context.Background()
	mustApply(t, s, fixture())
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				id := fmt.Sprintf("w%d_%d", w, i)
				b := &graph.Batch{
					Entities: []graph.Entity{{ID: id, Name: "N " + id, Kind: graph.Molecule}},
					Links: []graph.Link{{ID: "l" + id, Subject: id, Object: "alpha", Effect: graph.Increases, Predicate: "biolink:regulates",
						Confidence: 0.5, Evidence: []graph.Evidence{{Quote: "q", Source: "src"}}}},
				}
				if _, err := s.Apply(ctx, b); err != nil {
					t.Error(err)
					return
				}
				// A write is visible to the very next query.
				if res, err := s.Trace(ctx, graph.TraceQuery{From: id, To: "beta"}); err != nil || len(res.Paths) == 0 {
					t.Errorf("trace right after write: %+v, %v", res, err)
				}
			}
		}()
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, err := s.Trace(ctx, graph.TraceQuery{From: "alpha", To: "delta"}); err != nil {
					t.Error(err)
				}
				if _, err := s.Search(ctx, "alpha", nil, 5, graph.Filter{}); err != nil {
					t.Error(err)
				}
				s.Stats(ctx)
			}
		}()
	}
	wg.Wait()
	if st := s.Stats(ctx); st.Entities != 25 || st.Links != 25 {
		t.Errorf("after concurrent writes: %d entities, %d links; want 25, 25", st.Entities, st.Links)
	}
}

func TestBoltReopen(t *testing.T) {
	ctx := context.Background()
	spec := "bolt:" + filepath.Join(t.TempDir(), "db")
	s, err := Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, s, fixture())
	want := dump(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpen(t, spec)
	if got := dump(t, s2); !slices.Equal(got, want) {
		t.Errorf("reopened store differs:\n%s", diff(want, got))
	}
	res, err := s2.Trace(ctx, graph.TraceQuery{From: "alpha", To: "delta"})
	if err != nil || len(res.Paths) != 2 {
		t.Errorf("trace on reopened store: %+v, %v", res, err)
	}
	if _, err := s2.Apply(ctx, fixture()); err != nil {
		t.Errorf("re-applying the same data after reopen: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	for _, spec := range []string{"bolt:", "nosuch:x", "memory:x"} {
		if _, err := Open(context.Background(), spec); !errors.Is(err, graph.ErrBadArgument) {
			t.Errorf("Open(%q) = %v, want ErrBadArgument", spec, err)
		}
	}
}

func TestSearch(t *testing.T) {
	s := mustOpen(t, "memory")
	mustApply(t, s, fixture())
	tests := []struct {
		text  string
		kinds []graph.Kind
		want  []string
	}{
		{"alpha", nil, []string{"alpha"}},
		{"gamma proc", nil, []string{"gamma"}},
		{"CHEBI:1", nil, []string{"alpha"}},
		{"first", nil, []string{"alpha"}},                                 // description
		{"cell", []graph.Kind{graph.Hormone}, nil},                        // kind filter
		{"Gamma procss", nil, []string{"gamma"}},                          // typo
		{"a", nil, []string{"alpha", "beta", "delta", "gamma", "island"}}, // prefix and substring
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			hits, err := s.Search(context.Background(), tt.text, tt.kinds, 0, graph.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Entity.ID)
			}
			if len(tt.want) == 1 && len(got) > 0 {
				got = got[:1]
			}
			if len(tt.want) > 1 {
				slices.Sort(got)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
	if _, err := s.Search(context.Background(), "  ", nil, 0, graph.Filter{}); !errors.Is(err, graph.ErrBadArgument) {
		t.Errorf("empty search: %v", err)
	}
}

// TestBoltInUse: a second process (here, a second Open) on the same bolt
// file gets a clear error at once instead of waiting for the lock forever.
func TestBoltInUse(t *testing.T) {
	spec := "bolt:" + filepath.Join(t.TempDir(), "db")
	mustOpen(t, spec)
	_, err := Open(context.Background(), spec)
	if !errors.Is(err, graph.ErrBusy) {
		t.Fatalf("second Open = %v, want ErrBusy", err)
	}
}

// TestInvalidUTF8 is refused by validation, before bolt's protocol buffers
// would refuse it mid-write.
func TestInvalidUTF8(t *testing.T) {
	s := mustOpen(t, "bolt:"+filepath.Join(t.TempDir(), "db"))
	b := &graph.Batch{Entities: []graph.Entity{{ID: "theta", Name: "Theta \xff", Kind: graph.Cell}}}
	_, err := s.Apply(context.Background(), b)
	var ps graph.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Field != "name" || !errors.Is(err, graph.ErrInvalidValue) {
		t.Fatalf("err = %v, want one invalid-value problem on name", err)
	}
	b.Entities[0].Name = "Theta"
	mustApply(t, s, b)
}

// TestRecordsAsStored: Records answers from the snapshot, not from the
// store; after loads and edits it must still be exactly what decoding the
// store's quads gives (ReadRecords).
func TestRecordsAsStored(t *testing.T) {
	ctx := context.Background()
	for _, spec := range []string{"memory", "bolt:" + t.TempDir()} {
		name, _, _ := strings.Cut(spec, ":")
		t.Run(name, func(t *testing.T) {
			s, err := Open(ctx, spec)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			b := gen.Generate(gen.Config{Edges: 300, Seed: 2})
			if _, err := s.Apply(ctx, b); err != nil {
				t.Fatal(err)
			}
			if err := s.RemoveLink(ctx, b.Links[7].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.RemoveEntity(ctx, b.Entities[3].ID, true); err != nil {
				t.Fatal(err)
			}
			ev := b.Links[20].Evidence[0]
			ev.Source, ev.Quote = b.Sources[0].ID, "a second statement of it"
			if _, err := s.AddEvidence(ctx, b.Links[20].ID, ev); err != nil {
				t.Fatal(err)
			}
			got, err := s.Records(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.ReadRecords(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Records differs from the store's quads: %d/%d entities, %d/%d links, %d/%d sources, %d/%d references",
					len(got.Entities), len(want.Entities), len(got.Links), len(want.Links), len(got.Sources), len(want.Sources), len(got.References), len(want.References))
			}
		})
	}
}

// TestRecordsAreTheCallers: changing what Records returned, down to an
// evidence item's lists and pointers, changes nothing in the store.
func TestRecordsAreTheCallers(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "memory")
	b := fixture()
	yes := true
	b.Links[0].Evidence[0].Direct = &yes
	b.Links[0].Evidence[0].Publications = []string{"PMID:1"}
	mustApply(t, s, b)
	before := dump(t, s)
	got, err := s.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got.Links {
		l := &got.Links[i]
		l.Effect = graph.Decreases
		for j := range l.Evidence {
			l.Evidence[j].Source = "MUTATED"
			if l.Evidence[j].Direct != nil {
				*l.Evidence[j].Direct = false
			}
			for k := range l.Evidence[j].Publications {
				l.Evidence[j].Publications[k] = "PMID:2"
			}
		}
	}
	for i := range got.Entities {
		for k := range got.Entities[i].Synonyms {
			got.Entities[i].Synonyms[k] = "MUTATED"
		}
	}
	if after := dump(t, s); !slices.Equal(after, before) {
		t.Errorf("changing Records' answer changed the store:\n%s", diff(before, after))
	}
}
