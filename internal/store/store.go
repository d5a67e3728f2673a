package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/writer"
	"github.com/cayleygraph/quad"
	"go.etcd.io/bbolt"

	"github.com/leydigkg/leydigkg/graph"
)

// DB is one cayley quad store holding a graph in leydigkg's quad layout:
// a bolt file, or a PostgreSQL or CockroachDB database; or memory, which
// keeps no quads at all (see KeepsQuads).
//
// A DB is not safe for concurrent use: its owner (kg.Store) serializes
// every call.
type DB struct {
	spec storeSpec
	qs   cayley.QuadStore
	w    cayley.QuadWriter
	sql  *sqlDB    // PostgreSQL and CockroachDB: the DB's own connection
	one  *oneTx    // bolt: runs several ApplyDeltas in one transaction
	bolt *bbolt.DB // bolt: the file under qs, which Quads reads itself (readBoltLog)
	opts Options

	adopted int // bulk loads adopted

	// made lists what Open created for a bolt store: the directory, and
	// those above it that were missing, or the files it put into an empty
	// one. Discard removes them.
	made []string
}

// Options tune a DB. Zero fields take their defaults.
type Options struct {
	BulkCommit  int // quads a bolt bulk load through cayley's writer writes per transaction, at first: DefaultBulkCommit
	BulkCopyMax int // most quads a store may hold for a bulk load into it: DefaultBulkCopyMax; negative: only an empty one

	// BulkCayleyWriter writes a bolt bulk load through cayley's quad
	// writer, into a copy of the store, instead of filling a new store in
	// key order (kvfill.go): for comparisons.
	BulkCayleyWriter bool

	// StockSQLWriter writes to PostgreSQL with cayley's own write step
	// (one INSERT per quad) instead of the batched one of sqlwrite.go:
	// for comparisons.
	StockSQLWriter bool

	// CopyMin is the fewest added quads a PostgreSQL write sends through
	// COPY (sqlcopy.go): DefaultCopyMin; negative: never.
	CopyMin int

	// LogKeep is how many transactions the change log of a PostgreSQL
	// store keeps (changelog.go): DefaultLogKeep.
	LogKeep int

	// CayleyBloom opens a bolt store with cayley's bloom filter of its
	// quads, filled at open (see openBolt): for comparisons.
	CayleyBloom bool
}

// Open opens the store named by spec:
//
//	memory          a fresh in-memory store, which keeps no quads (KeepsQuads)
//	bolt:PATH       a bolt database in the directory PATH, created if missing
//	postgres:DSN    a PostgreSQL database (also a bare postgres://... URL)
//	cockroach:DSN   a CockroachDB database
//
// An empty spec means memory. A SQL database gets cayley's tables and the
// change counter on first use. When the database cannot be reached, errors
// wrap graph.ErrUnavailable.
func Open(ctx context.Context, spec string) (*DB, error) {
	return OpenWith(ctx, spec, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, spec string, opts Options) (*DB, error) {
	sp, err := parseSpec(spec)
	if err != nil {
		return nil, err
	}
	opts = defaults(opts)
	if opts.StockSQLWriter && sp.cayley == cayleyPostgres {
		sp.cayley = "postgres"
	}
	d := &DB{spec: sp, opts: opts}
	switch {
	case sp.backend == backendBolt:
		if err := checkNotLocked(sp.path); err != nil {
			return nil, err
		}
		if d.made, err = fresh(sp.path); err != nil {
			return nil, err
		}
		if err := cayley.InitQuadStore(sp.cayley, sp.path, nil); err != nil && !errors.Is(err, cayley.ErrDatabaseExists) {
			return nil, fmt.Errorf("open bolt:%s: %w", sp.path, err)
		}
	case sp.isSQL():
		if d.sql, err = openSQL(ctx, sp); err != nil {
			return nil, err
		}
	}
	if err := d.openQuads(); err != nil {
		d.closeSQL()
		return nil, err
	}
	if sp.backend == backendBolt {
		removeBulkDirs(sp.path)
	}
	return d, nil
}

func (d *DB) closeSQL() {
	if d.sql != nil {
		d.sql.close()
	}
}

// defaults fills in the options left zero.
func defaults(opts Options) Options {
	if opts.BulkCommit == 0 {
		opts.BulkCommit = DefaultBulkCommit
	}
	if opts.BulkCopyMax == 0 {
		opts.BulkCopyMax = DefaultBulkCopyMax
	}
	if opts.CopyMin == 0 {
		opts.CopyMin = DefaultCopyMin
	}
	if opts.LogKeep == 0 {
		opts.LogKeep = DefaultLogKeep
	}
	return opts
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
		return fmt.Errorf("%w: bolt:%s is in use by another process", graph.ErrBusy, dir)
	} else if err != nil {
		return fmt.Errorf("open bolt:%s: %w", dir, err)
	}
	return db.Close()
}

