package kg

import (
	"context"
	"errors"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/store"
)

// Bulk loads. A large load of N-Quads in the store's own layout is
// streamed, quads as they are decoded, into a fresh bolt store set aside
// for the purpose, filled in key order as cayley's quad writer would fill
// it (see internal/store's bulk.go and kvfill.go), on a goroutine of its
// own, while the caller is still reading and decoding its input on
// another core. The fresh store starts with what the store holds,
// which must be small (the curated graph, say); a bulk load is for filling
// a new store. Only when everything read has been checked, and the quads
// written are shown to be exactly the layout of the records they were
// decoded into, does the fresh store, with the rest of the records added,
// take the store's place; otherwise it is thrown away and the store is left
// as it was. So a bulk load is all or nothing like Apply.

// A Bulk is a bulk load in progress: see Store.Bulk.
type Bulk struct {
	s    *Store
	base *index.Snapshot // the snapshot it started from
	b    *store.Bulk
}

// Bulk starts a bulk load, or returns nil when the store cannot take one:
// it holds more than a small graph, it is a SQL store (whose loads are
// batched), or a memory store (which keeps no quads: Apply is all it takes). Hand the bulk every quad of the input in the store's layout
// with Write, then Commit the records read, or Abort.
func (s *Store) Bulk(ctx context.Context) *Bulk {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.db.IsSQL() || !s.db.KeepsQuads() {
		return nil
	}
	n, err := s.db.Count(ctx, s.db.BulkCopyMax()+1)
	if err != nil || n > s.db.BulkCopyMax() {
		return nil
	}
	b, err := s.db.NewBulk(ctx, n > 0)
	if err != nil {
		return nil // the ordinary write will meet the problem and say so
	}
	return &Bulk{s: s, base: s.snap.Load(), b: b}
}

// Write hands the bulk load one quad. Quads of other vocabularies, or
// repeated ones, may be written too: they only make Commit decline.
func (b *Bulk) Write(q quad.Quad) { b.b.Write(q) }

// Abort throws the bulk load away; the store is as it was. Aborting a
// committed or aborted bulk does nothing.
func (b *Bulk) Abort() { b.b.Abort() }

// Commit makes batch the store's content beside what it held, through
// the fresh store, provided that the quads written are exactly the layout
// of batch's records for which written(record, i) is true (record is
// a graph.RecordKind, i the index in batch; a nil
// written means all of them), that batch passes Apply's validation, and
// that nothing was written to the store since the bulk load began. The
// other records are written too. When validation fails, the error is the
// graph.Problems (indexes into batch) and nothing is written. When ok is
// false and err nil, the bulk was thrown away and the store is as it was:
// write batch with Apply instead.
func (b *Bulk) Commit(ctx context.Context, batch *graph.Batch, written func(record graph.RecordKind, i int) bool) (_ graph.Applied, ok bool, _ error) {
	if written == nil {
		written = func(graph.RecordKind, int) bool { return true }
	}
	mine, rest := split(batch, written)
	// Hash the layout while the writer goroutine catches up.
	if !b.b.Holds(mine) {
		b.Abort()
		return graph.Applied{}, false, nil
	}
	s := b.s
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		b.Abort()
		return graph.Applied{}, false, graph.ErrClosed
	case s.snap.Load() != b.base:
		b.Abort() // written to meanwhile
		return graph.Applied{}, false, nil
	}
	if ps := graph.Check(batch, b.base); len(ps) > 0 {
		b.Abort()
		return graph.Applied{}, false, ps
	}
	fresh, replaced, folded, res := s.newRecords(batch, b.base)
	if fresh.Len() == 0 || replaced.Len() > 0 || folded > 0 {
		// Nothing new, or links merged into others: the quads written
		// are not the store's layout of them. Apply's work.
		b.Abort()
		return graph.Applied{}, false, nil
	}
	restFresh, _, _, _ := s.newRecords(rest, b.base)
	extra := layout.QuadsOf(restFresh)
	for _, q := range extra {
		b.b.WriteExtra(q)
	}
	if !s.versioned {
		b.b.WriteExtra(layout.VersionQuad())
	}
	snap := b.base.Plus(fresh)
	if err := b.b.End(); err != nil {
		b.Abort()
		return graph.Applied{}, false, nil
	}
	if err := ctx.Err(); err != nil {
		b.Abort()
		return graph.Applied{}, false, err
	}
	if err := s.db.Adopt(b.b); err != nil {
		if errors.Is(err, store.ErrBroken) {
			s.closed = true
		}
		return graph.Applied{}, false, err
	}
	s.rebuiltLocked(snap)
	s.versioned = true
	res.Quads = b.b.Written() + len(extra)
	if res.Unchanged > 0 { // their quads were written again, and changed nothing
		res.Quads = 0
		layout.EachQuad(fresh, func(quad.Quad) { res.Quads++ })
	}
	return res, true, nil
}

// split parts batch into the records written says were written, and the
// others.
func split(batch *graph.Batch, written func(graph.RecordKind, int) bool) (mine, rest *graph.Batch) {
	mine, rest = &graph.Batch{}, &graph.Batch{}
	mine.Sources, rest.Sources = partition(batch.Sources, graph.SourceRecord, written)
	mine.References, rest.References = partition(batch.References, graph.ReferenceRecord, written)
	mine.Entities, rest.Entities = partition(batch.Entities, graph.EntityRecord, written)
	mine.Links, rest.Links = partition(batch.Links, graph.LinkRecord, written)
	mine.Relations, rest.Relations = partition(batch.Relations, graph.RelationRecord, written)
	return mine, rest
}

func partition[T any](xs []T, record graph.RecordKind, in func(graph.RecordKind, int) bool) (yes, no []T) {
	all := true
	for i := range xs {
		if all = in(record, i); !all {
			break
		}
	}
	if all {
		return xs, nil // the usual case, and no copy of a million records
	}
	for i, x := range xs {
		if in(record, i) {
			yes = append(yes, x)
		} else {
			no = append(no, x)
		}
	}
	return yes, no
}
