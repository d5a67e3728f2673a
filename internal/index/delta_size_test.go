package index_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/index"
)

// TestWriteCostIndependentOfSize: a small write (a new entity, a link to it
// from the graph) allocates as much on a graph of 2·10⁵ links as on one of
// 10⁴, over a chain of writes as a server makes them, the first write after
// the full build included. Bytes allocated stand for the time (they are
// what a copy of a list or map of the graph's size would show), and unlike
// time they do not depend on the machine's load.
func TestWriteCostIndependentOfSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2·10⁵-link snapshot")
	}
	perWrite := map[int]float64{}
	for _, links := range []int{10_000, 200_000} {
		snap := snapshotOf(gen.Generate(gen.Config{Edges: links, Seed: 1}))
		const writes = 64
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for i := range writes {
			snap = snap.With(smallDelta(i))
		}
		runtime.ReadMemStats(&after)
		perWrite[links] = float64(after.TotalAlloc-before.TotalAlloc) / writes
		if _, ok := snap.Link(smallDelta(writes - 1).Links[0].ID); !ok {
			t.Fatal("the last write is not there")
		}
	}
	if small, large := perWrite[10_000], perWrite[200_000]; large > 1.5*small {
		t.Errorf("a small write allocates %.0f bytes on 2·10⁵ links, %.0f on 10⁴: it grows with the graph", large, small)
	}
}

func smallDelta(i int) index.Delta {
	id := fmt.Sprintf("small_%d", i)
	return index.Delta{
		Entities: []*graph.Entity{{ID: id, Name: "probe " + id, Kind: graph.Process}},
		Links: []*graph.Link{{ID: "link_" + id, Subject: gen.EntityID(i % 1000), Object: id, Effect: graph.Increases,
			Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: gen.SourceID, Quote: "small " + id}}}},
	}
}
