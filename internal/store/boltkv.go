package store

import (
	"context"
	"path/filepath"
	"reflect"
	"time"
	"unsafe"

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"

	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	"go.etcd.io/bbolt"
)

// openBolt opens the bolt store in dir (made by cayley's InitQuadStore) as
// cayley's bbolt backend does, through bucketKV.
func openBolt(dir string) (cayley.QuadStore, error) {
	_, qs, err := openBoltFile(filepath.Join(dir, "indexes.bolt"), &bbolt.Options{Timeout: time.Second}, false)
	return qs, err
}

// openBoltFile opens a bolt file with opts as a cayley KV quad store
// through bucketKV, making it a new, empty one first when create is set.
func openBoltFile(file string, opts *bbolt.Options, create bool) (*bbolt.DB, cayley.QuadStore, error) {
	db, err := hbolt.Open(file, opts)
	if err != nil {
		return nil, nil, err
	}
	if create {
		if err := kv.Init(bucketKV{db}, nil); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	qs, err := kv.New(bucketKV{db}, nil)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db.DB(), qs, nil
}

// bucketKV is hidalgo's bbolt KV, as cayley's bbolt backend uses it, with
// one change: a transaction remembers the buckets it has opened. cayley's
// KV quad store puts every key as [bucket, key], and hidalgo's Put calls
// CreateBucketIfNotExists for each, a seek in the root bucket that took a
// fifth of a bulk load's writer time. The file is the same, byte for byte.
type bucketKV struct {
	*hbolt.DB
}

// boltTxOf returns the *bbolt.Tx inside a hidalgo bbolt transaction (its
// only field, unexported), or nil when hidalgo's layout is not that one;
// bucketKV then leaves the transaction as it is.
func boltTxOf(tx *hbolt.Tx) *bbolt.Tx {
	if !hidalgoTxLayout {
		return nil
	}
	return *(**bbolt.Tx)(unsafe.Pointer(tx))
}

var hidalgoTxLayout = func() bool {
	t := reflect.TypeFor[hbolt.Tx]()
	return t.NumField() == 1 && t.Field(0).Type == reflect.TypeFor[*bbolt.Tx]() && t.Field(0).Offset == 0
}()

func (db bucketKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	tx, err := db.DB.Tx(ctx, rw)
	if err != nil {
		return nil, err
	}
	h, ok := tx.(*hbolt.Tx)
	if !ok {
		return tx, nil
	}
	b := boltTxOf(h)
	if b == nil {
		return tx, nil
	}
	return &bucketTx{Tx: h, tx: b, buckets: make(map[string]*bbolt.Bucket)}, nil
}

func (db bucketKV) View(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.View(ctx, db, fn)
}

func (db bucketKV) Update(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.Update(ctx, db, fn)
}

// A bucketTx answers two-part keys ([bucket, key]) from the buckets it has
// opened; other keys, scans, deletes and the commit go to hidalgo's.
type bucketTx struct {
	*hbolt.Tx
	tx      *bbolt.Tx
	buckets map[string]*bbolt.Bucket
}

// bucket returns the top-level bucket name, creating it if create is set;
// nil when it does not exist (and is not to be created).
func (tx *bucketTx) bucket(name []byte, create bool) (*bbolt.Bucket, error) {
	if b := tx.buckets[string(name)]; b != nil {
		return b, nil
	}
	b := tx.tx.Bucket(name)
	if b == nil && create {
		var err error
		if b, err = tx.tx.CreateBucket(name); err != nil {
			return nil, err
		}
	}
	if b != nil {
		tx.buckets[string(name)] = b
	}
	return b, nil
}

func (tx *bucketTx) Get(ctx context.Context, key hkv.Key) (hkv.Value, error) {
	if len(key) != 2 {
		return tx.Tx.Get(ctx, key)
	}
	if b, _ := tx.bucket(key[0], false); b != nil {
		if v := b.Get(key[1]); v != nil {
			return v, nil
		}
	}
	return nil, hkv.ErrNotFound
}

func (tx *bucketTx) GetBatch(ctx context.Context, keys []hkv.Key) ([]hkv.Value, error) {
	vals := make([]hkv.Value, len(keys))
	for i, key := range keys {
		if len(key) != 2 {
			if v, err := tx.Tx.Get(ctx, key); err == nil {
				vals[i] = v
			} else if err != hkv.ErrNotFound {
				return nil, err
			}
			continue
		}
		if b, _ := tx.bucket(key[0], false); b != nil {
			vals[i] = b.Get(key[1])
		}
	}
	return vals, nil
}

func (tx *bucketTx) Put(ctx context.Context, key hkv.Key, v hkv.Value) error {
	if len(key) != 2 || len(key[1]) == 0 {
		return tx.Tx.Put(ctx, key, v)
	}
	b, err := tx.bucket(key[0], true)
	if err != nil {
		return err
	}
	return b.Put(key[1], v)
}