// openQuads (re)opens the cayley quad store and its writer.
func (d *DB) openQuads() error {
	if !d.KeepsQuads() {
		return nil
	}
	var qs cayley.QuadStore
	var err error
	d.bolt = nil
	if d.spec.backend == backendBolt {
		d.bolt, qs, d.one, err = openBolt(d.spec.path, d.opts.CayleyBloom)
	} else {
		qs, err = cayley.NewQuadStore(d.spec.cayley, d.spec.path, cayleyOptions(d.spec))
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", d.spec, classify(err))
	}
	// Strict about deletes, tolerant of re-adding a quad that exists; the
	// writer's options are passed explicitly, never through cayley's globals.
	w, err := writer.NewSingle(qs, cayley.IgnoreOpts{IgnoreDup: true})
	if err != nil {
		qs.Close()
		return err
	}
	d.qs, d.w = qs, w
	return nil
}

// KeepsQuads says whether the store keeps the quads written to it. A
// memory store does not: its owner's index holds every record already,
// and a second copy in cayley's memstore would take several times the
// memory of the index (issue 18). Writes to it succeed and keep nothing;
// it reads as empty; its owner lays its records out as quads when asked
// (kg.Store.Quads), and a Walker puts them in a memstore for cayley.
func (d *DB) KeepsQuads() bool { return d.spec.backend != backendMemory }

// Backend names the kind of store: "memory", "bolt", "postgres" or
// "cockroach".
func (d *DB) Backend() string { return d.spec.backend }

// String names the store as its spec does, with any password hidden.
func (d *DB) String() string { return d.spec.String() }

// IsBolt says whether the store is a bolt file (whose large writes go
// through a bulk load: see WriteFresh).
func (d *DB) IsBolt() bool { return d.spec.backend == backendBolt }

// IsSQL says whether the store is a PostgreSQL or CockroachDB database.
func (d *DB) IsSQL() bool { return d.spec.isSQL() }

// Close closes the quad store and any database connection.
// fresh returns what opening a bolt store at path would create and a
// Discard must remove: when path does not exist, the outermost of its
// directories that does not (Open makes them all); nil when it is a
// directory that holds something already (a store, or files of the user's).
// For an empty directory, the entries it holds after Open are the store's:
// fresh returns path with a trailing separator to say "its contents".
func fresh(path string) ([]string, error) {
	entries, err := os.ReadDir(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		top := path
		for parent := filepath.Dir(top); parent != top; parent = filepath.Dir(top) {
			if _, err := os.Stat(parent); !errors.Is(err, fs.ErrNotExist) {
				break
			}
			top = parent
		}
		return []string{top}, nil
	case err != nil:
		return nil, nil // not a directory, or unreadable: Open says why
	case len(entries) == 0:
		return []string{path + string(filepath.Separator)}, nil
	}
	return nil, nil
}

// Created says whether Open made the bolt store, its directory missing or
// empty: there was no store at the path before.
func (d *DB) Created() bool { return len(d.made) > 0 }

// Discard closes the DB and, for a bolt store that Open created (its
// directory was missing or empty), removes what Open created: a refused
// first load leaves the path as it was. Other stores are only closed.
func (d *DB) Discard() error {
	err := d.Close()
	for _, p := range d.made {
		if dir, ok := strings.CutSuffix(p, string(filepath.Separator)); ok {
			entries, rerr := os.ReadDir(dir)
			err = errors.Join(err, rerr)
			for _, e := range entries {
				err = errors.Join(err, os.RemoveAll(filepath.Join(dir, e.Name())))
			}
			continue
		}
		err = errors.Join(err, os.RemoveAll(p))
	}
	return err
}

