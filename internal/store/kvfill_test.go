package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/store"
	"github.com/leydigkg/leydigkg/kg"
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
// the sense above. Only a fresh store (no quad removed) has every id from
// 1 to the horizon in its log.
func sameKV(t *testing.T, mine, ref string, fresh bool) {
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
	sameLog(t, a["log"], b["log"], &nodes, &quads, fresh)
	if h := binary.LittleEndian.Uint64(append(a["meta"]["horizon"], make([]byte, 8)...)); fresh && h != uint64(len(a["log"])) {
		t.Errorf("horizon %d, %d ids in the log", h, len(a["log"]))
	}
	for name := range isIndex {
		sameIndex(t, name, a[name], b[name], &nodes, &quads)
	}
}

// sameLog compares the logs, pairing the quad ids.
func sameLog(t *testing.T, mine, ref map[string][]byte, nodes, quads *pairing, fresh bool) {
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
		if _, ok := a[id+1]; fresh && !ok {
			t.Fatalf("no id %d in the log of %d", id+1, len(a))
		}
	}
	pairRemovedNodes(t, a, b, nodes)
	// The quads of each store by their four node ids and whether deleted,
	// ids ascending: a quad removed and added again is in the log twice.
	type quadKey struct {
		dir     [4]uint64
		deleted bool
	}
	group := func(log map[uint64]*cproto.Primitive, node func(uint64) uint64) map[quadKey][]uint64 {
		out := map[quadKey][]uint64{}
		for _, id := range slices.Sorted(maps.Keys(log)) {
			if p := log[id]; !p.IsNode() {
				k := quadKey{[4]uint64{node(p.Subject), node(p.Predicate), node(p.Object), node(p.Label)}, p.Deleted}
				out[k] = append(out[k], id)
			}
		}
		return out
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
	mineQuads, refQuads := group(a, func(id uint64) uint64 { return id }), group(b, node)
	for k, ids := range refQuads {
		if len(mineQuads[k]) != len(ids) {
			t.Fatalf("cayley's log holds %d× the quad %v, %d×", len(ids), k, len(mineQuads[k]))
		}
		for i, id := range ids {
			quads.pair(t, "quad", id, mineQuads[k][i])
		}
	}
	for _, p := range b {
		q := proto.Clone(p).(*cproto.Primitive)
		if p.IsNode() {
			q.ID = node(p.ID)
		} else {
			q.Subject, q.Predicate, q.Object, q.Label = node(p.Subject), node(p.Predicate), node(p.Object), node(p.Label)
			q.ID = quads.to[p.ID]
		}
		got, ok := a[q.ID]
		if !ok {
			t.Fatalf("no primitive for cayley's %v", p)
		}
		got = proto.Clone(got).(*cproto.Primitive)
		q.Timestamp, got.Timestamp = 0, 0
		if !proto.Equal(got, q) {
			t.Fatalf("primitive %v, cayley's %v", got, p)
		}
	}
}

