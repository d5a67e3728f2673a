package kg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/store"
)

// bulkStores are the stores a bulk load can fill, each with what a test
// needs to look at: the bolt directory. (A memory store keeps no quads and
// takes no bulk load: TestNoBulkIntoMemory.)
func bulkStores(t *testing.T) map[string]func(t *testing.T) (*Store, string) {
	return map[string]func(t *testing.T) (*Store, string){
		"bolt": func(t *testing.T) (*Store, string) {
			dir := filepath.Join(t.TempDir(), "db")
			return mustOpen(t, "bolt:"+dir), dir
		},
	}
}

// noBulkDirs fails when a bolt bulk load left its directory behind.
func noBulkDirs(t *testing.T, dir string) {
	t.Helper()
	if dir == "" {
		return
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".bulk-*")); len(left) > 0 {
		t.Errorf("bulk directories left behind: %q", left)
	}
}

// bulkWrite starts a bulk load on s and writes qs to it.
func bulkWrite(t *testing.T, s *Store, qs []quad.Quad) *Bulk {
	t.Helper()
	b := s.Bulk(context.Background())
	if b == nil {
		t.Fatal("Bulk on an empty store returned nil")
	}
	for _, q := range qs {
		b.Write(q)
	}
	return b
}

func TestBulkCommit(t *testing.T) {
	ctx := context.Background()
	want := expected(t, fixture())
	for name, open := range bulkStores(t) {
		t.Run(name, func(t *testing.T) {
			s, dir := open(t)
			qs := layout.QuadsOf(fixture())
			slices.Reverse(qs) // any order
			b := bulkWrite(t, s, qs)
			res, ok, err := b.Commit(ctx, fixture(), nil)
			if err != nil || !ok {
				t.Fatalf("Commit = %v, %v; want ok", ok, err)
			}
			if res.Entities != 5 || res.Links != 5 || res.Quads != len(qs) {
				t.Errorf("Applied = %+v", res)
			}
			if got := dump(t, s); !slices.Equal(got, want) {
				t.Fatalf("store differs from one written by Apply:\n%s", diff(want, got))
			}
			if got, err := s.Trace(ctx, graph.TraceQuery{From: "alpha", To: "delta"}); err != nil || len(got.Paths) == 0 {
				t.Errorf("Trace after a bulk load: %v, %v", got, err)
			}
			// Written without fsyncs, a bolt file was then made durable:
			// internal/store's TestBulkAdoptDurable.
			// The adopted store takes ordinary writes.
			mustApply(t, s, &graph.Batch{Entities: []graph.Entity{{ID: "eta", Name: "Eta", Kind: graph.Molecule}}})
			b.Abort() // after Commit: nothing happens
			noBulkDirs(t, dir)
			if dir == "" {
				return
			}
			before := dump(t, s)
			s.Close()
			s2 := mustOpen(t, "bolt:"+dir)
			if got := dump(t, s2); !slices.Equal(got, before) {
				t.Fatalf("reopened store differs:\n%s", diff(before, got))
			}
		})
	}
}

