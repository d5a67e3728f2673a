package kg

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/internal/store"
)

// TestReplicaByDeltas runs two Stores on one PostgreSQL database, the
// writer's change log keeping 5 transactions. Writes of every kind through
// A reach B through the log, not by reading the whole graph, and B then
// answers exactly as a snapshot built from what the database holds. A B
// that falls further behind than the log reaches reads the whole graph,
// and answers alike too.
func TestReplicaByDeltas(t *testing.T) {
	spec := pgtest.Spec(t)
	ctx := context.Background()
	db, err := store.OpenWith(ctx, spec, store.Options{LogKeep: 5})
	if err != nil {
		t.Fatal(err)
	}
	a, err := newStore(ctx, db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	mustApply(t, a, gen.Generate(gen.Config{Edges: 300, Seed: 2}))
	b, err := Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	reloads := func() int {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.reloads
	}
	caughtUp := func(what string) {
		t.Helper()
		if !pgtest.WaitFor(15*time.Second, func() bool { return differ(ctx, b.snap.Load(), a.snap.Load()) == "" }) {
			t.Fatalf("%s: B never caught up with A: %s", what, differ(ctx, b.snap.Load(), a.snap.Load()))
		}
		recs, err := b.Records(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if msg := differ(ctx, b.snap.Load(), snapshotOfBatch(recs)); msg != "" {
			t.Fatalf("%s: B differs from the database: %s", what, msg)
		}
	}

	r := rand.New(rand.NewPCG(9, 9))
	for step := range 12 {
		if err := randomWrite(ctx, a, r, step); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		caughtUp("write " + string(rune('a'+step)))
	}
	if n := reloads(); n != 0 {
		t.Errorf("B read the whole graph %d times to follow A's writes", n)
	}

	// B falls behind by more than the log keeps: it reads the whole graph.
	b.stopFollow()
	for step := range 8 {
		if _, err := a.Apply(ctx, probeBatch(step)); err != nil {
			t.Fatal(err)
		}
	}
	b.sync(ctx)
	if n := reloads(); n != 1 {
		t.Errorf("B, 8 writes behind a log of 5, read the whole graph %d times, want 1", n)
	}
	caughtUp("after falling behind")
}

// probeBatch is a new entity and a link to it.
func probeBatch(i int) *graph.Batch {
	id := "probe_" + string(rune('a'+i))
	return &graph.Batch{
		Entities: []graph.Entity{{ID: id, Name: "probe " + id, Kind: graph.Process}},
		Links: []graph.Link{{ID: "link_" + id, Subject: gen.EntityID(1), Object: id, Effect: graph.Increases,
			Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: gen.SourceID, Quote: "probe " + id}}}},
	}
}

// TestReplicaFollowsCopyLoads: loads that go through COPY are logged too.
// B, on the same PostgreSQL schema as A, applies A's loads from the change
// log (a small one as plain JSON, a larger one compressed) without reading
// the whole graph, and reads it exactly once for a load past logLoadMax,
// whose entry says so; each time B answers as A does and as the database
// holds.
func TestReplicaFollowsCopyLoads(t *testing.T) {
	spec := pgtest.Spec(t)
	ctx := context.Background()
	a, err := Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	g := gen.Generate(gen.Config{Edges: 9_000, Seed: 4})
	loads := []struct {
		name    string
		batch   *graph.Batch
		loadMax int // logLoadMax for the load
		reloads int // B's reloads after it
	}{
		{"into-empty", &graph.Batch{Sources: g.Sources, Entities: g.Entities, Links: g.Links[:1_000]}, logLoadMax, 0},
		{"compressed", &graph.Batch{Links: g.Links[1_000:7_000]}, logLoadMax, 0},
		{"too-large", &graph.Batch{Links: g.Links[7_000:]}, 1_000, 1},
	}
	defer func(max int) { logLoadMax = max }(logLoadMax)
	for _, l := range loads {
		logLoadMax = l.loadMax
		res, err := a.Apply(ctx, l.batch)
		if err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		if res.Quads < store.DefaultCopyMin {
			t.Fatalf("%s: %d quads, too few for a COPY load", l.name, res.Quads)
		}
		if !pgtest.WaitFor(15*time.Second, func() bool { return differ(ctx, b.snap.Load(), a.snap.Load()) == "" }) {
			t.Fatalf("%s: B never caught up with A: %s", l.name, differ(ctx, b.snap.Load(), a.snap.Load()))
		}
		recs, err := b.Records(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if msg := differ(ctx, b.snap.Load(), snapshotOfBatch(recs)); msg != "" {
			t.Fatalf("%s: B differs from the database: %s", l.name, msg)
		}
		b.mu.Lock()
		n := b.reloads
		b.mu.Unlock()
		if n != l.reloads {
			t.Fatalf("%s: B read the whole graph %d times, want %d", l.name, n, l.reloads)
		}
	}
}
