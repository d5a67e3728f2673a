package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"go.etcd.io/bbolt"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Reading a bolt store whole. cayley's all-quads iterator fetches the log
// by id in batches of 100 and its Quad then reads every value of every
// quad in a transaction of its own: some 5 bolt lookups and 4 value
// decodings a quad, which kept a 10⁶-link store opening for minutes
// (issue 18). readBoltLog reads cayley's KV layout straight from the file
// instead, in one read transaction:
//
//   - The bucket "log" holds every primitive under its id (8 bytes, big
//     endian): a node when its Value (a pquads.Value) is set, else a quad
//     of node ids (0: no value, as an unlabelled quad's label). A deleted
//     quad stays in the log with Deleted set; a node whose last quad went
//     is removed from it.
//   - meta/horizon is the last id handed out. The iterator reads ids 1 to
//     the horizon only; so does readBoltLog.
//
// One cursor walks the log in id order, as the iterator does, so quads
// come in the same order. Each node's value is decoded once, where the
// walk meets it (or, for a quad naming a node of a higher id, through a
// lookup then), and shared by every quad naming it. The values are
// exactly cayley's: pquads.UnmarshalValue of the same bytes.
//
// Where cayley's Quad tolerates a damaged store, so does this: a quad
// naming a node missing from the log reads, as from Quad, with that
// direction and the ones after it (subject, predicate, object, label)
// empty. A primitive or value that does not decode is an error, as there.
// The one check cayley does not make is that a primitive's ID matches its
// key, which cayley always writes so: a record that breaks it is an error
// here, where the iterator would skip ahead or read ids twice. A horizon
// that is not 8 bytes (cayley's iterator then reads nothing) or beyond 2³²
// ids (the reader's table would not fit) sends the read to the iterator:
// errUseIterator.

var (
	logBucket  = []byte("log")
	metaBucket = []byte("meta")
)

// readBoltLog streams every quad of the bolt store db holds to fn, with
// its node ids, read from cayley's log in one transaction.
func readBoltLog(ctx context.Context, db *bbolt.DB, fn func(quad.Quad, *NodeIDs) error) error {
	return db.View(func(tx *bbolt.Tx) error {
		log := tx.Bucket(logBucket)
		if log == nil {
			return nil // an empty store: cayley makes its buckets on first write
		}
		horizon, err := boltHorizon(tx)
		if err != nil {
			return err
		}
		if horizon >= math.MaxUint32 {
			return errUseIterator
		}
		r := newLogReader(log, horizon)
		return r.walk(ctx, fn)
	})
}

// countBoltLog counts the quads of the bolt store db holds, up to max, as
// cayley's iterator counts them: the live quads of the log up to the
// horizon, with no value decoded.
func countBoltLog(ctx context.Context, db *bbolt.DB, max int) (n int, err error) {
	err = db.View(func(tx *bbolt.Tx) error {
		log := tx.Bucket(logBucket)
		if log == nil {
			return nil
		}
		horizon, err := boltHorizon(tx)
		if err != nil {
			return err
		}
		c := log.Cursor()
		var p prim
		for k, v := c.First(); k != nil && n < max; k, v = c.Next() {
			if len(k) != 8 || v == nil {
				continue
			}
			id := binary.BigEndian.Uint64(k)
			if id > horizon {
				break
			}
			if err := p.decode(v); err != nil {
				return fmt.Errorf("bolt store: log record %d: %w", id, err)
			}
			if !p.isNode() && !p.deleted {
				n++
			}
		}
		return ctx.Err()
	})
	return n, err
}

// boltHorizon reads meta/horizon as cayley's getMetaInt does: missing or
// empty is 0; any other size than 8 bytes is errUseIterator.
func boltHorizon(tx *bbolt.Tx) (uint64, error) {
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		return 0, nil
	}
	v := meta.Get([]byte("horizon"))
	switch len(v) {
	case 0:
		return 0, nil
	case 8:
		return binary.LittleEndian.Uint64(v), nil
	}
	return 0, errUseIterator
}

// errUseIterator says that readBoltLog read nothing and the store must be
// read through cayley's iterator.
var errUseIterator = errors.New("bolt store: read through cayley's iterator")

