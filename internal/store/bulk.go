package store

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

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/writer"
	"github.com/cayleygraph/quad"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/layout"
	"go.etcd.io/bbolt"
)

// Bulk loads. A large load of N-Quads in the store's own layout is
// streamed, quads as they are decoded, into a fresh bolt store set aside
// for the purpose, on a goroutine of their own, while the caller is still
// reading and decoding its input on another core. The fresh store is
// filled in key order (kvFill, kvfill.go): what cayley's KV quad writer
// would write, without its look-ups, whose cost grows with the store
// (with Options.BulkCayleyWriter, for comparisons, cayley's writer writes
// it, committing in chunks). The fresh store starts with what the store
// holds, which must be small (Options.BulkCopyMax quads: the curated
// graph, say): its quads are written first (through cayley's writer, the
// file is copied). A bulk load is for filling a new store. Only when
// everything read has been checked, and the
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

// DefaultBulkCommit is how many quads a bolt bulk load through cayley's
// writer writes per transaction (Options.BulkCommit). cayley's quad writer commits every 2·10⁵; but a
// bbolt put costs more the more a transaction already holds (node.put
// shifts ever larger leaf nodes until the commit splits them), and
// 5·10⁴ measured fastest for 10⁵ generated links (1.18M quads): 30.8 s at
// 2·10⁵, 26.6 s at 10⁵, 24.1 s at 5·10⁴, 24.3 s at 2·10⁴, 25.4 s at 8,192.
const DefaultBulkCommit = 50_000

// bulkCommitShare grows the transactions with the store: each holds at
// least 1/bulkCommitShare of what was written before it. A commit costs
// more the bigger the file (bbolt writes the touched branches every
// time), and the puts of a transaction spread over more leaves. At 10⁶
// links (11.75M quads), against cayley's 2·10⁵ in the same run, with
// fsyncs on: fixed transactions of 5·10⁴ took 546 s (cayley's 412 s),
// growing by a 24th 372 s (341 s), by an eighth 454 s (362 s). At 10⁵
// links a 24th never exceeds 5·10⁴. See commitSize for the first ones.
const bulkCommitShare = 24

// DefaultBulkCopyMax is the most quads a store may hold for a bulk load
// into it (they are copied into the fresh store first): Options.BulkCopyMax.
const DefaultBulkCopyMax = 200_000

// bulkDirPattern names the directory a bolt bulk load writes in, inside
// the store's own directory (so that a rename moves it into place).
const bulkDirPattern = ".bulk-*"

