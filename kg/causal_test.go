package kg_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
)

// Every write is visible to the very next traversal, while readers run
// traversals concurrently (run with -race).
func TestTraversalsFollowWrites(t *testing.T) {
	ctx := context.Background()
	s, err := data.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Downstream(ctx, graph.ReachQuery{Of: "testosterone", MaxDepth: 3}); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Loops(ctx, graph.LoopQuery{Through: "testosterone", MaxLength: 3}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	prev := "testosterone"
	for i := range 20 {
		id := fmt.Sprintf("marker_%d", i)
		b := &graph.Batch{
			Entities: []graph.Entity{{ID: id, Name: "Marker " + strconv.Itoa(i), Kind: graph.Molecule}},
			Links: []graph.Link{{
				ID: prev + "_raises_" + id, Subject: prev, Object: id, Effect: graph.Increases,
				Predicate: "biolink:regulates", Confidence: 0.5,
				Evidence: []graph.Evidence{{Quote: "Test marker.", Source: "article"}},
			}},
		}
		if _, err := s.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
		// The new entity is downstream of testosterone, at distance i+1.
		res, err := s.Downstream(ctx, graph.ReachQuery{Of: "testosterone", MaxDepth: 8, Kinds: []graph.Kind{graph.Molecule}, First: 0})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range res.Reached {
			if r.Entity.ID == id {
				found = true
				if r.Distance != min(i+1, 8) {
					t.Errorf("%s at distance %d, want %d", id, r.Distance, i+1)
				}
			}
		}
		if i < 8 && !found {
			t.Fatalf("write %d not visible to the next downstream", i)
		}
		tr, err := s.Trace(ctx, graph.TraceQuery{From: prev, To: id, MaxDepth: 1})
		if err != nil || len(tr.Paths) != 1 {
			t.Fatalf("write %d not visible to the next trace: %v", i, err)
		}
		prev = id
	}
	close(stop)
	readers.Wait()
}
