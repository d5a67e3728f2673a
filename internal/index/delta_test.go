package index_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
)

// deltaBeliefs scores evidence as the store does without a belief table.
var deltaBeliefs = graph.BeliefTable{{Random: 0.3, Systematic: 0.2, Why: "test"}}

// model is what a store holds, kept as plain maps: the truth the snapshots
// made by With are compared against, through snapshots built by New.
type model struct {
	entities map[string]*graph.Entity
	links    map[string]*graph.Link
	sources  map[string]*graph.Source
	refs     map[string]*graph.Reference
	rels     map[string]*graph.Relation // by Key
}

// newModel is an empty graph citing sources.
func newModel(sources ...*graph.Source) *model {
	m := &model{entities: map[string]*graph.Entity{}, links: map[string]*graph.Link{}, rels: map[string]*graph.Relation{},
		sources: map[string]*graph.Source{}, refs: map[string]*graph.Reference{}}
	for _, s := range sources {
		m.sources[s.ID] = s
	}
	return m
}

// licensed are three sources, two of them licensed, for the filters.
func licensed() []*graph.Source {
	return []*graph.Source{
		{ID: "s_a", Title: "a", License: "CC-BY-4.0"},
		{ID: "s_b", Title: "b", License: "CC0-1.0"},
		{ID: "s_c", Title: "c"},
	}
}

func (m *model) clone() *model {
	return &model{maps.Clone(m.entities), maps.Clone(m.links), maps.Clone(m.sources), maps.Clone(m.refs), maps.Clone(m.rels)}
}

func (m *model) apply(d index.Delta) {
	for _, id := range d.RemoveLinks {
		delete(m.links, id)
	}
	for _, id := range d.RemoveEntities {
		delete(m.entities, id)
	}
	for _, x := range d.Sources {
		m.sources[x.ID] = x
	}
	for _, x := range d.References {
		m.refs[x.ID] = x
	}
	for _, x := range d.Entities {
		m.entities[x.ID] = x
	}
	for _, x := range d.Links {
		m.links[x.ID] = x
	}
	for _, k := range d.RemoveRelations {
		delete(m.rels, k)
	}
	for _, x := range d.Relations {
		m.rels[x.Key()] = x
	}
}

func (m *model) snapshot() *index.Snapshot { return index.New(m.records(), deltaBeliefs) }

func (m *model) records() index.Records {
	var r index.Records
	// In no particular order: New sorts.
	r.Entities = slices.Collect(maps.Values(m.entities))
	r.Links = slices.Collect(maps.Values(m.links))
	r.Sources = slices.Collect(maps.Values(m.sources))
	r.References = slices.Collect(maps.Values(m.refs))
	r.Relations = slices.Collect(maps.Values(m.rels))
	return r
}

// writer makes random writes of every kind a store makes: new entities
// (ids in random order, names shared so that lookups are ambiguous), new
// links (self-loops, opposite effects between one pair, aliases), evidence
// merged into a stored link, links and entities removed.
type writer struct {
	r    *rand.Rand
	rows *rand.Rand // when set, most new links are rows of a network (a stream apart, so r makes the same writes)
	next int
}

var (
	deltaKinds  = []graph.Kind{graph.Process, graph.Condition, graph.Therapy, graph.Hormone}
	deltaNames  = []string{"alpha signal", "beta signal", "gamma", "Gamma", "delta response", "inflammation"}
	deltaLevels = []graph.KnowledgeLevel{graph.KnowledgeAssertion, graph.Observation, graph.Prediction, ""}
	deltaPreds  = []string{"biolink:regulates", "biolink:affects"}
)

func (w *writer) evidence(m *model) []graph.Evidence {
	srcs := slices.Sorted(maps.Keys(m.sources))
	ev := make([]graph.Evidence, 1+w.r.IntN(3))
	for i := range ev {
		ev[i] = graph.Evidence{Source: srcs[w.r.IntN(len(srcs))], Quote: fmt.Sprintf("quote %d", w.r.IntN(1000)),
			KnowledgeLevel: deltaLevels[w.r.IntN(len(deltaLevels))], Negated: w.r.IntN(4) == 0}
	}
	if w.rows != nil && w.rows.IntN(3) > 0 { // a row of a network: a link of the compact shape (links.go)
		return []graph.Evidence{w.row(srcs)}
	}
	return ev
}

