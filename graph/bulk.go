package graph

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/writer"
	"github.com/cayleygraph/quad"
	"go.etcd.io/bbolt"
)

// Bulk loads. A large load of N-Quads in the store's own layout is written
// the way cayley's own loader writes it: quads streamed to the backend's
// quad writer, which commits in chunks. They go into a fresh store of the
// same kind, set aside for the purpose, on a goroutine of their own, while
// the caller is still reading and decoding its input on another core. The
// fresh store starts as a copy of what the store holds, which must be
// small (bulkCopyMax quads: the curated graph, say); a bulk load is for
// filling a new store. Only when everything read has been checked, and the
// quads written are shown to be exactly the layout of the records they
// were decoded into (quadsOf), does the fresh store, with the rest of the
// records added, take the store's place; otherwise it is thrown away and
// the store is left as it was. So a bulk load is all or nothing like
// Apply.
//
// "Exactly the layout" is checked with a multiset hash: the sum of a keyed
// 64-bit hash (hash/maphash, with a random seed per load) of every quad
// written, against the same sum over quadsOf of those records, and the two
// counts. Any difference (a quad of another vocabulary, a repeated quad, a
// value of another type, a record the caller changed or dropped) makes the
// sums differ but for a chance of 2⁻⁶⁴, and the load falls back to Apply.

// bulkBatch is how many quads go to the writer goroutine at a time, and
// bulkQueue how many batches may wait for it: enough (4M quads, some 256 MB)
// for the reader to finish and check the records while the writer, the
// slower of the two, works through the rest.
const (
	bulkBatch = 4096
	bulkQueue = 1024
)

// bulkCommit is how many quads a bolt bulk load writes per transaction
// (a variable, for tests). cayley's quad writer commits every 2·10⁵; but a
// bbolt put costs more the more a transaction already holds (node.put
// shifts ever larger leaf nodes until the commit splits them), and
// 5·10⁴ measured fastest for 10⁵ generated links (1.18M quads): 30.8 s at
// 2·10⁵, 26.6 s at 10⁵, 24.1 s at 5·10⁴, 24.3 s at 2·10⁴, 25.4 s at 8,192.
var bulkCommit = 50_000

// bulkCommitShare grows the transactions with the store: each holds at
// least 1/bulkCommitShare of what was written before it. A commit costs
// more the bigger the file (bbolt writes the touched branches every
// time), and the puts of a transaction spread over more leaves. At 10⁶
// links (11.75M quads), against cayley's 2·10⁵ in the same run, with
// fsyncs on: fixed transactions of 5·10⁴ took 546 s (cayley's 412 s),
// growing by a 24th 372 s (341 s), by an eighth 454 s (362 s). At 10⁵
// links a 24th never exceeds 5·10⁴. See commitSize for the first ones.
const bulkCommitShare = 24

// bulkCopyMax is the most quads a store may hold for a bulk load into it
// (they are copied into the fresh store first). A variable, for tests.
var bulkCopyMax = 200_000

// bulkDirPattern names the directory a bolt bulk load writes in, inside
// the store's own directory (so that a rename moves it into place).
const bulkDirPattern = ".bulk-*"

// A Bulk is a bulk load in progress: see Store.Bulk.
type Bulk struct {
	s    *Store
	base *snapshot // the snapshot it started from
	qs   graph.QuadStore
	qw   quad.WriteCloser
	dir  string    // bolt: the fresh store's directory
	bolt *bbolt.DB // bolt: the fresh store's file, written without fsyncs

	seed    maphash.Seed
	sum     uint64 // multiset hash of the quads written
	n       int
	buf     []quad.Quad
	batches chan []quad.Quad
	free    chan []quad.Quad // written batches, for reuse
	done    chan struct{}
	err     error // the writer's, read after done
	ended   bool
	dropped atomic.Bool // aborted: the writer skips what is left
}

// Bulk starts a bulk load, or returns nil when the store cannot take one:
// it holds more than bulkCopyMax quads, or it is a SQL store (whose loads
// are batched by sqlwrite.go). Hand the bulk every quad of the input in
// the store's layout with Write, then Commit the records read, or Abort.
func (s *Store) Bulk(ctx context.Context) *Bulk {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.sql != nil {
		return nil
	}
	n, err := s.countLocked(ctx, bulkCopyMax+1)
	if err != nil || n > bulkCopyMax {
		return nil
	}
	b, err := s.newBulkLocked(ctx, n > 0)
	if err != nil {
		return nil // the ordinary write will meet the problem and say so
	}
	return b
}

