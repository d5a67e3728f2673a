package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/store"
)

// A bulk load fills a fresh bolt store in key order (kvfill.go) and must
// leave what cayley's own quad writer leaves for the same quads. "The
// same", checked by sameKV, bucket by bucket:
//
//   - the same top-level buckets, each with the same keys;
//   - meta: every key byte for byte (version, indexes, size, horizon);
//   - n..: every value's reference count byte for byte;
//   - v..: every value's id, which pairs the stores' node ids one to one;
//   - log: nodes with the same value bytes under paired ids; quads naming
//     paired nodes, which pairs the quad ids one to one; each primitive
//     equal to its pair's once ids are paired and timestamps cleared, and
//     ours set, as cayley sets them, and marshalled as proto marshals it;
//     ids 1 to the horizon, each once;
//   - the index buckets of meta/indexes: keys of paired node ids, whose
//     values list paired quad ids, ascending in each store.
//
// Which id a node or quad gets, and the timestamps, are all that may
// differ: cayley numbers the nodes of each write by hash before its quads,
// a bulk load numbers nodes as they first appear, then the quads.

// kvDump is a bolt file's top-level buckets, by name, keys to values.
type kvDump map[string]map[string][]byte

func dumpKV(t *testing.T, file string) kvDump {
	t.Helper()
	db, err := bbolt.Open(file, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := kvDump{}
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			m := map[string][]byte{}
			d[string(name)] = m
			return b.ForEach(func(k, v []byte) error {
				if v == nil {
					return fmt.Errorf("bucket %q holds a bucket %q", name, k)
				}
				m[string(k)] = bytes.Clone(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func uvarint(t *testing.T, b []byte) uint64 {
	t.Helper()
	x, n := binary.Uvarint(b)
	if n != len(b) {
		t.Fatalf("value %x is not one uvarint", b)
	}
	return x
}

// pairing pairs the ids of one store with the other's, one to one.
type pairing struct {
	to, from map[uint64]uint64
}

func (p *pairing) pair(t *testing.T, what string, ref, mine uint64) {
	t.Helper()
	if p.to == nil {
		p.to, p.from = map[uint64]uint64{}, map[uint64]uint64{}
	}
	if m, ok := p.to[ref]; ok && m != mine || p.from[mine] != 0 && p.from[mine] != ref {
		t.Fatalf("%s: cayley's id %d pairs with %d and %d", what, ref, m, mine)
	}
	p.to[ref], p.from[mine] = mine, ref
}

// sameKV fails unless the bolt files mine and ref hold the same store, in
// the sense above.
func sameKV(t *testing.T, mine, ref string) {
	t.Helper()
	a, b := dumpKV(t, mine), dumpKV(t, ref)
	if got, want := slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b)); !slices.Equal(got, want) {
		t.Fatalf("buckets %q, cayley's %q", got, want)
	}
	for name, m := range b {
		if len(a[name]) != len(m) {
			t.Fatalf("bucket %q holds %d keys, cayley's %d", name, len(a[name]), len(m))
		}
	}
	if !maps.EqualFunc(a["meta"], b["meta"], bytes.Equal) {
		t.Fatalf("meta %x, cayley's %x", a["meta"], b["meta"])
	}
	var indexes []kv.QuadIndex
	if err := json.Unmarshal(b["meta"]["indexes"], &indexes); err != nil {
		t.Fatal(err)
	}
	isIndex := map[string]bool{}
	for _, ind := range indexes {
		name := ""
		for _, d := range ind.Dirs {
			name += string(d.Prefix())
		}
		isIndex[name] = true
	}
	var nodes, quads pairing
	for name, m := range b {
		switch {
		case name == "meta" || name == "log" || isIndex[name]:
		case len(name) == 3 && name[0] == 'n':
			if !maps.EqualFunc(a[name], m, bytes.Equal) {
				t.Fatalf("reference counts in %x differ from cayley's", name)
			}
		case len(name) == 3 && name[0] == 'v':
			for h, v := range m {
				id, ok := a[name][h]
				if !ok {
					t.Fatalf("no value of hash %x", h)
				}
				nodes.pair(t, "node", uvarint(t, v), uvarint(t, id))
			}
		default:
			t.Fatalf("bucket %q", name)
		}
	}
	sameLog(t, a["log"], b["log"], &nodes, &quads)
	if h := binary.LittleEndian.Uint64(append(a["meta"]["horizon"], make([]byte, 8)...)); h != uint64(len(a["log"])) {
		t.Errorf("horizon %d, %d ids in the log", h, len(a["log"]))
	}
	for name := range isIndex {
		sameIndex(t, name, a[name], b[name], &nodes, &quads)
	}
}

// sameLog compares the logs, pairing the quad ids.
func sameLog(t *testing.T, mine, ref map[string][]byte, nodes, quads *pairing) {
	t.Helper()
	decode := func(log map[string][]byte, canonical bool) map[uint64]*cproto.Primitive {
		out := map[uint64]*cproto.Primitive{}
		for k, v := range log {
			p := new(cproto.Primitive)
			if err := proto.Unmarshal(v, p); err != nil {
				t.Fatal(err)
			}
			if len(k) != 8 || binary.BigEndian.Uint64([]byte(k)) != p.ID {
				t.Fatalf("primitive %d under key %x", p.ID, k)
			}
			if canonical {
				b, err := proto.MarshalOptions{Deterministic: true}.Marshal(p)
				if err != nil || !bytes.Equal(b, v) {
					t.Fatalf("primitive %d is %x, proto marshals it %x", p.ID, v, b)
				}
				if p.Timestamp == 0 {
					t.Fatalf("primitive %d has no timestamp", p.ID)
				}
			}
			out[p.ID] = p
		}
		return out
	}
	a, b := decode(mine, true), decode(ref, false)
	for id := range uint64(len(a)) {
		if _, ok := a[id+1]; !ok {
			t.Fatalf("no id %d in the log of %d", id+1, len(a))
		}
	}
	// The quads of mine by the four node ids.
	byNodes := map[[4]uint64]uint64{}
	for _, p := range a {
		if !p.IsNode() {
			byNodes[[4]uint64{p.Subject, p.Predicate, p.Object, p.Label}] = p.ID
		}
	}
	node := func(ref uint64) uint64 {
		if ref == 0 {
			return 0
		}
		m, ok := nodes.to[ref]
		if !ok {
			t.Fatalf("node %d of cayley's log has no value", ref)
		}
		return m
	}
	for _, p := range b {
		q := proto.Clone(p).(*cproto.Primitive)
		if p.IsNode() {
			q.ID = node(p.ID)
		} else {
			q.Subject, q.Predicate, q.Object, q.Label = node(p.Subject), node(p.Predicate), node(p.Object), node(p.Label)
			id, ok := byNodes[[4]uint64{q.Subject, q.Predicate, q.Object, q.Label}]
			if !ok {
				t.Fatalf("cayley's quad %v is not in the log", p)
			}
			quads.pair(t, "quad", p.ID, id)
			q.ID = id
		}
		got := proto.Clone(a[q.ID]).(*cproto.Primitive)
		q.Timestamp, got.Timestamp = 0, 0
		if !proto.Equal(got, q) {
			t.Fatalf("primitive %v, cayley's %v", got, p)
		}
	}
}

// sameIndex compares an index bucket under the pairings.
func sameIndex(t *testing.T, name string, mine, ref map[string][]byte, nodes, quads *pairing) {
	t.Helper()
	for k, v := range ref {
		key := []byte(k)
		for i := 0; i < len(key); i += 8 {
			binary.BigEndian.PutUint64(key[i:], nodes.to[binary.BigEndian.Uint64(key[i:])])
		}
		got, ok := mine[string(key)]
		if !ok {
			t.Fatalf("index %s: no key %x for cayley's %x", name, key, k)
		}
		ids := func(b []byte, pair map[uint64]uint64) []uint64 {
			var out []uint64
			for len(b) > 0 {
				x, n := binary.Uvarint(b)
				if n <= 0 {
					t.Fatalf("index %s: bad value %x", name, b)
				}
				if pair != nil {
					x = pair[x]
				}
				out, b = append(out, x), b[n:]
			}
			return out
		}
		if l := ids(v, nil); !slices.IsSorted(l) {
			t.Fatalf("index %s: cayley's ids %v out of order", name, l)
		}
		gotIDs, want := ids(got, nil), ids(v, quads.to)
		if !slices.IsSorted(gotIDs) || slices.Compact(slices.Clone(gotIDs)) == nil {
			t.Fatalf("index %s: ids %v out of order", name, gotIDs)
		}
		slices.Sort(want)
		if !slices.Equal(gotIDs, want) {
			t.Fatalf("index %s, key %x: quads %v, cayley's %v", name, key, gotIDs, want)
		}
	}
}

// cayleyWrite writes qs into a new store in dir with stock cayley's bbolt
// backend and quad writer, in one call (which, unlike several, never
// writes a quad twice), and closes it.
func cayleyWrite(t *testing.T, dir string, batches ...[]quad.Quad) {
	t.Helper()
	if err := cayley.InitQuadStore("bbolt", dir, nil); err != nil {
		t.Fatal(err)
	}
	qs, err := cayley.NewQuadStore("bbolt", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		w, err := qs.NewQuadWriter()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.WriteQuads(b); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := qs.Close(); err != nil {
		t.Fatal(err)
	}
}

// bulkWrite writes qs into a new leydigkg bolt store in dir through a
// bulk load, and closes it.
func bulkWrite(t *testing.T, dir string, qs []quad.Quad, opts store.Options) {
	t.Helper()
	db, err := store.OpenWith(context.Background(), "bolt:"+dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.WriteFresh(context.Background(), qs, false); err != nil {
		t.Fatal(err)
	}
	if db.Adopted() != 1 {
		t.Fatal("the write was no bulk load")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func boltFile(dir string) string { return filepath.Join(dir, "indexes.bolt") }

// fillInputs are the inputs of the bulk load tests: the curated graph, a
// generated signed network, and random quads of every type of value, most
// repeated (next to each other, and thousands of quads apart, beyond the
// bulk load's batches), sharing values between positions.
func fillInputs(t *testing.T) []struct {
	name string
	qs   []quad.Quad
} {
	curated, err := data.Batch()
	if err != nil {
		t.Fatal(err)
	}
	network := layout.QuadsOf(gen.Generate(gen.Config{Edges: 10_000, Seed: 1}))
	r := rand.New(rand.NewPCG(18, 1))
	var random []quad.Quad
	for range 3000 {
		q := randomQuad(r)
		random = append(random, q)
		if r.IntN(4) == 0 {
			random = append(random, q)
		}
	}
	shared := slices.Clone(network[:5000])
	for i := range 3000 {
		q := network[i*3]
		shared = append(shared, q, quad.Quad{Subject: q.Object, Predicate: q.Subject, Object: q.Subject, Label: q.Predicate})
	}
	return []struct {
		name string
		qs   []quad.Quad
	}{
		{"curated", append(layout.QuadsOf(curated), layout.VersionQuad())},
		{"network 1e4", append(network, layout.VersionQuad())},
		{"random, repeated", random},
		{"network, repeated, values in every position", shared},
	}
}

// TestBulkFillIsCayleys: a bulk load's store is, bucket by bucket, what
// cayley's own writer makes of the same quads.
func TestBulkFillIsCayleys(t *testing.T) {
	for _, tc := range fillInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			mine, ref := t.TempDir(), t.TempDir()
			bulkWrite(t, mine, tc.qs, store.Options{})
			cayleyWrite(t, ref, tc.qs)
			sameKV(t, boltFile(mine), boltFile(ref))
		})
	}
}
