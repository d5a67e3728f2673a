package store

import (
	"context"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// FollowRecursive answers "what is downstream of from within depth links"
// with cayley's own path API over the store's quads (entity -increases or
// decreases-> entity, repeated): what a cayley user would run, for
// benchmarks of the index to compare against.
func (d *DB) FollowRecursive(ctx context.Context, from string, depth int) (int, error) {
	var edges []any
	for _, p := range layout.EdgePredicates() {
		edges = append(edges, p)
	}
	hop := path.StartMorphism().Out(edges...)
	p := path.StartPath(d.qs, layout.EntityIRI(from)).FollowRecursive(hop, depth, nil)
	n := 0
	err := p.Iterate(ctx).EachValue(d.qs, func(quad.Value) error {
		n++
		return nil
	})
	return n, err
}