// countLocked counts the quads the store holds, up to max. (Not Stats:
// cayley's KV stores have no size until their first write.)
func (s *Store) countLocked(ctx context.Context, max int) (int, error) {
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	n := 0
	for n < max && it.Next(ctx) {
		n++
	}
	return n, it.Err()
}

// newBulkLocked sets up the fresh store, with a copy of the store's quads
// when it holds any, and starts the writer goroutine.
func (s *Store) newBulkLocked(ctx context.Context, copyStore bool) (*Bulk, error) {
	b := &Bulk{
		s:       s,
		base:    s.snap.Load(),
		seed:    maphash.MakeSeed(),
		buf:     make([]quad.Quad, 0, bulkBatch),
		batches: make(chan []quad.Quad, bulkQueue),
		free:    make(chan []quad.Quad, 8),
		done:    make(chan struct{}),
	}
	fail := func(err error) (*Bulk, error) {
		if b.qs != nil {
			b.qs.Close()
		}
		if b.dir != "" {
			os.RemoveAll(b.dir)
		}
		return nil, err
	}
	var err error
	switch s.spec.backend {
	case backendMemory:
		b.qs = memstore.New()
	case backendBolt:
		if b.dir, err = os.MkdirTemp(s.spec.path, bulkDirPattern); err != nil {
			return nil, err
		}
		file := filepath.Join(b.dir, "indexes.bolt")
		if copyStore {
			// No write is under way (s.mu is held), and what bbolt
			// committed is in the file.
			if err = copyFile(filepath.Join(s.spec.path, "indexes.bolt"), file); err != nil {
				return fail(err)
			}
		}
		if b.bolt, b.qs, err = openBulkBolt(file, !copyStore); err != nil {
			return fail(err)
		}
		copyStore = false // the file is the copy
	default:
		return nil, fmt.Errorf("no bulk loads into a %s store", s.spec.backend)
	}
	if b.qw, err = b.qs.NewQuadWriter(); err != nil {
		return fail(err)
	}
	if copyStore {
		var qs []quad.Quad
		if err := s.quadsLocked(ctx, func(q quad.Quad) error { qs = append(qs, q); return nil }); err != nil {
			return fail(err)
		}
		if _, err := b.qw.WriteQuads(qs); err != nil {
			return fail(err)
		}
	}
	go b.write()
	return b, nil
}

// openBulkBolt opens a bulk load's bolt file as cayley's bbolt backend
// does, but with bbolt's fsyncs off (NoSync, NoGrowSync), its freelist
// neither written at each commit (NoFreelistSync) nor kept as a sorted
// array (the hashmap kind), and through bucketKV. cayley's loader fsyncs
// every transaction and rewrites the freelist in each; at 10⁶ links the
// waits alone were 64 s of a 372 s load. Skipping them is safe here
// because the file is thrown away unless the load completes, and
// makeDurable syncs it, freelist and all, before it takes the store's
// place.
func openBulkBolt(file string, create bool) (*bbolt.DB, graph.QuadStore, error) {
	return openBoltFile(file, &bbolt.Options{
		Timeout:        time.Second,
		NoSync:         true,
		NoGrowSync:     true,
		NoFreelistSync: true,
		FreelistType:   bbolt.FreelistMapType,
	}, create)
}

// makeDurable turns a bulk bolt file's fsyncs back on and commits an empty
// transaction, which writes the freelist and fsyncs the file: everything
// the load wrote is on disk, and the handle syncs every later write as
// the store's own does.
func makeDurable(db *bbolt.DB) error {
	db.NoSync, db.NoGrowSync, db.NoFreelistSync = false, false, false
	return db.Update(func(*bbolt.Tx) error { return nil })
}

// commitSize is how many quads the next transaction of a bolt bulk load
// holds, when commits were made and total quads written so far. The first
// transactions are small (4,096 quads, doubling up to bulkCommit): cayley
// keeps each value in one of 2¹⁷ buckets named by its hash, created when
// first used, and bbolt inserts a new bucket into one in-memory leaf of
// the root that only a commit splits. One large first transaction creates
// most of them in a single leaf, shifting it for every insert: 3.2 s of
// memmove at 10⁵ links, 0.4 s with the ramp.
func commitSize(commits, total int) int {
	return max(min(bulkBatch<<min(commits, 20), bulkCommit), total/bulkCommitShare)
}

