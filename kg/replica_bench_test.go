package kg_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/pgtest"
	"github.com/leydigkg/leydigkg/kg"
)

// BenchmarkReplicaLag: two stores on one PostgreSQL database holding a
// generated graph of 10⁵ links (LEYDIGKG_REPLICA_EDGES to change it); each operation is one write through A (a
// new entity linked to the graph) and the wait until a query on B finds
// it. It reports the median and 95th percentile of that lag. Needs
// LEYDIGKG_TEST_POSTGRES; the load takes a few minutes:
//
//	go test ./kg -run '^$' -bench ReplicaLag -benchtime 20x -count 5 -timeout 60m
func BenchmarkReplicaLag(b *testing.B) {
	ctx := context.Background()
	a, bs := replicaPair(b)
	var lags []time.Duration
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprintf("lag_probe_%d_%d", time.Now().UnixNano(), i)
		start := time.Now()
		if _, err := a.Apply(ctx, &graph.Batch{
			Entities: []graph.Entity{{ID: id, Name: "probe " + id, Kind: graph.Process}},
			Links: []graph.Link{{ID: "link_" + id, Subject: gen.EntityID(i % 1000), Object: id, Effect: graph.Increases,
				Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: gen.SourceID, Quote: "lag " + id}}}},
		}); err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := bs.Link(ctx, "link_"+id); err == nil {
				break
			}
			if time.Since(start) > time.Minute {
				b.Fatal("B never saw the write")
			}
			time.Sleep(200 * time.Microsecond)
		}
		lags = append(lags, time.Since(start))
	}
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lags[len(lags)*95/100].Microseconds())/1000, "p95-ms")
}

var replicas struct {
	a, b *kg.Store
}

// replicaPair opens, once per test binary, two stores on a fresh schema
// holding 10⁵ generated links, loaded in batches of 10⁴.
func replicaPair(b *testing.B) (*kg.Store, *kg.Store) {
	if replicas.a != nil {
		return replicas.a, replicas.b
	}
	ctx := context.Background()
	spec := "postgres:" + pgtest.FreshSchema(atExit{b}, pgtest.Require(b))
	a, err := kg.Open(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	edges := 100_000
	if n, err := strconv.Atoi(os.Getenv("LEYDIGKG_REPLICA_EDGES")); err == nil && n > 0 {
		edges = n // e.g. 1000000: the 10⁶ (the load takes some ten minutes)
	}
	loadBatches(b, a, batches(gen.Generate(gen.Config{Edges: edges, Seed: 1}), 10_000))
	s, err := kg.Open(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	replicas.a, replicas.b = a, s
	cleanups = append(cleanups, func() { a.Close(); s.Close() })
	return a, s
}

// cleanups run when the test binary is done (TestMain): the benchmarks
// share what they set up, once, across runs.
var cleanups []func()

// atExit is b with its cleanups put off until the test binary is done.
type atExit struct{ testing.TB }

func (t atExit) Cleanup(f func()) { cleanups = append(cleanups, f) }

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}
