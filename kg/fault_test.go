package kg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/internal/store"
)

// chain is a batch of n new entities c0..c(n-1), linked c(i) -> c(i+1),
// with c0 linked from alpha of the fixture.
func chain(prefix string, n int) *graph.Batch {
	b := &graph.Batch{}
	prev := "alpha"
	for i := range n {
		id := fmt.Sprintf("%s%d", prefix, i)
		b.Entities = append(b.Entities, graph.Entity{ID: id, Name: "Chain " + id, Kind: graph.Molecule, Description: "entity " + id + " of a generated chain"})
		b.Links = append(b.Links, graph.Link{ID: "l" + id, Subject: prev, Object: id, Effect: graph.Increases, Predicate: "biolink:regulates",
			Confidence: 0.5, Mechanism: "generated", Evidence: []graph.Evidence{{Quote: "generated quote " + id, Section: "S", Source: "src"}}})
		prev = id
	}
	return b
}

// TestDatabaseRestart stops the database under two running Stores (a
// writer and a replica) and starts it again: while it is down, writes fail
// with ErrUnavailable and reads go on from the snapshot; after, both serve
// fully again without being reopened, and the replica follows the writer.
func TestDatabaseRestart(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	spec := "postgres:" + srv.DSN()
	a := mustOpen(t, spec)
	mustApply(t, a, fixture())
	b := mustOpen(t, spec)

	if err := a.Ping(ctx); err != nil {
		t.Fatalf("Ping with the database up: %v", err)
	}
	srv.Stop("fast")
	if err := a.Ping(ctx); !errors.Is(err, graph.ErrUnavailable) {
		t.Errorf("Ping with the database down = %v, want ErrUnavailable", err)
	}
	_, err := a.Apply(ctx, chain("down", 1))
	if !errors.Is(err, graph.ErrUnavailable) {
		t.Fatalf("Apply with the database down = %v, want ErrUnavailable", err)
	}
	t.Logf("while down: %v", err)
	if err := a.Quads(ctx, func(quad.Quad) error { return nil }); !errors.Is(err, graph.ErrUnavailable) {
		t.Errorf("Quads with the database down = %v, want ErrUnavailable", err)
	}
	for _, s := range []*Store{a, b} {
		if res, err := s.Trace(ctx, graph.TraceQuery{From: "alpha", To: "delta"}); err != nil || len(res.Paths) != 2 {
			t.Errorf("trace from the snapshot while down: %+v, %v", res, err)
		}
	}
	time.Sleep(2 * store.FollowPoll) // the followers meet the database down, too

	srv.Start()
	if err := b.Ping(ctx); err != nil {
		t.Errorf("Ping after the restart: %v", err)
	}
	// The very first write after the restart succeeds.
	mustApply(t, a, chain("up", 2))
	for name, s := range map[string]*Store{"writer": a, "replica": b} {
		ok := pgtest.WaitFor(10*time.Second, func() bool {
			res, err := s.Trace(ctx, graph.TraceQuery{From: "alpha", To: "up1"})
			return err == nil && len(res.Paths) == 1
		})
		if !ok {
			t.Errorf("%s does not see the write made after the restart", name)
		}
	}
	if _, err := b.Entity(ctx, "down0"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("the write refused while down is visible: %v", err)
	}
	if got, want := dump(t, b), dump(t, a); !slices.Equal(got, want) {
		t.Errorf("replica and writer differ:\n%s", diff(want, got))
	}
}

// TestLoadInterrupted crashes the database in the middle of a large write:
// the write fails, and after the restart the database and the Store hold
// exactly what they held before it; the same write then lands whole.
func TestLoadInterrupted(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	spec := "postgres:" + srv.DSN()
	s := mustOpen(t, spec)
	mustApply(t, s, fixture())
	before := dump(t, s)

	big := chain("big", 1000)
	// Hold the change counter's row, so that the write stops at its first
	// quad statement (the counter's trigger waits for the row), after it
	// has written every value: half-way, deterministically.
	mon, err := sql.Open("postgres", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer mon.Close()
	var nodesBefore int
	if err := mon.QueryRow(`SELECT count(*) FROM nodes`).Scan(&nodesBefore); err != nil {
		t.Fatal(err)
	}
	hold, err := mon.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hold.Exec(`SELECT version FROM leydigkg_changes FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Apply(ctx, big)
		done <- err
	}()
	waiting := pgtest.WaitFor(60*time.Second, func() bool {
		var n int
		err := mon.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE query LIKE 'INSERT INTO quads%' AND wait_event_type = 'Lock'`).Scan(&n)
		return err == nil && n > 0
	})
	if !waiting {
		t.Fatal("the write never reached its quads")
	}
	srv.Stop("immediate") // a crash: no clean shutdown
	err = <-done
	if err == nil {
		t.Fatal("the write succeeded though the database crashed during it")
	}
	if !errors.Is(err, graph.ErrUnavailable) {
		t.Errorf("interrupted write: %v, want ErrUnavailable", err)
	}
	t.Logf("interrupted write: %v", err)

	srv.Start()
	fresh := mustOpen(t, spec)
	if got := dump(t, fresh); !slices.Equal(got, before) {
		t.Fatalf("after the crash the database holds %d quads, want %d", len(got), len(before))
	}
	check, err := sql.Open("postgres", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var nodesAfter int
	if err := check.QueryRow(`SELECT count(*) FROM nodes`).Scan(&nodesAfter); err != nil || nodesAfter != nodesBefore {
		t.Fatalf("values before the write %d, after the crash %d (%v)", nodesBefore, nodesAfter, err)
	}
	if _, err := s.Entity(ctx, "big0"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("the interrupted write is visible in the store: %v", err)
	}
	res := mustApply(t, s, big)
	if res.Entities != 1000 || res.Links != 1000 {
		t.Errorf("re-applied: %+v", res)
	}
	if !pgtest.WaitFor(10*time.Second, func() bool { return fresh.Stats(ctx).Links == 1005 }) {
		t.Errorf("the other store sees %d links, want 1005", fresh.Stats(ctx).Links)
	}
}

// TestTwoWriters: two Stores on one database write at the same time; every
// write lands, and both end up with the same cgraph.
func TestTwoWriters(t *testing.T) {
	ctx := context.Background()
	spec := pgtest.Spec(t)
	a := mustOpen(t, spec)
	mustApply(t, a, fixture())
	b := mustOpen(t, spec)
	errs := make(chan error, 2)
	for w, s := range []*Store{a, b} {
		go func() {
			for i := range 10 {
				id := fmt.Sprintf("w%d_%d", w, i)
				batch := &graph.Batch{
					Entities: []graph.Entity{{ID: id, Name: "N " + id, Kind: graph.Molecule}},
					Links: []graph.Link{{ID: "l" + id, Subject: id, Object: "alpha", Effect: graph.Increases, Predicate: "biolink:regulates",
						Confidence: 0.5, Evidence: []graph.Evidence{{Quote: "q", Source: "src"}}}},
				}
				if _, err := s.Apply(ctx, batch); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for name, s := range map[string]*Store{"a": a, "b": b} {
		if !pgtest.WaitFor(10*time.Second, func() bool { return s.Stats(ctx).Links == 25 }) {
			t.Errorf("store %s holds %d links, want 25", name, s.Stats(ctx).Links)
		}
	}
	if got, want := dump(t, b), dump(t, a); !slices.Equal(got, want) {
		t.Errorf("the stores differ:\n%s", diff(want, got))
	}
}
