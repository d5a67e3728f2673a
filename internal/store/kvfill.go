package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"time"

	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"go.etcd.io/bbolt"
	"google.golang.org/protobuf/encoding/protowire"
)

// Filling a fresh cayley KV store in key order (issue 18). cayley's KV
// quad writer looks every value and quad up in the B-trees before it
// writes it, and puts each where its hash or id falls: its cost a quad
// grows with the store (27 µs at 2·10⁵ links, 63 µs at 10⁶), over an hour
// for the 37.5 M quads of 10⁷ links. A bulk load into a fresh store needs
// no look-up in the file, since it wrote everything there itself: a
// kvFill keeps the values it has met (hash, reference count, id) and the
// quads (node ids) in memory, and writes each bucket in key order, so
// that every bbolt put appends to the last leaf.
//
// The store is what cayley's writer makes of the same quads, bucket by
// bucket (kvfill_test.go checks it against cayley's own), but for which
// ids stand for which node or quad, and the primitives' timestamps:
//
//   - log: every primitive by id (8 bytes, big endian), a proto
//     Primitive as cayley marshals it. Nodes take ids 1 to V in the order
//     their values first appear, written as they appear; the quads V+1
//     on, in the order written, written at the end (their ids wait for V).
//     A quad written again (the same four values) is written once, as
//     cayley's writer, told to ignore duplicates, does.
//   - v⟨h0⟩⟨h1⟩ and n⟨h0⟩⟨h1⟩: a value's id and its reference count
//     (uvarints) under its hash (quad.HashOf), in buckets named by the
//     hash's first two bytes. The count is cayley's: one for every
//     direction of every quad written that names the value, repeated
//     quads included.
//   - one bucket for each index of meta/indexes (cayley's defaults: "sp"
//     and "ops"): under the ids of the index's directions (8 bytes each,
//     big endian), the ids of the quads that have them, ascending, as
//     uvarints (cayley's appendIndex).
//   - meta: size (the quads) and horizon (the last id), little-endian
//     int64s; version and indexes as kv.Init wrote them.
//
// Memory: 28 bytes a value and 4 to 8 in the hash table, 20 bytes a quad;
// at 10⁷ links (some 12 M values, 37.5 M quads) about 1.2 GB. Node and
// quad ids are 32-bit here; a load of more than 2³⁰ quads is refused.

// fillTxBytes is how many bytes of keys and values a kvFill puts in one
// bbolt transaction before it commits, each put counted fillPutBytes
// more. Each put appends to an in-memory leaf that the commit splits into
// full pages, so a commit costs about what it writes; the transaction's
// size only bounds the memory held: bbolt's nodes hold some 90 bytes a
// put beside its key and value, and the index buckets' puts are small
// (64 MB of their keys and values held 340 MB of nodes and pages at 10⁶
// signed rows).
const (
	fillTxBytes  = 64 << 20
	fillPutBytes = 96
)

// fillMaxQuads is the most quads a kvFill takes: reference counts stay
// within 32 bits (a quad names at most four values).
const fillMaxQuads = 1 << 30

var errFillTooLarge = errors.New("bulk load: more than 2^30 quads")

// fillValue is a value a kvFill has met.
type fillValue struct {
	hash refs.ValueHash
	refs uint32 // reference count, as cayley counts it
	id   uint32 // node id
}

// fillQuad is a quad a kvFill was given: the node ids of its subject,
// predicate, object and label (0: none), and its place in the input.
type fillQuad struct {
	dir [4]uint32
	ord uint32
}

// dirIndex maps a quad.Direction to its place in fillQuad.dir.
func dirIndex(d quad.Direction) (int, error) {
	switch d {
	case quad.Subject, quad.Predicate, quad.Object, quad.Label:
		return int(d - quad.Subject), nil
	}
	return 0, fmt.Errorf("bulk load: index on direction %v", d)
}

// A kvFill writes quads into a fresh cayley KV store in bbolt (made by
// kv.Init, holding nothing): add them, then finish.
type kvFill struct {
	db      *bbolt.DB
	indexes []kv.QuadIndex
	ts      int64 // the primitives' timestamp

	vals  []fillValue // by id - 1
	table []uint32    // open addressing on the hash: node ids, 0 empty
	quads []fillQuad

	tx      *bbolt.Tx
	cur     *bbolt.Bucket // the bucket last put into
	curName []byte
	held    int      // bytes put in tx
	chunks  [][]byte // values put in tx (bbolt keeps them until the commit)
	key     [32]byte // scratch for keys (bbolt copies keys)
}

