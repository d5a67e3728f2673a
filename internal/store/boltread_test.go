package store_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/store"
	"github.com/leydigkg/leydigkg/internal/storetest"
	"github.com/leydigkg/leydigkg/kg"
)

// quadKey names a quad with the type of each value: an int and the typed
// string that prints as it are different values to cayley.
func quadKey(q quad.Quad) string {
	var s string
	for _, d := range quad.Directions {
		v := q.Get(d)
		s += fmt.Sprintf("%T:%#v ", v, v)
	}
	return s
}

// multiset reads a store one way into a multiset of quadKeys.
func multiset(t *testing.T, read func(context.Context, func(quad.Quad) error) error) map[string]int {
	t.Helper()
	m := map[string]int{}
	if err := read(context.Background(), func(q quad.Quad) error { m[quadKey(q)]++; return nil }); err != nil {
		t.Fatal(err)
	}
	return m
}

// sameQuads fails unless the direct read (Quads) and cayley's iterator give
// the same multiset, and says how many quads they hold.
func sameQuads(t *testing.T, db *store.DB) int {
	t.Helper()
	got, want := multiset(t, db.Quads), multiset(t, db.IterQuads)
	if !maps.Equal(got, want) {
		for k, n := range got {
			if want[k] != n {
				t.Errorf("direct read: %d× %s, cayley's iterator: %d×", n, k, want[k])
			}
		}
		for k, n := range want {
			if _, ok := got[k]; !ok {
				t.Errorf("direct read: 0× %s, cayley's iterator: %d×", k, n)
			}
		}
	}
	n := 0
	for _, c := range want {
		n += c
	}
	return n
}

func openBolt(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "bolt:"+dir)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// values holds a value of every type cayley's KV stores encode. No two are
// one node to cayley, which names a node by the hash of its N-Quads text
// (an Int 5 is the node of the typed string "5"^^xsd:integer).
var values = []quad.Value{
	quad.IRI("urn:a"), quad.IRI("urn:b"), quad.IRI("urn:c"), quad.IRI(""),
	quad.String("a"), quad.String(""), quad.String("5"), quad.String("ünï\n\"q\""),
	quad.LangString{Value: "a", Lang: "en"}, quad.LangString{Value: "a", Lang: "de"},
	quad.TypedString{Value: "5", Type: "urn:t"}, quad.TypedString{Value: "x", Type: "urn:t"},
	quad.Int(5), quad.Int(-1), quad.Int(0), quad.Int(math.MaxInt64),
	quad.Float(5), quad.Float(-0.5), quad.Float(math.Inf(1)),
	quad.Bool(true), quad.Bool(false),
	quad.BNode("b1"), quad.BNode("b2"),
	quad.Time(time.Date(2024, 7, 6, 18, 10, 42, 5, time.UTC)),
}

// randomQuad makes a quad of values, a third of them without a label.
func randomQuad(r *rand.Rand) quad.Quad {
	pick := func() quad.Value { return values[r.IntN(len(values))] }
	q := quad.Quad{Subject: pick(), Predicate: pick(), Object: pick()}
	if r.IntN(3) > 0 {
		q.Label = pick()
	}
	return q
}

// writeRandom writes rounds of random quads through the ordinary write
// path: adds (some of them quads deleted before), deletes of quads the
// store holds, and both in one write; it returns what the store must hold.
func writeRandom(t *testing.T, db *store.DB, seed uint64, rounds int) map[string]int {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 1))
	held := map[string]quad.Quad{}
	var gone []quad.Quad
	for range rounds {
		var add, remove []quad.Quad
		adding := map[string]bool{}
		for range r.IntN(30) {
			q := randomQuad(r)
			if len(gone) > 0 && r.IntN(3) == 0 {
				q = gone[r.IntN(len(gone))] // a re-add
			}
			if k := quadKey(q); held[k] == (quad.Quad{}) && !adding[k] {
				adding[k] = true
				add = append(add, q)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(held)) {
			if r.IntN(4) == 0 {
				remove = append(remove, held[k])
			}
		}
		if r.IntN(2) == 0 {
			remove = nil // an add alone
		}
		if _, err := db.Write(ctx, add, remove); err != nil {
			t.Fatal(err)
		}
		for _, q := range remove {
			delete(held, quadKey(q))
			gone = append(gone, q)
		}
		for _, q := range add {
			held[quadKey(q)] = q
		}
	}
	want := map[string]int{}
	for k := range held {
		want[k] = 1
	}
	return want
}