func (d *DB) Close() error {
	if !d.KeepsQuads() {
		return nil
	}
	d.w.Close()
	err := d.qs.Close()
	if d.sql != nil {
		err = errors.Join(err, d.sql.close())
	}
	return err
}

// ReadAll feeds every quad in the store to add: on a SQL store, from one
// consistent read of its tables, whose change mark the DB then remembers
// (see Changed). The store is read on a goroutine of its own and add runs
// on the caller's, so that reading and what add does overlap (at 10⁶
// links, reading a bolt store and decoding it had taken 5.1 s one after
// the other).
func (d *DB) ReadAll(ctx context.Context, add func(quad.Quad)) error {
	return d.ReadAllIDs(ctx, func(q quad.Quad, _ *NodeIDs) { add(q) })
}

// NodeIDs are the store's own numbers of a quad's subject, predicate,
// object and label nodes, as ReadAllIDs gives them: within one read, quads
// naming the same node give the same id, and an id stands for one value
// (two ids may yet hold equal values in a store that is not as cayley
// writes it). 0 is no id: a direction with no value, or a store that
// gives none (only a bolt store read from cayley's log gives them).
type NodeIDs [4]uint64

// ReadAllIDs is ReadAll, giving add each quad's node ids too (valid
// during the call), so that a caller gathering quads by node can look its
// nodes up by number rather than by value.
func (d *DB) ReadAllIDs(ctx context.Context, add func(quad.Quad, *NodeIDs)) error {
	const chunk = 4096
	type item struct {
		q   quad.Quad
		ids NodeIDs
	}
	batches, free, errc := make(chan []item, 4), make(chan []item, 5), make(chan error, 1)
	// Ended when ReadAllIDs returns, even by a panic in add: the reader
	// then stops rather than wait on batches for ever, holding the store's
	// read transaction (a bolt store's Close would wait for it).
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var dropped error // a batch not sent: the read must not pass for whole
	send := func(b []item) {
		select {
		case batches <- b:
		case <-rctx.Done():
			dropped = rctx.Err()
		}
	}
	go func() {
		defer close(batches)
		buf := make([]item, 0, chunk)
		err := d.readAll(rctx, func(q quad.Quad, ids *NodeIDs) {
			if buf = append(buf, item{q, *ids}); len(buf) == chunk {
				send(buf)
				select {
				case buf = <-free:
				default:
					buf = make([]item, 0, chunk)
				}
			}
		})
		if len(buf) > 0 {
			send(buf)
		}
		if err == nil && dropped != nil {
			err = fmt.Errorf("read store: %w", dropped)
		}
		errc <- err
	}()
	for b := range batches {
		for i := range b {
			add(b[i].q, &b[i].ids)
		}
		clear(b)
		select {
		case free <- b[:0]:
		default:
		}
	}
	return <-errc
}

func (d *DB) readAll(ctx context.Context, add func(quad.Quad, *NodeIDs)) error {
	var none NodeIDs
	if d.sql != nil {
		if err := d.sql.reload(ctx, func(q quad.Quad) { none = NodeIDs{}; add(q, &none) }); err != nil {
			return fmt.Errorf("read store: %w", err)
		}
		return nil
	}
	err := d.quadsIDs(ctx, func(q quad.Quad, ids *NodeIDs) error { add(q, ids); return nil })
	if err != nil {
		return fmt.Errorf("read store: %w", err)
	}
	return ctx.Err()
}

// Quads streams every quad in the store to fn, in no particular order.
// A bolt store is read straight from cayley's log (see readBoltLog).
func (d *DB) Quads(ctx context.Context, fn func(quad.Quad) error) error {
	return d.quadsIDs(ctx, func(q quad.Quad, _ *NodeIDs) error { return fn(q) })
}

// quadsIDs is Quads, giving fn each quad's node ids where the store has
// them (a bolt store read from its log), else none.
func (d *DB) quadsIDs(ctx context.Context, fn func(quad.Quad, *NodeIDs) error) error {
	if !d.KeepsQuads() {
		return ctx.Err()
	}
	var none NodeIDs
	noIDs := func(q quad.Quad) error { none = NodeIDs{}; return fn(q, &none) }
	if d.sql != nil {
		_, err := d.sql.readAll(ctx, noIDs)
		return err
	}
	if d.bolt != nil {
		if err := readBoltLog(ctx, d.bolt, fn); !errors.Is(err, errUseIterator) {
			return err
		}
	}
	return d.iterQuads(ctx, noIDs)
}

