package store

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"time"

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	hkv "github.com/hidal-go/hidalgo/kv"
	"go.etcd.io/bbolt"
)

// openBolt opens the bolt store in dir (made by cayley's InitQuadStore) as
// cayley's bbolt backend does, through boltKV. The returned oneTx runs
// several of its writes in one transaction; the bbolt file is the one
// under the quad store, which Quads reads directly (readBoltLog).
//
// It opens it without cayley's bloom filter of the quads (kv.OptNoBloom),
// which cayley fills at open by decoding the whole log: 1.3 s of a
// 1.75 s open at 10⁵ generated links (675,003 quads), minutes at 10⁷, and
// some 80 MB for the filter alone, sized for 10⁸ quads whatever the
// store holds. The filter only lets a write skip looking up whether a
// quad it adds is there already; large writes go through a bulk load,
// which fills its fresh store without one, and opens it as this does
// (with cayley's writer, Options.BulkCayleyWriter, the fresh store keeps
// the filter). bloom keeps it (Options.CayleyBloom).
func openBolt(dir string, bloom bool) (*bbolt.DB, cayley.QuadStore, *oneTx, error) {
	db, err := bbolt.Open(filepath.Join(dir, "indexes.bolt"), 0o644, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, nil, nil, err
	}
	one, qs, err := newKVQuads(db, cayley.Options{kv.OptNoBloom: !bloom})
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, qs, one, nil
}

// newKVQuads opens cayley's KV quad store, with options kvOpts, on the
// bolt file db holds, through boltKV and a oneTx.
func newKVQuads(db *bbolt.DB, kvOpts cayley.Options) (*oneTx, cayley.QuadStore, error) {
	one := &oneTx{KV: boltKV{db}}
	qs, err := kv.New(one, kvOpts)
	if err != nil {
		return nil, nil, err
	}
	return one, qs, nil
}

// boltKV is the key-value interface cayley's KV quad store is written
// against (hidalgo's kv.KV), on a bbolt file. It stores what hidalgo's own
// bbolt KV (cayley's "bbolt" backend) stores, where that one stores it, so
// either opens the other's files: a key [a, b, c] is the value c in bucket
// b in top-level bucket a, and a one-part key is a value in the root
// bucket. The one difference is speed: a transaction remembers the
// top-level buckets it has opened. cayley's quad store puts every key as
// [bucket, key], and hidalgo's Put calls CreateBucketIfNotExists for each,
// a seek in the root bucket that took a fifth of a bulk load's writer
// time.
type boltKV struct {
	db *bbolt.DB
}

var _ hkv.KV = boltKV{}

func (db boltKV) Close() error { return db.db.Close() }

func (db boltKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	tx, err := db.db.Begin(rw)
	if err != nil {
		return nil, err
	}
	return &boltTx{tx: tx, buckets: make(map[string]*bbolt.Bucket)}, nil
}

func (db boltKV) View(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.View(ctx, db, fn)
}

func (db boltKV) Update(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.Update(ctx, db, fn)
}

// A boltTx is a bbolt transaction and the buckets it has opened: the root
// bucket and top-level buckets by name. A bucket stays valid for the whole
// transaction (nothing here deletes one), and one that does not exist is
// not remembered, since a Put may make it.
type boltTx struct {
	tx      *bbolt.Tx
	root    *bbolt.Bucket
	buckets map[string]*bbolt.Bucket
}

var _ hkv.Tx = (*boltTx)(nil)

func (tx *boltTx) Commit(ctx context.Context) error { return tx.tx.Commit() }

// Close rolls the transaction back; after Commit it changes nothing and
// says bbolt.ErrTxClosed, as hidalgo's does.
func (tx *boltTx) Close() error { return tx.tx.Rollback() }

// rootBucket returns the bucket that holds the top-level buckets.
func (tx *boltTx) rootBucket() *bbolt.Bucket {
	if tx.root == nil {
		tx.root = tx.tx.Cursor().Bucket()
	}
	return tx.root
}

// top returns the top-level bucket name; nil when there is none. create
// makes it when missing, with hidalgo's error in a read-only transaction.
func (tx *boltTx) top(name []byte, create bool) (*bbolt.Bucket, error) {
	if b := tx.buckets[string(name)]; b != nil {
		return b, nil
	}
	var b *bbolt.Bucket
	var err error
	if create {
		b, err = tx.tx.CreateBucketIfNotExists(name)
	} else {
		b = tx.tx.Bucket(name)
	}
	if b != nil {
		tx.buckets[string(name)] = b
	}
	return b, err
}

// bucket returns the bucket that holds key and what is left of the key in
// it: one part when the bucket exists, more when a bucket on the way is
// missing (b is then nil), none for an empty key.
func (tx *boltTx) bucket(key hkv.Key) (b *bbolt.Bucket, rest hkv.Key) {
	if len(key) <= 1 {
		return tx.rootBucket(), key
	}
	b, _ = tx.top(key[0], false)
	key = key[1:]
	for b != nil && len(key) > 1 {
		b = b.Bucket(key[0])
		key = key[1:]
	}
	return b, key
}

func (tx *boltTx) Get(ctx context.Context, key hkv.Key) (hkv.Value, error) {
	b, k := tx.bucket(key)
	if b == nil || len(k) != 1 {
		return nil, hkv.ErrNotFound
	}
	if v := b.Get(k[0]); v != nil {
		return v, nil
	}
	return nil, hkv.ErrNotFound
}

// GetBatch gives nil for a key that has no value.
func (tx *boltTx) GetBatch(ctx context.Context, keys []hkv.Key) ([]hkv.Value, error) {
	vals := make([]hkv.Value, len(keys))
	for i, key := range keys {
		if b, k := tx.bucket(key); b != nil && len(k) == 1 {
			vals[i] = b.Get(k[0])
		}
	}
	return vals, nil
}

