package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
)

// TestBucketKVLayout fails when hidalgo's bbolt transaction is no longer
// the one-field struct bucketKV reaches into: it would then fall back to
// hidalgo's slower Put without a word.
func TestBucketKVLayout(t *testing.T) {
	if !hidalgoTxLayout {
		t.Fatal("hidalgo's bbolt Tx changed layout: bucketKV no longer takes effect")
	}
	db := openHidalgo(t)
	tx, err := bucketKV{db}.Tx(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	if _, ok := tx.(*bucketTx); !ok {
		t.Fatalf("bucketKV.Tx = %T, want *bucketTx", tx)
	}
}

func openHidalgo(t *testing.T) *hbolt.DB {
	t.Helper()
	db, err := hbolt.Open(filepath.Join(t.TempDir(), "kv.bolt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestBucketKV runs the same operations on hidalgo's KV and on bucketKV
// and requires the same answers, and the same content after.
func TestBucketKV(t *testing.T) {
	k := func(parts ...string) hkv.Key { return hkv.SKey(parts...) }
	type op struct {
		rw   bool
		do   string // get, batch, put, del
		keys []hkv.Key
		val  string
	}
	ops := []op{
		{do: "get", keys: []hkv.Key{k("b", "x")}},                     // no bucket
		{rw: true, do: "put", keys: []hkv.Key{k("b", "x")}, val: "1"}, // creates it
		{rw: true, do: "put", keys: []hkv.Key{k("b", "y")}, val: "2"},
		{rw: true, do: "put", keys: []hkv.Key{k("c", "z")}, val: "3"},
		{rw: true, do: "put", keys: []hkv.Key{k("top")}, val: "4"},         // root bucket
		{rw: true, do: "put", keys: []hkv.Key{k("d", "e", "f")}, val: "5"}, // nested
		{rw: true, do: "put", keys: []hkv.Key{{[]byte("g"), nil}}},         // bucket only
		{rw: true, do: "put", keys: []hkv.Key{k("b", "x")}, val: "6"},      // overwrite
		{do: "put", keys: []hkv.Key{k("b", "w")}, val: "7"},                // read-only
		{do: "get", keys: []hkv.Key{k("b", "x")}},
		{do: "get", keys: []hkv.Key{k("b", "nope")}},
		{do: "get", keys: []hkv.Key{k("top")}},
		{do: "get", keys: []hkv.Key{k("d", "e", "f")}},
		{do: "batch", keys: []hkv.Key{k("b", "y"), k("zz", "y"), k("c", "z"), k("d", "e", "f"), k("top"), k("b", "q")}},
		{rw: true, do: "del", keys: []hkv.Key{k("b", "y")}},
		{do: "batch", keys: []hkv.Key{k("b", "x"), k("b", "y")}},
	}
	run := func(kv hkv.KV) []string {
		var out []string
		ctx := context.Background()
		for _, o := range ops {
			tx, err := kv.Tx(ctx, o.rw)
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
			case "del":
				res = fmt.Sprint(tx.Del(ctx, o.keys[0]))
			}
			if o.rw {
				res += fmt.Sprint(" commit ", tx.Commit(ctx))
			} else {
				tx.Close()
			}
			out = append(out, o.do+" "+res)
		}
		// Everything stored, in order.
		err := kv.View(ctx, func(tx hkv.Tx) error {
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
	want := run(openHidalgo(t))
	got := run(bucketKV{openHidalgo(t)})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		for i := range max(len(got), len(want)) {
			var g, w string
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("step %d: bucketKV %s, hidalgo %s", i, g, w)
			}
		}
	}
}