// TestBulkDeclines feeds quads that are not exactly the batch's layout:
// Commit must decline and leave the store empty, and Apply then writes
// the batch as usual.
func TestBulkDeclines(t *testing.T) {
	ctx := context.Background()
	want := expected(t, fixture())
	lay := layout.QuadsOf(fixture())
	conf := slices.IndexFunc(lay, func(q quad.Quad) bool { return q.Predicate == quad.IRI("urn:leydigkg:year") })
	cases := map[string]func([]quad.Quad) []quad.Quad{
		"a quad missing": func(qs []quad.Quad) []quad.Quad { return qs[1:] },
		"a quad repeated": func(qs []quad.Quad) []quad.Quad {
			return append(qs, qs[3])
		},
		"a quad of another vocabulary": func(qs []quad.Quad) []quad.Quad {
			return append(qs, quad.Make(quad.IRI("urn:leydigkg:entity:alpha"), quad.IRI("http://example.org/p"), quad.String("x"), nil))
		},
		"a value of another type": func(qs []quad.Quad) []quad.Quad {
			qs[conf].Object = quad.String(quad.ToString(qs[conf].Object))
			return qs
		},
		"a quad in a named graph": func(qs []quad.Quad) []quad.Quad {
			qs[0].Label = quad.IRI("urn:g")
			return qs
		},
	}
	for name, open := range bulkStores(t) {
		for cname, edit := range cases {
			t.Run(name+"/"+cname, func(t *testing.T) {
				s, dir := open(t)
				b := bulkWrite(t, s, edit(slices.Clone(lay)))
				if _, ok, err := b.Commit(ctx, fixture(), nil); ok || err != nil {
					t.Fatalf("Commit = %v, %v; want a refusal without error", ok, err)
				}
				noBulkDirs(t, dir)
				if got := dump(t, s); len(got) != 0 {
					t.Fatalf("declined bulk load wrote %d quads", len(got))
				}
				mustApply(t, s, fixture())
				if got := dump(t, s); !slices.Equal(got, want) {
					t.Fatalf("Apply after a declined bulk:\n%s", diff(want, got))
				}
			})
		}
	}
}

func TestBulkWrittenMeanwhile(t *testing.T) {
	ctx := context.Background()
	for name, open := range bulkStores(t) {
		t.Run(name, func(t *testing.T) {
			s, dir := open(t)
			b := bulkWrite(t, s, layout.QuadsOf(fixture()))
			other := &graph.Batch{Entities: []graph.Entity{{ID: "eta", Name: "Eta", Kind: graph.Molecule}}}
			mustApply(t, s, other)
			if _, ok, err := b.Commit(ctx, fixture(), nil); ok || err != nil {
				t.Fatalf("Commit after another write = %v, %v; want a refusal", ok, err)
			}
			noBulkDirs(t, dir)
			if got, want := dump(t, s), expected(t, other); !slices.Equal(got, want) {
				t.Fatalf("store lost the other write:\n%s", diff(want, got))
			}
		})
	}
}

func TestBulkInvalid(t *testing.T) {
	ctx := context.Background()
	bad := fixture()
	bad.Links[0].Object = "nowhere"
	for name, open := range bulkStores(t) {
		t.Run(name, func(t *testing.T) {
			s, dir := open(t)
			b := bulkWrite(t, s, layout.QuadsOf(bad))
			_, ok, err := b.Commit(ctx, bad, nil)
			var ps graph.Problems
			if ok || !errors.As(err, &ps) || !errors.Is(err, graph.ErrUnknownEntity) {
				t.Fatalf("Commit of an invalid batch = %v, %v; want its Problems", ok, err)
			}
			noBulkDirs(t, dir)
			if got := dump(t, s); len(got) != 0 {
				t.Fatalf("invalid bulk load wrote %d quads", len(got))
			}
		})
	}
}

func TestBulkAbort(t *testing.T) {
	ctx := context.Background()
	for name, open := range bulkStores(t) {
		t.Run(name, func(t *testing.T) {
			s, dir := open(t)
			bulkWrite(t, s, layout.QuadsOf(fixture())).Abort()
			noBulkDirs(t, dir)
			if got := dump(t, s); len(got) != 0 {
				t.Fatalf("aborted bulk load wrote %d quads", len(got))
			}
			if st := s.Stats(ctx); st.Entities != 0 {
				t.Fatalf("aborted bulk load shows %d entities", st.Entities)
			}
		})
	}
}

// TestBulkOnlyOnSmallStores: no bulk load into a store holding more than
// bulkCopyMax quads, even of another vocabulary.
func TestBulkOnlyOnSmallStores(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "bolt:"+filepath.Join(t.TempDir(), "db"))
	writeForeign(t, s)
	b := s.Bulk(ctx)
	if b == nil {
		t.Fatal("no bulk load on a store of one quad")
	}
	b.Abort()
	s = mustOpenWith(t, "bolt:"+filepath.Join(t.TempDir(), "db2"), store.Options{BulkCopyMax: -1}) // none onto a store holding anything
	writeForeign(t, s)
	if b := s.Bulk(ctx); b != nil {
		b.Abort()
		t.Error("a bulk load on a store holding more than bulkCopyMax quads")
	}
}

