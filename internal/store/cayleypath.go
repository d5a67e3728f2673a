package store

import (
	"context"

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/internal/layout"
)

// A Walker answers questions with cayley's own path API over a store's
// quads: what a cayley user would run, for benchmarks of the index to
// compare against.
type Walker struct{ qs cayley.QuadStore }

// Walker returns a Walker over the store's quads. A memory store keeps no
// quads: quads hands it its owner's, which it puts in a cayley memstore
// once. Other stores walk their own quads and leave quads uncalled.
func (d *DB) Walker(quads func(func(quad.Quad)) error) (*Walker, error) {
	if d.KeepsQuads() {
		return &Walker{d.qs}, nil
	}
	mem := memstore.New()
	if err := quads(func(q quad.Quad) { mem.AddQuad(q) }); err != nil {
		return nil, err
	}
	return &Walker{mem}, nil
}

// FollowRecursive answers "what is downstream of from within depth links"
// by following the edge predicates (entity -increases or decreases->
// entity, repeated).
func (w *Walker) FollowRecursive(ctx context.Context, from string, depth int) (int, error) {
	var edges []any
	for _, p := range layout.EdgePredicates() {
		edges = append(edges, p)
	}
	hop := path.StartMorphism().Out(edges...)
	p := path.StartPath(w.qs, layout.EntityIRI(from)).FollowRecursive(hop, depth, nil)
	n := 0
	err := p.Iterate(ctx).EachValue(w.qs, func(quad.Value) error {
		n++
		return nil
	})
	return n, err
}