// copyFile copies a file. The copy is not synced: makeDurable syncs the
// whole file before it is used.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// removeBulkDirs removes what bolt bulk loads of a process that died left
// behind. It runs once the store is open, so no other process can be
// loading into it.
func removeBulkDirs(path string) {
	dirs, _ := filepath.Glob(filepath.Join(path, bulkDirPattern))
	for _, d := range dirs {
		os.RemoveAll(d)
	}
}

// write is the writer goroutine: it feeds the batches to cayley's quad
// writer until the channel closes, then commits.
func (b *Bulk) write() {
	defer close(b.done)
	n, total, commits := 0, 0, 0
	for batch := range b.batches {
		if b.err == nil && !b.dropped.Load() {
			_, b.err = b.qw.WriteQuads(batch)
			n += len(batch)
			total += len(batch)
			if b.err == nil && b.dir != "" && n >= commitSize(commits, total) {
				n = 0
				commits++
				if b.err = b.qw.Close(); b.err == nil {
					b.qw, b.err = b.qs.NewQuadWriter()
				}
			}
		}
		clear(batch)
		select {
		case b.free <- batch[:0]:
		default:
		}
	}
	if err := b.qw.Close(); b.err == nil {
		b.err = err
	}
}

// Write hands the bulk load one quad. Quads of other vocabularies, or
// repeated ones, may be written too: they only make Commit decline.
func (b *Bulk) Write(q quad.Quad) {
	if b.ended {
		return
	}
	b.sum += hashQuad(b.seed, q)
	b.n++
	b.writeUnhashed(q)
}

// writeUnhashed queues q for the writer.
func (b *Bulk) writeUnhashed(q quad.Quad) {
	b.buf = append(b.buf, q)
	if len(b.buf) == bulkBatch {
		b.batches <- b.buf
		select {
		case b.buf = <-b.free:
		default:
			b.buf = make([]quad.Quad, 0, bulkBatch)
		}
	}
}

// end stops the feeding and waits for the writer to finish.
func (b *Bulk) end() error {
	if !b.ended {
		b.ended = true
		if len(b.buf) > 0 {
			b.batches <- b.buf
		}
		b.buf = nil
		close(b.batches)
	}
	<-b.done
	return b.err
}

// Abort throws the bulk load away; the store is as it was. Aborting a
// committed or aborted bulk does nothing.
func (b *Bulk) Abort() {
	if b.qs == nil {
		return
	}
	b.dropped.Store(true)
	b.end()
	b.qs.Close()
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
	b.qs = nil
}

// Commit makes batch the store's content beside what it held, through
// the fresh store, provided that the quads written are exactly the layout
// of batch's records for which written(record, i) is true (record is
// "source", "reference", "entity" or "link", i the index in batch; a nil
// written means all of them), that batch passes Apply's validation, and
// that nothing was written to the store since the bulk load began. The
// other records are written too. When validation fails, the error is the
// Problems (indexes into batch) and nothing is written. When ok is false
// and err nil, the bulk was thrown away and the store is as it was: write
// batch with Apply instead.
func (b *Bulk) Commit(ctx context.Context, batch *Batch, written func(record string, i int) bool) (_ Applied, ok bool, _ error) {
	if b.qs == nil {
		return Applied{}, false, nil
	}
	if written == nil {
		written = func(string, int) bool { return true }
	}
	mine, rest := split(batch, written)
	// Hash the layout while the writer goroutine catches up.
	var sum uint64
	n := 0
	eachQuad(mine, func(q quad.Quad) {
		sum += hashQuad(b.seed, q)
		n++
	})
	if n != b.n || sum != b.sum {
		b.Abort()
		return Applied{}, false, nil
	}
	s := b.s
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		b.Abort()
		return Applied{}, false, ErrClosed
	case s.snap.Load() != b.base:
		b.Abort() // written to meanwhile
		return Applied{}, false, nil
	}
	if ps := check(batch, b.base); len(ps) > 0 {
		b.Abort()
		return Applied{}, false, ps
	}
	fresh, res := newRecords(batch, b.base)
	if fresh.Len() == 0 {
		b.Abort() // nothing new: no store to swap in
		return Applied{}, false, nil
	}
	restFresh, _ := newRecords(rest, b.base)
	extra := quadsOf(restFresh)
	for _, q := range extra {
		b.writeUnhashed(q)
	}
	snap := b.base.plus(fresh)
	if err := b.end(); err != nil {
		b.Abort()
		return Applied{}, false, nil
	}
	if err := ctx.Err(); err != nil {
		b.Abort()
		return Applied{}, false, err
	}
	if err := s.adoptLocked(b); err != nil {
		return Applied{}, false, err
	}
	s.snap.Store(snap)
	res.Quads = n + len(extra)
	if res.Unchanged > 0 { // their quads were written again, and changed nothing
		res.Quads = 0
		eachQuad(fresh, func(quad.Quad) { res.Quads++ })
	}
	return res, true, nil
}

