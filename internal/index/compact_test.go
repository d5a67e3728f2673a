package index_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"weak"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
)

// TestCompactMatchesPlain: a snapshot holding links as columns (links.go)
// answers every query as one holding each link whole, through random
// writes made with With (links added, replaced by ones with more evidence,
// removed; entities removed with their links; abandoned writes; compacted
// chains).
func TestCompactMatchesPlain(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := &writer{r: rand.New(rand.NewPCG(seed, 18)), rows: rand.New(rand.NewPCG(seed, 19))}
			m := newModel(licensed()...)
			snap := m.snapshot()
			most := 0 // the most links held compact at once
			for step := range 100 {
				var left *index.Snapshot
				var abandoned *model
				snap, left, abandoned = w.step(m, snap)
				if left != nil { // still as it was, though the next write was made from the same snapshot
					same(t, fmt.Sprintf("step %d (abandoned)", step), left, index.NewPlain(abandoned.records(), deltaBeliefs), abandoned)
				}
				if w.r.IntN(30) == 0 {
					snap = snap.Compact()
				}
				most = max(most, snap.CompactLinks())
				same(t, fmt.Sprintf("step %d", step), snap, index.NewPlain(m.records(), deltaBeliefs), m)
				assertions(t, fmt.Sprintf("step %d", step), snap, m)
				if t.Failed() {
					return
				}
			}
			if most < 4 {
				t.Errorf("at most %d links compact along the writes: the test compares little", most)
			}
		})
	}
}

// TestCompactRoundTrip: a link comes back from the snapshot exactly as it
// was given, whether or not it fits the compact shape: the compact shape
// itself (every knowledge level and agent type), and it with any one field
// of the link or of its evidence item set otherwise, slices empty or not,
// each At a compact link cannot write again, more or fewer items. A field
// added to graph.Link or graph.Evidence is tried here too, so compactable
// must learn of it.
func TestCompactRoundTrip(t *testing.T) {
	base := func() *graph.Link {
		return &graph.Link{ID: "l1", Subject: "a", Object: "b", Effect: graph.Decreases, Predicate: "biolink:regulates", Confidence: 0.25,
			Evidence: []graph.Evidence{{Source: "s", KnowledgeLevel: graph.Observation, AgentType: graph.ManualAgent, At: "net.csv:12"}}}
	}
	var cases []*graph.Link
	var compact []bool // cases[i] fits the compact shape, known apart from the code that decides it
	add := func(l *graph.Link, fits bool) { cases, compact = append(cases, l), append(compact, fits) }
	add(base(), true)
	for _, k := range append([]graph.KnowledgeLevel{""}, graph.KnowledgeLevels...) {
		for _, a := range append([]graph.AgentType{""}, graph.AgentTypes...) {
			l := base()
			l.Evidence[0].KnowledgeLevel, l.Evidence[0].AgentType = k, a
			add(l, true)
		}
	}
	for _, at := range []string{"", "net.csv:0", "a:b:4294967295", ":7"} {
		l := base()
		l.Evidence[0].At = at
		add(l, true)
	}
	for _, at := range []string{"net.csv", "net.csv:", "net.csv:012", "net.csv:+3", "net.csv:-1", "net.csv:4294967296", "net.csv: 3", "row-17"} {
		l := base()
		l.Evidence[0].At = at
		add(l, false)
	}
	l := base()
	l.Evidence[0].References = []string{}
	add(l, true)
	l = base()
	l.Effect = graph.Increases
	add(l, true)
	l = base()
	l.Evidence = nil
	add(l, false)
	l = base()
	l.Evidence = []graph.Evidence{}
	add(l, false)
	l = base()
	l.Evidence = append(l.Evidence, l.Evidence[0])
	add(l, false)
	l = base()
	l.Subject = "elsewhere" // a dangling link
	add(l, false)
	for _, v := range fieldVariants(reflect.TypeFor[graph.Link]()) {
		l := base()
		if v.set(reflect.ValueOf(l).Elem()) {
			add(l, false)
		}
	}
	for _, v := range fieldVariants(reflect.TypeFor[graph.Evidence]()) {
		l := base()
		if v.set(reflect.ValueOf(&l.Evidence[0]).Elem()) {
			add(l, false)
		}
	}
	ents := []*graph.Entity{{ID: "a", Name: "a"}, {ID: "b", Name: "b"}}
	for i, want := range cases {
		name := fmt.Sprintf("%d %s", i, show(want))
		got := map[string]*index.Snapshot{
			"new":  index.New(index.Records{Entities: ents, Links: []*graph.Link{clone(want)}}, deltaBeliefs),
			"with": index.New(index.Records{Entities: ents}, deltaBeliefs).With(index.Delta{Links: []*graph.Link{clone(want)}}),
		}
		for how, s := range got {
			if n := s.CompactLinks(); (n == 1) != compact[i] {
				t.Errorf("%s (%s): %d links compact, want compact %v", name, how, n, compact[i])
			}
			if l, ok := s.Link(want.ID); !ok || !reflect.DeepEqual(l, want) {
				t.Errorf("%s (%s): Link gives\n%s", name, how, show(l))
			}
			if want.Subject == "a" {
				if ls, _ := s.LinksOf("a"); len(ls) != 1 || !reflect.DeepEqual(ls[0], want) {
					t.Errorf("%s (%s): LinksOf gives %s", name, how, show(ls))
				}
			}
			if r := s.Records(); len(r.Links) != 1 || !reflect.DeepEqual(r.Links[0], want) {
				t.Errorf("%s (%s): Records gives %s", name, how, show(r.Links))
			}
		}
	}
}

