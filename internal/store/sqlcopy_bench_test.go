package store

import (
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// BenchmarkPrepareCopy is the Go side of a COPY load before anything is
// sent: hashing, deduplicating and counting the references of the quads
// of a generated graph of 10^5 links, and of as many rows of a signed
// network (no database needed).
func BenchmarkPrepareCopy(b *testing.B) {
	g := gen.Generate(gen.Config{Edges: 100_000, Seed: 1})
	for _, tc := range []struct {
		name string
		b    *graph.Batch
	}{{"generated", g}, {"signed", asRows(g)}} {
		b.Run(tc.name, func(b *testing.B) {
			qs := layout.QuadsOf(tc.b)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := prepareCopy(qs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(qs)*b.N)/b.Elapsed().Seconds(), "quads/s")
		})
	}
}
