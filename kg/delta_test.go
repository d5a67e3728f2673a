package kg

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/index"
)

// TestWritesByDeltas makes random writes through every write of a bolt
// Store (Apply of new and merged links, AddEvidence, RemoveLink,
// RemoveEntity, Update, an Update abandoned), with compaction after a few
// records, and after each compares the Store's snapshot, made by deltas,
// with one built from scratch from what bolt holds: every answer alike.
// The store reopened at the end answers alike too.
func TestWritesByDeltas(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "bolt")
	s, err := Open(ctx, "bolt:"+dir)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, s, gen.Generate(gen.Config{Edges: 400, Seed: 3}))
	s.mu.Lock()
	s.compact.after = 30
	s.mu.Unlock()
	r := rand.New(rand.NewPCG(5, 5))
	for step := range 80 {
		if err := randomWrite(ctx, s, r, step); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if step%20 == 19 { // a compaction, with writes made while it runs
			release := make(chan struct{})
			s.compact.built = func() { <-release }
			wait := s.compactNow()
			for i := range 3 {
				if err := randomWrite(ctx, s, r, 1000*step+i); err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
			}
			close(release)
			wait()
			s.compact.built = nil
		}
		snap := s.snap.Load()
		b, err := s.ReadRecords(ctx) // what bolt holds, read back
		if err != nil {
			t.Fatal(err)
		}
		if msg := differ(ctx, snap, snapshotOfBatch(b)); msg != "" {
			t.Fatalf("step %d: %s", step, msg)
		}
	}
	s.mu.Lock()
	builds := s.compact.builds
	s.mu.Unlock()
	if builds < 6 { // 4 asked for, the others after 30 records
		t.Errorf("the snapshot was compacted %d times", builds)
	}
	last := s.snap.Load()
	s.Close()
	s, err = Open(ctx, "bolt:"+dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if msg := differ(ctx, last, s.snap.Load()); msg != "" {
		t.Fatalf("reopened: %s", msg)
	}
}

func snapshotOfBatch(b *graph.Batch) *index.Snapshot {
	var r index.Records
	r.Add(b)
	return index.New(r, UniformBeliefs)
}

// randomWrite makes one write of a random kind.
func randomWrite(ctx context.Context, s *Store, r *rand.Rand, step int) error {
	snap := s.snap.Load()
	ents, _ := snap.Entities("", graph.PageArgs{First: graph.MaxPageSize})
	links, _ := snap.Links("", graph.Filter{}, graph.PageArgs{First: graph.MaxPageSize})
	entity := func() string { return ents.Items[r.IntN(len(ents.Items))].ID }
	ev := func() []graph.Evidence {
		return []graph.Evidence{{Source: gen.SourceID, Quote: fmt.Sprintf("test quote %d-%d", step, r.IntN(1000))}}
	}
	link := func(sub, obj string) graph.Link {
		return graph.Link{ID: fmt.Sprintf("t%03d_%d", r.IntN(1000), step), Subject: sub, Object: obj,
			Effect: []graph.Effect{graph.Increases, graph.Decreases}[r.IntN(2)], Predicate: "biolink:regulates", Evidence: ev()}
	}
	newEntity := func() graph.Entity {
		id := fmt.Sprintf("m%d_%d", r.IntN(1000), step) // in no particular id order
		return graph.Entity{ID: id, Name: "probe " + id, Kind: graph.Process}
	}
	switch op := r.IntN(7); op {
	case 0: // a new entity and a link to it
		e := newEntity()
		_, err := s.Apply(ctx, &graph.Batch{Entities: []graph.Entity{e}, Links: []graph.Link{link(entity(), e.ID)}})
		return err
	case 1: // a link, new or merged into a stored one
		_, err := s.Apply(ctx, &graph.Batch{Links: []graph.Link{link(entity(), entity())}})
		return err
	case 2:
		_, err := s.AddEvidence(ctx, links.Items[r.IntN(len(links.Items))].ID, ev()...)
		return err
	case 3:
		return s.RemoveLink(ctx, links.Items[r.IntN(len(links.Items))].ID)
	case 4:
		_, err := s.RemoveEntity(ctx, entity(), true)
		return err
	default: // several writes in one transaction, one time in three abandoned
		abandon := errors.New("abandoned")
		err := s.Update(ctx, func(ctx context.Context) error {
			e := newEntity()
			if _, err := s.Apply(ctx, &graph.Batch{Entities: []graph.Entity{e}}); err != nil {
				return err
			}
			if _, err := s.Apply(ctx, &graph.Batch{Links: []graph.Link{link(e.ID, entity()), link(entity(), e.ID)}}); err != nil {
				return err
			}
			if err := s.RemoveLink(ctx, links.Items[r.IntN(len(links.Items))].ID); err != nil {
				return err
			}
			if op == 6 && r.IntN(2) == 0 {
				return abandon
			}
			return nil
		})
		if errors.Is(err, abandon) {
			return nil
		}
		return err
	}
}

