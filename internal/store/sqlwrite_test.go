package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/pgtest"
)

// TestBatchedWritesAreCayleys: what the batched writer stores, cayley's own
// postgres backend reads back the same, and the other way round; and the
// two can write into one database.
func TestBatchedWritesAreCayleys(t *testing.T) {
	dsn := pgtest.FreshSchema(t, pgtest.Require(t))
	g := gen.Generate(gen.Config{Edges: 40, Seed: 3})
	first := &graph.Batch{Sources: g.Sources, Entities: g.Entities, Links: g.Links[:20]}
	ours := mustOpenDB(t, dsn, Options{})
	mustWrite(t, ours, first)
	stock := mustOpenDB(t, dsn, Options{StockSQLWriter: true})
	if got, want := dumpCayley(t, stock), dump(t, ours); !slices.Equal(got, want) {
		t.Fatalf("cayley's backend reads back something else:\n%s", diff(want, got))
	}
	mustWrite(t, stock, &graph.Batch{Links: g.Links[20:30]}) // through cayley's own RunTx
	mustWrite(t, ours, &graph.Batch{Links: g.Links[30:]})
	for name, db := range map[string]*DB{"ours": ours, "stock": stock} {
		if n := linksIn(t, db); n != len(g.Links) {
			t.Errorf("%s reads %d links, want %d", name, n, len(g.Links))
		}
	}
	if got, want := dumpCayley(t, stock), dump(t, ours); !slices.Equal(got, want) {
		t.Fatalf("after writes by both:\n%s", diff(want, got))
	}
}

func mustOpenDB(t testing.TB, spec string, o Options) *DB {
	t.Helper()
	d, err := OpenWith(context.Background(), spec, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func mustWrite(t testing.TB, d *DB, b *graph.Batch) {
	t.Helper()
	if _, err := d.Write(context.Background(), layout.QuadsOf(b), nil); err != nil {
		t.Fatal(err)
	}
}

// dump lists every quad as the DB reads it (on SQL, its one-query read),
// sorted.
func dump(t testing.TB, d *DB) []string {
	t.Helper()
	var out []string
	if err := d.Quads(context.Background(), func(q quad.Quad) error { out = append(out, q.String()); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// dumpCayley lists every quad as cayley's own iterator reads it, one query
// per value (not the DB's one-query read).
func dumpCayley(t testing.TB, d *DB) []string {
	t.Helper()
	var out []string
	it := d.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(context.Background()) {
		q, err := d.qs.Quad(it.Result())
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

// linksIn decodes what d holds and counts the links.
func linksIn(t testing.TB, d *DB) int {
	t.Helper()
	dec := layout.NewDecoder()
	if err := d.ReadAll(context.Background(), dec.Add); err != nil {
		t.Fatal(err)
	}
	return len(dec.Records().Links)
}

func diff(a, b []string) string {
	var out strings.Builder
	for _, x := range a {
		if !slices.Contains(b, x) {
			out.WriteString("- " + x + "\n")
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			out.WriteString("+ " + x + "\n")
		}
	}
	return out.String()
}

// BenchmarkPostgresWrite writes 2,000 entities and links in one
// transaction with cayley's own write step, with the batched one and
// through COPY (sqlcopy.go).
func BenchmarkPostgresWrite(b *testing.B) {
	for _, w := range []struct {
		name string
		opts Options
	}{
		{"cayley-RunTx", Options{StockSQLWriter: true}},
		{"batched", Options{CopyMin: -1}},
		{"copy", Options{}},
	} {
		b.Run(w.name, func(b *testing.B) {
			dsn := pgtest.Require(b)
			g := gen.Generate(gen.Config{Edges: 2000, Seed: 1})
			qs := layout.QuadsOf(g)
			for b.Loop() {
				b.StopTimer()
				d, err := OpenWith(context.Background(), pgtest.FreshSchema(b, dsn), w.opts)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := d.Write(context.Background(), qs, nil); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				d.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(qs)), "quads/op")
		})
	}
}

// BenchmarkPostgresRead reads every quad of 2,000 links back, through
// cayley's iterator (a query per value its 1,024-entry cache misses) and
// through the DB's two queries.
func BenchmarkPostgresRead(b *testing.B) {
	d := mustOpenDB(b, pgtest.FreshSchema(b, pgtest.Require(b)), Options{})
	mustWrite(b, d, gen.Generate(gen.Config{Edges: 2000, Seed: 1}))
	b.Run("cayley-iterator", func(b *testing.B) {
		for b.Loop() {
			it := d.qs.QuadsAllIterator().Iterate()
			for it.Next(context.Background()) {
				if _, err := d.qs.Quad(it.Result()); err != nil {
					b.Fatal(err)
				}
			}
			it.Close()
		}
	})
	b.Run("two-queries", func(b *testing.B) {
		for b.Loop() {
			if _, err := d.sql.readAll(context.Background(), func(quad.Quad) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
