package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/writer"
	"github.com/cayleygraph/quad"
	"go.etcd.io/bbolt"
)

// Store is a knowledge graph held in a cayley quad store.
//
// cayley is the store of record; the Store keeps an immutable, indexed
// snapshot of it for reads and traversals, rebuilt from cayley after every
// write and swapped in atomically. Readers use the snapshot and never touch
// cayley, so a Store is safe for concurrent use by many readers and writers
// even over cayley's memstore, which is not (cayley #779).
type Store struct {
	spec storeSpec

	mu     sync.Mutex // serializes writes and every use of qs, w and sql
	qs     graph.QuadStore
	w      graph.QuadWriter
	closed bool
	sql    *sqlDB  // PostgreSQL and CockroachDB: the Store's own connection
	follow *follow // SQL stores: follows other servers' writes

	snap atomic.Pointer[snapshot]
}

// Open opens the store named by spec:
//
//	memory          a fresh in-memory store (cayley's memstore)
//	bolt:PATH       a bolt database in the directory PATH, created if missing
//	postgres:DSN    a PostgreSQL database (also a bare postgres://... URL)
//	cockroach:DSN   a CockroachDB database
//
// An empty spec means memory. A SQL database gets cayley's tables and the
// Store's change counter on first use. Several Stores (in several
// processes) may share one SQL database: each follows the others' writes
// (see follow.go). When the database cannot be reached, errors wrap
// ErrUnavailable.
func Open(ctx context.Context, spec string) (*Store, error) {
	sp, err := parseSpec(spec)
	if err != nil {
		return nil, err
	}
	return open(ctx, sp)
}

func open(ctx context.Context, sp storeSpec) (*Store, error) {
	var err error
	s := &Store{spec: sp}
	switch {
	case sp.backend == backendBolt:
		if err := checkNotLocked(sp.path); err != nil {
			return nil, err
		}
		if err := graph.InitQuadStore(sp.cayley, sp.path, nil); err != nil && !errors.Is(err, graph.ErrDatabaseExists) {
			return nil, fmt.Errorf("open bolt:%s: %w", sp.path, err)
		}
	case sp.isSQL():
		if s.sql, err = openSQL(ctx, sp); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.openLocked(); err != nil {
		s.closeSQL()
		return nil, err
	}
	if err := s.reloadLocked(ctx); err != nil {
		s.qs.Close()
		s.closeSQL()
		return nil, err
	}
	if sp.backend == backendBolt {
		removeBulkDirs(sp.path)
	}
	if s.sql != nil {
		s.follow = startFollow(s)
	}
	return s, nil
}

func (s *Store) closeSQL() {
	if s.sql != nil {
		s.sql.close()
	}
}

// checkNotLocked fails fast when another process has the bolt file open:
// cayley opens bolt without a timeout and would wait for it forever.
func checkNotLocked(dir string) error {
	file := filepath.Join(dir, "indexes.bolt") // where cayley's bolt backends keep it
	if _, err := os.Stat(file); err != nil {
		return nil // not created yet
	}
	db, err := bbolt.Open(file, 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, bbolt.ErrTimeout) {
		return fmt.Errorf("%w: bolt:%s is in use by another process", ErrBusy, dir)
	} else if err != nil {
		return fmt.Errorf("open bolt:%s: %w", dir, err)
	}
	return db.Close()
}

// openLocked (re)opens the cayley quad store and its writer.
func (s *Store) openLocked() error {
	var qs graph.QuadStore
	if s.spec.backend == backendMemory {
		qs = memstore.New()
	} else {
		var err error
		if s.spec.backend == backendBolt {
			qs, err = openBolt(s.spec.path)
		} else {
			qs, err = graph.NewQuadStore(s.spec.cayley, s.spec.path, cayleyOptions(s.spec))
		}
		if err != nil {
			return fmt.Errorf("open %s: %w", s.spec, classify(err))
		}
	}
	// Strict about deletes, tolerant of re-adding a quad that exists; the
	// writer's options are passed explicitly, never through cayley's globals.
	w, err := writer.NewSingle(qs, graph.IgnoreOpts{IgnoreDup: true})
	if err != nil {
		qs.Close()
		return err
	}
	s.qs, s.w = qs, w
	return nil
}

// reloadLocked rebuilds the snapshot from every quad in cayley (on a SQL
// store, from one consistent read of its tables, whose change mark the
// Store then remembers).
func (s *Store) reloadLocked(ctx context.Context) error {
	d := newDecoder()
	if s.sql != nil {
		if err := s.sql.reload(ctx, d.add); err != nil {
			return fmt.Errorf("read store: %w", err)
		}
	} else {
		it := s.qs.QuadsAllIterator().Iterate()
		defer it.Close()
		for it.Next(ctx) {
			q, err := s.qs.Quad(it.Result())
			if err != nil {
				return fmt.Errorf("read store: %w", err)
			}
			d.add(q)
		}
		if err := it.Err(); err != nil {
			return fmt.Errorf("read store: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r, _ := d.records()
	s.snap.Store(newSnapshot(r))
	return nil
}

// Backend names the kind of store: "memory", "bolt", "postgres" or
// "cockroach".
func (s *Store) Backend() string { return s.spec.backend }

// Close closes the underlying quad store. Reads of an already taken
// snapshot keep working; writes fail with ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.follow != nil {
		s.mu.Unlock()
		s.follow.stop() // it may be waiting for s.mu
		s.mu.Lock()
	}
	s.w.Close()
	err := s.qs.Close()
	if s.sql != nil {
		err = errors.Join(err, s.sql.close())
	}
	return err
}

// Applied says what a write changed.
type Applied struct {
	Sources, References, Entities, Links int // records written
	Unchanged                            int // records already stored, identical
	Quads                                int // quads written
}

// Check validates b against the store without writing anything. The result
// is empty when Apply would accept b.
func (s *Store) Check(ctx context.Context, b *Batch) Problems {
	return check(b, s.snap.Load())
}

// Apply validates b against the store and writes it in one transaction: all
// of it or none of it. Records already stored with identical content are
// skipped, so applying the same batch twice is harmless. When validation
// fails the error is a Problems listing every problem. When the backend
// refuses the write, the store is reopened and left exactly as it was.
func (s *Store) Apply(ctx context.Context, b *Batch) (Applied, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return Applied{}, ErrClosed
	}
	snap := s.snap.Load()
	if ps := check(b, snap); len(ps) > 0 {
		return Applied{}, ps
	}
	fresh, res := newRecords(b, snap)
	if fresh.Len() == 0 {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return Applied{}, err
	}
	qs := quadsOf(fresh)
	res.Quads = len(qs)
	if len(qs) >= bulkApply && s.spec.backend == backendBolt {
		if held, err := s.countLocked(ctx, bulkCopyMax+1); err == nil && held <= bulkCopyMax {
			next := func() *snapshot { return snap.plus(fresh) }
			if err := s.applyFreshLocked(ctx, qs, held > 0, next); err != nil {
				return Applied{}, err
			}
			return res, nil
		}
	}
	deltas := make([]graph.Delta, len(qs))
	for i, q := range qs {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Add}
	}
	if err := s.applyLocked(ctx, deltas, func(r *records) { r.add(fresh) }); err != nil {
		return Applied{}, err
	}
	return res, nil
}