// iterQuads streams every quad through cayley's iterator, one Quad
// lookup each: the way for stores read no other way, and the reference
// the tests hold readBoltLog to.
func (d *DB) iterQuads(ctx context.Context, fn func(quad.Quad) error) error {
	it := d.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(ctx) {
		q, err := d.qs.Quad(it.Result())
		if err != nil {
			return err
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	return it.Err()
}

// Count counts the quads the store holds, up to max. (Not cayley's Stats:
// its KV stores have no size until their first write.)
func (d *DB) Count(ctx context.Context, max int) (int, error) {
	if !d.KeepsQuads() {
		return 0, ctx.Err()
	}
	if d.bolt != nil {
		if n, err := countBoltLog(ctx, d.bolt, max); !errors.Is(err, errUseIterator) {
			return n, err
		}
	}
	it := d.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	n := 0
	for n < max && it.Next(ctx) {
		n++
	}
	return n, it.Err()
}

// ErrBroken wraps the error of a write after which the store could not be
// reopened: the DB is unusable and its owner must close it.
var ErrBroken = errors.New("store unusable after a failed write")

// Write adds quads, then removes quads (which must be there), in one
// cayley transaction: all of it or nothing. stale says that
// the owner's view of the store is out of date and must be read again
// (ReadAll): after a failed write, and on a SQL store when another server
// wrote too.
//
// On failure it reopens the backend, because cayley's KV backends keep node
// ids of a rolled-back batch in their cache and a later write would then
// store quads pointing at nodes that do not exist. SQL stores are not
// reopened (their caches are content-addressed); when their database is
// unreachable, stale is false: reading now would fail too, and the owner's
// follower reloads once the database answers (Changed says so).
func (d *DB) Write(ctx context.Context, add, remove []quad.Quad) (stale bool, err error) {
	return d.WriteLogged(ctx, add, remove, nil)
}

// deltasOf is add and remove as cayley's deltas, adds first; a COPY load
// has no use for them (at 10^5 generated links, 0.7 M of them made and
// dropped unread).
func deltasOf(add, remove []quad.Quad) []cayley.Delta {
	deltas := make([]cayley.Delta, 0, len(add)+len(remove))
	for _, q := range add {
		deltas = append(deltas, cayley.Delta{Quad: q, Action: cayley.Add})
	}
	for _, q := range remove {
		deltas = append(deltas, cayley.Delta{Quad: q, Action: cayley.Delete})
	}
	return deltas
}

func (d *DB) write(ctx context.Context, add, remove []quad.Quad) (stale bool, err error) {
	if !d.KeepsQuads() {
		return false, ctx.Err()
	}
	apply := func() error {
		return d.qs.ApplyDeltas(deltasOf(add, remove), cayley.IgnoreOpts{IgnoreDup: true})
	}
	if d.useCopy(add, remove) {
		apply = func() error { return d.sql.copyWrite(ctx, add) }
	}
	if d.one != nil && len(add) > 0 && len(remove) > 0 {
		deltas := deltasOf(add, remove)
		// cayley's KV store nets each node's references over the deltas
		// and gives an added quad no id for a node that loses more than
		// it gains (its predicate reads back as nil): in one transaction,
		// the removes first, then the adds.
		apply = func() error {
			return d.one.run(ctx, func() error {
				if err := d.qs.ApplyDeltas(deltas[len(add):], cayley.IgnoreOpts{}); err != nil {
					return err
				}
				return d.qs.ApplyDeltas(deltas[:len(add)], cayley.IgnoreOpts{IgnoreDup: true})
			})
		}
	}
	if err := apply(); err != nil {
		werr := fmt.Errorf("write to %s store: %w", d.spec.backend, classify(err))
		switch {
		case d.sql != nil:
			if d.sql.failed(err) {
				return false, werr
			}
		default:
			d.w.Close()
			d.qs.Close()
			if oerr := d.openQuads(); oerr != nil {
				return false, fmt.Errorf("%w: %w", ErrBroken, errors.Join(werr, fmt.Errorf("reopen after failed write: %w", oerr)))
			}
		}
		return true, werr
	}
	if d.sql != nil && !d.sql.wrote(ctx) {
		return true, nil
	}
	return false, nil
}