// newKVFill starts filling db, a fresh store, with the indexes that
// kv.Init wrote in its meta bucket.
func newKVFill(db *bbolt.DB) (*kvFill, error) {
	f := &kvFill{db: db, ts: time.Now().UnixNano(), table: make([]uint32, 1<<10)}
	err := db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(metaBucket)
		if meta == nil {
			return errors.New("bulk load: not a cayley store")
		}
		if log := tx.Bucket(logBucket); log != nil && log.Stats().KeyN > 0 {
			return errors.New("bulk load: the store is not empty")
		}
		data := meta.Get([]byte("indexes"))
		if data == nil {
			return errors.New("bulk load: the store names no indexes")
		}
		return json.Unmarshal(data, &f.indexes)
	})
	if err != nil {
		return nil, err
	}
	for _, ind := range f.indexes {
		for _, d := range ind.Dirs {
			if _, err := dirIndex(d); err != nil {
				return nil, err
			}
		}
	}
	return f, nil
}

// add takes quads; new values are written to the log as they come.
func (f *kvFill) add(qs []quad.Quad) error {
	if len(f.quads)+len(qs) > fillMaxQuads {
		return errFillTooLarge
	}
	for _, q := range qs {
		fq := fillQuad{ord: uint32(len(f.quads))}
		for i, v := range [4]quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			id, err := f.node(v)
			if err != nil {
				return err
			}
			fq.dir[i] = id
		}
		f.quads = append(f.quads, fq)
	}
	return nil
}

// node returns v's node id, counting one more reference to it, and makes
// a node of it, written to the log, when it is new. nil is id 0.
func (f *kvFill) node(v quad.Value) (uint32, error) {
	if v == nil {
		return 0, nil
	}
	var h refs.ValueHash
	quad.HashTo(v, h[:])
	mask := uint64(len(f.table) - 1)
	i := binary.LittleEndian.Uint64(h[:8]) & mask
	for {
		id := f.table[i]
		if id == 0 {
			break
		}
		if fv := &f.vals[id-1]; fv.hash == h {
			fv.refs++
			return id, nil
		}
		i = (i + 1) & mask
	}
	id := uint32(len(f.vals) + 1)
	f.vals = append(f.vals, fillValue{hash: h, refs: 1, id: id})
	f.table[i] = id
	if len(f.vals)*4 > len(f.table)*3 {
		f.grow()
	}
	val, err := pquads.MarshalValue(v)
	if err != nil {
		return 0, err
	}
	buf := f.alloc(protowire.SizeTag(1)*3 + protowire.SizeVarint(uint64(id)) + protowire.SizeVarint(uint64(f.ts)) + protowire.SizeBytes(len(val)))
	buf = protowire.AppendTag(buf, 1, protowire.VarintType)
	buf = protowire.AppendVarint(buf, uint64(id))
	buf = protowire.AppendTag(buf, 7, protowire.VarintType)
	buf = protowire.AppendVarint(buf, uint64(f.ts))
	if len(val) > 0 {
		buf = protowire.AppendTag(buf, 8, protowire.BytesType)
		buf = protowire.AppendBytes(buf, val)
	}
	return id, f.putLog(uint64(id), buf)
}

// grow doubles the hash table.
func (f *kvFill) grow() {
	f.table = make([]uint32, 2*len(f.table))
	mask := uint64(len(f.table) - 1)
	for _, v := range f.vals {
		i := binary.LittleEndian.Uint64(v.hash[:8]) & mask
		for f.table[i] != 0 {
			i = (i + 1) & mask
		}
		f.table[i] = v.id
	}
}

// alloc returns an empty slice of capacity n for a value to put, valid
// until the transaction commits.
func (f *kvFill) alloc(n int) []byte {
	if len(f.chunks) > 0 {
		c := f.chunks[len(f.chunks)-1]
		if cap(c)-len(c) >= n {
			f.chunks[len(f.chunks)-1] = c[:len(c)+n]
			return c[len(c) : len(c) : len(c)+n]
		}
	}
	c := make([]byte, n, max(n, 1<<20))
	f.chunks = append(f.chunks, c)
	return c[:0:n]
}

