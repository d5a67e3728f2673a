package index_test

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
)

// TestWithBesideReaders: snapshots of a chain of writes (some abandoned,
// so that two are made from one snapshot) answer as New would while later
// writes are made and other snapshots of the chain are read at the same
// time, their searches sharing scratch arrays. Run with -race.
func TestWithBesideReaders(t *testing.T) {
	w := &writer{r: rand.New(rand.NewPCG(3, 11)), rows: rand.New(rand.NewPCG(3, 12))}
	m := newModel(&graph.Source{ID: "s_a", Title: "a"}, &graph.Source{ID: "s_b", Title: "b"})
	type kept struct {
		snap *index.Snapshot
		want []any
	}
	var mu sync.Mutex
	var made []kept
	pick := func(m *model) []query {
		var qs []query
		for _, q := range queries(m) {
			for _, p := range []string{"stats", "records", "downstream ", "upstream ", "trace ", "search ", "links of ", "entity "} {
				if strings.HasPrefix(q.name, p) {
					qs = append(qs, q)
					break
				}
			}
		}
		return qs
	}
	answers := func(s *index.Snapshot, qs []query) []any {
		out := make([]any, len(qs))
		for i, q := range qs {
			out[i] = q.run(s)
		}
		return out
	}
	keep := func(s *index.Snapshot, m *model) {
		qs := pick(m)
		k := kept{s, answers(m.snapshot(), qs)}
		mu.Lock()
		made = append(made, k)
		mu.Unlock()
	}
	var qsOf sync.Map // *index.Snapshot -> []query
	snap := m.snapshot()
	qsOf.Store(snap, pick(m))
	keep(snap, m)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for !stop.Load() {
				mu.Lock()
				k := made[r.IntN(len(made))]
				mu.Unlock()
				qs, _ := qsOf.Load(k.snap)
				if got := answers(k.snap, qs.([]query)); !reflect.DeepEqual(got, k.want) {
					t.Errorf("a snapshot read beside writes answers otherwise: %s", show(got))
					return
				}
			}
		})
	}
	for range 80 {
		d := w.write(m)
		if w.r.IntN(5) == 0 { // written, then abandoned: the next write is made from the same snapshot
			a := m.clone()
			a.apply(d)
			left := snap.With(d)
			qsOf.Store(left, pick(a))
			keep(left, a)
			d = w.write(m)
		}
		m.apply(d)
		snap = snap.With(d)
		qsOf.Store(snap, pick(m))
		keep(snap, m)
		if t.Failed() {
			break
		}
	}
	stop.Store(true)
	wg.Wait()
}