// split parts batch into the records written says were written, and the
// others.
func split(batch *Batch, written func(string, int) bool) (mine, rest *Batch) {
	mine, rest = &Batch{}, &Batch{}
	mine.Sources, rest.Sources = partition(batch.Sources, "source", written)
	mine.References, rest.References = partition(batch.References, "reference", written)
	mine.Entities, rest.Entities = partition(batch.Entities, "entity", written)
	mine.Links, rest.Links = partition(batch.Links, "link", written)
	return mine, rest
}

func partition[T any](xs []T, record string, in func(string, int) bool) (yes, no []T) {
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

// adoptLocked makes the bulk's fresh store the Store's.
func (s *Store) adoptLocked(b *Bulk) error {
	old, oldW := s.qs, s.w
	if b.dir != "" {
		if err := makeDurable(b.bolt); err != nil {
			b.Abort()
			return fmt.Errorf("bulk load into %s: %w", s.spec, err)
		}
		// Close the empty store first: it holds the lock on its file.
		oldW.Close()
		old.Close()
		target := filepath.Join(s.spec.path, "indexes.bolt")
		if err := os.Rename(filepath.Join(b.dir, "indexes.bolt"), target); err != nil {
			b.Abort()
			if oerr := s.openLocked(); oerr != nil {
				s.closed = true
				return errors.Join(err, oerr)
			}
			return fmt.Errorf("bulk load into %s: %w", s.spec, err)
		}
		syncDir(s.spec.path)
		os.RemoveAll(b.dir)
	} else {
		oldW.Close()
		old.Close()
	}
	w, err := writer.NewSingle(b.qs, graph.IgnoreOpts{IgnoreDup: true})
	if err != nil {
		b.qs.Close()
		b.qs = nil
		s.closed = true
		return err
	}
	s.qs, s.w = b.qs, w
	b.qs = nil
	bulkAdopted.Add(1)
	return nil
}

// bulkAdopted counts the bulk loads that became a store's content (tests
// read it to see which path a write took).
var bulkAdopted atomic.Int64

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// applyFreshLocked writes qs into a bolt store that holds little through a
// bulk load (a copy of the file, chunked commits into it, then a rename)
// rather than in one bbolt transaction, whose cost grows with its size.
// next is built while the quads are written.
func (s *Store) applyFreshLocked(ctx context.Context, qs []quad.Quad, copyStore bool, next func() *snapshot) error {
	b, err := s.newBulkLocked(ctx, copyStore)
	if err != nil {
		return err
	}
	snap := make(chan *snapshot, 1)
	go func() { snap <- next() }()
	for _, q := range qs {
		b.Write(q)
	}
	if err := b.end(); err != nil {
		<-snap
		b.Abort()
		return fmt.Errorf("write to %s store: %w", s.spec.backend, classify(err))
	}
	if err := ctx.Err(); err != nil {
		<-snap
		b.Abort()
		return err
	}
	if err := s.adoptLocked(b); err != nil {
		<-snap
		return err
	}
	s.snap.Store(<-snap)
	return nil
}

// hashQuad is a keyed hash of q's four values, each with its type: quads
// hash alike when they are the same values of the same types (and so the
// same quad to cayley).
func hashQuad(seed maphash.Seed, q quad.Quad) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	hashValue(&h, q.Subject)
	hashValue(&h, q.Predicate)
	hashValue(&h, q.Object)
	hashValue(&h, q.Label)
	return h.Sum64()
}

func hashValue(h *maphash.Hash, v quad.Value) {
	var buf [9]byte
	str := func(tag byte, s string) {
		buf[0] = tag
		binary.LittleEndian.PutUint64(buf[1:], uint64(len(s)))
		h.Write(buf[:])
		h.WriteString(s)
	}
	num := func(tag byte, x uint64) {
		buf[0] = tag
		binary.LittleEndian.PutUint64(buf[1:], x)
		h.Write(buf[:])
	}
	switch v := v.(type) {
	case nil:
		h.WriteByte(0)
	case quad.IRI:
		str(1, string(v))
	case quad.String:
		str(2, string(v))
	case quad.Float:
		num(3, math.Float64bits(float64(v)))
	case quad.Int:
		num(4, uint64(v))
	default:
		// Kinds the layout never writes: distinct from all of the above.
		str(5, v.String())
	}
}