// foreign is a quad of another vocabulary, which a store keeps as it is.
var foreign = quad.Make(quad.IRI("http://x/a"), quad.IRI("http://x/p"), quad.String("v"), nil)

// writeForeign writes foreign into s's store, past the snapshot.
func writeForeign(t *testing.T, s *Store) {
	t.Helper()
	s.mu.Lock()
	_, err := s.db.Write(context.Background(), []quad.Quad{foreign}, nil)
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
}

// TestBulkOntoStore: a bulk load into a store that holds something starts
// from a copy of it; records whose quads were not written (written says
// which) are written by Commit.
func TestBulkOntoStore(t *testing.T) {
	ctx := context.Background()
	more := chain("n", 20)
	all := fixture()
	all.Entities = append(all.Entities, more.Entities...)
	all.Links = append(all.Links, more.Links...)
	want := expected(t, all)
	want = append(want, foreign.String())
	slices.Sort(want)
	for name, open := range bulkStores(t) {
		for _, only := range []graph.RecordKind{"", graph.LinkRecord} {
			t.Run(name+"/written="+string(only), func(t *testing.T) {
				s, dir := open(t)
				mustApply(t, s, fixture())
				writeForeign(t, s)
				mine := more
				var written func(graph.RecordKind, int) bool
				if only != "" {
					mine = &graph.Batch{Links: more.Links}
					written = func(record graph.RecordKind, _ int) bool { return record == only }
				}
				b := bulkWrite(t, s, layout.QuadsOf(mine))
				res, ok, err := b.Commit(ctx, more, written)
				if err != nil || !ok {
					t.Fatalf("Commit = %v, %v; want ok", ok, err)
				}
				if res.Links != 20 || res.Entities != 20 {
					t.Errorf("Applied = %+v", res)
				}
				noBulkDirs(t, dir)
				if got := dump(t, s); !slices.Equal(got, want) {
					t.Fatalf("store after a bulk load onto it:\n%s", diff(want, got))
				}
				if got, err := s.Trace(ctx, graph.TraceQuery{From: "delta", To: "n4", MaxDepth: 8}); err != nil || len(got.Paths) == 0 {
					t.Errorf("Trace across old and new records: %v, %v", got, err)
				}
			})
		}
	}
}

// TestBulkDirsRemovedOnOpen: what a crashed bolt bulk load left is
// cleared when the store is next opened.
func TestBulkDirsRemovedOnOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	mustOpen(t, "bolt:"+dir).Close()
	left := filepath.Join(dir, ".bulk-123")
	if err := os.MkdirAll(left, 0o700); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, "bolt:"+dir)
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("left-over bulk directory still there: %v", err)
	}
}

// TestApplyFreshBolt: a large batch into an empty bolt store is written
// through a bulk load, and lands whole.
func TestApplyFreshBolt(t *testing.T) {
	ctx := context.Background()
	big := fixture()
	c := chain("n", 200)
	big.Entities = append(big.Entities, c.Entities...)
	big.Links = append(big.Links, c.Links...)
	dir := filepath.Join(t.TempDir(), "db")
	s := mustOpenWith(t, "bolt:"+dir, store.Options{BulkCommit: 500}) // the writer commits every 500 quads
	s.bulkApply = len(layout.QuadsOf(big))
	adopted := s.db.Adopted()
	res := mustApply(t, s, big)
	if res.Links != len(big.Links) {
		t.Fatalf("Applied %+v", res)
	}
	if s.db.Adopted() != adopted+1 {
		t.Fatal("Apply into an empty bolt store did not go through a bulk load")
	}
	noBulkDirs(t, dir)
	want := dump(t, s)
	s.Close()
	s2 := mustOpen(t, "bolt:"+dir)
	if got := dump(t, s2); !slices.Equal(got, want) {
		t.Fatalf("reopened store differs: %d quads, want %d", len(got), len(want))
	}
	if st := s2.Stats(ctx); st.Links != len(big.Links) {
		t.Fatalf("reopened store has %d links, want %d", st.Links, len(big.Links))
	}
}