// clone copies l deeply enough that the snapshot cannot share what the
// test compares against.
func clone(l *graph.Link) *graph.Link {
	c := *l
	if l.Evidence != nil {
		c.Evidence = append(make([]graph.Evidence, 0, len(l.Evidence)), l.Evidence...)
	}
	return &c
}

// variant sets one field of a struct to a value other than the compact
// shape's, or reports false for a field it leaves alone.
type variant struct {
	name string
	set  func(v reflect.Value) bool
}

// fieldVariants are, for each field of struct type t, a variant with the
// field set to something else than base has: a string "x", true, 0.5, a
// pointer to a value, a slice with one item, and an empty slice besides.
// The fields of base's compact shape get values that no compact link can
// hold ("x" is no effect, knowledge level or agent type).
func fieldVariants(t reflect.Type) []variant {
	var out []variant
	for i := range t.NumField() {
		f := t.Field(i)
		switch f.Name {
		case "ID", "Subject", "Object", "Predicate", "Source", "At", "Confidence", "Evidence", "References":
			continue // a compact link holds any value of these (tried above)
		}
		one := func(v reflect.Value) bool {
			x := v.Field(i)
			switch x.Kind() {
			case reflect.String:
				x.SetString("x")
			case reflect.Bool:
				x.SetBool(true)
			case reflect.Float64:
				x.SetFloat(0.5)
			case reflect.Pointer:
				p := reflect.New(x.Type().Elem()) // a pointer to the zero value: set, unlike nil
				x.Set(p)
			case reflect.Slice:
				s := reflect.MakeSlice(x.Type(), 1, 1)
				if s.Index(0).Kind() == reflect.String {
					s.Index(0).SetString("x")
				} else {
					s.Index(0).Set(reflect.ValueOf([]string{"a", "b"}))
				}
				x.Set(s)
			default:
				panic(fmt.Sprintf("field %s of %s: kind %s not tried", f.Name, t, x.Kind()))
			}
			return true
		}
		out = append(out, variant{f.Name, one})
		if f.Type.Kind() == reflect.Slice {
			out = append(out, variant{f.Name + " empty", func(v reflect.Value) bool {
				v.Field(i).Set(reflect.MakeSlice(f.Type, 0, 0))
				return true
			}})
		}
	}
	return out
}

// assertions fails t when s does not find each link of m by its assertion
// key (the writer makes one link a key), or finds one for a key none has.
func assertions(t *testing.T, step string, s *index.Snapshot, m *model) {
	t.Helper()
	keys := map[graph.AssertionKey]*graph.Link{}
	for _, l := range m.links {
		keys[l.Key()] = l
	}
	for _, l := range m.links {
		for _, k := range []graph.AssertionKey{l.Key(), {Subject: l.Subject, Object: l.Object, Effect: graph.Increases, Predicate: l.Predicate},
			{Subject: l.Subject, Object: l.Object, Effect: graph.Decreases, Predicate: l.Predicate}} {
			got, ok := s.Assertion(k)
			if want := keys[k]; ok != (want != nil) || ok && !reflect.DeepEqual(got, want) {
				t.Errorf("%s: Assertion(%v) = %s, want %s", step, k, show(got), show(want))
			}
		}
	}
}

// TestPlusMatchesNew: Plus, which makes the stored links one at a time
// and merges the batch's in by id, answers as New of all the records.
func TestPlusMatchesNew(t *testing.T) {
	for seed := range uint64(4) {
		w := &writer{r: rand.New(rand.NewPCG(seed, 28)), rows: rand.New(rand.NewPCG(seed, 29))}
		m := newModel(&graph.Source{ID: "s_a", Title: "a"}, &graph.Source{ID: "s_b", Title: "b"})
		for range 60 {
			m.apply(w.write(m))
		}
		base := m.clone()
		var b graph.Batch
		for id, l := range m.links {
			if w.r.IntN(2) == 0 {
				delete(base.links, id)
				b.Links = append(b.Links, *l)
			}
		}
		if len(b.Links) == 0 || len(base.links) == 0 {
			t.Fatalf("seed %d: %d links in the batch, %d stored", seed, len(b.Links), len(base.links))
		}
		same(t, fmt.Sprint("seed ", seed), base.snapshot().Plus(&b), index.NewPlain(m.records(), deltaBeliefs), m)
	}
}

