package kg_test

import (
	"context"
	"runtime"
	"testing"

	. "github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/store"
	"github.com/leydigkg/leydigkg/kg"
)

// Sizes of the generated graphs the scale benchmarks run on. At 10^6 the
// traversals run on the index alone (IndexedStore), and cayley's path API
// (over a memstore of the store's quads), which takes minutes per query at
// that size, is left out.
var scaleSizes = []struct {
	name  string
	edges int
}{{"1e4", 10_000}, {"1e5", 100_000}, {"1e6", 1_000_000}}

// scaleGraph is a generated graph loaded three ways: into a Store, into a
// cayley memstore of the Store's quads (up to 10^5), and as plain
// adjacency arrays for the floor.
type scaleGraph struct {
	store  *kg.Store
	cayley *store.Walker // cayley's path API over the store's quads (up to 10^5 links)
	adj    [][]int32     // node -> objects, the floor's whole index
	num    map[string]int32
}

var scaleCache = map[int]*scaleGraph{}

func loadScale(b *testing.B, edges int) *scaleGraph {
	if g, ok := scaleCache[edges]; ok {
		return g
	}
	batch := gen.Generate(gen.Config{Edges: edges, Seed: 1})
	g := &scaleGraph{num: map[string]int32{}}
	if edges <= 100_000 {
		s, err := kg.Open(context.Background(), "memory")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Apply(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
		g.store = s
		if g.cayley, err = kg.CayleyWalker(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	} else {
		g.store = kg.IndexedStore(batch)
	}
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
			// A source filter that keeps every link: what checking each
			// link's evidence costs.
			b.Run("leydigkg-filtered", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := g.store.Downstream(ctx, ReachQuery{Of: from, MaxDepth: 4, First: 0, Filter: denyElsewhere()})
					if err != nil || res.Truncated || res.Total != want {
						b.Fatal(err, res.Truncated, res.Total, want)
					}
				}
			})
			b.Run("bfs-floor", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if n := bfsFloor(g.adj, g.num[from], 4); n != want {
						b.Fatalf("floor reached %d, leydigkg %d", n, want)
					}
				}
			})
			if g.cayley == nil {
				return
			}
			b.Run("cayley-FollowRecursive", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					n, err := g.cayley.FollowRecursive(ctx, from, 4)
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
			b.Run("leydigkg-filtered", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := g.store.Trace(ctx, TraceQuery{From: from, To: to, MaxDepth: 6, Limit: 10, Filter: denyElsewhere()})
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
			for _, tc := range []struct {
				name string
				q    LoopQuery
			}{
				{"through", LoopQuery{Through: gen.EntityID(50), MaxLength: 4, First: 20}},
				// Everywhere: stops at the default work budget on the larger graphs.
				{"anywhere", LoopQuery{MaxLength: 4, First: 20}},
			} {
				b.Run(tc.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := g.store.Loops(ctx, tc.q); err != nil {
							b.Fatal(err)
						}
					}
				})
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
// "rows" is what the traversal index adds to the records (CSR rows, link
// arrays, id and name maps); "index" is the whole snapshot, records
// included (built from the records, as after a write);
// "store" is a whole memory Store, which keeps no quads: its snapshot
// (measured up to 10^5 links).
func BenchmarkScaleMemory(b *testing.B) {
	for _, size := range scaleSizes {
		b.Run(size.name, func(b *testing.B) {
			recs, idx := kg.IndexBytes(func() *Batch { return gen.Generate(gen.Config{Edges: size.edges, Seed: 1}) })
			index := recs + idx
			if size.edges > 100_000 {
				for b.Loop() {
				}
				b.ReportMetric(float64(idx)/float64(size.edges), "rows-B/edge")
				b.ReportMetric(float64(index)/float64(size.edges), "index-B/edge")
				return
			}
			before := kg.Heap()
			s, err := kg.Open(context.Background(), "memory")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Apply(context.Background(), gen.Generate(gen.Config{Edges: size.edges, Seed: 1})); err != nil {
				b.Fatal(err)
			}
			store := kg.Heap() - before
			runtime.KeepAlive(s)
			for b.Loop() {
			}
			b.ReportMetric(float64(idx)/float64(size.edges), "rows-B/edge")
			b.ReportMetric(float64(index)/float64(size.edges), "index-B/edge")
			b.ReportMetric(float64(store)/float64(size.edges), "store-B/edge")
			s.Close()
		})
	}
}

// denyElsewhere is a source filter that leaves out a source the generated
// graphs do not have: it keeps every link, after looking at its evidence.
func denyElsewhere() Filter {
	var f Filter
	f.Sources.Deny = []string{"elsewhere"}
	return f
}