// row is an evidence item as a network's row gives it: source, knowledge
// level, agent, where it was read, and nothing else.
func (w *writer) row(srcs []string) graph.Evidence {
	r := w.rows
	e := graph.Evidence{Source: srcs[r.IntN(len(srcs))], KnowledgeLevel: deltaLevels[r.IntN(len(deltaLevels))],
		AgentType: []graph.AgentType{"", graph.AutomatedAgent, graph.AgentNotProvided}[r.IntN(3)]}
	switch r.IntN(6) {
	case 0: // At left empty
	case 1:
		e.At = fmt.Sprintf("rows %d.csv:0%d", r.IntN(2), r.IntN(100)) // a line as no number prints it
	default:
		e.At = fmt.Sprintf("rows %d.csv:%d", r.IntN(2), r.IntN(100_000))
	}
	if r.IntN(4) == 0 {
		e.References = []string{}
	}
	return e
}

// step makes a random write on m and snap and returns the snapshot after
// it. One time in eight a write is first made from the same snapshot and
// abandoned: left is the snapshot that write made and abandoned the
// model with it applied, for the caller to check that left is still as
// it was (both nil otherwise).
func (w *writer) step(m *model, snap *index.Snapshot) (next, left *index.Snapshot, abandoned *model) {
	d := w.write(m)
	if w.r.IntN(8) == 0 { // written, then abandoned
		abandoned = m.clone()
		abandoned.apply(d)
		left = snap.With(d)
		d = w.write(m)
	}
	m.apply(d)
	return snap.With(d), left, abandoned
}

func (w *writer) write(m *model) index.Delta {
	ents := slices.Sorted(maps.Keys(m.entities))
	links := slices.Sorted(maps.Keys(m.links))
	switch op := w.r.IntN(12); {
	case op < 3 || len(ents) < 2: // new entities
		var d index.Delta
		for range 1 + w.r.IntN(2) {
			w.next++
			id := fmt.Sprintf("e%02d_%d", w.r.IntN(100), w.next)
			e := &graph.Entity{ID: id, Name: deltaNames[w.r.IntN(len(deltaNames))], Kind: deltaKinds[w.r.IntN(len(deltaKinds))]}
			if w.r.IntN(4) == 0 {
				e.Aliases = []string{"old_" + id}
			}
			if w.r.IntN(2) == 0 {
				e.Synonyms = []string{deltaNames[w.r.IntN(len(deltaNames))], "syn" + id}
			}
			if w.r.IntN(3) == 0 {
				e.Xrefs = []string{fmt.Sprintf("TEST:%d", w.r.IntN(5))}
			}
			d.Entities = append(d.Entities, e)
		}
		if w.r.IntN(4) == 0 {
			w.next++
			d.Sources = append(d.Sources, &graph.Source{ID: fmt.Sprintf("src%d", w.next), Title: "t", License: "CC0-1.0"})
			d.References = append(d.References, &graph.Reference{ID: fmt.Sprintf("ref%d", w.next), Citation: "c"})
		}
		return d
	case op < 6 || len(links) == 0: // new links, each a new assertion (a store merges the others)
		var d index.Delta
		keys := map[graph.AssertionKey]bool{}
		for _, l := range m.links {
			keys[l.Key()] = true
		}
		for range 1 + w.r.IntN(3) {
			w.next++
			sub, obj := ents[w.r.IntN(len(ents))], ents[w.r.IntN(len(ents))]
			if w.r.IntN(4) == 0 && len(links) > 0 { // between a stored link's ends: contradictions, parallel links
				l := m.links[links[w.r.IntN(len(links))]]
				sub, obj = l.Subject, l.Object
			}
			l := &graph.Link{ID: fmt.Sprintf("l%03d_%d", w.r.IntN(1000), w.next), Subject: sub, Object: obj,
				Effect: []graph.Effect{graph.Increases, graph.Decreases}[w.r.IntN(2)], Predicate: deltaPreds[w.r.IntN(2)],
				Evidence: w.evidence(m)}
			if w.r.IntN(5) == 0 {
				l.Aliases = []string{"alias_" + l.ID}
			}
			if w.r.IntN(4) == 0 {
				l.ShortcutOf = [][]string{{sub, ents[w.r.IntN(len(ents))], obj}}
			}
			l.Confidence = deltaBeliefs.Score(l.Evidence)
			if !keys[l.Key()] {
				keys[l.Key()] = true
				d.Links = append(d.Links, l)
			}
		}
		return d
	case op < 8: // evidence merged into a stored link
		old := m.links[links[w.r.IntN(len(links))]]
		l := *old
		l.Evidence = append(slices.Clone(old.Evidence), w.evidence(m)...)
		l.Confidence = deltaBeliefs.Score(l.Evidence)
		return index.Delta{Links: []*graph.Link{&l}}
	case op < 9: // a link removed
		return index.Delta{RemoveLinks: []string{links[w.r.IntN(len(links))]}}
	case op >= 10 && len(ents) >= 2: // a relation added, merged or removed
		keys := slices.Sorted(maps.Keys(m.rels))
		if len(keys) > 0 && w.r.IntN(3) == 0 {
			return index.Delta{RemoveRelations: []string{keys[w.r.IntN(len(keys))]}}
		}
		sub, obj := ents[w.r.IntN(len(ents))], ents[w.r.IntN(len(ents))]
		if sub == obj {
			return index.Delta{}
		}
		pred := []string{graph.SubclassOf, "biolink:part_of"}[w.r.IntN(2)]
		return index.Delta{Relations: []*graph.Relation{{Subject: sub, Predicate: pred, Object: obj, Evidence: w.evidence(m)}}}
	default: // an entity removed with its links and relations
		id := ents[w.r.IntN(len(ents))]
		d := index.Delta{RemoveEntities: []string{id}}
		for k, r := range m.rels {
			if r.Subject == id || r.Object == id {
				d.RemoveRelations = append(d.RemoveRelations, k)
			}
		}
		for _, lid := range links {
			if l := m.links[lid]; l.Subject == id || l.Object == id {
				d.RemoveLinks = append(d.RemoveLinks, lid)
			}
		}
		return d
	}
}

