package graph

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/internal/pgtest"
)

// TestBatchedWritesAreCayleys: what the batched writer stores, cayley's own
// postgres backend reads back the same, and the other way round; and the
// two can write into one database.
func TestBatchedWritesAreCayleys(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.FreshSchema(t, pgtest.Require(t))
	ours, err := open(ctx, storeSpec{backend: backendPostgres, path: dsn, cayley: cayleyPostgres})
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	mustApply(t, ours, fixture())
	stock, err := open(ctx, storeSpec{backend: backendPostgres, path: dsn, cayley: "postgres"})
	if err != nil {
		t.Fatal(err)
	}
	defer stock.Close()
	if got, want := dumpCayley(t, stock), dump(t, ours); !slices.Equal(got, want) {
		t.Fatalf("cayley's backend reads back something else:\n%s", diff(want, got))
	}
	mustApply(t, stock, chain("s", 3)) // through cayley's own RunTx
	mustApply(t, ours, chain("o", 3))
	if !pgtest.WaitFor(followPoll*5, func() bool { return ours.Stats(ctx).Links == 11 && stock.Stats(ctx).Links == 11 }) {
		t.Fatalf("links: ours %d, stock %d; want 11", ours.Stats(ctx).Links, stock.Stats(ctx).Links)
	}
	if got, want := dumpCayley(t, stock), dump(t, ours); !slices.Equal(got, want) {
		t.Fatalf("after writes by both:\n%s", diff(want, got))
	}
}

// dumpCayley lists every quad as cayley's own iterator reads it, one query
// per value (not the Store's one-query read).
func dumpCayley(t *testing.T, s *Store) []string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(context.Background()) {
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q.String())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// BenchmarkPostgresWrite writes 2,000 entities and links in one transaction
// with cayley's own write step and with the batched one.
func BenchmarkPostgresWrite(b *testing.B) {
	for _, flavor := range []string{"postgres", cayleyPostgres} {
		name := strings.Replace(flavor, "leydigkg-postgres", "batched", 1)
		if flavor == "postgres" {
			name = "cayley-RunTx"
		}
		b.Run(name, func(b *testing.B) {
			dsn := pgtest.Require(b)
			batch := chain("w", 2000)
			var quads int
			for b.Loop() {
				b.StopTimer()
				s, err := open(context.Background(), storeSpec{backend: backendPostgres, path: pgtest.FreshSchema(b, dsn), cayley: flavor})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Apply(context.Background(), fixture()); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res, err := s.Apply(context.Background(), batch)
				if err != nil {
					b.Fatal(err)
				}
				quads = res.Quads
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(quads), "quads/op")
		})
	}
}

// BenchmarkPostgresRead reads every quad of 2,000 entities and links back,
// through cayley's iterator (a query per value its 1,024-entry cache
// misses) and through the Store's two queries.
func BenchmarkPostgresRead(b *testing.B) {
	dsn := pgtest.FreshSchema(b, pgtest.Require(b))
	s, err := open(context.Background(), storeSpec{backend: backendPostgres, path: dsn, cayley: cayleyPostgres})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Apply(context.Background(), fixture()); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Apply(context.Background(), chain("r", 2000)); err != nil {
		b.Fatal(err)
	}
	b.Run("cayley-iterator", func(b *testing.B) {
		for b.Loop() {
			s.mu.Lock()
			it := s.qs.QuadsAllIterator().Iterate()
			for it.Next(context.Background()) {
				if _, err := s.qs.Quad(it.Result()); err != nil {
					b.Fatal(err)
				}
			}
			it.Close()
			s.mu.Unlock()
		}
	})
	b.Run("two-queries", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.sql.readAll(context.Background(), func(quad.Quad) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