// TestRowLinksAsLinks: a snapshot given links as row links (as a store's
// decoder gives rows of networks) answers every query as one given them
// as links, and so do the snapshots that writes, compactions and Plus make
// from it. Every link whose row link makes it again exactly is given as
// one; the others as links.
func TestRowLinksAsLinks(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := &writer{r: rand.New(rand.NewPCG(seed, 38)), rows: rand.New(rand.NewPCG(seed, 39))}
			m := newModel(licensed()...)
			for range 400 {
				m.apply(w.write(m))
			}
			r := m.records()
			slices.SortFunc(r.Entities, func(a, b *graph.Entity) int { return strings.Compare(a.ID, b.ID) })
			slices.SortFunc(r.Links, func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) })
			num := map[string]int32{}
			for i, e := range r.Entities {
				num[e.ID] = int32(i)
			}
			var links []*graph.Link
			for _, l := range r.Links {
				if rl, ok := asRowLink(l, num); ok && reflect.DeepEqual(rl.Link(r.Entities), l) {
					r.RowLinks = append(r.RowLinks, rl)
				} else {
					links = append(links, l)
				}
			}
			r.Links = links
			if len(r.RowLinks) < 10 || len(links) < 10 {
				t.Fatalf("%d row links, %d links: the test compares little", len(r.RowLinks), len(links))
			}
			// The entities out of order, the row links numbering them so:
			// New makes them whole rather than number them wrongly.
			rev := r
			rev.Entities = slices.Clone(r.Entities)
			slices.Reverse(rev.Entities)
			rev.RowLinks = slices.Clone(r.RowLinks)
			for i := range rev.RowLinks {
				rl := &rev.RowLinks[i]
				rl.Sub, rl.Obj = int32(len(r.Entities))-1-rl.Sub, int32(len(r.Entities))-1-rl.Obj
			}
			same(t, "entities out of order", index.New(rev, deltaBeliefs), index.NewPlain(m.records(), deltaBeliefs), m)
			snap := index.New(r, deltaBeliefs)
			if snap.CompactLinks() < len(r.RowLinks) {
				t.Errorf("%d links compact, of %d row links", snap.CompactLinks(), len(r.RowLinks))
			}
			same(t, "new", snap, index.NewPlain(m.records(), deltaBeliefs), m)
			for step := range 30 {
				snap, _, _ = w.step(m, snap)
				if step%10 == 9 {
					snap = snap.Compact()
				}
				same(t, fmt.Sprint("step ", step), snap, index.NewPlain(m.records(), deltaBeliefs), m)
				if t.Failed() {
					return
				}
			}
		})
	}
}

// asRowLink is l as a row link, its ends numbered by num; ok is false
// when its ends are not both there or its item is not one a row link
// holds. It may still not be l (a field a row link has not): the caller
// checks.
func asRowLink(l *graph.Link, num map[string]int32) (rl index.RowLink, ok bool) {
	sub, okS := num[l.Subject]
	obj, okO := num[l.Object]
	if !okS || !okO || len(l.Evidence) != 1 {
		return rl, false
	}
	e := &l.Evidence[0]
	if !rl.SetItem(e.Source, e.KnowledgeLevel, e.AgentType, e.At) {
		return rl, false
	}
	rl.ID, rl.Predicate, rl.Confidence, rl.Sub, rl.Obj, rl.Neg = l.ID, l.Predicate, l.Confidence, sub, obj, l.Effect == graph.Decreases
	return rl, true
}

// TestCompactLinksLetGo: a snapshot keeps no compact link as given. A batch
// comes as one array of links (Records.Add and DeltaOf copy it so), and a
// link kept whole beside them must not keep that array, and so every link
// of the batch, alive.
func TestCompactLinksLetGo(t *testing.T) {
	ents := []graph.Entity{{ID: "a", Name: "a"}, {ID: "b", Name: "b"}}
	batch := func() *graph.Batch {
		b := &graph.Batch{Entities: ents}
		for i := range 64 {
			b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("l%02d", i), Subject: "a", Object: "b", Effect: graph.Increases,
				Predicate: fmt.Sprint("biolink:p", i), Evidence: []graph.Evidence{{Source: "s", At: fmt.Sprint("net.csv:", i+2)}}})
		}
		b.Links[0].Evidence[0].Quote = "kept whole"
		return b
	}
	for _, how := range []string{"With", "New"} {
		t.Run(how, func(t *testing.T) {
			var s *index.Snapshot
			var gone weak.Pointer[graph.Link]
			func() {
				d := index.DeltaOf(batch())
				gone = weak.Make(d.Links[1]) // compact, in the same array as the link kept whole
				switch how {
				case "With":
					s = index.New(index.Records{}, deltaBeliefs).With(d)
				case "New":
					var r index.Records
					r.Add(batch())
					gone = weak.Make(r.Links[1])
					s = index.New(r, deltaBeliefs)
				}
			}()
			runtime.GC()
			runtime.GC()
			if s.CompactLinks() != 63 {
				t.Fatalf("%d links compact, want 63", s.CompactLinks())
			}
			if gone.Value() != nil {
				t.Errorf("the batch's array of links is still alive")
			}
			if l, ok := s.Link("l00"); !ok || l.Evidence[0].Quote != "kept whole" {
				t.Errorf("the link kept whole: %v", l)
			}
		})
	}
}