// TestWithMatchesNew is the differential test of writes by deltas: random
// writes, each made with With on the last snapshot, and after every one a
// battery of queries answered alike by that snapshot and by one New builds
// from scratch from the same records. Some writes are abandoned (a failed
// write), so that the next is made from a snapshot already written from;
// some chains are compacted.
func TestWithMatchesNew(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := &writer{r: rand.New(rand.NewPCG(seed, 7)), rows: rand.New(rand.NewPCG(seed, 8))}
			m := newModel(licensed()...)
			snap := m.snapshot()
			overlaid := 0 // steps compared with overlays in place
			for step := range 120 {
				var left *index.Snapshot
				var abandoned *model
				snap, left, abandoned = w.step(m, snap)
				if left != nil { // still as it was, though the next write was made from the same snapshot
					same(t, fmt.Sprintf("step %d (abandoned)", step), left, abandoned.snapshot(), abandoned)
				}
				if w.r.IntN(40) == 0 {
					snap = snap.Compact()
				}
				if snap.Changed() > 0 {
					overlaid++
				}
				same(t, fmt.Sprintf("step %d", step), snap, m.snapshot(), m)
				if t.Failed() {
					return
				}
			}
			if overlaid < 60 || len(m.links) < 10 {
				t.Errorf("only %d steps with overlays, %d links at the end", overlaid, len(m.links))
			}
		})
	}
}

// same fails t when got answers any query unlike want.
func same(t *testing.T, step string, got, want *index.Snapshot, m *model) {
	t.Helper()
	for _, q := range queries(m) {
		g, w := q.run(got), q.run(want)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s:\n with: %s\n  new: %s", step, q.name, show(g), show(w))
			return
		}
	}
}

