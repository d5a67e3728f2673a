package kg_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
)

// benchLinks is the size of the graph BenchmarkMutationBesideReaders
// writes to.
const benchLinks = 200_000

// boltWriteStore is a bolt store holding a generated graph of 2·10⁵ links,
// loaded once per test binary (a bulk load, a minute or so).
var boltWriteStore = struct {
	once sync.Once
	s    *kg.Store
	err  error
}{}

func boltStore(b *testing.B) *kg.Store {
	boltWriteStore.once.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "leydigkg-bench")
		if err != nil {
			boltWriteStore.err = err
			return
		}
		s, err := kg.Open(ctx, "bolt:"+filepath.Join(dir, "db"))
		cleanups = append(cleanups, func() {
			if s != nil {
				s.Close()
			}
			os.RemoveAll(dir)
		})
		if err == nil {
			_, err = s.Apply(ctx, gen.Generate(gen.Config{Edges: benchLinks, Seed: 1}))
		}
		boltWriteStore.s, boltWriteStore.err = s, err
	})
	if boltWriteStore.err != nil {
		b.Fatal(boltWriteStore.err)
	}
	return boltWriteStore.s
}

// BenchmarkMutationBesideReaders: one write (in turn: a new entity linked
// to the graph, evidence added to a link, that entity removed with its
// link) on a bolt store of 2·10⁵ generated links while 32 goroutines run
// traversals (downstream depth 3, a trace of 10 chains) without pause.
// It reports the median and 95th percentile of the writes, and the reads
// done per second meanwhile. Run it with a fixed count of writes:
//
//	go test ./kg -run '^$' -bench MutationBesideReaders -benchtime 20x -count 5
func BenchmarkMutationBesideReaders(b *testing.B) {
	for _, readers := range []int{0, 32} {
		b.Run(fmt.Sprintf("readers=%d", readers), func(b *testing.B) { benchMutation(b, readers) })
	}
}

func benchMutation(b *testing.B, readers int) {
	ctx := context.Background()
	s := boltStore(b)
	stop := make(chan struct{})
	var reads atomic.Int64
	var wg sync.WaitGroup
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				if i%2 == 0 {
					_, err = s.Downstream(ctx, graph.ReachQuery{Of: gen.EntityID((r*97 + i) % 5000), MaxDepth: 3, First: 100})
				} else {
					_, err = s.Trace(ctx, graph.TraceQuery{From: gen.EntityID(50 + r), To: gen.EntityID(500 + i%100), MaxDepth: 6, Limit: 10})
				}
				if err != nil && !errors.Is(err, graph.ErrNotFound) {
					b.Error(err)
					return
				}
				reads.Add(1)
			}
		}()
	}
	time.Sleep(200 * time.Millisecond) // the readers under way
	var took []time.Duration
	start, read0 := time.Now(), reads.Load()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprintf("bench_probe_%d_%d", readers, i/3)
		t0 := time.Now()
		var err error
		switch i % 3 {
		case 0:
			_, err = s.Apply(ctx, &graph.Batch{
				Entities: []graph.Entity{{ID: id, Name: "probe " + id, Kind: graph.Process}},
				Links: []graph.Link{{ID: "link_" + id, Subject: gen.EntityID(i % 1000), Object: id, Effect: graph.Increases,
					Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: gen.SourceID, Quote: "bench " + id}}}},
			})
		case 1:
			_, err = s.AddEvidence(ctx, "link_"+id, graph.Evidence{Source: gen.SourceID, Quote: "more " + id})
		case 2:
			_, err = s.RemoveEntity(ctx, id, true)
		}
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
	}
	b.StopTimer()
	elapsed, nreads := time.Since(start), reads.Load()-read0
	close(stop)
	wg.Wait()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	if readers > 0 {
		b.ReportMetric(float64(nreads)/elapsed.Seconds(), "reads/s")
	}
}
