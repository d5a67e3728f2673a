package store

import (
	"context"

	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// FollowRecursive answers "what is downstream of from within depth links"
// with cayley's own path API over the store's quads (entity -increases or
// decreases-> entity, repeated): what a cayley user would run, for
// benchmarks of the index to compare against.
//
// A memory store keeps no quads: quads hands it its owner's, which it puts
// in a cayley memstore for the walk. Other stores walk their own quads
// and leave quads uncalled.
func (d *DB) FollowRecursive(ctx context.Context, from string, depth int, quads func(func(quad.Quad)) error) (int, error) {
	qs := d.qs
	if !d.KeepsQuads() {
		mem := memstore.New()
		if err := quads(func(q quad.Quad) { mem.AddQuad(q) }); err != nil {
			return 0, err
		}
		qs = mem
	}
	var edges []any
	for _, p := range layout.EdgePredicates() {
		edges = append(edges, p)
	}
	hop := path.StartMorphism().Out(edges...)
	p := path.StartPath(qs, layout.EntityIRI(from)).FollowRecursive(hop, depth, nil)
	n := 0
	err := p.Iterate(ctx).EachValue(qs, func(quad.Value) error {
		n++
		return nil
	})
	return n, err
}
