package gen_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/kg"
)

func TestGenerate(t *testing.T) {
	for _, edges := range []int{1, 10, 1000, 20000} {
		b := gen.Generate(gen.Config{Edges: edges, Seed: 7})
		if len(b.Links) != edges {
			t.Fatalf("edges %d: got %d links", edges, len(b.Links))
		}
		if !reflect.DeepEqual(b, gen.Generate(gen.Config{Edges: edges, Seed: 7})) {
			t.Fatalf("edges %d: two runs with one seed differ", edges)
		}
		if ps := graph.CheckBatch(b); len(ps) > 0 {
			t.Fatalf("edges %d: invalid batch: %v", edges, ps)
		}
	}
	if reflect.DeepEqual(gen.Generate(gen.Config{Edges: 100, Seed: 1}), gen.Generate(gen.Config{Edges: 100, Seed: 2})) {
		t.Error("different seeds gave the same graph")
	}
}

// The degree distribution is heavy-tailed: the biggest hub has far more
// links than the mean, as in real interaction networks.
func TestGenerateHasHubs(t *testing.T) {
	b := gen.Generate(gen.Config{Edges: 20000, Seed: 1})
	degree := map[string]int{}
	for _, l := range b.Links {
		degree[l.Subject]++
		degree[l.Object]++
	}
	top := 0
	for _, d := range degree {
		top = max(top, d)
	}
	mean := 2 * len(b.Links) / len(degree)
	if top < 20*mean {
		t.Errorf("largest degree %d is not a hub (mean %d)", top, mean)
	}
	var decreases, therapies int
	for _, l := range b.Links {
		if l.Effect == graph.Decreases {
			decreases++
		}
	}
	for _, e := range b.Entities {
		if e.Kind == graph.Therapy {
			therapies++
		}
	}
	if decreases == 0 || decreases == len(b.Links) || therapies == 0 {
		t.Errorf("decreases %d, therapies %d: want both signs and some therapies", decreases, therapies)
	}
}

func TestGenerateLoads(t *testing.T) {
	ctx := context.Background()
	s, err := kg.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Apply(ctx, gen.Generate(gen.Config{Edges: 2000, Seed: 3})); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(ctx); st.Links != 2000 {
		t.Errorf("stored %d links, want 2000", st.Links)
	}
}
