package index

import (
	"slices"
	"strings"
	"sync"

	"github.com/leydigkg/leydigkg/graph"
)

// snapshot is an immutable, indexed copy of everything in the store. The
// store builds a new one after every write and swaps it in atomically, so
// readers never touch cayley (whose memstore is not safe for concurrent use)
// and never see half a write.
//
// Entities and links are numbered by their place in id order. Traversals
// run over compressed sparse rows (CSR): node n's outgoing links are
// outLink[outOff[n]:outOff[n+1]], and outNode holds the other end of each,
// so a hop reads two flat arrays and never chases a pointer. The same goes
// for incoming links. Each row is ordered by the other end's id, then link id.
type Snapshot struct {
	entities []*graph.Entity // sorted by id; an entity's index in this slice is its node number
	links    []*graph.Link   // sorted by id; found by binary search
	byID     map[string]int32

	outOff, inOff   []int32 // node number -> start of its row; len(entities)+1
	outLink, inLink []int32 // link indexes, row by row
	outNode, inNode []int32 // the other end of each of those links
	lsubj, lobj     []int32 // link index -> subject, object node number (-1: dangling)
	lneg            []bool  // link index -> effect is DECREASES
	lconf           []float64

	labels  map[string][]int32  // name or synonym, exactly -> node numbers
	exactX  map[string][]int32  // xref CURIE, exactly -> node numbers
	names   map[string][]int32  // normalized id, name or synonym -> node numbers
	xrefs   map[string][]int32  // normalized xref CURIE -> node numbers
	byKey   map[assertion]int32 // a link's assertion key -> its index
	aliases map[string]int32    // a link's other id -> link index
	refs    map[string]*graph.Reference
	sources map[string]*graph.Source
	stats   graph.Stats

	structure             // part-of and subclass-of relations, entities' old ids
	inherit   inheritance // this snapshot with inherited links, for trace inherit
	// shortcuts says some link declares a chain it summarises
	// (Link.ShortcutOf): distinct loops then ask links for theirs.
	shortcuts bool

	beliefs graph.BeliefTable // scores links under a query's filter
	// unasserted are the links only negated evidence supports: in no row
	// (rowEnds), so LinksOf finds them here.
	unasserted []int32
	opp        map[int32][]int32 // link -> the links that contradict it
	prov       provenance        // each link's evidence, for filters

	scratch sync.Pool // *layered with arrays sized for this snapshot
	typos   typos     // the typo index of names, built when first needed

	usageOnce sync.Once
	usage     map[string]graph.SourceUse // source id -> what rests on it, counted when first needed
}

// outs and ins return node n's outgoing (incoming) link indexes and the
// entities at their other ends.
func (s *Snapshot) outs(n int32) (links, nodes []int32) {
	a, b := s.outOff[n], s.outOff[n+1]
	return s.outLink[a:b], s.outNode[a:b]
}

func (s *Snapshot) ins(n int32) (links, nodes []int32) {
	a, b := s.inOff[n], s.inOff[n+1]
	return s.inLink[a:b], s.inNode[a:b]
}

// nameKeys are the normalized strings an entity is named by.
func nameKeys(e *graph.Entity) []string {
	keys := make([]string, 0, 2+len(e.Synonyms))
	keys = append(keys, graph.Normalize(e.ID), graph.Normalize(e.Name))
	for _, s := range e.Synonyms {
		keys = append(keys, graph.Normalize(s))
	}
	return keys
}

func addKey(m map[string][]int32, k string, n int32) {
	if !slices.Contains(m[k], n) {
		m[k] = append(m[k], n)
	}
}

// Records is every record of a store, as a snapshot is built from them.
// Records are immutable once stored: an edit replaces a pointer, never
// changes what it points to.
type Records struct {
	Entities   []*graph.Entity
	Links      []*graph.Link
	References []*graph.Reference
	Sources    []*graph.Source
	Relations  []*graph.Relation
}

// Records returns fresh slices of the snapshot's records, for an edit.
func (s *Snapshot) Records() Records {
	r := Records{
		Entities:  slices.Clone(s.entities),
		Links:     slices.Clone(s.links),
		Relations: slices.Clone(s.relations),
	}
	for _, x := range s.refs {
		r.References = append(r.References, x)
	}
	for _, x := range s.sources {
		r.Sources = append(r.Sources, x)
	}
	return r
}

