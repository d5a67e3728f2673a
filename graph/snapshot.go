package graph

import (
	"slices"
	"strings"
	"unicode"
)

// snapshot is an immutable, indexed copy of everything in the store. The
// store builds a new one from cayley after every write and swaps it in
// atomically, so readers never touch cayley (whose memstore is not safe for
// concurrent use) and never see half a write.
type snapshot struct {
	entities []*Entity // sorted by id; an entity's index in this slice is its node number
	links    []*Link   // sorted by id
	byID     map[string]int32
	linkByID map[string]int32
	out, in  [][]int32          // node number -> link indexes, sorted by (other end's id, link id)
	lsubj    []int32            // link index -> subject node number
	lobj     []int32            // link index -> object node number
	names    map[string][]int32 // normalized id, name or synonym -> node numbers
	xrefs    map[string][]int32 // normalized xref CURIE -> node numbers
	refs     map[string]*Reference
	sources  map[string]*Source
	stats    Stats
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
		byID:     make(map[string]int32, len(entities)),
		linkByID: make(map[string]int32, len(links)),
		names:    make(map[string][]int32, 3*len(entities)),
		xrefs:    make(map[string][]int32, len(entities)),
		refs:     make(map[string]*Reference, len(refs)),
		sources:  make(map[string]*Source, len(sources)),
	}
	slices.SortFunc(entities, func(a, b *Entity) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(links, func(a, b *Link) int { return strings.Compare(a.ID, b.ID) })
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
	s.out = make([][]int32, len(entities))
	s.in = make([][]int32, len(entities))
	s.lsubj = make([]int32, len(links))
	s.lobj = make([]int32, len(links))
	for i, l := range links {
		s.linkByID[l.ID] = int32(i)
		// Links whose ends are missing cannot be written through Apply;
		// treat them as absent rather than crash on a hand-edited store.
		sub, ok1 := s.byID[l.Subject]
		obj, ok2 := s.byID[l.Object]
		if !ok1 || !ok2 {
			sub, obj = -1, -1
		} else {
			s.out[sub] = append(s.out[sub], int32(i))
			s.in[obj] = append(s.in[obj], int32(i))
		}
		s.lsubj[i], s.lobj[i] = sub, obj
		s.stats.ByEffect[l.Effect]++
	}
	byOther := func(ends []int32) func(a, b int32) int {
		return func(a, b int32) int {
			if c := strings.Compare(entities[ends[a]].ID, entities[ends[b]].ID); c != 0 {
				return c
			}
			return strings.Compare(links[a].ID, links[b].ID)
		}
	}
	for i := range entities {
		slices.SortFunc(s.out[i], byOther(s.lobj))
		slices.SortFunc(s.in[i], byOther(s.lsubj))
	}
	for _, r := range refs {
		s.refs[r.ID] = r
	}
	for _, src := range sources {
		s.sources[src.ID] = src
	}
	return s
}

func (s *snapshot) entity(id string) (*Entity, bool) {
	i, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	return s.entities[i], true
}

func (s *snapshot) link(id string) (*Link, bool) {
	i, ok := s.linkByID[id]
	if !ok {
		return nil, false
	}
	return s.links[i], true
}
