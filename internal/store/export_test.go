package store

import (
	"context"

	"github.com/cayleygraph/quad"
)

// IterQuads reads the store through cayley's iterator, the reference
// readBoltLog is held to.
func (d *DB) IterQuads(ctx context.Context, fn func(quad.Quad) error) error {
	return d.iterQuads(ctx, fn)
}
