package kg_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
)

// BenchmarkOpenBolt opens a bolt store holding a signed network of 10⁵
// rows as a load of one writes it (each link one plain evidence item:
// source, knowledge level, agent, the row it came from; 3 quads), which
// reads the whole store back into the index: what serve's start and a
// reload pay, and the live heap the open store holds per link after
// (live-B/link). LEYDIGKG_OPEN_EDGES changes the size, and
// LEYDIGKG_OPEN_HEAPPROFILE=FILE writes a heap profile of the open store
// (go tool pprof -sample_index=inuse_space FILE):
//
//	go test ./kg -run '^$' -bench OpenBolt -benchmem -count 6
func BenchmarkOpenBolt(b *testing.B) {
	ctx := context.Background()
	edges := 100_000
	if n, err := strconv.Atoi(os.Getenv("LEYDIGKG_OPEN_EDGES")); err == nil && n > 0 {
		edges = n
	}
	spec := "bolt:" + filepath.Join(b.TempDir(), "store")
	s, err := kg.Open(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Apply(ctx, signedRows(edges)); err != nil {
		b.Fatal(err)
	}
	s.Close()
	for b.Loop() {
		s, err := kg.Open(ctx, spec)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	// What the open store holds, live, per link: the index (what is
	// garbage once it is built is collected first).
	before := kg.Heap()
	s, err = kg.Open(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(kg.Heap()-before)/float64(edges), "live-B/link")
	if file := os.Getenv("LEYDIGKG_OPEN_HEAPPROFILE"); file != "" {
		writeHeapProfile(b, file)
	}
	s.Close()
}

// signedRows is the generated graph as a signed list's load makes it: no
// quotes, no confidence, one plain evidence item a link.
func signedRows(edges int) *graph.Batch {
	batch := gen.Generate(gen.Config{Edges: edges, Seed: 1})
	for i := range batch.Links {
		l := &batch.Links[i]
		l.Confidence = 0
		l.Evidence = []graph.Evidence{{Source: gen.SourceID, KnowledgeLevel: graph.KnowledgeNotProvided, AgentType: graph.AgentNotProvided,
			At: "net.csv:" + strconv.Itoa(i+2)}}
	}
	return batch
}

func writeHeapProfile(b *testing.B, file string) {
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}