// Add appends copies of the records of b, so that the caller may reuse b.
func (r *Records) Add(b *graph.Batch) {
	r.Entities = appendCopies(r.Entities, b.Entities)
	r.Links = appendCopies(r.Links, b.Links)
	r.References = appendCopies(r.References, b.References)
	r.Sources = appendCopies(r.Sources, b.Sources)
	r.Relations = appendCopies(r.Relations, b.Relations)
}

// Replace adds copies of the records of b, each link taking the place of
// the stored link with its id (a merged assertion keeps its id), each
// relation that of the stored relation with its key.
func (r *Records) Replace(b *graph.Batch) {
	ids := make(map[string]bool, len(b.Links))
	for i := range b.Links {
		ids[b.Links[i].ID] = true
	}
	r.Links = slices.DeleteFunc(r.Links, func(l *graph.Link) bool { return ids[l.ID] })
	if len(b.Relations) > 0 {
		keys := make(map[string]bool, len(b.Relations))
		for i := range b.Relations {
			keys[b.Relations[i].Key()] = true
		}
		r.Relations = slices.DeleteFunc(r.Relations, func(x *graph.Relation) bool { return keys[x.Key()] })
	}
	r.Add(b)
}

// Plus is a new snapshot of s's records and b's (which s must not hold).
func (s *Snapshot) Plus(b *graph.Batch) *Snapshot {
	r := s.Records()
	r.Add(b)
	return New(r, s.beliefs)
}

func appendCopies[T any](dst []*T, src []T) []*T {
	copies := slices.Clone(src)
	for i := range copies {
		dst = append(dst, &copies[i])
	}
	return dst
}

// New indexes r. The snapshot keeps r's records (which must not change),
// and scores links with beliefs when a query filters their evidence.
func New(r Records, beliefs graph.BeliefTable) *Snapshot {
	entities, links, refs, sources := r.Entities, r.Links, r.References, r.Sources
	s := &Snapshot{
		byID:    make(map[string]int32, len(entities)),
		labels:  make(map[string][]int32, 2*len(entities)),
		exactX:  make(map[string][]int32),
		names:   make(map[string][]int32, 2*len(entities)),
		xrefs:   make(map[string][]int32),
		byKey:   make(map[assertion]int32, len(links)),
		aliases: make(map[string]int32),
		refs:    make(map[string]*graph.Reference, len(refs)),
		sources: make(map[string]*graph.Source, len(sources)),
		beliefs: beliefs,
	}
	byID := func(a, b *graph.Entity) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(entities, byID) {
		slices.SortFunc(entities, byID)
	}
	linkByID := func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(links, linkByID) {
		slices.SortFunc(links, linkByID)
	}
	s.entities, s.links = entities, links
	s.stats = graph.Stats{
		Entities:   len(entities),
		Links:      len(links),
		References: len(refs),
		Sources:    len(sources),
		ByKind:     map[graph.Kind]int{},
		ByEffect:   map[graph.Effect]int{},
	}
	for i, e := range entities {
		s.byID[e.ID] = int32(i)
		s.stats.ByKind[e.Kind]++
		for _, k := range nameKeys(e) {
			addKey(s.names, k, int32(i))
		}
		addKey(s.labels, e.Name, int32(i))
		for _, l := range e.Synonyms {
			addKey(s.labels, l, int32(i))
		}
		for _, x := range e.Xrefs {
			addKey(s.exactX, x, int32(i))
			addKey(s.xrefs, graph.Normalize(x), int32(i))
		}
	}
	s.lsubj = make([]int32, len(links))
	s.lobj = make([]int32, len(links))
	s.lneg = make([]bool, len(links))
	s.lconf = make([]float64, len(links))
	for i, l := range links {
		// Links whose ends are missing cannot be written through Apply;
		// treat them as absent rather than crash on a hand-edited store.
		sub, ok1 := s.byID[l.Subject]
		obj, ok2 := s.byID[l.Object]
		if !ok1 || !ok2 {
			sub, obj = -1, -1
		}
		s.lsubj[i], s.lobj[i] = sub, obj
		s.lneg[i] = l.Effect == graph.Decreases
		s.lconf[i] = l.Confidence
		s.stats.ByEffect[l.Effect]++
		if sub >= 0 {
			s.byKey[assertion{sub, obj, s.lneg[i], l.Predicate}] = int32(i)
		}
		for _, a := range l.Aliases {
			s.aliases[a] = int32(i)
		}
		s.shortcuts = s.shortcuts || len(l.ShortcutOf) > 0
	}
	s.buildRows(rowEnds(links, s.lsubj), rowEnds(links, s.lobj))
	for i, l := range links {
		if !l.Asserted() {
			s.unasserted = append(s.unasserted, int32(i))
		}
	}
	s.structure = newStructure(r.Relations, s.entities, s.byID)
	s.stats.Relations = len(s.relations)
	s.opp = s.opposites()
	s.prov = newProvenance(links)
	for _, r := range refs {
		s.refs[r.ID] = r
	}
	for _, src := range sources {
		s.sources[src.ID] = src
	}
	return s
}

