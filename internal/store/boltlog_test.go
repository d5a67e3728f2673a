package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// cayleyQuads reads a store's quads as cayley's all-quads iterator gives
// them, as N-Quad lines, sorted.
func cayleyQuads(t *testing.T, d *DB) []string {
	t.Helper()
	ctx := context.Background()
	it := d.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	var out []string
	for it.Next(ctx) {
		q, err := d.qs.Quad(it.Result())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q.NQuad())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func logLines(t *testing.T, d *DB) []string {
	t.Helper()
	if d.bolt == nil {
		t.Fatal("the bolt store has no file to read its log from")
	}
	var out []string
	if err := d.Quads(context.Background(), func(q quad.Quad) error { out = append(out, q.NQuad()); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestLogQuadsAsCayley: reading a bolt store's log directly gives exactly
// the quads cayley's iterator gives: after writes, after removals (quads
// marked deleted, values dropped), after a value's quads are all removed
// and it comes back, and in a store a bulk load wrote and the DB adopted.
func TestLogQuadsAsCayley(t *testing.T) {
	ctx := context.Background()
	qs := layout.QuadsOf(gen.Generate(gen.Config{Edges: 200, Seed: 4}))
	t.Run("writes and removals", func(t *testing.T) {
		d := mustOpenDB(t, "bolt:"+filepath.Join(t.TempDir(), "db"), Options{})
		steps := []struct{ add, remove []quad.Quad }{
			{add: qs[:len(qs)/2]},
			{add: qs[len(qs)/2:], remove: qs[10:60]},
			{remove: qs[len(qs)-30:]},
			{add: qs[20:40]},
		}
		for i, s := range steps {
			if _, err := d.Write(ctx, s.add, s.remove); err != nil {
				t.Fatal(i, err)
			}
			got, want := logLines(t, d), cayleyQuads(t, d)
			if !slices.Equal(got, want) {
				t.Fatalf("after step %d: %d quads from the log, %d from cayley's iterator", i, len(got), len(want))
			}
		}
	})
	t.Run("adopted bulk load", func(t *testing.T) {
		d := mustOpenDB(t, "bolt:"+filepath.Join(t.TempDir(), "db"), Options{})
		b, err := d.NewBulk(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			b.Write(q)
		}
		if err := b.End(); err != nil {
			t.Fatal(err)
		}
		if err := d.Adopt(b); err != nil {
			t.Fatal(err)
		}
		got, want := logLines(t, d), cayleyQuads(t, d)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Fatalf("%d quads from the log, %d from cayley's iterator", len(got), len(want))
		}
	})
}
