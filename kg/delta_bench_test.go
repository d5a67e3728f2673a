package kg_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
)

// BenchmarkSmallWrite: one small write (a new entity, and a link to it from
// the graph with one evidence item) on memory stores of 10⁴, 10⁵ and 10⁶
// generated links, without a database, by the two paths a write takes:
//
//   - apply: Store.Apply on the store (check, plan, the next snapshot, a
//     compaction when one is due), as on the server written to;
//   - follow: what a follower does with that write's change log entry
//     (decode, score, the next snapshot, a compaction when due).
//
// Each stays on one store per size across runs, as a server's writes do
// (compactions included): what it costs should not grow with the graph.
//
//	go test ./kg -run '^$' -bench SmallWrite -benchtime 2000x -count 5 -timeout 30m
func BenchmarkSmallWrite(b *testing.B) {
	for _, links := range []int{10_000, 100_000, 1_000_000} {
		for _, path := range []string{"apply", "follow"} {
			b.Run(fmt.Sprintf("links=%d/%s", links, path), func(b *testing.B) {
				s := smallWriteStore(b, links, path)
				ctx := context.Background()
				for b.Loop() {
					w := smallWrite()
					if path == "apply" {
						if _, err := s.Apply(ctx, w); err != nil {
							b.Fatal(err)
						}
					} else if !kg.ApplyLogged(s, w) {
						b.Fatal("entry not applied")
					}
				}
				b.StopTimer()
				if _, err := s.Link(ctx, smallWrite().Links[0].ID); err == nil {
					b.Fatal("a write not yet made is there")
				}
			})
		}
	}
}

var smallWrites atomic.Int64

// smallWrite is a new entity and a link to it from one of the graph's
// first 1,000 entities.
func smallWrite() *graph.Batch {
	i := int(smallWrites.Add(1))
	id := fmt.Sprintf("small_write_%d", i)
	return &graph.Batch{
		Entities: []graph.Entity{{ID: id, Name: "probe " + id, Kind: graph.Process}},
		Links: []graph.Link{{ID: "link_" + id, Subject: gen.EntityID(i % 1000), Object: id, Effect: graph.Increases,
			Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: gen.SourceID, Quote: "small write " + id}}}},
	}
}

var smallWriteStores sync.Map // "links/path" -> *kg.Store

func smallWriteStore(b *testing.B, links int, path string) *kg.Store {
	key := fmt.Sprint(links, "/", path)
	if s, ok := smallWriteStores.Load(key); ok {
		return s.(*kg.Store)
	}
	s, err := kg.MemoryStoreOf(context.Background(), gen.Generate(gen.Config{Edges: links, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	cleanups = append(cleanups, func() { s.Close() })
	smallWriteStores.Store(key, s)
	return s
}