// pairRemovedNodes pairs the nodes that only deleted quads name (cayley
// removes a node from the log and from the values when its last quad
// goes): each such deleted quad of ref with one of mine that names the
// same paired nodes and unpaired ones where it does.
func pairRemovedNodes(t *testing.T, mine, ref map[uint64]*cproto.Primitive, nodes *pairing) {
	t.Helper()
	used := map[uint64]bool{}
	for _, id := range slices.Sorted(maps.Keys(ref)) {
		p := ref[id]
		dirs := [4]uint64{p.Subject, p.Predicate, p.Object, p.Label}
		unpaired := false
		for _, n := range dirs {
			_, ok := nodes.to[n]
			unpaired = unpaired || n != 0 && !ok
		}
		if p.IsNode() || !unpaired {
			continue
		}
		if !p.Deleted {
			t.Fatalf("cayley's live quad %v names a removed node", p)
		}
		found := false
		for _, mid := range slices.Sorted(maps.Keys(mine)) {
			m := mine[mid]
			mdirs := [4]uint64{m.Subject, m.Predicate, m.Object, m.Label}
			if m.IsNode() || !m.Deleted || used[mid] {
				continue
			}
			match := true
			for i, n := range dirs {
				if to, ok := nodes.to[n]; ok || n == 0 {
					match = match && (n == 0 && mdirs[i] == 0 || n != 0 && to == mdirs[i])
				} else {
					match = match && mdirs[i] != 0 && nodes.from[mdirs[i]] == 0
				}
			}
			if match {
				for i, n := range dirs {
					if _, ok := nodes.to[n]; !ok && n != 0 {
						nodes.pair(t, "removed node", n, mdirs[i])
					}
				}
				used[mid], found = true, true
				break
			}
		}
		if !found {
			t.Fatalf("no deleted quad for cayley's %v", p)
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
		if !slices.IsSorted(gotIDs) || len(slices.Compact(slices.Clone(gotIDs))) != len(gotIDs) {
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
	for i := range 3000 {
		q := randomQuad(r)
		random = append(random, q)
		if r.IntN(4) == 0 {
			random = append(random, q)
		}
		if i%500 == 0 { // values named once
			random = append(random, quad.Quad{Subject: q.Object, Predicate: q.Subject, Object: quad.String(fmt.Sprint("once ", i))})
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
// cayley's own writer makes of the same quads, and reads as it
// (sameReads).
func TestBulkFillIsCayleys(t *testing.T) {
	for _, tc := range fillInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			mine, ref := t.TempDir(), t.TempDir()
			bulkWrite(t, mine, tc.qs, store.Options{})
			cayleyWrite(t, ref, tc.qs)
			sameKV(t, boltFile(mine), boltFile(ref), true)
			sameReads(t, mine, ref, tc.qs)
		})
	}
}

// openStock opens the store in dir with stock cayley's bbolt backend;
// the caller closes it (bbolt locks the file while it is open).
func openStock(t *testing.T, dir string) cayley.QuadStore {
	t.Helper()
	qs, err := cayley.NewQuadStore("bbolt", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// stockQuads reads every quad of the store in dir through stock cayley's
// bbolt backend and iterator, as a multiset of quadKeys.
func stockQuads(t *testing.T, dir string) map[string]int {
	t.Helper()
	ctx := context.Background()
	qs := openStock(t, dir)
	defer qs.Close()
	m := map[string]int{}
	it := qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(ctx) {
		q, err := qs.Quad(it.Result())
		if err != nil {
			t.Fatal(err)
		}
		m[quadKey(q)]++
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// gizmoAnswers runs Gizmo queries on the store in dir with stock cayley,
// each answer the sorted values reached.
func gizmoAnswers(t *testing.T, dir string, queries []string) [][]string {
	t.Helper()
	qs := openStock(t, dir)
	defer qs.Close()
	var out [][]string
	for _, src := range queries {
		out = append(out, store.GizmoValues(t, qs, src))
	}
	return out
}

// gizmoQueries walks out of the first IRI subject and into the first IRI
// object of qs.
func gizmoQueries(qs []quad.Quad) []string {
	var from, to quad.Value
	for _, q := range qs {
		if _, ok := q.Subject.(quad.IRI); ok && from == nil {
			from = q.Subject
		}
		if _, ok := q.Object.(quad.IRI); ok && to == nil {
			to = q.Object
		}
	}
	js := func(v quad.Value) string { b, _ := json.Marshal(quad.StringOf(v)); return string(b) }
	return []string{
		fmt.Sprintf("g.V(%s).Out().All()", js(from)),
		fmt.Sprintf("g.V(%s).OutPredicates().All()", js(from)),
		fmt.Sprintf("g.V(%s).Out().Out().All()", js(from)),
		fmt.Sprintf("g.V(%s).In().All()", js(to)),
	}
}

// readAll reads the store in dir through leydigkg's own reader
// (store.DB.ReadAll), as a multiset of quadKeys.
func readAll(t *testing.T, dir string) map[string]int {
	t.Helper()
	db := openBolt(t, dir)
	defer db.Close()
	m := map[string]int{}
	if err := db.ReadAll(context.Background(), func(q quad.Quad) { m[quadKey(q)]++ }); err != nil {
		t.Fatal(err)
	}
	return m
}

// sameReads: stock cayley opens mine, a bulk load's store of qs,
// iterates the quads written (each once) and answers Gizmo queries as on
// ref, the store its own writer made; leydigkg reads it (ReadAll, and
// kg.Open for the inputs in its layout) to the same quads and records.
func sameReads(t *testing.T, mine, ref string, qs []quad.Quad) {
	t.Helper()
	ctx := context.Background()
	want := map[string]int{}
	for _, q := range qs {
		want[quadKey(q)] = 1
	}
	if got := stockQuads(t, mine); !maps.Equal(got, want) {
		t.Errorf("cayley iterates %d quads (%d distinct), written %d distinct", total(got), len(got), len(want))
	}
	queries := gizmoQueries(qs)
	got, wantAnswers := gizmoAnswers(t, mine, queries), gizmoAnswers(t, ref, queries)
	if len(got[0]) == 0 {
		t.Errorf("%s reaches nothing", queries[0])
	}
	if !reflect.DeepEqual(got, wantAnswers) {
		t.Errorf("Gizmo answers %q, on cayley's store %q", got, wantAnswers)
	}
	if got := readAll(t, mine); !maps.Equal(got, want) {
		t.Errorf("ReadAll reads %d quads (%d distinct), written %d distinct", total(got), len(got), len(want))
	}
	if !slices.Contains(qs, layout.VersionQuad()) {
		return // not a graph in leydigkg's layout
	}
	records := func(dir string) *graph.Batch {
		s, err := kg.Open(ctx, "bolt:"+dir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		b, err := s.Records(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if got, want := records(mine), records(ref); !reflect.DeepEqual(got, want) || len(got.Links) == 0 {
		t.Errorf("kg.Open reads %d links, %d entities; from cayley's store %d, %d", len(got.Links), len(got.Entities), len(want.Links), len(want.Entities))
	}
}

func total(m map[string]int) (n int) {
	for _, c := range m {
		n += c
	}
	return n
}

// laterWrite is a small write after a bulk load of qs: quads of new and
// known values, one already there, and removes: a quad whose object no
// other quad names (cayley then removes the value), and one whose values
// stay named. It returns the adds, the removes and the value removed.
func laterWrite(qs []quad.Quad) (add, remove []quad.Quad, gone quad.Value) {
	uses := map[string]int{}
	for _, q := range qs {
		for _, d := range quad.Directions {
			if v := q.Get(d); v != nil {
				uses[quadKeyOf(v)]++
			}
		}
	}
	q := qs[0]
	var kept *quad.Quad
	for i := range qs {
		switch p := &qs[i]; {
		case *p == q:
		case gone == nil && uses[quadKeyOf(p.Object)] == 1:
			remove, gone = append(remove, *p), p.Object
		case kept == nil && uses[quadKeyOf(p.Subject)] > 2 && uses[quadKeyOf(p.Object)] > 2:
			kept = p
		}
	}
	if kept != nil {
		remove = append(remove, *kept)
	}
	add = []quad.Quad{
		{Subject: quad.IRI("urn:later:a"), Predicate: q.Predicate, Object: q.Object},
		{Subject: q.Subject, Predicate: quad.IRI("urn:later:p"), Object: quad.String("later"), Label: q.Label},
		q, // there already
	}
	return add, remove, gone
}

func quadKeyOf(v quad.Value) string { return fmt.Sprintf("%T:%#v", v, v) }

// metaInt reads a meta counter of the bolt store in dir.
func metaInt(t *testing.T, dir, key string) uint64 {
	t.Helper()
	v := dumpKV(t, boltFile(dir))["meta"][key]
	if len(v) != 8 {
		t.Fatalf("meta %s is %x", key, v)
	}
	return binary.LittleEndian.Uint64(v)
}

// TestBulkFillTakesLaterWrites: cayley's writer writes into a bulk load's
// store, through the store adopted (the quad store reopened on it), as
// into a store it made: after the same adds and removes the two stores
// are still the same; new ids follow the horizon; a removed quad's values
// lose a reference, and a value no quad names any more is gone.
func TestBulkFillTakesLaterWrites(t *testing.T) {
	ctx := context.Background()
	for _, tc := range fillInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			mine, ref := t.TempDir(), t.TempDir()
			add, remove, gone := laterWrite(tc.qs)
			if gone == nil || len(remove) < 2 {
				t.Fatalf("no quads to remove in %d", len(tc.qs))
			}
			cayleyWrite(t, ref, tc.qs)
			// The same in both stores, as TestBulkFillIsCayleys shows.
			horizon, size := metaInt(t, ref, "horizon"), metaInt(t, ref, "size")

			db, err := store.Open(ctx, "bolt:"+mine)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.WriteFresh(ctx, tc.qs, false); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Write(ctx, add, remove); err != nil { // through the adopted quad store
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}

			qs, err := cayley.NewQuadStore("bbolt", ref, nil)
			if err != nil {
				t.Fatal(err)
			}
			var dels, adds []cayley.Delta
			for _, q := range remove {
				dels = append(dels, cayley.Delta{Quad: q, Action: cayley.Delete})
			}
			for _, q := range add {
				adds = append(adds, cayley.Delta{Quad: q, Action: cayley.Add})
			}
			if err := qs.ApplyDeltas(dels, cayley.IgnoreOpts{}); err != nil {
				t.Fatal(err)
			}
			if err := qs.ApplyDeltas(adds, cayley.IgnoreOpts{IgnoreDup: true}); err != nil {
				t.Fatal(err)
			}
			qs.Close()

			sameKV(t, boltFile(mine), boltFile(ref), false)
			// Two new values (urn:later:a, "later" and the predicate
			// urn:later:p make three), two new quads.
			if got := metaInt(t, mine, "horizon"); got != horizon+3+2 {
				t.Errorf("horizon %d after the write, %d before", got, horizon)
			}
			if got := metaInt(t, mine, "size"); got != size+2-uint64(len(remove)) {
				t.Errorf("size %d after the write, %d before", got, size)
			}
			d := dumpKV(t, boltFile(mine))
			h := quad.HashOf(gone)
			if _, ok := d[fmt.Sprintf("v%s", h[:2])][string(h)]; ok {
				t.Errorf("%v, named by no quad, is still a value", gone)
			}
			for _, v := range []quad.Value{quad.IRI("urn:later:a"), quad.IRI("urn:later:p"), quad.String("later")} {
				h := quad.HashOf(v)
				if id := uvarint(t, d[fmt.Sprintf("v%s", h[:2])][string(h)]); id <= horizon {
					t.Errorf("%v has id %d, not past the horizon %d", v, id, horizon)
				}
			}
		})
	}
}

// TestBulkFillCopies: a bulk load into a store that holds a few quads
// takes them first: the store is the one cayley's writer makes of the
// quads held, then the quads loaded.
func TestBulkFillCopies(t *testing.T) {
	ctx := context.Background()
	held := layout.QuadsOf(gen.Generate(gen.Config{Edges: 40, Seed: 5}))
	loaded := layout.QuadsOf(gen.Generate(gen.Config{Edges: 400, Seed: 6}))
	mine, ref := t.TempDir(), t.TempDir()
	db := openBolt(t, mine)
	gone := quad.Quad{Subject: quad.IRI("urn:gone"), Predicate: quad.IRI("urn:p"), Object: quad.String("gone")}
	if _, err := db.Write(ctx, append(held, gone), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write(ctx, nil, []quad.Quad{gone}); err != nil { // a deleted quad stays in the log
		t.Fatal(err)
	}
	b, err := db.NewBulk(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range loaded {
		b.Write(q)
	}
	if err := b.End(); err != nil {
		t.Fatal(err)
	}
	if err := db.Adopt(b); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	cayleyWrite(t, ref, held, loaded)
	sameKV(t, boltFile(mine), boltFile(ref), true)
}

// TestBulkFillsPagesWhole: a bulk load writes each bucket in key order,
// in pages filled whole, where cayley's writer leaves them half full.
func TestBulkFillsPagesWhole(t *testing.T) {
	dir := t.TempDir()
	bulkWrite(t, dir, layout.QuadsOf(gen.Generate(gen.Config{Edges: 5000, Seed: 1})), store.Options{})
	db, err := bbolt.Open(boltFile(dir), 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		for _, name := range []string{"log", "sp", "ops"} {
			st := tx.Bucket([]byte(name)).Stats()
			if fill := float64(st.LeafInuse) / float64(st.LeafAlloc); st.LeafPageN < 10 || fill < 0.9 {
				t.Errorf("bucket %s: %d leaf pages, %.0f%% full", name, st.LeafPageN, 100*fill)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkBulkWrite writes 2·10⁵ generated links (1.35 M quads) into a
// new bolt store through a bulk load: writer=cayley through cayley's quad
// writer (Options.BulkCayleyWriter), writer=fill in key order (kvfill.go).
// cpu-s/op is the process's CPU time (user and system) per load, which a
// busy machine disturbs less than the wall time. LEYDIGKG_BULK_LINKS
// changes the number of links.
func BenchmarkBulkWrite(b *testing.B) {
	links := 200_000
	if n, err := strconv.Atoi(os.Getenv("LEYDIGKG_BULK_LINKS")); err == nil && n > 0 {
		links = n
	}
	qs := append(layout.QuadsOf(gen.Generate(gen.Config{Edges: links, Seed: 1})), layout.VersionQuad())
	for _, bc := range []struct {
		name string
		opts store.Options
	}{{"cayley", store.Options{BulkCayleyWriter: true}}, {"fill", store.Options{}}} {
		b.Run(fmt.Sprintf("links=%d/writer=%s", links, bc.name), func(b *testing.B) {
			cpu := cpuTime()
			for range b.N {
				dir, err := os.MkdirTemp("", "bulk-bench-*")
				if err != nil {
					b.Fatal(err)
				}
				db, err := store.OpenWith(context.Background(), "bolt:"+dir, bc.opts)
				if err != nil {
					b.Fatal(err)
				}
				if err := db.WriteFresh(context.Background(), qs, false); err != nil {
					b.Fatal(err)
				}
				db.Close()
				os.RemoveAll(dir)
			}
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(len(qs)), "quads")
		})
	}
}

// cpuTime is the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
