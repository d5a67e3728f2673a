package kg

import (
	"context"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
)

// TestLargeLoadIndexedAfresh: a load at least as large as the graph into
// a memory store leaves a snapshot built afresh, not the graph under
// overlays that a background build replaces later (whose garbage then
// stayed resident), while a small write still goes by delta.
func TestLargeLoadIndexedAfresh(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "memory")
	if _, err := s.Apply(ctx, gen.Generate(gen.Config{Edges: 20_000, Seed: 1})); err != nil {
		t.Fatal(err)
	}
	if n := s.snap.Load().Changed(); n != 0 {
		t.Errorf("after a load into an empty store the snapshot holds %d records in overlays, want 0", n)
	}
	if _, err := s.Apply(ctx, &graph.Batch{Entities: []graph.Entity{{ID: "extra", Name: "extra", Kind: graph.Process}}}); err != nil {
		t.Fatal(err)
	}
	if n := s.snap.Load().Changed(); n == 0 {
		t.Error("a small write rebuilt the snapshot; want it applied by delta")
	}
}