// A logReader walks cayley's log bucket and keeps the values of the nodes
// it has decoded, by id.
type logReader struct {
	log     *bbolt.Bucket
	horizon uint64

	// The nodes decoded: slot[id] is 1 + the node's place in vals, 0
	// for none (yet). Most ids are quads', which are never kept: 4 bytes
	// an id and 16 a node, rather than 16 an id. vals grows by chunks,
	// never copied.
	slot []uint32 // by id, up to the horizon
	vals [][]quad.Value
	nval uint32
	gone bitset // id has no record in the log
	bad  map[uint64]error
	prim prim
}

// valChunk is how many node values a chunk of logReader.vals holds (a
// variable for tests).
var valChunk uint32 = 1 << 14

func newLogReader(log *bbolt.Bucket, horizon uint64) *logReader {
	n := horizon + 1
	return &logReader{
		log: log, horizon: horizon,
		slot: make([]uint32, n),
		gone: newBitset(n),
		bad:  make(map[uint64]error),
	}
}

// walk feeds fn the live quads of the log, in id order, and their node
// ids (cayley's: the ids the quad's record names, 0 for a direction it
// reads as empty).
func (r *logReader) walk(ctx context.Context, fn func(quad.Quad, *NodeIDs) error) error {
	var ids NodeIDs
	c := r.log.Cursor()
	next := uint64(1) // the lowest id the cursor has not passed
	n := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 || v == nil {
			continue // not a key cayley reads (v nil: a bucket)
		}
		id := binary.BigEndian.Uint64(k)
		if id > r.horizon {
			break
		}
		for ; next < id; next++ {
			r.gone.set(next) // the cursor passed it: no record
		}
		next = id + 1
		if err := r.prim.decode(v); err != nil {
			return fmt.Errorf("bolt store: log record %d: %w", id, err)
		}
		if r.prim.ID != id {
			return fmt.Errorf("bolt store: log record %d holds primitive %d", id, r.prim.ID)
		}
		if r.prim.isNode() {
			if r.slot[id] == 0 && r.bad[id] == nil {
				v, err := unmarshalValue(r.prim.value)
				r.remember(id, v, err)
			}
			continue
		}
		if r.prim.deleted {
			continue
		}
		q, err := r.quad(&r.prim, &ids)
		if err != nil {
			return fmt.Errorf("bolt store: quad %d: %w", id, err)
		}
		if err := fn(q, &ids); err != nil {
			return err
		}
		if n++; n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return ctx.Err()
}

// quad is the quad p names, as cayley's primitiveToQuad makes it: a
// direction whose node is missing ends it there. ids are the ids of the
// directions it reads, 0 for the others.
func (r *logReader) quad(p *prim, ids *NodeIDs) (quad.Quad, error) {
	var q quad.Quad
	*ids = NodeIDs{}
	for i, id := range [4]uint64{p.s, p.p, p.o, p.l} {
		v, ok, err := r.value(id)
		if err != nil || !ok {
			return q, err
		}
		q.Set(quad.Directions[i], v)
		if v != nil {
			ids[i] = id
		}
	}
	return q, nil
}

// value is the value of node id; ok is false when the log has no record
// of it. Id 0 is no value.
func (r *logReader) value(id uint64) (v quad.Value, ok bool, err error) {
	if id == 0 {
		return nil, true, nil
	}
	cached := id < uint64(len(r.slot)) // past the horizon: never, in cayley's stores
	if cached {
		switch {
		case r.slot[id] != 0:
			i := r.slot[id] - 1
			return r.vals[i/valChunk][i%valChunk], true, nil
		case r.gone.has(id):
			return nil, false, nil
		case r.bad[id] != nil:
			return nil, false, r.bad[id]
		}
	}
	// Ahead of the cursor, or a quad's id: look it up.
	var key [8]byte
	binary.BigEndian.PutUint64(key[:], id)
	rec := r.log.Get(key[:])
	if rec == nil {
		if cached {
			r.gone.set(id)
		}
		return nil, false, nil
	}
	var p prim
	if err := p.decode(rec); err != nil {
		return nil, false, err
	}
	v, err = unmarshalValue(p.value)
	if cached && p.isNode() {
		r.remember(id, v, err)
	}
	return v, err == nil, err
}