// put puts k, v into the top-level bucket name, made if missing, and
// commits once the transaction holds fillTxBytes. v must not change
// until then.
func (f *kvFill) put(name, k, v []byte) error {
	if f.tx == nil {
		tx, err := f.db.Begin(true)
		if err != nil {
			return err
		}
		f.tx = tx
	}
	if f.cur == nil || !bytes.Equal(f.curName, name) {
		b, err := f.tx.CreateBucketIfNotExists(name)
		if err != nil {
			return err
		}
		// Pages filled in key order are filled whole: nothing will be
		// inserted between their keys in this load.
		b.FillPercent = 1
		f.cur, f.curName = b, append(f.curName[:0], name...)
	}
	if err := f.cur.Put(k, v); err != nil {
		return err
	}
	f.held += len(k) + len(v) + fillPutBytes
	if f.held >= fillTxBytes {
		return f.commit()
	}
	return nil
}

func (f *kvFill) putLog(id uint64, v []byte) error {
	binary.BigEndian.PutUint64(f.key[:8], id)
	return f.put(logBucket, f.key[:8], v)
}

// commit commits the transaction under way, if any.
func (f *kvFill) commit() error {
	if f.tx == nil {
		return nil
	}
	err := f.tx.Commit()
	f.tx, f.cur, f.held = nil, nil, 0
	for i := range f.chunks {
		f.chunks[i] = nil
	}
	f.chunks = f.chunks[:0]
	return err
}

// abort rolls back the transaction under way, if any.
func (f *kvFill) abort() {
	if f.tx != nil {
		f.tx.Rollback()
		f.tx, f.cur = nil, nil
	}
}

// finish writes the quads, the indexes, the values' ids and counts and
// the meta keys, and commits.
func (f *kvFill) finish() error {
	if err := f.write(); err != nil {
		f.abort()
		return err
	}
	return f.commit()
}

func (f *kvFill) write() error {
	f.table = nil
	nodes := uint64(len(f.vals))
	dead, err := f.writeIndexes(nodes)
	if err != nil {
		return err
	}
	live, err := f.writeQuadLog(nodes, dead)
	if err != nil {
		return err
	}
	f.quads = nil
	if err := f.writeValues(); err != nil {
		return err
	}
	f.vals = nil
	if live == 0 {
		return nil // cayley writes no counter it would not change
	}
	for _, m := range []struct {
		key string
		n   uint64
	}{{"horizon", nodes + live}, {"size", live}} {
		v := f.alloc(8)[:8]
		binary.LittleEndian.PutUint64(v, m.n)
		if err := f.put(metaBucket, []byte(m.key), v); err != nil {
			return err
		}
	}
	return nil
}

// A rankSet is a set of quad places with the count of those before each:
// the repeated quads, which take no id.
type rankSet struct {
	words  []uint64
	before []uint32 // members in the words before
}

func (r *rankSet) add(i uint32) { r.words[i/64] |= 1 << (i % 64) }

func (r *rankSet) has(i uint32) bool { return r.words[i/64]&(1<<(i%64)) != 0 }

// rank counts the members before i; valid once count has run.
func (r *rankSet) rank(i uint32) uint32 {
	return r.before[i/64] + uint32(bits.OnesCount64(r.words[i/64]&(1<<(i%64)-1)))
}

func (r *rankSet) count() {
	r.before = make([]uint32, len(r.words))
	n := uint32(0)
	for i, w := range r.words {
		r.before[i] = n
		n += uint32(bits.OnesCount64(w))
	}
}