// TestBoltReadMatchesIterator: a bolt store read straight from cayley's log
// (Quads, ReadAll) gives exactly the quads cayley's own iterator gives,
// whatever wrote it: random writes, deletes and re-adds of every type of
// value, with and without labels; an upgrade of an old layout; a bulk load.
func TestBoltReadMatchesIterator(t *testing.T) {
	ctx := context.Background()
	store.SetValChunk(t, 7) // node values in many chunks
	for _, tc := range []struct {
		name  string
		write func(t *testing.T, dir string) map[string]int // the quads expected; nil: not known
	}{
		{"random writes", func(t *testing.T, dir string) map[string]int {
			db := openBolt(t, dir)
			defer db.Close()
			return writeRandom(t, db, 1, 60)
		}},
		{"random writes, reopened between", func(t *testing.T, dir string) map[string]int {
			for i := range 3 {
				db := openBolt(t, dir)
				writeRandom(t, db, uint64(10+i), 20)
				db.Close()
			}
			return nil // later rounds delete none of the earlier ones' quads
		}},
		{"everything deleted", func(t *testing.T, dir string) map[string]int {
			db := openBolt(t, dir)
			defer db.Close()
			qs := []quad.Quad{randomQuad(rand.New(rand.NewPCG(2, 2))), quad.Make(quad.IRI("urn:x"), quad.IRI("urn:p"), quad.Int(1), nil)}
			if _, err := db.Write(ctx, qs, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Write(ctx, nil, qs); err != nil {
				t.Fatal(err)
			}
			return map[string]int{}
		}},
		{"empty", func(t *testing.T, dir string) map[string]int {
			openBolt(t, dir).Close()
			return map[string]int{}
		}},
		{"upgraded from layout 1", func(t *testing.T, dir string) map[string]int {
			return upgraded(t, dir, "../../kg/testdata/layout1.nq")
		}},
		{"upgraded from layout 2", func(t *testing.T, dir string) map[string]int {
			return upgraded(t, dir, "../../kg/testdata/layout2.nq")
		}},
		{"bulk load", func(t *testing.T, dir string) map[string]int {
			db := openBolt(t, dir)
			defer db.Close()
			qs := append(layout.QuadsOf(gen.Generate(gen.Config{Edges: 300, Seed: 3})), layout.VersionQuad())
			if err := db.WriteFresh(ctx, qs, false); err != nil {
				t.Fatal(err)
			}
			sameQuads(t, db)          // read through the adopted file
			writeRandom(t, db, 4, 10) // and ordinary writes after it, some removing and adding at once
			return nil
		}},
		// Damaged stores, which cayley never writes, read as cayley's
		// Quad reads them.
		{"a node's record gone", func(t *testing.T, dir string) map[string]int {
			db := openBolt(t, dir)
			writeRandom(t, db, 5, 20)
			db.Close()
			editLog(t, dir, func(log, meta *bbolt.Bucket) {
				var nodes [][]byte
				log.ForEach(func(k, v []byte) error {
					if isNode(v) {
						nodes = append(nodes, k)
					}
					return nil
				})
				for _, k := range nodes[:len(nodes)/2] { // the subjects, say, of the first quads
					if err := log.Delete(k); err != nil {
						t.Fatal(err)
					}
				}
			})
			return nil
		}},
		{"records past the horizon", func(t *testing.T, dir string) map[string]int {
			db := openBolt(t, dir)
			writeRandom(t, db, 6, 20)
			db.Close()
			editLog(t, dir, func(log, meta *bbolt.Bucket) {
				k, _ := log.Cursor().Last()
				h := binary.BigEndian.Uint64(k) / 2
				if err := meta.Put([]byte("horizon"), binary.LittleEndian.AppendUint64(nil, h)); err != nil {
					t.Fatal(err)
				}
			})
			return nil
		}},
		{"a horizon of the wrong size", func(t *testing.T, dir string) map[string]int {
			db := openBolt(t, dir)
			writeRandom(t, db, 7, 5)
			db.Close()
			editLog(t, dir, func(log, meta *bbolt.Bucket) {
				if err := meta.Put([]byte("horizon"), []byte{1, 2, 3, 4}); err != nil {
					t.Fatal(err)
				}
			})
			return map[string]int{} // cayley's iterator reads ids up to 0
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			want := tc.write(t, dir)
			db := openBolt(t, dir)
			defer db.Close()
			n := sameQuads(t, db)
			for _, max := range []int{n + 1, n / 2} {
				if c, err := db.Count(ctx, max); err != nil || c != min(n, max) {
					t.Errorf("Count(%d) = %d, %v; want %d", max, c, err, min(n, max))
				}
			}
			if want != nil && !maps.Equal(multiset(t, db.Quads), want) {
				t.Errorf("the store reads as %d quads, not the %d written", n, len(want))
			}
			if want == nil && n == 0 {
				t.Error("the store reads as empty")
			}
			all := map[string]int{}
			if err := db.ReadAll(ctx, func(q quad.Quad) { all[quadKey(q)]++ }); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(all, multiset(t, db.IterQuads)) {
				t.Error("ReadAll differs from cayley's iterator")
			}
		})
	}
}

// upgraded writes an old layout's N-Quads into a bolt store and upgrades
// it (a write that removes and adds in one transaction).
func upgraded(t *testing.T, dir, file string) map[string]int {
	t.Helper()
	storetest.WriteNQuads(t, "bolt:"+dir, file)
	if u, err := kg.Upgrade(context.Background(), "bolt:"+dir); err != nil || u.From == 0 {
		t.Fatalf("Upgrade = %+v, %v", u, err)
	}
	return nil
}

// editLog changes cayley's buckets in the bolt store in dir directly.
func editLog(t *testing.T, dir string, edit func(log, meta *bbolt.Bucket)) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, "indexes.bolt"), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bbolt.Tx) error {
		edit(tx.Bucket([]byte("log")), tx.Bucket([]byte("meta")))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// isNode says whether a log record is a node: one with a Value (field 8).
func isNode(rec []byte) bool {
	var p cproto.Primitive
	return proto.Unmarshal(rec, &p) == nil && len(p.Value) > 0
}

// benchBoltDirs hold bolt stores of generated graphs in leydigkg's layout
// (written once, by a bulk load) for BenchmarkBoltRead, by size; TestMain
// removes them.
var benchBoltDirs = map[int]string{}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range benchBoltDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func benchBolt(b *testing.B, links int) string {
	if dir, ok := benchBoltDirs[links]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", "boltread-bench-*")
	if err != nil {
		b.Fatal(err)
	}
	benchBoltDirs[links] = dir
	db, err := store.Open(context.Background(), "bolt:"+dir)
	if err != nil {
		b.Fatal(err)
	}
	qs := append(layout.QuadsOf(gen.Generate(gen.Config{Edges: links, Seed: 1})), layout.VersionQuad())
	if err := db.WriteFresh(context.Background(), qs, false); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBoltRead opens a bolt store of 10⁵ generated links and reads
// every quad, as a (re)load does: path=old as before issue 18 (cayley's
// bloom filter filled at open, then its all-quads iterator and a Quad
// lookup each), path=new as now (no filter, the log read straight:
// readBoltLog).
func BenchmarkBoltRead(b *testing.B) {
	benchBoltOpen(b, true)
}

// BenchmarkBoltOpen only opens the store, paths as in BenchmarkBoltRead.
func BenchmarkBoltOpen(b *testing.B) {
	benchBoltOpen(b, false)
}

func benchBoltOpen(b *testing.B, read bool) {
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		opts store.Options
		read func(*store.DB, func(quad.Quad) error) error
	}{
		{"old", store.Options{CayleyBloom: true}, func(db *store.DB, fn func(quad.Quad) error) error { return db.IterQuads(ctx, fn) }},
		{"new", store.Options{}, func(db *store.DB, fn func(quad.Quad) error) error { return db.Quads(ctx, fn) }},
	} {
		b.Run("links=1e5/path="+bc.name, func(b *testing.B) {
			dir := benchBolt(b, 100_000)
			b.ResetTimer()
			for range b.N {
				db, err := store.OpenWith(ctx, "bolt:"+dir, bc.opts)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				if read {
					if err := bc.read(db, func(quad.Quad) error { n++; return nil }); err != nil {
						b.Fatal(err)
					}
					if n == 0 {
						b.Fatal("no quads read")
					}
				}
				db.Close()
			}
		})
	}
}
