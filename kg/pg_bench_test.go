package kg_test

import (
	"context"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/kg"
)

// PostgreSQL benchmarks; they need LEYDIGKG_TEST_POSTGRES (see the README)
// and say so when it is not set. Loading 10^5 links takes minutes: run them
// once, e.g.
//
//	go test ./graph -run '^$' -bench 'Postgres' -benchtime 1x -timeout 60m

// pgSizes are the generated graphs the PostgreSQL benchmarks run on.
var pgSizes = []struct {
	name  string
	edges int
}{{"1e4", 10_000}, {"1e5", 100_000}}

// batches splits a generated graph into write batches of at most n links,
// each carrying the source and the entities its links need that no earlier
// batch carried.
func batches(all *graph.Batch, n int) []*graph.Batch {
	byID := map[string]graph.Entity{}
	for _, e := range all.Entities {
		byID[e.ID] = e
	}
	sent := map[string]bool{}
	var out []*graph.Batch
	for start := 0; start < len(all.Links); start += n {
		b := &graph.Batch{Sources: all.Sources, References: all.References}
		for _, l := range all.Links[start:min(start+n, len(all.Links))] {
			for _, id := range []string{l.Subject, l.Object} {
				if !sent[id] {
					sent[id] = true
					b.Entities = append(b.Entities, byID[id])
				}
			}
			b.Links = append(b.Links, l)
		}
		out = append(out, b)
	}
	for _, e := range all.Entities { // entities with no links
		if !sent[e.ID] {
			out[len(out)-1].Entities = append(out[len(out)-1].Entities, e)
		}
	}
	return out
}

// loadBatches writes the batches, each in a transaction of its own.
func loadBatches(b *testing.B, s *kg.Store, bs []*graph.Batch) (quads int) {
	for _, batch := range bs {
		res, err := s.Apply(context.Background(), batch)
		if err != nil {
			b.Fatal(err)
		}
		quads += res.Quads
	}
	return quads
}

// BenchmarkPostgres, on a generated graph of each size:
//
//	load                 writes it into an empty PostgreSQL store in batches
//	                     of 10^4 links, a transaction each: edges/s, quads/s
//	reload               what a replica pays to follow another server's
//	                     write: reading every quad back into a snapshot
//	                     (Open runs the same code as the follower's reload)
//	trace, downstream    the same queries on the same graph in PostgreSQL
//	                     and in memory
func BenchmarkPostgres(b *testing.B) {
	ctx := context.Background()
	for _, size := range pgSizes {
		b.Run(size.name, func(b *testing.B) {
			dsn := pgtest.Require(b)
			all := gen.Generate(gen.Config{Edges: size.edges, Seed: 1})
			var spec string // the last store loaded
			var quads int
			b.Run("load", func(sb *testing.B) {
				bs := batches(all, 10_000)
				var spent time.Duration
				for sb.Loop() {
					sb.StopTimer()
					spec = "postgres:" + pgtest.FreshSchema(b, dsn) // dropped when the size is done
					s, err := kg.Open(ctx, spec)
					if err != nil {
						sb.Fatal(err)
					}
					sb.StartTimer()
					start := time.Now()
					quads = loadBatches(sb, s, bs)
					spent += time.Since(start)
					sb.StopTimer()
					s.Close()
					sb.StartTimer()
				}
				sb.ReportMetric(float64(size.edges*sb.N)/spent.Seconds(), "edges/s")
				sb.ReportMetric(float64(quads*sb.N)/spent.Seconds(), "quads/s")
			})
			if spec == "" {
				b.Fatal("nothing loaded")
			}
			b.Run("reload", func(sb *testing.B) {
				for sb.Loop() {
					s, err := kg.Open(ctx, spec)
					if err != nil {
						sb.Fatal(err)
					}
					sb.StopTimer()
					s.Close()
					sb.StartTimer()
				}
				sb.ReportMetric(float64(quads), "quads")
			})
			pg, err := kg.Open(ctx, spec)
			if err != nil {
				b.Fatal(err)
			}
			defer pg.Close()
			mem, err := kg.Open(ctx, "memory")
			if err != nil {
				b.Fatal(err)
			}
			defer mem.Close()
			if _, err := mem.Apply(ctx, all); err != nil {
				b.Fatal(err)
			}
			for _, backend := range []struct {
				name string
				s    *kg.Store
			}{{"memory", mem}, {"postgres", pg}} {
				b.Run("trace/"+backend.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						res, err := backend.s.Trace(ctx, graph.TraceQuery{From: gen.EntityID(50), To: gen.EntityID(500), MaxDepth: 6, Limit: 10})
						if err != nil || len(res.Paths) == 0 {
							b.Fatal(err)
						}
					}
				})
				b.Run("downstream/"+backend.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := backend.s.Downstream(ctx, graph.ReachQuery{Of: gen.EntityID(10), MaxDepth: 4}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkPGLoad10e5 loads a generated graph of 10^5 links (0.475 M
// quads in layout 4: each link a quoted evidence item) into an empty PostgreSQL store in one Apply, one transaction, as
// `leydigkg load` does: links/s and quads/s. Before COPY loads this took
// minutes an iteration; run it with -benchtime 1x, e.g.
//
//	go test ./kg -run '^$' -bench PGLoad10e5 -benchtime 1x -count 5 -timeout 60m
func BenchmarkPGLoad10e5(b *testing.B) {
	ctx := context.Background()
	dsn := pgtest.Require(b)
	all := gen.Generate(gen.Config{Edges: 100_000, Seed: 1})
	var spent time.Duration
	quads := 0
	for b.Loop() {
		b.StopTimer()
		s, err := kg.Open(ctx, "postgres:"+pgtest.FreshSchema(b, dsn))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := s.Apply(ctx, all)
		if err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
		quads += res.Quads
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(all.Links)*b.N)/spent.Seconds(), "links/s")
	b.ReportMetric(float64(quads)/spent.Seconds(), "quads/s")
}

// BenchmarkPGLoad10e5Batched loads the same graph in batches of 10^4
// links, a transaction each, as BenchmarkPostgres/1e5/load does, without
// that benchmark's reloads and queries after: links/s.
func BenchmarkPGLoad10e5Batched(b *testing.B) {
	ctx := context.Background()
	dsn := pgtest.Require(b)
	bs := batches(gen.Generate(gen.Config{Edges: 100_000, Seed: 1}), 10_000)
	var spent time.Duration
	for b.Loop() {
		b.StopTimer()
		s, err := kg.Open(ctx, "postgres:"+pgtest.FreshSchema(b, dsn))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		loadBatches(b, s, bs)
		spent += time.Since(start)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(100_000*b.N)/spent.Seconds(), "links/s")
}