// differ says how got answers unlike want, or "".
func differ(ctx context.Context, got, want *index.Snapshot) string {
	ents, _ := want.Entities("", graph.PageArgs{First: graph.MaxPageSize})
	qs := map[string]func(s *index.Snapshot) any{
		"stats": func(s *index.Snapshot) any { return s.Stats() },
		"entities": func(s *index.Snapshot) any {
			p, err := s.Entities("", graph.PageArgs{First: graph.MaxPageSize})
			return []any{p, err}
		},
		"links": func(s *index.Snapshot) any {
			p, err := s.Links("", graph.Filter{}, graph.PageArgs{First: graph.MaxPageSize})
			return []any{p, err}
		},
		"contradictions": func(s *index.Snapshot) any {
			c, more, err := s.Contradictions(graph.ContradictionQuery{First: graph.MaxPageSize})
			return []any{c, more, err}
		},
		"loops": func(s *index.Snapshot) any {
			l, err := s.Loops(ctx, graph.LoopQuery{MaxLength: 4, First: 50})
			return []any{l, err}
		},
		"search": func(s *index.Snapshot) any {
			h, err := s.Search(ctx, "probe", nil, 50, graph.Filter{})
			return []any{h, err}
		},
	}
	for i := 0; i < len(ents.Items); i += 17 {
		id, to := ents.Items[i].ID, ents.Items[(i*31+7)%len(ents.Items)].ID
		qs["downstream "+id] = func(s *index.Snapshot) any {
			res, err := s.Downstream(ctx, graph.ReachQuery{Of: id, MaxDepth: 4, Paths: true})
			return []any{res, err}
		}
		qs["trace "+id] = func(s *index.Snapshot) any {
			res, err := s.Trace(ctx, graph.TraceQuery{From: id, To: to, MaxDepth: 5, Limit: 10})
			return []any{res, err}
		}
	}
	for name, q := range qs {
		if g, w := q(got), q(want); !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("%s differs:\n got %.400v\nwant %.400v", name, g, w)
		}
	}
	return ""
}

// TestCompactionBound: the snapshot is built afresh after compactAfter
// records written on a small graph, and after an eighth of its records on
// a large one, so that the builds' cost per record written does not grow
// with the graph.
func TestCompactionBound(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		links int
		after int // records written (in writes of 100) when the first build starts
	}{
		{links: 2_000, after: 4_100}, // compactAfter
		// 75,000 records (60,000 links, 15,000 entities) and w written:
		// the first w with w ≥ (75,000 + w)/8
		{links: 60_000, after: 10_800},
	} {
		t.Run(fmt.Sprint(tc.links), func(t *testing.T) {
			s, err := MemoryStoreOf(ctx, gen.Generate(gen.Config{Edges: tc.links, Seed: 1}))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got := s.snap.Load().Stats(); got.Entities != tc.links/4 {
				t.Fatalf("%d entities, want %d", got.Entities, tc.links/4)
			}
			written := 0
			for i := 0; ; i++ {
				b := &graph.Batch{}
				for j := range 50 { // 100 records
					id := fmt.Sprintf("bound_%d_%d", i, j)
					b.Entities = append(b.Entities, graph.Entity{ID: id, Name: id, Kind: graph.Process})
					b.Links = append(b.Links, graph.Link{ID: "link_" + id, Subject: gen.EntityID(j), Object: id, Effect: graph.Increases,
						Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: gen.SourceID, Quote: id}}})
				}
				mustApply(t, s, b)
				written += 100
				s.mu.Lock()
				started := s.compact.running || s.compact.builds > 0
				s.mu.Unlock()
				if started {
					break
				}
			}
			s.compact.wg.Wait()
			if written != tc.after {
				t.Errorf("the first build started after %d records written, want %d", written, tc.after)
			}
		})
	}
}

