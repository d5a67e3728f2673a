package kg_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

func curatedStore(b *testing.B, spec string) *kg.Store {
	b.Helper()
	s, err := data.Open(context.Background(), spec)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkLoadCurated parses, validates and writes the whole curated graph
// into an empty store.
func BenchmarkLoadCurated(b *testing.B) {
	for _, backend := range []string{"memory", "bolt"} {
		b.Run(backend, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				spec := "memory"
				if backend == "bolt" {
					spec = "bolt:" + filepath.Join(b.TempDir(), "db")
				}
				s, err := data.Open(ctx, spec)
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

// BenchmarkTrace traces the article's central question on the curated graph.
func BenchmarkTrace(b *testing.B) {
	s := curatedStore(b, "memory")
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		q    graph.TraceQuery
	}{
		{"inflammation-testosterone/depth5", graph.TraceQuery{From: "chronic inflammation", To: "testosterone"}},
		{"inflammation-testosterone/depth8-limit100", graph.TraceQuery{From: "chronic inflammation", To: "testosterone", MaxDepth: 8, Limit: 100}},
		{"cytokines-fibrosis/depth6", graph.TraceQuery{From: "inflammatory cytokines", To: "testicular fibrosis", MaxDepth: 6}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Trace(ctx, tc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkResolve(b *testing.B) {
	s := curatedStore(b, "memory")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Resolve(ctx, "Chronic Inflammation"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	s := curatedStore(b, "memory")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Search(ctx, "oxidative", nil, 10, graph.Filter{}); err != nil {
			b.Fatal(err)
		}
	}
}
