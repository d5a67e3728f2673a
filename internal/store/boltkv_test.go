package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	"github.com/hidal-go/hidalgo/kv/options"
	"go.etcd.io/bbolt"
)

// openHidalgo opens a new bolt file through hidalgo's KV, cayley's own.
func openHidalgo(t *testing.T) hkv.KV {
	t.Helper()
	db, err := hbolt.Open(filepath.Join(t.TempDir(), "kv.bolt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openBoltKV opens a new bolt file through boltKV.
func openBoltKV(t *testing.T) hkv.KV {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "kv.bolt"), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return boltKV{db}
}

// kvOp is one transaction of a KV test: rw says read-write (committed).
type kvOp struct {
	rw   bool
	do   string // get, batch, put, getput (get then put), del, scan (keys[0] the prefix, or none), rescan (scan, Reset, scan)
	keys []hkv.Key
	val  string
}

// runKV runs ops, each in its own transaction, and returns each answer,
// then every pair the database holds, in order.
func runKV(t *testing.T, db hkv.KV, ops []kvOp) []string {
	t.Helper()
	var out []string
	ctx := context.Background()
	scan := func(it hkv.Iterator) string {
		var s string
		for it.Next(ctx) {
			s += fmt.Sprintf(" %q=%q", it.Key(), it.Val())
		}
		return s + fmt.Sprintf(" end %q %v", it.Key(), it.Err())
	}
	for _, o := range ops {
		tx, err := db.Tx(ctx, o.rw)
		if err != nil {
			t.Fatal(err)
		}
		var res string
		switch o.do {
		case "get":
			v, err := tx.Get(ctx, o.keys[0])
			res = fmt.Sprintf("%q %v", v, err)
		case "batch":
			vs, err := tx.GetBatch(ctx, o.keys)
			res = fmt.Sprintf("%q %v", vs, err)
		case "put":
			res = fmt.Sprint(tx.Put(ctx, o.keys[0], []byte(o.val)))
		case "getput":
			v, err := tx.Get(ctx, o.keys[0])
			res = fmt.Sprintf("%q %v %v", v, err, tx.Put(ctx, o.keys[0], []byte(o.val)))
		case "del":
			res = fmt.Sprint(tx.Del(ctx, o.keys[0]))
		case "scan", "rescan":
			var opts []hkv.IteratorOption
			if len(o.keys) > 0 {
				opts = append(opts, options.WithPrefixKV(o.keys[0]))
			}
			it := tx.Scan(ctx, opts...)
			res = scan(it)
			if o.do == "rescan" {
				it.Reset()
				res += " reset" + scan(it)
			}
			res += fmt.Sprint(" close ", it.Close(), " ", it.Next(ctx))
		default:
			t.Fatalf("no op %q", o.do)
		}
		if o.rw {
			res += fmt.Sprint(" commit ", tx.Commit(ctx))
		} else {
			res += fmt.Sprint(" close ", tx.Close())
		}
		out = append(out, fmt.Sprintf("%s %q: %s", o.do, o.keys, res))
	}
	err := db.View(ctx, func(tx hkv.Tx) error {
		it := tx.Scan(ctx)
		defer it.Close()
		for it.Next(ctx) {
			out = append(out, fmt.Sprintf("%q=%q", it.Key(), it.Val()))
		}
		return it.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameAnswers runs ops on hidalgo's KV and on boltKV and wants the same
// answers, and the same content after.
func sameAnswers(t *testing.T, ops []kvOp) {
	t.Helper()
	want := runKV(t, openHidalgo(t), ops)
	got := runKV(t, openBoltKV(t), ops)
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("step %d:\nboltKV  %s\nhidalgo %s", i, g, w)
		}
	}
}

// TestBucketKV runs the same operations on hidalgo's bbolt KV and on
// boltKV and requires the same answers, and the same content after.
func TestBucketKV(t *testing.T) {
	k := func(parts ...string) hkv.Key { return hkv.SKey(parts...) }
	sameAnswers(t, []kvOp{
		{do: "get", keys: []hkv.Key{k("b", "x")}}, // no bucket
		{do: "scan"}, // nothing at all
		{rw: true, do: "put", keys: []hkv.Key{k("b", "x")}, val: "1"}, // creates it
		{rw: true, do: "put", keys: []hkv.Key{k("b", "y")}, val: "2"},
		{rw: true, do: "put", keys: []hkv.Key{k("c", "z")}, val: "3"},
		{rw: true, do: "put", keys: []hkv.Key{k("top")}, val: "4"},              // root bucket
		{rw: true, do: "put", keys: []hkv.Key{k("d", "e", "f")}, val: "5"},      // nested
		{rw: true, do: "put", keys: []hkv.Key{k("d", "e", "g", "h")}, val: "8"}, // deeper
		{rw: true, do: "put", keys: []hkv.Key{k("d", "ea")}, val: "9"},
		{rw: true, do: "put", keys: []hkv.Key{{[]byte("g"), nil}}},      // bucket only
		{rw: true, do: "put", keys: []hkv.Key{k("b", "x")}, val: "6"},   // overwrite
		{rw: true, do: "put", keys: []hkv.Key{k("bb", "x")}, val: "10"}, // a name with b's prefix
		{rw: true, do: "put", keys: []hkv.Key{k("b", "")}, val: "11"},   // empty key, a value
		{rw: true, do: "put", keys: []hkv.Key{k("c", "e")}, val: ""},    // a key, empty value
		{do: "put", keys: []hkv.Key{k("b", "w")}, val: "7"},             // read-only
		{do: "put", keys: []hkv.Key{k("w")}, val: "7"},                  // read-only, root
		{do: "getput", keys: []hkv.Key{k("b", "x")}, val: "7"},          // read-only, a bucket the tx has opened
		{rw: true, do: "getput", keys: []hkv.Key{k("b", "x")}, val: "12"},
		{do: "del", keys: []hkv.Key{k("b", "x")}}, // read-only
		{do: "get", keys: []hkv.Key{k("b", "x")}},
		{do: "get", keys: []hkv.Key{k("b", "nope")}},
		{do: "get", keys: []hkv.Key{k("top")}},
		{do: "get", keys: []hkv.Key{k("d", "e", "f")}},
		{do: "get", keys: []hkv.Key{k("d", "e")}}, // a bucket
		{do: "get", keys: []hkv.Key{k("c", "e")}},
		{do: "get", keys: []hkv.Key{k("b", "")}},
		{do: "get", keys: []hkv.Key{{}}},
		{do: "batch", keys: []hkv.Key{k("b", "y"), k("zz", "y"), k("c", "z"), k("d", "e", "f"), k("top"), k("b", "q"), k("d", "e")}},
		{do: "scan"},
		{do: "rescan"},
		{do: "scan", keys: []hkv.Key{{}}},
		{do: "scan", keys: []hkv.Key{k("b")}}, // b and bb
		{do: "scan", keys: []hkv.Key{k("b", "")}},
		{do: "scan", keys: []hkv.Key{k("b", "x")}},
		{do: "rescan", keys: []hkv.Key{k("d", "e")}}, // e and ea
		{do: "scan", keys: []hkv.Key{k("d", "e", "")}},
		{do: "scan", keys: []hkv.Key{k("d", "e", "g")}},
		{do: "scan", keys: []hkv.Key{k("d", "x", "g")}}, // no bucket on the way
		{do: "scan", keys: []hkv.Key{k("zz", "y")}},
		{do: "scan", keys: []hkv.Key{k("g")}},
		{do: "scan", keys: []hkv.Key{k("t")}},
		{rw: true, do: "del", keys: []hkv.Key{k("b", "y")}},
		{rw: true, do: "del", keys: []hkv.Key{k("b", "nope")}},
		{rw: true, do: "del", keys: []hkv.Key{k("zz", "nope")}},
		{rw: true, do: "del", keys: []hkv.Key{k("top")}},
		{do: "batch", keys: []hkv.Key{k("b", "x"), k("b", "y"), k("top")}},
	})
}

// TestBucketKVRandom compares boltKV with hidalgo's on a long random
// sequence of operations over a few buckets (fixed seeds).
func TestBucketKVRandom(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 1))
			part := func(of string) []byte { return []byte(of[:r.IntN(len(of))+1]) } // a, ab or abc: prefixes of each other
			key := func() hkv.Key {
				k := hkv.Key{part("abc")}
				for range r.IntN(3) {
					k = append(k, part("xyz"))
				}
				return k
			}
			var ops []kvOp
			for range 400 {
				o := kvOp{rw: r.IntN(4) > 0, keys: []hkv.Key{key()}}
				switch n := r.IntN(10); {
				case n < 3:
					o.do, o.val = "put", fmt.Sprint(r.IntN(100))
				case n < 4:
					o.do, o.val = "getput", fmt.Sprint(r.IntN(100))
				case n < 5:
					o.do = "del"
				case n < 6:
					o.do = "get"
				case n < 7:
					o.do = "batch"
					o.keys = append(o.keys, key(), key())
				case n < 8:
					o.do = "scan"
				default:
					o.do = "rescan"
					o.keys[0] = o.keys[0][:len(o.keys[0])-1]
				}
				ops = append(ops, o)
			}
			sameAnswers(t, ops)
		})
	}
}
