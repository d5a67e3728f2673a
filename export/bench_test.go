package export_test

import (
	"context"
	"io"
	"testing"

	"github.com/cayleygraph/cayley"
	"github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt" // cayley's own bbolt backend, for its dump
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/leydigkg/leydigkg/export"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/kg"
)

// BenchmarkExportBolt exports a bolt store of a generated 10^5-link graph
// (10^4 under -short) as `leydigkg export --store bolt:DIR` does: open the
// store, take its records, write them; and, in the same run, dumps it as
// `cayley dump` does: open it with cayley's own bbolt backend, copy every
// quad to cayley's N-Quads writer. Both write to io.Discard.
func BenchmarkExportBolt(b *testing.B) {
	edges := 100_000
	if testing.Short() {
		edges = 10_000
	}
	ctx := context.Background()
	dir := b.TempDir()
	s, err := kg.Open(ctx, "bolt:"+dir)
	if err != nil {
		b.Fatal(err)
	}
	batch := gen.Generate(gen.Config{Edges: edges, Seed: 1})
	bulk := s.Bulk(ctx)
	if bulk == nil {
		b.Fatal("no bulk load on a new bolt store")
	}
	layout.EachQuad(batch, bulk.Write)
	if _, ok, err := bulk.Commit(ctx, batch, nil); !ok || err != nil {
		b.Fatal("bulk load", ok, err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	for _, f := range []string{"nquads", "json"} {
		b.Run("leydigkg-"+f, func(b *testing.B) {
			w, _ := export.Writers.Lookup(f)
			b.ReportAllocs()
			for b.Loop() {
				s, err := kg.Open(ctx, "bolt:"+dir)
				if err != nil {
					b.Fatal(err)
				}
				recs, err := s.Records(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if err := w.Codec.One(ctx, io.Discard, recs, nil); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
	b.Run("cayley-dump", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h, err := cayley.NewGraph("bbolt", dir, nil)
			if err != nil {
				b.Fatal(err)
			}
			qr := graph.NewQuadStoreReader(h.QuadStore)
			qw := nquads.NewWriter(io.Discard)
			if _, err := quad.Copy(qw, qr); err != nil {
				b.Fatal(err)
			}
			if err := qw.Close(); err != nil {
				b.Fatal(err)
			}
			qr.Close()
			h.Close()
		}
	})
}
