package kg

import (
	"context"
	"errors"
	"sync"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// change is one validated write: the quads to add and to remove, and the
// same change in records. fresh is what Apply adds, for its bulk path.
type change struct {
	add, remove []quad.Quad
	delta       index.Delta
	fresh       *graph.Batch
	merges      bool // some records of fresh take the place of stored ones (merged links or relations)
	// stream says that add and delta were not made: fresh holds only
	// new records, at least bulkApply of them, for a bolt store to
	// write by a bulk load from the records themselves (see Apply).
	stream bool
}

// made fills in c's quads and delta when planApply left them to a bulk
// load, which did not take them, and counts the quads in res.
func (c *change) made(res *graph.Applied) {
	if !c.stream {
		return
	}
	c.stream = false
	c.add, c.delta = layout.QuadsOf(c.fresh), index.DeltaOf(c.fresh)
	res.Quads = len(c.add)
}

// ErrTxDone is the error of a write in the context of an Update that has
// returned.
var ErrTxDone = errors.New("the transaction is over")

type txKey struct{}

// tx gathers the writes of one Update: their quads, net of each other, and
// their deltas and the snapshot they make.
type tx struct {
	store  *Store
	mu     sync.Mutex
	done   bool
	deltas []index.Delta
	snap   *index.Snapshot
	add    map[[4]string]quad.Quad
	remove map[[4]string]quad.Quad
	order  [][4]string // keys in the order first met, so the write is the same every time
}

// Update runs fn and writes everything it wrote through the Store, with
// the context fn is given, in one transaction: all of it when fn returns
// nil, none of it when fn returns an error (which Update returns) or the
// write fails. Each write is validated against the store as the earlier
// writes of fn left it, and the Store's reads with that context see them,
// so fn can add an entity and then a link to it. Other writers wait until
// Update returns; readers meanwhile see the store as it was. Each write
// within fn changes the in-memory index by what it wrote, as Apply does.
func (s *Store) Update(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.txOf(ctx) != nil {
		return fn(ctx) // already in a transaction of s: join it
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return graph.ErrClosed
	}
	t := &tx{store: s, snap: s.snap.Load(), add: map[[4]string]quad.Quad{}, remove: map[[4]string]quad.Quad{}}
	err := fn(context.WithValue(ctx, txKey{}, t))
	t.mu.Lock()
	t.done = true
	t.mu.Unlock()
	if err != nil {
		return err
	}
	if len(t.add) == 0 && len(t.remove) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var add, remove []quad.Quad
	seen := map[[4]string]bool{}
	for _, k := range t.order {
		if seen[k] {
			continue
		}
		seen[k] = true
		if q, ok := t.add[k]; ok {
			add = append(add, q)
		} else if q, ok := t.remove[k]; ok {
			remove = append(remove, q)
		}
	}
	return s.writeNextLocked(ctx, add, remove, t.deltas, func() (*index.Snapshot, bool) { return t.snap, false })
}

// txOf returns the transaction of s that ctx carries, or nil.
func (s *Store) txOf(ctx context.Context) *tx {
	if t, ok := ctx.Value(txKey{}).(*tx); ok && t.store == s {
		return t
	}
	return nil
}

// snapshot is what a read with ctx sees: the store's snapshot, or within an
// Update the one its writes so far make.
func (s *Store) snapshot(ctx context.Context) *index.Snapshot {
	if t := s.txOf(ctx); t != nil {
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.snap
	}
	return s.snap.Load()
}

// do plans a write against the transaction's snapshot and adds it.
func (t *tx) do(plan func(*index.Snapshot) (change, error)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return ErrTxDone
	}
	c, err := plan(t.snap)
	if err != nil {
		return err
	}
	if len(c.add) == 0 && len(c.remove) == 0 {
		return nil
	}
	key := quadKey
	// A quad added then removed (or removed then added back) within the
	// transaction is not written at all.
	for _, q := range c.remove {
		k := key(q)
		if _, ok := t.add[k]; ok {
			delete(t.add, k)
			continue
		}
		t.remove[k] = q
		t.order = append(t.order, k)
	}
	for _, q := range c.add {
		k := key(q)
		if _, ok := t.remove[k]; ok {
			delete(t.remove, k)
			continue
		}
		t.add[k] = q
		t.order = append(t.order, k)
	}
	t.snap = t.snap.With(c.delta)
	t.deltas = append(t.deltas, c.delta)
	return nil
}