// bulkApply is the size from which Apply writes into a bolt store that
// holds little (bulkCopyMax quads) through a bulk load (bulk.go) rather
// than in one transaction. (A variable, for tests.)
var bulkApply = 50_000

// applyLocked writes deltas as one cayley transaction. When the write
// succeeds, edit turns the records of the current snapshot into those the
// store now holds (the same change as deltas, in records rather than quads),
// and the next snapshot is built from them without reading cayley back.
// On failure it reopens the backend, because cayley's KV backends keep node
// ids of a rolled-back batch in their cache and a later write would then
// store quads pointing at nodes that do not exist, and reloads the snapshot
// from what the backend holds.
//
// SQL stores are not reopened (their caches are content-addressed), and
// when another server wrote since the snapshot, the next snapshot is read
// back from the database instead (see sqlDB.wrote).
func (s *Store) applyLocked(ctx context.Context, deltas []graph.Delta, edit func(*records)) error {
	// The next snapshot is built on the other core while cayley writes.
	next := make(chan *snapshot, 1)
	go func() {
		r := s.snap.Load().records()
		edit(&r)
		next <- newSnapshot(r)
	}()
	if err := s.qs.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreDup: true}); err != nil {
		<-next
		werr := fmt.Errorf("write to %s store: %w", s.spec.backend, classify(err))
		switch {
		case s.sql != nil:
			if s.sql.failed(err) {
				return werr // the follower reloads once the database is back
			}
		case s.spec.backend != backendMemory:
			s.w.Close()
			s.qs.Close()
			if oerr := s.openLocked(); oerr != nil {
				s.closed = true
				return errors.Join(werr, fmt.Errorf("reopen after failed write: %w", oerr))
			}
		}
		if rerr := s.reloadLocked(context.WithoutCancel(ctx)); rerr != nil {
			return errors.Join(werr, rerr)
		}
		return werr
	}
	if s.sql != nil && !s.sql.wrote(ctx) {
		// Another server wrote too: read back what the database holds. If
		// that fails, build on the snapshot as below, and the follower
		// reloads later.
		if s.reloadLocked(context.WithoutCancel(ctx)) == nil {
			<-next
			return nil
		}
	}
	s.snap.Store(<-next)
	return nil
}

// newRecords returns the records of b not yet in the store, and counts.
// (check has made sure that those in the store are identical.)
func newRecords(b *Batch, snap *snapshot) (*Batch, Applied) {
	var res Applied
	fresh := &Batch{
		Sources:    notIn(b.Sources, func(x Source) bool { return snap.sources[x.ID] != nil }, &res.Unchanged),
		References: notIn(b.References, func(x Reference) bool { return snap.refs[x.ID] != nil }, &res.Unchanged),
		Entities:   notIn(b.Entities, func(x Entity) bool { _, ok := snap.byID[x.ID]; return ok }, &res.Unchanged),
		Links:      notIn(b.Links, func(x Link) bool { _, ok := snap.link(x.ID); return ok }, &res.Unchanged),
	}
	res.Sources, res.References = len(fresh.Sources), len(fresh.References)
	res.Entities, res.Links = len(fresh.Entities), len(fresh.Links)
	return fresh, res
}

// notIn keeps the items not stored, counting the others. When none is
// stored it returns items itself.
func notIn[T any](items []T, stored func(T) bool, skipped *int) []T {
	var out []T
	copying := false
	for i, x := range items {
		switch {
		case stored(x):
			if !copying {
				copying = true
				out = make([]T, i, len(items))
				copy(out, items[:i])
			}
			*skipped++
		case copying:
			out = append(out, x)
		}
	}
	if !copying {
		return items
	}
	return out
}

// Quads streams every quad in the store to fn, in no particular order.
func (s *Store) Quads(ctx context.Context, fn func(quad.Quad) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	return s.quadsLocked(ctx, fn)
}

func (s *Store) quadsLocked(ctx context.Context, fn func(quad.Quad) error) error {
	if s.sql != nil {
		_, err := s.sql.readAll(ctx, fn)
		return err
	}
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(ctx) {
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return err
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	return it.Err()
}