// A Bulk is a bulk load in progress into a fresh store (NewBulk).
type Bulk struct {
	db   *DB
	qs   cayley.QuadStore
	qw   quad.WriteCloser
	dir  string    // bolt: the fresh store's directory
	bolt *bbolt.DB // bolt: the fresh store's file, written without fsyncs
	one  *oneTx    // bolt: the fresh store's KV, the DB's once adopted
	fill *kvFill   // the writer, unless Options.BulkCayleyWriter (then qw)
	gone bool      // aborted or adopted

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

// BulkCopyMax is the most quads the store may hold for a bulk load into it
// (they are copied into the fresh store first).
func (d *DB) BulkCopyMax() int { return max(d.opts.BulkCopyMax, 0) }

// NewBulk starts a bulk load: it sets up the fresh store, with a copy of
// the store's quads when copyStore is set, and starts the writer
// goroutine. Only bolt stores take bulk loads (a large write to
// PostgreSQL goes through COPY: sqlcopy.go). Hand the bulk quads with
// Write, then End it and Adopt it, or Abort it.
func (d *DB) NewBulk(ctx context.Context, copyStore bool) (*Bulk, error) {
	return d.newBulk(ctx, copyStore, bulkQueue)
}

// newBulk is NewBulk with a queue of that many batches for the writer.
func (d *DB) newBulk(ctx context.Context, copyStore bool, queue int) (*Bulk, error) {
	if d.spec.backend != backendBolt {
		return nil, fmt.Errorf("no bulk loads into a %s store", d.spec.backend)
	}
	b := &Bulk{
		db:      d,
		seed:    maphash.MakeSeed(),
		buf:     make([]quad.Quad, 0, bulkBatch),
		batches: make(chan []quad.Quad, queue),
		free:    make(chan []quad.Quad, 8),
		done:    make(chan struct{}),
	}
	var err error
	if b.dir, err = os.MkdirTemp(d.spec.path, bulkDirPattern); err != nil {
		return nil, err
	}
	if d.opts.BulkCayleyWriter {
		err = b.openCayley(copyStore)
	} else {
		err = b.openFill(ctx, copyStore)
	}
	if err != nil {
		b.close()
		return nil, err
	}
	go b.write()
	return b, nil
}

// openCayley sets the bulk up to write through cayley's quad writer, into
// a copy of the store's file when copyStore is set.
func (b *Bulk) openCayley(copyStore bool) error {
	file := filepath.Join(b.dir, "indexes.bolt")
	if copyStore {
		// No write is under way (the owner holds its lock), and what bbolt
		// committed is in the file.
		if err := copyFile(filepath.Join(b.db.spec.path, "indexes.bolt"), file); err != nil {
			return err
		}
	}
	var err error
	if b.bolt, err = openBulkFile(file); err != nil {
		return err
	}
	if !copyStore {
		if err := kv.Init(boltKV{b.bolt}, nil); err != nil {
			return err
		}
	}
	if b.one, b.qs, err = newKVQuads(b.bolt, nil); err != nil {
		return err
	}
	b.qw, err = b.qs.NewQuadWriter()
	return err
}

// openFill sets the bulk up to write through a kvFill into a new file,
// which takes the store's quads first when copyStore is set.
func (b *Bulk) openFill(ctx context.Context, copyStore bool) error {
	var err error
	if b.bolt, err = openBulkFile(filepath.Join(b.dir, "indexes.bolt")); err != nil {
		return err
	}
	if err := kv.Init(boltKV{b.bolt}, nil); err != nil {
		return err
	}
	if b.fill, err = newKVFill(b.bolt); err != nil {
		return err
	}
	if !copyStore {
		return nil
	}
	batch := make([]quad.Quad, 0, bulkBatch)
	err = b.db.Quads(ctx, func(q quad.Quad) error {
		if batch = append(batch, q); len(batch) < bulkBatch {
			return nil
		}
		err := b.fill.add(batch)
		batch = batch[:0]
		return err
	})
	if err != nil {
		return err
	}
	return b.fill.add(batch)
}

// close lets go of the fresh store and removes it.
func (b *Bulk) close() {
	if b.fill != nil {
		b.fill.abort()
		b.fill = nil
	}
	if b.qs != nil {
		b.qs.Close() // and the file under it
	} else if b.bolt != nil {
		b.bolt.Close()
	}
	b.qs = nil
	os.RemoveAll(b.dir)
}

// openBulkFile opens a bulk load's bolt file as cayley's bbolt backend
// does, but with bbolt's fsyncs off (NoSync, NoGrowSync), its freelist
// neither written at each commit (NoFreelistSync) nor kept as a sorted
// array (the hashmap kind). cayley's loader fsyncs every transaction and
// rewrites the freelist in each; at 10⁶ links the waits alone were 64 s of
// a 372 s load. Skipping them is safe here because the file is thrown away
// unless the load completes, and makeDurable syncs it, freelist and all,
// before it takes the store's place.
//
// The file is mapped at bulkMmapSize from the start. bbolt maps the file
// anew each time it outgrows the mapping (doubling up to 1 GB, then by
// 1 GB), and each time first copies every key and value the transaction
// under way holds out of the old mapping, one allocation each: 22% of a
// bulk load's CPU time at 2·10⁵ links. The mapping is address space only:
// pages count as memory once read or written.
func openBulkFile(file string) (*bbolt.DB, error) {
	opts := &bbolt.Options{
		Timeout:         time.Second,
		NoSync:          true,
		NoGrowSync:      true,
		NoFreelistSync:  true,
		FreelistType:    bbolt.FreelistMapType,
		InitialMmapSize: bulkMmapSize,
	}
	db, err := bbolt.Open(file, 0o644, opts)
	if err != nil {
		// A process limited in address space maps as it grows.
		opts.InitialMmapSize = 0
		db, err = bbolt.Open(file, 0o644, opts)
	}
	return db, err
}

// bulkMmapSize is how much of a bulk load's file bbolt maps from the
// start: 32 GB, more than a store of 10⁷ links takes (where an int is 32
// bits, the most it can say, and the open falls back to growing).
const bulkMmapSize = min(32<<30, math.MaxInt)

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
// transactions are small (4,096 quads, doubling up to Options.BulkCommit): cayley
// keeps each value in one of 2¹⁷ buckets named by its hash, created when
// first used, and bbolt inserts a new bucket into one in-memory leaf of
// the root that only a commit splits. One large first transaction creates
// most of them in a single leaf, shifting it for every insert: 3.2 s of
// memmove at 10⁵ links, 0.4 s with the ramp.
func commitSize(commits, total, most int) int {
	return max(min(bulkBatch<<min(commits, 20), most), total/bulkCommitShare)
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

// write is the writer goroutine: it feeds the batches to the kvFill, or
// cayley's quad writer, until the channel closes, then commits.
func (b *Bulk) write() {
	defer close(b.done)
	if b.fill != nil {
		b.err = b.writeFill()
		return
	}
	n, total, commits := 0, 0, 0
	for batch := range b.batches {
		if b.err == nil && !b.dropped.Load() {
			_, b.err = b.qw.WriteQuads(batch)
			n += len(batch)
			total += len(batch)
			if b.err == nil && n >= commitSize(commits, total, b.db.opts.BulkCommit) {
				n = 0
				commits++
				if b.err = b.qw.Close(); b.err == nil {
					b.qw, b.err = b.qs.NewQuadWriter()
				}
			}
		}
		b.recycle(batch)
	}
	if err := b.qw.Close(); b.err == nil {
		b.err = err
	}
}

// writeFill feeds the batches to the kvFill, then finishes the store and
// opens it as cayley's quad store, as openBolt opens a store.
func (b *Bulk) writeFill() error {
	var err error
	for batch := range b.batches {
		if err == nil && !b.dropped.Load() {
			err = b.fill.add(batch)
		}
		b.recycle(batch)
	}
	if err != nil || b.dropped.Load() {
		return err
	}
	if err := b.fill.finish(); err != nil {
		return err
	}
	b.fill = nil
	b.one, b.qs, err = newKVQuads(b.bolt, cayley.Options{kv.OptNoBloom: !b.db.opts.CayleyBloom})
	return err
}

// recycle hands a written batch back to Write.
func (b *Bulk) recycle(batch []quad.Quad) {
	clear(batch)
	select {
	case b.free <- batch[:0]:
	default:
	}
}

// Write hands the bulk load one quad, counted for Holds. Quads of other
// vocabularies, or repeated ones, may be written too: they only make Holds
// false.
func (b *Bulk) Write(q quad.Quad) {
	if b.ended {
		return
	}
	b.sum += hashQuad(b.seed, q)
	b.n++
	b.WriteExtra(q)
}

// Written is how many quads Write was given.
func (b *Bulk) Written() int { return b.n }

// WriteExtra hands the bulk load a quad that Holds does not count.
func (b *Bulk) WriteExtra(q quad.Quad) {
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

// End stops the feeding and waits for the writer to finish.
func (b *Bulk) End() error {
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
	if b.gone {
		return
	}
	b.gone = true
	b.dropped.Store(true)
	b.End()
	b.close()
}

// Holds says whether the quads written (with Write) are exactly the
// layout of batch's records (layout.QuadsOf): the same multiset of quads,
// but for a chance of 2⁻⁶⁴.
func (b *Bulk) Holds(batch *graph.Batch) bool {
	if b.gone {
		return false // aborted
	}
	var sum uint64
	n := 0
	layout.EachQuad(batch, func(q quad.Quad) {
		sum += hashQuad(b.seed, q)
		n++
	})
	return n == b.n && sum == b.sum
}

// Adopt makes the ended bulk's fresh store the DB's. When the store cannot
// be reopened after a failure, the error wraps ErrBroken.
func (d *DB) Adopt(b *Bulk) error {
	s := d
	if b.gone || b.qs == nil {
		return fmt.Errorf("bulk load into %s: not ended, or aborted", s.spec)
	}
	old, oldW := s.qs, s.w
	if err := makeDurable(b.bolt); err != nil {
		b.Abort()
		return fmt.Errorf("bulk load into %s: %w", s.spec, err)
	}
	// The fresh file takes the place, and the mode, of the store's.
	target := filepath.Join(s.spec.path, "indexes.bolt")
	fresh := filepath.Join(b.dir, "indexes.bolt")
	if fi, err := os.Stat(target); err == nil {
		if err := os.Chmod(fresh, fi.Mode().Perm()); err != nil {
			b.Abort()
			return fmt.Errorf("bulk load into %s: %w", s.spec, err)
		}
	}
	// Close the empty store first: it holds the lock on its file.
	oldW.Close()
	old.Close()
	if err := os.Rename(fresh, target); err != nil {
		b.Abort()
		if oerr := s.openQuads(); oerr != nil {
			return fmt.Errorf("%w: %w", ErrBroken, errors.Join(err, oerr))
		}
		return fmt.Errorf("bulk load into %s: %w", s.spec, err)
	}
	syncDir(s.spec.path)
	os.RemoveAll(b.dir)
	b.gone = true
	w, err := writer.NewSingle(b.qs, cayley.IgnoreOpts{IgnoreDup: true})
	if err != nil {
		b.qs.Close()
		b.qs = nil
		return fmt.Errorf("%w: %w", ErrBroken, err)
	}
	// The DB's oneTx and file go with the quad store: a write that removes
	// and adds (Write) and a read of the log (readBoltLog) go through them.
	s.qs, s.w, s.one, s.bolt = b.qs, w, b.one, b.bolt
	b.qs = nil
	s.adopted++
	return nil
}

// Adopted counts the bulk loads that became the DB's content (tests read
// it to see which path a write took).
func (d *DB) Adopted() int { return d.adopted }

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// WriteFresh writes qs into a store that holds little through a bulk
// load (a copy of the file, chunked commits into it, then a rename) rather
// than in one bbolt transaction, whose cost grows with its size.
func (d *DB) WriteFresh(ctx context.Context, qs []quad.Quad, copyStore bool) error {
	return d.WriteFreshOf(ctx, func(emit func(quad.Quad)) {
		for _, q := range qs {
			emit(q)
		}
	}, copyStore)
}

// freshQueue is how many batches of quads WriteFreshOf lets wait for the
// writer: the quads are made as it takes them, so that a large write
// never holds them all (3.75 M quads, 1.2 GB, at 10⁶ signed rows).
const freshQueue = 4

// WriteFreshOf is WriteFresh of the quads each hands to emit, made while
// the writer takes them: each waits when the writer is behind.
func (d *DB) WriteFreshOf(ctx context.Context, each func(emit func(quad.Quad)), copyStore bool) error {
	b, err := d.newBulk(ctx, copyStore, freshQueue)
	if err != nil {
		return err
	}
	each(b.Write)
	if err := b.End(); err != nil {
		b.Abort()
		return fmt.Errorf("write to %s store: %w", d.spec.backend, classify(err))
	}
	if err := ctx.Err(); err != nil {
		b.Abort()
		return err
	}
	return d.Adopt(b)
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
