package graph_test

import (
	"context"
	"runtime"
	"testing"

	. "github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
)

// Sizes of the generated graphs the scale benchmarks run on. 10^6 takes a
// minute to load into memstore; run it with -bench 'Scale/1e6'.
var scaleSizes = []struct {
	name  string
	edges int
}{{"1e4", 10_000}, {"1e5", 100_000}, {"1e6", 1_000_000}}

// scaleGraph is a generated graph loaded three ways: into a Store (cayley
// memstore plus our snapshot), and as plain adjacency arrays for the floor.
type scaleGraph struct {
	store *Store
	adj   [][]int32 // node -> objects, the floor's whole index
	num   map[string]int32
}

var scaleCache = map[int]*scaleGraph{}

func loadScale(b *testing.B, edges int) *scaleGraph {
	if g, ok := scaleCache[edges]; ok {
		return g
	}
	batch := gen.Generate(gen.Config{Edges: edges, Seed: 1})
	s, err := Open(context.Background(), "memory")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Apply(context.Background(), batch); err != nil {
		b.Fatal(err)
	}
	g := &scaleGraph{store: s, num: map[string]int32{}}
	for i, e := range batch.Entities {
		g.num[e.ID] = int32(i)
	}
	g.adj = make([][]int32, len(batch.Entities))
	for _, l := range batch.Links {
		u := g.num[l.Subject]
		g.adj[u] = append(g.adj[u], g.num[l.Object])
	}
	scaleCache[edges] = g
	return g
}

// bfsFloor is the least work any reachability answer costs: a breadth-first
// search over plain adjacency arrays, counting what it reaches.
func bfsFloor(adj [][]int32, from int32, depth int) int {
	dist := make([]int8, len(adj))
	for i := range dist {
		dist[i] = -1
	}
	dist[from] = 0
	frontier, next := []int32{from}, []int32(nil)
	reached := 0
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		next = next[:0]
		for _, u := range frontier {
			for _, v := range adj[u] {
				if dist[v] < 0 {
					dist[v] = int8(d)
					next = append(next, v)
					reached++
				}
			}
		}
		frontier, next = next, frontier
	}
	return reached
}

// BenchmarkScaleDownstream: everything 4 links downstream of an early
// (well-connected) entity, three ways.
func BenchmarkScaleDownstream(b *testing.B) {
	ctx := context.Background()
	for _, size := range scaleSizes {
		b.Run(size.name, func(b *testing.B) {
			g := loadScale(b, size.edges)
			from := gen.EntityID(10)
			var want int
			b.Run("leydigkg", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := g.store.Downstream(ctx, ReachQuery{Of: from, MaxDepth: 4, First: 0})
					if err != nil || res.Truncated {
						b.Fatal(err, res.Truncated)
					}
					want = res.Total
				}
				b.ReportMetric(float64(want), "entities")
			})
			b.Run("bfs-floor", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if n := bfsFloor(g.adj, g.num[from], 4); n != want {
						b.Fatalf("floor reached %d, leydigkg %d", n, want)
					}
				}
			})
			if size.edges > 100_000 {
				return // cayley takes minutes per query at 10^6
			}
			b.Run("cayley-FollowRecursive", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					n, err := FollowRecursive(ctx, g.store, from, 4)
					if err != nil || n < want {
						b.Fatalf("cayley reached %d (%v), leydigkg %d", n, err, want)
					}
				}
			})
		})
	}
}

// BenchmarkScaleTrace: the 10 best chains of at most 6 links between two
// entities, against the floor of one BFS to depth 6.
func BenchmarkScaleTrace(b *testing.B) {
	ctx := context.Background()
	for _, size := range scaleSizes {
		b.Run(size.name, func(b *testing.B) {
			g := loadScale(b, size.edges)
			from, to := gen.EntityID(50), gen.EntityID(500)
			b.Run("leydigkg", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := g.store.Trace(ctx, TraceQuery{From: from, To: to, MaxDepth: 6, Limit: 10})
					if err != nil || len(res.Paths) != 10 {
						b.Fatal(err, len(res.Paths))
					}
				}
			})
			b.Run("bfs-floor", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					bfsFloor(g.adj, g.num[from], 6)
				}
			})
		})
	}
}

// BenchmarkScaleLoops and BenchmarkScaleInterventions: loops through an
// early entity, and the therapies that lower it.
func BenchmarkScaleLoops(b *testing.B) {
	ctx := context.Background()
	for _, size := range scaleSizes {
		b.Run(size.name, func(b *testing.B) {
			g := loadScale(b, size.edges)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.store.Loops(ctx, LoopQuery{Through: gen.EntityID(50), MaxLength: 4, First: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkScaleInterventions(b *testing.B) {
	ctx := context.Background()
	for _, size := range scaleSizes {
		b.Run(size.name, func(b *testing.B) {
			g := loadScale(b, size.edges)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.store.Interventions(ctx, InterventionQuery{Target: gen.EntityID(50), Goal: Decreases, MaxDepth: 3, First: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScaleMemory reports the live heap per link after loading:
// "index" is the snapshot alone (built from the records, as after a write),
// "store" is a whole memory Store: cayley's memstore plus the snapshot.
func BenchmarkScaleMemory(b *testing.B) {
	for _, size := range scaleSizes {
		b.Run(size.name, func(b *testing.B) {
			index := IndexBytes(func() *Batch { return gen.Generate(gen.Config{Edges: size.edges, Seed: 1}) })
			before := Heap()
			s, err := Open(context.Background(), "memory")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Apply(context.Background(), gen.Generate(gen.Config{Edges: size.edges, Seed: 1})); err != nil {
				b.Fatal(err)
			}
			store := Heap() - before
			runtime.KeepAlive(s)
			for b.Loop() {
			}
			b.ReportMetric(float64(index)/float64(size.edges), "index-B/edge")
			b.ReportMetric(float64(store)/float64(size.edges), "store-B/edge")
			s.Close()
		})
	}
}
