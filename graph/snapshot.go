package graph

import (
	"slices"
	"strings"
	"sync"
	"unicode"
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
type snapshot struct {
	entities []*Entity // sorted by id; an entity's index in this slice is its node number
	links    []*Link   // sorted by id; found by binary search
	byID     map[string]int32

	outOff, inOff   []int32 // node number -> start of its row; len(entities)+1
	outLink, inLink []int32 // link indexes, row by row
	outNode, inNode []int32 // the other end of each of those links
	lsubj, lobj     []int32 // link index -> subject, object node number (-1: dangling)
	lneg            []bool  // link index -> effect is DECREASES
	lconf           []float64

	names   map[string][]int32 // normalized id, name or synonym -> node numbers
	xrefs   map[string][]int32 // normalized xref CURIE -> node numbers
	refs    map[string]*Reference
	sources map[string]*Source
	stats   Stats

	scratch sync.Pool // *layered with arrays sized for this snapshot
}

// outs and ins return node n's outgoing (incoming) link indexes and the
// entities at their other ends.
func (s *snapshot) outs(n int32) (links, nodes []int32) {
	a, b := s.outOff[n], s.outOff[n+1]
	return s.outLink[a:b], s.outNode[a:b]
}

func (s *snapshot) ins(n int32) (links, nodes []int32) {
	a, b := s.inOff[n], s.inOff[n+1]
	return s.inLink[a:b], s.inNode[a:b]
}

// normalize folds case and drops spaces, underscores and hyphens, so that
// "Chronic inflammation", "chronic_inflammation" and "chronic-inflammation"
// name the same entity.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '_' || r == '-' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// nameKeys are the normalized strings an entity is named by.
func nameKeys(e *Entity) []string {
	keys := make([]string, 0, 2+len(e.Synonyms))
	keys = append(keys, normalize(e.ID), normalize(e.Name))
	for _, s := range e.Synonyms {
		keys = append(keys, normalize(s))
	}
	return keys
}

func addKey(m map[string][]int32, k string, n int32) {
	if !slices.Contains(m[k], n) {
		m[k] = append(m[k], n)
	}
}

// records is every record of a store, as a snapshot is built from them.
// Records are immutable once stored: an edit replaces a pointer, never
// changes what it points to.
type records struct {
	entities []*Entity
	links    []*Link
	refs     []*Reference
	sources  []*Source
}

// records returns fresh slices of the snapshot's records, for an edit.
func (s *snapshot) records() records {
	r := records{
		entities: slices.Clone(s.entities),
		links:    slices.Clone(s.links),
	}
	for _, x := range s.refs {
		r.refs = append(r.refs, x)
	}
	for _, x := range s.sources {
		r.sources = append(r.sources, x)
	}
	return r
}

// add appends copies of the records of b, so that the caller may reuse b.
func (r *records) add(b *Batch) {
	r.entities = appendCopies(r.entities, b.Entities)
	r.links = appendCopies(r.links, b.Links)
	r.refs = appendCopies(r.refs, b.References)
	r.sources = appendCopies(r.sources, b.Sources)
}

// plus is a new snapshot of s's records and b's (which s must not hold).
func (s *snapshot) plus(b *Batch) *snapshot {
	r := s.records()
	r.add(b)
	return newSnapshot(r)
}

func appendCopies[T any](dst []*T, src []T) []*T {
	copies := slices.Clone(src)
	for i := range copies {
		dst = append(dst, &copies[i])
	}
	return dst
}

func newSnapshot(r records) *snapshot {
	entities, links, refs, sources := r.entities, r.links, r.refs, r.sources
	s := &snapshot{
		byID:    make(map[string]int32, len(entities)),
		names:   make(map[string][]int32, 2*len(entities)),
		xrefs:   make(map[string][]int32),
		refs:    make(map[string]*Reference, len(refs)),
		sources: make(map[string]*Source, len(sources)),
	}
	byID := func(a, b *Entity) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(entities, byID) {
		slices.SortFunc(entities, byID)
	}
	linkByID := func(a, b *Link) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(links, linkByID) {
		slices.SortFunc(links, linkByID)
	}
	s.entities, s.links = entities, links
	s.stats = Stats{
		Entities:   len(entities),
		Links:      len(links),
		References: len(refs),
		Sources:    len(sources),
		ByKind:     map[Kind]int{},
		ByEffect:   map[Effect]int{},
	}
	for i, e := range entities {
		s.byID[e.ID] = int32(i)
		s.stats.ByKind[e.Kind]++
		for _, k := range nameKeys(e) {
			addKey(s.names, k, int32(i))
		}
		for _, x := range e.Xrefs {
			addKey(s.xrefs, normalize(x), int32(i))
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
		s.lneg[i] = l.Effect == Decreases
		s.lconf[i] = l.Confidence
		s.stats.ByEffect[l.Effect]++
	}
	s.buildRows()
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
func (s *snapshot) buildRows() {
	n := len(s.entities)
	byObj := bucket(n, s.lobj, func(yield func(int32)) {
		for li := range s.lobj {
			yield(int32(li))
		}
	})
	out := bucket(n, s.lsubj, func(yield func(int32)) {
		for _, li := range byObj.links {
			yield(li)
		}
	})
	s.outOff, s.outLink = out.off, out.links
	in := bucket(n, s.lobj, func(yield func(int32)) {
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

func (s *snapshot) entity(id string) (*Entity, bool) {
	i, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	return s.entities[i], true
}

func (s *snapshot) link(id string) (*Link, bool) {
	i, ok := slices.BinarySearchFunc(s.links, id, func(l *Link, id string) int { return strings.Compare(l.ID, id) })
	if !ok {
		return nil, false
	}
	return s.links[i], true
}