// TestNoBulkIntoMemory: a memory store keeps no quads (its index is the
// store), so it takes no bulk load, and its quads are the layout of its
// records, laid out when asked, with the version quad a store keeps.
func TestNoBulkIntoMemory(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "memory")
	if b := s.Bulk(ctx); b != nil {
		t.Fatal("a bulk load into a memory store")
	}
	mustApply(t, s, fixture())
	if n, err := s.db.Count(ctx, 10); err != nil || n != 0 {
		t.Errorf("the memory DB holds %d quads, %v; want none", n, err)
	}
	b, err := s.Records(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{}
	for _, q := range append(layout.QuadsOf(b), layout.VersionQuad()) {
		want = append(want, q.String())
	}
	got := dump(t, s)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Quads of a memory store:\n%s", diff(want, got))
	}
}

// TestApplyStreamedIsWritten: a large Apply into an empty bolt store lays
// its quads out while the bulk load takes them (change.stream) rather
// than all at once; the store, the snapshot and the Applied counts are
// those of the same batch written as one ordinary transaction, or by a
// bulk load of the quads laid out first: for random graphs, with links
// stated twice in the batch (folded into one), onto an empty store or a
// small one the bulk load copies.
func TestApplyStreamedIsWritten(t *testing.T) {
	ctx := context.Background()
	batch := func(edges int, seed uint64, twice int) *graph.Batch {
		b := gen.Generate(gen.Config{Edges: edges, Seed: seed})
		for i := range twice {
			l := b.Links[i*7%len(b.Links)]
			l.Evidence = []graph.Evidence{{Source: gen.SourceID, Quote: fmt.Sprintf("again %d", i), At: "net.csv:" + strconv.Itoa(i)}}
			b.Links = append(b.Links, l)
		}
		return b
	}
	for _, tc := range []struct {
		name  string
		held  *graph.Batch // in the store before
		batch *graph.Batch
	}{
		{"empty store", nil, batch(300, 1, 0)},
		{"links stated twice", nil, batch(500, 2, 40)},
		{"onto a small store", fixture(), batch(400, 3, 10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			empty := mustOpen(t, "memory")
			fresh, _, _, _ := empty.newRecords(tc.batch, empty.snap.Load())
			ways := []struct {
				name      string
				bulkApply int
				bulk      bool
			}{
				{"streamed", 1, true},
				{"laid out, then a bulk load", fresh.Len() + 1, true}, // more quads than records, not more records
				{"one transaction", 1 << 30, false},
			}
			var want []string
			var wantRes graph.Applied
			var wantSnap *index.Snapshot // (the streamed way's)
			for i, w := range ways {
				s := mustOpen(t, "bolt:"+filepath.Join(t.TempDir(), "db"))
				if tc.held != nil {
					mustApply(t, s, tc.held)
				}
				s.bulkApply = w.bulkApply
				adopted := s.db.Adopted()
				res := mustApply(t, s, tc.batch)
				if got := s.db.Adopted() > adopted; got != w.bulk {
					t.Fatalf("%s: written by a bulk load: %v, want %v", w.name, got, w.bulk)
				}
				got, snap := dump(t, s), s.snap.Load()
				if i == 0 {
					want, wantRes, wantSnap = got, res, snap
					continue
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: the store differs from the streamed one's:\n%s", w.name, diff(got, want))
				}
				if res != wantRes {
					t.Errorf("%s: Applied %+v, streamed %+v", w.name, res, wantRes)
				}
				if msg := differ(ctx, snap, wantSnap); msg != "" {
					t.Errorf("%s: the snapshot differs from the streamed one's: %s", w.name, msg)
				}
			}
		})
	}
}