var errEmptyKey = errors.New("kv: empty key")

// Put stores v under key, making the buckets on the way. A last key part
// and a value both empty make the buckets only.
func (tx *boltTx) Put(ctx context.Context, key hkv.Key, v hkv.Value) error {
	if len(key) == 0 {
		return errEmptyKey
	}
	b := tx.rootBucket()
	if len(key) > 1 {
		if tx.tx.DB() != nil && !tx.tx.Writable() {
			// What hidalgo's CreateBucketIfNotExists answers, even
			// for a bucket this transaction has opened.
			return bbolt.ErrTxNotWritable
		}
		var err error
		if b, err = tx.top(key[0], true); err != nil {
			return err
		}
		key = key[1:]
		for len(key) > 1 {
			if b, err = b.CreateBucketIfNotExists(key[0]); err != nil {
				return err
			}
			key = key[1:]
		}
	}
	if len(key[0]) == 0 && len(v) == 0 {
		return nil
	}
	return readOnly(b.Put(key[0], v))
}

// Del removes key's value; a key that is not there is no error.
func (tx *boltTx) Del(ctx context.Context, key hkv.Key) error {
	b, k := tx.bucket(key)
	if b == nil || len(k) != 1 {
		return nil
	}
	return readOnly(b.Delete(k[0]))
}

// readOnly turns bbolt's write in a read-only transaction into hidalgo's.
func readOnly(err error) error {
	if errors.Is(err, bbolt.ErrTxNotWritable) {
		return hkv.ErrReadOnly
	}
	return err
}

// Scan walks every pair of the database in key order. It takes hidalgo's
// iterator options; cayley's WithPrefix goes straight to the buckets the
// prefix names (see boltIter.WithPrefix).
func (tx *boltTx) Scan(ctx context.Context, opts ...hkv.IteratorOption) hkv.Iterator {
	return hkv.ApplyIteratorOptions(&boltIter{tx: tx, top: tx.rootBucket()}, opts)
}

// A boltIter walks bucket top depth first, in key order: the pairs of a
// nested bucket come where its name sorts, under its name. Its keys are
// path, then the names of the buckets entered, then the key in the last
// one. With hasPref, top's own keys (not those of buckets inside) must
// start with pref.
type boltIter struct {
	tx      *boltTx
	top     *bbolt.Bucket // nil: nothing to walk
	path    hkv.Key       // top's key
	pref    []byte
	hasPref bool

	started bool
	cursors []*bbolt.Cursor // one per bucket entered, top first
	names   hkv.Key         // the names of the buckets entered below top
	k, v    []byte          // the current pair; k nil: none
}

var _ hkv.PrefixIterator = (*boltIter)(nil)

// WithPrefix returns an iterator over the keys that start with pref: all
// its parts but the last name buckets, whose pairs it walks, and the keys
// in the last of them start with the last part.
func (it *boltIter) WithPrefix(pref hkv.Key) hkv.Iterator {
	b, rest := it.tx.bucket(pref)
	if b == nil || len(rest) > 1 {
		return &boltIter{tx: it.tx} // a bucket on the way is missing
	}
	out := &boltIter{tx: it.tx, top: b, path: pref[:len(pref)-len(rest)]}
	if len(rest) == 1 {
		out.pref, out.hasPref = rest[0], true
	}
	return out
}

// Reset goes back to before the first pair.
func (it *boltIter) Reset() {
	it.started = false
	it.cursors = it.cursors[:0]
	it.names = it.names[:0]
	it.k, it.v = nil, nil
}

func (it *boltIter) Next(ctx context.Context) bool {
	var k, v []byte
	switch {
	case it.top == nil:
		return false
	case !it.started:
		it.started = true
		c := it.top.Cursor()
		it.cursors = append(it.cursors[:0], c)
		if it.hasPref {
			k, v = c.Seek(it.pref)
		} else {
			k, v = c.First()
		}
	case len(it.cursors) == 0:
		return false
	default:
		k, v = it.cursors[len(it.cursors)-1].Next()
	}
	for {
		depth := len(it.cursors) - 1
		if k == nil || depth == 0 && it.hasPref && !bytes.HasPrefix(k, it.pref) {
			// This bucket is done: on with its parent's next pair.
			it.cursors = it.cursors[:depth]
			if depth == 0 {
				it.k, it.v = nil, nil
				return false
			}
			it.names = it.names[:depth-1]
			k, v = it.cursors[depth-1].Next()
			continue
		}
		if v == nil { // a bucket, or a key with no value
			if b := it.cursors[depth].Bucket().Bucket(k); b != nil {
				c := b.Cursor()
				it.cursors = append(it.cursors, c)
				it.names = append(it.names, k)
				k, v = c.First()
				continue
			}
		}
		it.k, it.v = k, v
		return true
	}
}

// Key returns a copy of the current key; nil before the first pair and
// after the last.
func (it *boltIter) Key() hkv.Key {
	if it.k == nil {
		return nil
	}
	key := make(hkv.Key, 0, len(it.path)+len(it.names)+1)
	for _, p := range it.path {
		key = append(key, bytes.Clone(p))
	}
	for _, p := range it.names {
		key = append(key, bytes.Clone(p))
	}
	return append(key, bytes.Clone(it.k))
}

// Val returns the current value, valid until the transaction ends.
func (it *boltIter) Val() hkv.Value { return it.v }

func (it *boltIter) Err() error { return nil }

// Close ends the walk: Next says false from then on.
func (it *boltIter) Close() error {
	*it = boltIter{}
	return nil
}