// remember keeps the value of node id, or the error decoding it gave,
// which only a quad naming the node reports (as cayley's Quad does).
func (r *logReader) remember(id uint64, v quad.Value, err error) {
	if err != nil {
		r.bad[id] = err
		return
	}
	if r.nval == math.MaxUint32 {
		return // more nodes than a slot holds: not kept
	}
	if r.nval%valChunk == 0 {
		r.vals = append(r.vals, make([]quad.Value, 0, valChunk))
	}
	last := &r.vals[len(r.vals)-1]
	*last = append(*last, v)
	r.nval++
	r.slot[id] = r.nval
}

// unmarshalValue is pquads.UnmarshalValue of b. The values nearly every
// node holds, an IRI or a string (a pquads.Value of that one field), are
// read straight from the wire: protobuf-go's reflective Unmarshal was a
// third of the reader's time. Anything else goes through pquads, and so
// does a string that is not valid UTF-8 (which protobuf-go refuses for a
// proto3 string): the value is exactly pquads' either way.
func unmarshalValue(b []byte) (quad.Value, error) {
	num, typ, n := protowire.ConsumeTag(b)
	if n > 0 && typ == protowire.BytesType && (num == pquadsStr || num == pquadsIRI) {
		v, m := protowire.ConsumeBytes(b[n:])
		if m > 0 && n+m == len(b) && utf8.Valid(v) {
			if num == pquadsIRI {
				return quad.IRI(v), nil
			}
			return quad.String(v), nil
		}
	}
	return pquads.UnmarshalValue(b)
}

// The field numbers of pquads.Value's str and iri (quads.proto).
const (
	pquadsStr protowire.Number = 2
	pquadsIRI protowire.Number = 3
)

// A prim is the part of cayley's proto.Primitive a read needs, decoded
// straight from the wire: protobuf-go's reflective Unmarshal cost more
// than all the rest of a read. A record of any other shape than cayley
// writes goes through proto.Unmarshal, so it decodes the same either way.
type prim struct {
	ID         uint64
	s, p, o, l uint64
	value      []byte // aliases the record: valid within the transaction
	deleted    bool
}

func (p *prim) isNode() bool { return len(p.value) != 0 }

var errOddRecord = errors.New("not the shape cayley writes")

// decode reads a Primitive record.
func (p *prim) decode(b []byte) error {
	if err := p.decodeFast(b); err == nil {
		return nil
	}
	var full cproto.Primitive
	if err := proto.Unmarshal(b, &full); err != nil {
		return err
	}
	*p = prim{ID: full.ID, s: full.Subject, p: full.Predicate, o: full.Object, l: full.Label,
		value: full.Value, deleted: full.Deleted}
	return nil
}

// decodeFast reads the fields of a Primitive when every one has the wire
// type cayley's schema gives it; errOddRecord otherwise.
func (p *prim) decodeFast(b []byte) error {
	*p = prim{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errOddRecord
		}
		b = b[n:]
		if num == 8 {
			if typ != protowire.BytesType {
				return errOddRecord
			}
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return errOddRecord
			}
			p.value, b = v, b[n:]
			continue
		}
		if typ != protowire.VarintType || num < 1 || num > 9 {
			return errOddRecord
		}
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return errOddRecord
		}
		b = b[n:]
		switch num {
		case 1:
			p.ID = v
		case 2:
			p.s = v
		case 3:
			p.p = v
		case 4:
			p.o = v
		case 5:
			p.l = v
		case 9:
			p.deleted = v != 0
		}
	}
	return nil
}

// A bitset is a set of ids.
type bitset []uint64

func newBitset(n uint64) bitset    { return make(bitset, (n+63)/64) }
func (s bitset) has(i uint64) bool { return s[i/64]&(1<<(i%64)) != 0 }
func (s bitset) set(i uint64)      { s[i/64] |= 1 << (i % 64) }