func show(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

type query struct {
	name string
	run  func(s *index.Snapshot) any
}

// answer keeps a result and the text of an error, so that answers compare.
func answer(v any, err error) any {
	if err != nil {
		return err.Error()
	}
	return v
}

func queries(m *model) []query {
	ctx := context.Background()
	ents := slices.Sorted(maps.Keys(m.entities))
	links := slices.Sorted(maps.Keys(m.links))
	var filters []graph.Filter
	filters = append(filters, graph.Filter{})
	var f graph.Filter
	f.Sources.Deny = []string{"s_b"}
	filters = append(filters, f)
	f = graph.Filter{MinBelief: 0.55}
	filters = append(filters, f)
	f = graph.Filter{KnowledgeLevels: []graph.KnowledgeLevel{graph.Observation}, MinBelief: 0.3}
	filters = append(filters, f)
	filters = append(filters, graph.Filter{Licenses: []string{"CC0-1.0"}})
	qs := []query{
		{"stats", func(s *index.Snapshot) any { return s.Stats() }},
		{"relations", func(s *index.Snapshot) any { return s.Relations() }},
		{"sources", func(s *index.Snapshot) any { return s.Sources() }},
		{"references", func(s *index.Snapshot) any { return s.References() }},
		{"records", func(s *index.Snapshot) any {
			r := s.Records() // references and sources in no particular order
			slices.SortFunc(r.References, func(a, b *graph.Reference) int { return strings.Compare(a.ID, b.ID) })
			slices.SortFunc(r.Sources, func(a, b *graph.Source) int { return strings.Compare(a.ID, b.ID) })
			return r
		}},
	}
	for _, src := range slices.Sorted(maps.Keys(m.sources)) {
		qs = append(qs, query{"use " + src, func(s *index.Snapshot) any { return s.SourceUse(src) }})
	}
	for i, f := range filters {
		qs = append(qs,
			query{fmt.Sprint("links page ", i), func(s *index.Snapshot) any {
				return answer(s.Links("", f, graph.PageArgs{First: 7, After: "l3"}))
			}},
			query{fmt.Sprint("decreasing links ", i), func(s *index.Snapshot) any {
				return answer(s.Links(graph.Decreases, f, graph.PageArgs{First: 100}))
			}},
			query{fmt.Sprint("contradictions ", i), func(s *index.Snapshot) any {
				return answer3(s.Contradictions(graph.ContradictionQuery{First: 100, Filter: f}))
			}},
			query{fmt.Sprint("loops anywhere ", i), func(s *index.Snapshot) any {
				return answer(s.Loops(ctx, graph.LoopQuery{MaxLength: 4, First: 30, Filter: f}))
			}},
			query{fmt.Sprint("search ", i), func(s *index.Snapshot) any {
				return answer(s.Search(ctx, "signal", nil, 20, f))
			}},
		)
	}
	for _, kind := range []graph.Kind{"", graph.Therapy} {
		qs = append(qs, query{"entities " + string(kind), func(s *index.Snapshot) any {
			return answer(s.Entities(kind, graph.PageArgs{First: 9, After: "e3"}))
		}})
	}
	for _, name := range append(slices.Clone(deltaNames), "gama", "inflamation", "TEST:1", "test:2", "nothing") {
		qs = append(qs,
			query{"resolve " + name, func(s *index.Snapshot) any { return answer(s.Resolve(ctx, name)) }},
			query{"lookup " + name, func(s *index.Snapshot) any { return answer(s.Lookup(name)) }},
			query{"suggest " + name, func(s *index.Snapshot) any { return answer(s.Suggest(ctx, name, 5)) }},
		)
	}
	for i, id := range ents {
		f := filters[i%len(filters)]
		order := []graph.Order{graph.ByLength, graph.ByConfidence}[i%2]
		other := ents[(i*7+3)%len(ents)]
		qs = append(qs,
			query{"entity " + id, func(s *index.Snapshot) any { e, ok := s.Entity(id); return []any{e, ok} }},
			query{"links of " + id, func(s *index.Snapshot) any { l, ok := s.LinksOf(id); return []any{l, ok} }},
			query{"outgoing " + id, func(s *index.Snapshot) any { return answer(s.Outgoing(id, "", 0)) }},
			query{"incoming " + id, func(s *index.Snapshot) any { return answer(s.Incoming(id, graph.Increases, 3)) }},
			query{"downstream " + id, func(s *index.Snapshot) any {
				return answer(s.Downstream(ctx, graph.ReachQuery{Of: id, MaxDepth: 4, Paths: true, OrderBy: order, Filter: f}))
			}},
			query{"upstream " + id, func(s *index.Snapshot) any {
				return answer(s.Upstream(ctx, graph.ReachQuery{Of: id, MaxDepth: 3, First: 4, NetEffect: graph.Decreases, Filter: f}))
			}},
			query{"trace " + id + " " + other, func(s *index.Snapshot) any {
				return answer(s.Trace(ctx, graph.TraceQuery{From: id, To: other, MaxDepth: 5, Limit: 8, OrderBy: order, Filter: f}))
			}},
			query{"loops through " + id, func(s *index.Snapshot) any {
				return answer(s.Loops(ctx, graph.LoopQuery{Through: id, MaxLength: 4, First: 10, OrderBy: order, Filter: f}))
			}},
			query{"distinct loops through " + id, func(s *index.Snapshot) any {
				return answer(s.Loops(ctx, graph.LoopQuery{Through: id, MaxLength: 4, First: 10, OrderBy: order, Distinct: true}))
			}},
			query{"trace inherit " + id + " " + other, func(s *index.Snapshot) any {
				return answer(s.Trace(ctx, graph.TraceQuery{From: id, To: other, MaxDepth: 4, Limit: 8, OrderBy: order, Inherit: true}))
			}},
			query{"old id " + id, func(s *index.Snapshot) any { e, ok := s.EntityOrAlias("old_" + id); return []any{e, ok} }},
			query{"relations of " + id, func(s *index.Snapshot) any {
				return [][]*graph.Relation{s.RelationsFrom(id, graph.SubclassOf), s.RelationsTo(id, graph.SubclassOf),
					s.RelationsFrom(id, "biolink:part_of"), s.RelationsTo(id, "biolink:part_of")}
			}},
			query{"interventions " + id, func(s *index.Snapshot) any {
				return answer(s.Interventions(ctx, graph.InterventionQuery{Target: id, Goal: graph.Decreases, MaxDepth: 3, OrderBy: order, Filter: f}))
			}},
			query{"knockout " + id, func(s *index.Snapshot) any {
				return answer(s.Knockout(ctx, graph.KnockoutQuery{Remove: []string{other}, From: id, To: ents[(i+1)%len(ents)], MaxDepth: 4}))
			}},
			query{"paths " + id, func(s *index.Snapshot) any {
				to := slices.DeleteFunc([]string{other, ents[(i+2)%len(ents)]}, func(x string) bool { return x == id })
				if len(to) == 0 {
					return nil
				}
				return answer(s.Paths(ctx, graph.PathsQuery{From: []string{id}, To: to, MaxDepth: 4, Limit: 10, OrderBy: order, Filter: f}))
			}},
		)
	}
	for _, id := range links {
		l := m.links[id]
		qs = append(qs,
			query{"link " + id, func(s *index.Snapshot) any { x, ok := s.Link(id); return []any{x, ok} }},
			query{"opposites " + id, func(s *index.Snapshot) any { return s.Opposites(id) }},
			query{"assertion " + id, func(s *index.Snapshot) any { x, ok := s.Assertion(l.Key()); return []any{x, ok} }},
		)
		for _, a := range l.Aliases {
			qs = append(qs, query{"alias " + a, func(s *index.Snapshot) any { x, ok := s.Link(a); return []any{x, ok} }})
		}
	}
	return qs
}

func answer3(v any, more bool, err error) any {
	if err != nil {
		return err.Error()
	}
	return []any{v, more}
}

// TestWithDoesNotChangeTheOld: a snapshot written from answers as before.
func TestWithDoesNotChangeTheOld(t *testing.T) {
	w := &writer{r: rand.New(rand.NewPCG(99, 1)), rows: rand.New(rand.NewPCG(99, 2))}
	m := newModel(&graph.Source{ID: "s_a", Title: "a"})
	snap := m.snapshot()
	var olds []*index.Snapshot
	var models []*model
	for range 60 {
		d := w.write(m)
		m.apply(d)
		olds, models = append(olds, snap), append(models, m.clone())
		snap = snap.With(d)
	}
	// olds[i] is the state before write i: models[i-1].
	for i := 1; i < len(olds); i += 7 {
		same(t, fmt.Sprint("before write ", i), olds[i], models[i-1].snapshot(), models[i-1])
	}
}