// writeIndexes sorts the quads by each index in turn and writes its
// bucket in key order. The first sort also orders a key's quads by the
// other directions, which puts repeated quads side by side: all but the
// first written are dead, and a quad's id is nodes + 1 + its place less
// the dead before it.
func (f *kvFill) writeIndexes(nodes uint64) (*rankSet, error) {
	dead := &rankSet{words: make([]uint64, (len(f.quads)+63)/64)}
	if len(f.indexes) == 0 {
		slices.SortFunc(f.quads, byDirs([]int{0, 1, 2, 3}))
		markRepeats(f.quads, dead)
		dead.count()
		return dead, nil
	}
	var ids []uint64
	var val []byte
	for n, ind := range f.indexes {
		dirs := make([]int, len(ind.Dirs))
		for i, d := range ind.Dirs {
			dirs[i], _ = dirIndex(d)
		}
		order := dirs
		if n == 0 {
			for d := range 4 {
				if !slices.Contains(order, d) {
					order = append(slices.Clone(order), d)
				}
			}
		}
		slices.SortFunc(f.quads, byDirs(order))
		if n == 0 {
			markRepeats(f.quads, dead)
			dead.count()
		}
		name := quadIndexBucket(ind)
		for i := 0; i < len(f.quads); {
			j := i + 1
			for j < len(f.quads) && sameDirs(&f.quads[i], &f.quads[j], dirs) {
				j++
			}
			ids = ids[:0]
			for _, q := range f.quads[i:j] {
				if !dead.has(q.ord) {
					ids = append(ids, nodes+1+uint64(q.ord-dead.rank(q.ord)))
				}
			}
			if n == 0 {
				slices.Sort(ids) // ordered by the other directions first
			}
			key := f.key[:0]
			for _, d := range dirs {
				key = binary.BigEndian.AppendUint64(key, uint64(f.quads[i].dir[d]))
			}
			val = val[:0]
			for _, id := range ids {
				val = binary.AppendUvarint(val, id)
			}
			v := append(f.alloc(len(val)), val...)
			if err := f.put(name, key, v); err != nil {
				return nil, err
			}
			i = j
		}
	}
	return dead, nil
}

// quadIndexBucket names an index's bucket as cayley does: the prefixes
// of its directions.
func quadIndexBucket(ind kv.QuadIndex) []byte {
	b := make([]byte, len(ind.Dirs))
	for i, d := range ind.Dirs {
		b[i] = d.Prefix()
	}
	return b
}

// byDirs orders quads by the node ids of dirs in turn, then by place.
func byDirs(dirs []int) func(a, b fillQuad) int {
	return func(a, b fillQuad) int {
		for _, d := range dirs {
			if c := cmp.Compare(a.dir[d], b.dir[d]); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ord, b.ord)
	}
}

func sameDirs(a, b *fillQuad, dirs []int) bool {
	for _, d := range dirs {
		if a.dir[d] != b.dir[d] {
			return false
		}
	}
	return true
}

// markRepeats adds to dead every quad equal to the one before it, in
// quads sorted on all four directions.
func markRepeats(quads []fillQuad, dead *rankSet) {
	for i := 1; i < len(quads); i++ {
		if quads[i].dir == quads[i-1].dir {
			dead.add(quads[i].ord)
		}
	}
}

// writeQuadLog puts the quads back in their order and writes the live
// ones to the log, returning how many.
func (f *kvFill) writeQuadLog(nodes uint64, dead *rankSet) (uint64, error) {
	// Each quad's place is its final index: follow the cycles.
	for i := range f.quads {
		for f.quads[i].ord != uint32(i) {
			j := f.quads[i].ord
			f.quads[i], f.quads[j] = f.quads[j], f.quads[i]
		}
	}
	id := nodes
	for i := range f.quads {
		q := &f.quads[i]
		if dead.has(q.ord) {
			continue
		}
		id++
		buf := f.alloc(6*(1+binary.MaxVarintLen64) + 1)
		buf = protowire.AppendTag(buf, 1, protowire.VarintType)
		buf = protowire.AppendVarint(buf, id)
		for d, n := range q.dir {
			if n != 0 {
				buf = protowire.AppendTag(buf, protowire.Number(2+d), protowire.VarintType)
				buf = protowire.AppendVarint(buf, uint64(n))
			}
		}
		buf = protowire.AppendTag(buf, 7, protowire.VarintType)
		buf = protowire.AppendVarint(buf, uint64(f.ts))
		if err := f.putLog(id, buf); err != nil {
			return 0, err
		}
	}
	return id - nodes, nil
}

// writeValues writes every value's reference count (buckets n..), then
// its id (buckets v..), in the order of the hashes.
func (f *kvFill) writeValues() error {
	slices.SortFunc(f.vals, func(a, b fillValue) int { return bytes.Compare(a.hash[:], b.hash[:]) })
	for _, prefix := range []byte{'n', 'v'} {
		var name [3]byte
		name[0] = prefix
		for i := range f.vals {
			fv := &f.vals[i]
			n := fv.refs
			if prefix == 'v' {
				n = fv.id
			}
			name[1], name[2] = fv.hash[0], fv.hash[1]
			v := binary.AppendUvarint(f.alloc(binary.MaxVarintLen32), uint64(n))
			if err := f.put(name[:], fv.hash[:], v); err != nil {
				return err
			}
		}
	}
	return nil
}