// TestLargeLoadMerging: a load large enough to be indexed afresh (Plus),
// through bolt's bulk load or beside the write, that also merges evidence
// into stored links (quads added, none removed) gives a snapshot that
// holds each merged link once, as the store does.
func TestLargeLoadMerging(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		bulkApply int
	}{
		{"bulk load", 1_000},
		{"indexed while written", defaultBulkApply},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(ctx, "bolt:"+filepath.Join(t.TempDir(), "bolt"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			s.bulkApply = tc.bulkApply
			g := gen.Generate(gen.Config{Edges: 400, Seed: 3})
			mustApply(t, s, g)
			merged := g.Links[0]
			merged.Evidence = []graph.Evidence{{Source: gen.SourceID, Quote: "a second quote"}}
			b := &graph.Batch{Links: []graph.Link{merged}}
			for i := range 2_000 { // more records than the store holds
				id := fmt.Sprintf("load_%d", i)
				b.Entities = append(b.Entities, graph.Entity{ID: id, Name: id, Kind: graph.Process})
				b.Links = append(b.Links, graph.Link{ID: "link_" + id, Subject: gen.EntityID(i % 50), Object: id, Effect: graph.Increases,
					Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: gen.SourceID, Quote: id}}})
			}
			if res := mustApply(t, s, b); res.Merged != 1 || res.Quads < concurrentNext {
				t.Fatalf("%+v: not one link merged in a large load", res)
			}
			if l, _ := s.snap.Load().Link(merged.ID); len(l.Evidence) != 2 {
				t.Errorf("%s holds %d evidence items, want 2", merged.ID, len(l.Evidence))
			}
			recs, err := s.ReadRecords(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if msg := differ(ctx, s.snap.Load(), snapshotOfBatch(recs)); msg != "" {
				t.Fatalf("the snapshot differs from the store: %s", msg)
			}
		})
	}
}

// TestLargeLoadMergingMemory: the same on a memory store, whose large
// loads are indexed afresh too: the merged link once, with both items.
func TestLargeLoadMergingMemory(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "memory")
	g := gen.Generate(gen.Config{Edges: 400, Seed: 3})
	mustApply(t, s, g)
	merged := g.Links[0]
	merged.Evidence = []graph.Evidence{{Source: gen.SourceID, Quote: "a second quote"}}
	b := &graph.Batch{Links: []graph.Link{merged}}
	for i := range 3_000 { // more records than the store holds, and than compactAfter
		id := fmt.Sprintf("load_%d", i)
		b.Entities = append(b.Entities, graph.Entity{ID: id, Name: id, Kind: graph.Process})
		b.Links = append(b.Links, graph.Link{ID: "link_" + id, Subject: gen.EntityID(i % 50), Object: id, Effect: graph.Increases,
			Predicate: "biolink:regulates", Evidence: []graph.Evidence{{Source: gen.SourceID, Quote: id}}})
	}
	if res := mustApply(t, s, b); res.Merged != 1 {
		t.Fatalf("%+v: not one link merged", res)
	}
	snap := s.snap.Load()
	if got, want := snap.Stats().Links, len(g.Links)+3_000; got != want {
		t.Errorf("%d links in the snapshot, want %d", got, want)
	}
	if l, _ := snap.Link(merged.ID); len(l.Evidence) != 2 {
		t.Errorf("%s holds %d evidence items, want 2", merged.ID, len(l.Evidence))
	}
	if msg := differ(ctx, snap, snap.Compact()); msg != "" {
		t.Errorf("the snapshot differs from one built afresh from its records: %s", msg)
	}
}
