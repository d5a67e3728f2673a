package store

import (
	"context"
	"testing"

	"github.com/cayleygraph/quad"
)

// IterQuads reads the store through cayley's iterator, the reference
// readBoltLog is held to.
func (d *DB) IterQuads(ctx context.Context, fn func(quad.Quad) error) error {
	return d.iterQuads(ctx, fn)
}

// SetValChunk sets how many node values a chunk of the log reader holds,
// until the test ends.
func SetValChunk(t testing.TB, n uint32) {
	old := valChunk
	valChunk = n
	t.Cleanup(func() { valChunk = old })
}

// GizmoValues runs a Gizmo query on a stock cayley store, as the Gizmo
// test does on a store's own.
var GizmoValues = gizmoValues