// buildRows fills the CSR rows in linear time, without sorting: bucketing
// the links by object in link order, then walking those buckets in object
// order into subject rows, leaves every outgoing row ordered by (object,
// link); walking the outgoing rows in subject order into object rows does
// the same for the incoming ones.
func (s *Snapshot) buildRows(lsubj, lobj []int32) {
	n := len(s.entities)
	byObj := bucket(n, lobj, func(yield func(int32)) {
		for li := range lobj {
			yield(int32(li))
		}
	})
	out := bucket(n, lsubj, func(yield func(int32)) {
		for _, li := range byObj.links {
			yield(li)
		}
	})
	s.outOff, s.outLink = out.off, out.links
	in := bucket(n, lobj, func(yield func(int32)) {
		for _, li := range out.links {
			yield(li)
		}
	})
	s.inOff, s.inLink = in.off, in.links
	s.outNode = make([]int32, len(s.outLink))
	for i, li := range s.outLink {
		s.outNode[i] = s.lobj[li]
	}
	s.inNode = make([]int32, len(s.inLink))
	for i, li := range s.inLink {
		s.inNode[i] = s.lsubj[li]
	}
}

// rowEnds are the ends of links as the rows see them: a link that only
// negated evidence supports (graph.Link.Asserted) is no causal link, so
// no traversal, loop or contradiction steps along it; it stays findable
// by id and assertion. ends itself when every link is asserted.
func rowEnds(links []*graph.Link, ends []int32) []int32 {
	out := ends
	for i, l := range links {
		if !l.Asserted() && ends[i] >= 0 {
			if &out[0] == &ends[0] {
				out = slices.Clone(ends)
			}
			out[i] = -1
		}
	}
	return out
}

type rows struct{ off, links []int32 }

// bucket groups the links that order yields by their end in ends (skipping
// dangling links), keeping the order within each group.
func bucket(n int, ends []int32, order func(yield func(int32))) rows {
	r := rows{off: make([]int32, n+1)}
	for _, e := range ends {
		if e >= 0 {
			r.off[e+1]++
		}
	}
	for i := range n {
		r.off[i+1] += r.off[i]
	}
	r.links = make([]int32, r.off[n])
	next := slices.Clone(r.off[:n])
	order(func(li int32) {
		if e := ends[li]; e >= 0 {
			r.links[next[e]] = li
			next[e]++
		}
	})
	return r
}

// Entity returns the entity with exactly this id.
func (s *Snapshot) Entity(id string) (*graph.Entity, bool) {
	i, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	return s.entities[i], true
}

// Link returns the link with this id, or with this alias.
func (s *Snapshot) Link(id string) (*graph.Link, bool) {
	i, ok := slices.BinarySearchFunc(s.links, id, func(l *graph.Link, id string) int { return strings.Compare(l.ID, id) })
	if !ok {
		a, ok := s.aliases[id]
		if !ok {
			return nil, false
		}
		return s.links[a], true
	}
	return s.links[i], true
}

// linkIndex is the index of the link with this id (not an alias).
func (s *Snapshot) linkIndex(id string) (int32, bool) {
	i, ok := slices.BinarySearchFunc(s.links, id, func(l *graph.Link, id string) int { return strings.Compare(l.ID, id) })
	return int32(i), ok
}

// assertion is an assertion key by node numbers: what byKey holds, in
// less memory than the key's strings.
type assertion struct {
	subj, obj int32
	neg       bool
	predicate string
}

// Assertion returns the link with this assertion key.
func (s *Snapshot) Assertion(key graph.AssertionKey) (*graph.Link, bool) {
	sub, ok1 := s.byID[key.Subject]
	obj, ok2 := s.byID[key.Object]
	if !ok1 || !ok2 || !key.Effect.Valid() {
		return nil, false
	}
	i, ok := s.byKey[assertion{sub, obj, key.Effect == graph.Decreases, key.Predicate}]
	if !ok {
		return nil, false
	}
	return s.links[i], true
}
