package index

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/par"
)

// Snapshot is an immutable, indexed copy of everything in the store. The
// store makes a new one after every write (With, from the current one and
// the write) and swaps it in atomically, so readers never touch cayley
// (whose memstore is not safe for concurrent use) and never see half a
// write.
//
// New numbers entities and links by their place in id order. Traversals
// run over rows built as compressed sparse rows (CSR): node n's outgoing
// links and, beside each, the entity at its other end, two flat arrays, so
// a hop never chases a pointer; the same for incoming links. Each row is
// ordered by the other end's id, then link id. A write replaces the rows
// it changes (in chunks, overlay.go).
type Snapshot struct {
	// Node numbers and link indexes only grow along a chain of writes
	// (With): a new entity or link takes the next number, a removed or
	// replaced one keeps its number, unused. entities and links are
	// indexed by them; order and linkOrder list the live ones by id.
	entities  []*graph.Entity // node number -> entity
	order     seq             // live node numbers, by entity id
	linkOrder seq             // live link indexes, by link id
	byID      omap[string, int32]
	idOrder   bool // node numbers are in id order (so order is 0, 1, ...)

	out, in     rowTable // node number -> its outgoing (incoming) row
	lsubj, lobj []int32  // link index -> subject, object node number (-1: dangling)
	lneg        []bool   // link index -> effect is DECREASES
	lconf       []float64
	// The links themselves, by link index (links.go): the id, and either
	// a copy of the link as given (lfull) or, for a link of the compact
	// shape (nil in lfull), its other fields (lcomp, strings in strs).
	lid   []string
	lfull []*graph.Link
	lcomp []compactLink
	strs  interns
	plain bool // keep every link whole (for tests: compact and plain answer alike)

	labels omap[string, []int32] // name or synonym, exactly -> node numbers
	exactX omap[string, []int32] // xref CURIE, exactly -> node numbers
	names  omap[string, []int32] // normalized id, name or synonym -> node numbers
	xrefs  omap[string, []int32] // normalized xref CURIE -> node numbers
	// byKey finds the links in no row by assertion key (Assertion finds
	// the others in their subject's row): a map of every link would cost
	// some 55 bytes a link.
	byKey   omap[assertion, int32] // an unasserted link's assertion key -> its index
	aliases omap[string, int32]    // a link's other id -> link index
	refs    omap[string, *graph.Reference]
	sources omap[string, *graph.Source]
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
	opp        omap[int32, []int32] // link -> the links that contradict it
	prov       provenance           // each link's evidence, for filters

	// grow says which snapshot of a chain may append to the arrays indexed
	// by node number or link index in place: the last one made from it.
	// Any other (one a failed write left behind) copies them first.
	grow    *atomic.Pointer[Snapshot]
	changed int // records written since the last full build (New)

	// scratch holds *layered for searches, shared along a chain of
	// writes (a write adding entities makes them grow), so that the first
	// search after a write does not allocate arrays the size of the graph.
	scratch *sync.Pool
	typos   *typos // the typo index of names, built when first needed; shared while no entity changes

	usageOnce sync.Once
	usage     map[string]graph.SourceUse // source id -> what rests on it, counted when first needed
}

// outs and ins return node n's outgoing (incoming) link indexes and the
// entities at their other ends.
func (s *Snapshot) outs(n int32) (links, nodes []int32) {
	r := s.out.get(n)
	return r.links, r.nodes
}

func (s *Snapshot) ins(n int32) (links, nodes []int32) {
	r := s.in.get(n)
	return r.links, r.nodes
}

// keyed are the maps an entity's node number is listed in, under which
// keys: its id, names and xrefs, as they are and normalized.
func keyed(e *graph.Entity, yield func(m keyMap, k string)) {
	yield(inNames, graph.Normalize(e.ID))
	yield(inNames, graph.Normalize(e.Name))
	for _, s := range e.Synonyms {
		yield(inNames, graph.Normalize(s))
	}
	yield(inLabels, e.Name)
	for _, l := range e.Synonyms {
		yield(inLabels, l)
	}
	for _, x := range e.Xrefs {
		yield(inExactX, x)
		yield(inXrefs, graph.Normalize(x))
	}
}

type keyMap int

const (
	inNames keyMap = iota
	inLabels
	inExactX
	inXrefs
)

func (s *Snapshot) keyMap(m keyMap) *omap[string, []int32] {
	return [...]*omap[string, []int32]{&s.names, &s.labels, &s.exactX, &s.xrefs}[m]
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
	Entities []*graph.Entity
	Links    []*graph.Link
	// RowLinks are more links, given as columns by a decoder (rowlinks.go),
	// in id order, numbering their ends by their places in Entities. Only
	// New reads them (as columns where Entities are strictly in id order,
	// else made whole); anything else sees Links alone (WholeLinks makes
	// them links).
	RowLinks   []RowLink
	References []*graph.Reference
	Sources    []*graph.Source
	Relations  []*graph.Relation
}

// Records returns fresh slices of the snapshot's records, for an edit.
func (s *Snapshot) Records() Records {
	r := s.recordsButLinks()
	r.Links = make([]*graph.Link, 0, s.linkOrder.len())
	for li := range s.linkOrder.all() {
		r.Links = append(r.Links, s.link(li))
	}
	return r
}

// recordsButLinks is Records without the links, which a rebuild makes
// one at a time (buildFrom).
func (s *Snapshot) recordsButLinks() Records {
	r := Records{
		Entities:  make([]*graph.Entity, 0, s.order.len()),
		Relations: slices.Clone(s.relations),
	}
	for n := range s.order.all() {
		r.Entities = append(r.Entities, s.entities[n])
	}
	for _, x := range s.refs.all() {
		r.References = append(r.References, x)
	}
	for _, x := range s.sources.all() {
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
// s's links are made one at a time, in id order, merged with b's.
func (s *Snapshot) Plus(b *graph.Batch) *Snapshot {
	r := s.recordsButLinks()
	r.Add(b)
	add := r.Links
	slices.SortFunc(add, func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) })
	old := slices.Collect(s.linkOrder.all())
	i, j := 0, 0
	r.Links = nil
	return buildFrom(r, len(old)+len(add), func(int) (*graph.Link, *RowLink) {
		if j == len(add) || i < len(old) && s.lid[old[i]] < add[j].ID {
			i++
			return s.link(old[i-1]), nil
		}
		j++
		return add[j-1], nil
	}, nil, s.beliefs, s.plain)
}

// rebuilt is New of r, keeping links as s does.
func (s *Snapshot) rebuilt(r Records) *Snapshot { return build(r, s.beliefs, s.plain) }

func appendCopies[T any](dst []*T, src []T) []*T {
	copies := slices.Clone(src)
	for i := range copies {
		dst = append(dst, &copies[i])
	}
	return dst
}

// New indexes r. The snapshot keeps r's records (which must not change),
// its links as columns or copies (links.go), and scores links with
// beliefs when a query filters their evidence.
func New(r Records, beliefs graph.BeliefTable) *Snapshot { return build(r, beliefs, false) }

// build is New, keeping every link whole when plain is set.
func build(r Records, beliefs graph.BeliefTable, plain bool) *Snapshot {
	if plain || len(r.RowLinks) > 0 && !entitiesInOrder(r.Entities) {
		r = r.WholeLinks() // row links number the entities as given: made whole, they need not
	}
	links, rls := r.Links, r.RowLinks
	sortLinks(links)
	r.Links, r.RowLinks = nil, nil
	return buildFrom(r, len(links)+len(rls), byIDs(links, rls), links, beliefs, plain)
}

// buildFrom is build of r's records but its links: n links, link(i) the
// i-th by id (a link or a row link), asked for once each and in order, so
// that Compact and Plus make one link at a time from the columns, never
// all of them at once.
//
// all, when the caller has every link at once (New), is the same links
// but the row links: their ends are then looked up on every core before
// the build, which at 10⁷ links was 13 of its 28 seconds on one.
func buildFrom(r Records, nlinks int, link func(i int) (*graph.Link, *RowLink), all []*graph.Link, beliefs graph.BeliefTable, plain bool) *Snapshot {
	entities, refs, sources := r.Entities, r.References, r.Sources
	s := &Snapshot{beliefs: beliefs, idOrder: true, typos: &typos{}, scratch: &sync.Pool{}, plain: plain}
	byID := func(a, b *graph.Entity) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(entities, byID) {
		slices.SortFunc(entities, byID)
	}
	// Room for the writes until the next full build, which append to
	// the arrays indexed by node number or link index: without it, the
	// first write would copy each of them whole.
	s.entities = slices.Grow(entities, room(len(entities)))
	order := identity(len(entities))
	s.order, s.linkOrder = newSeq(order), newSeq(identity(nlinks))
	s.stats = graph.Stats{
		Entities:   len(entities),
		Links:      nlinks,
		References: len(refs),
		Sources:    len(sources),
		ByKind:     map[graph.Kind]int{},
		ByEffect:   map[graph.Effect]int{},
	}
	ids := make(map[string]int32, len(entities))
	for i, e := range entities {
		ids[e.ID] = int32(i)
		s.stats.ByKind[e.Kind]++
	}
	s.byID = newOmap(ids)
	// The names maps, on another core while the links are indexed (at
	// 10⁷ links and 2.5·10⁶ entities, some 3 s of CPU): nothing below
	// reads them.
	var names sync.WaitGroup
	names.Go(func() {
		keys := [4]map[string][]int32{make(map[string][]int32, len(entities)), make(map[string][]int32, len(entities)), {}, {}}
		for i, e := range entities {
			keyed(e, func(m keyMap, k string) { addKey(keys[m], k, int32(i)) })
		}
		s.names, s.labels, s.exactX, s.xrefs = newOmap(keys[inNames]), newOmap(keys[inLabels]), newOmap(keys[inExactX]), newOmap(keys[inXrefs])
	})
	s.lsubj = make([]int32, nlinks, nlinks+room(nlinks))
	s.lobj = make([]int32, nlinks, nlinks+room(nlinks))
	s.lneg = make([]bool, nlinks, nlinks+room(nlinks))
	s.lconf = make([]float64, nlinks, nlinks+room(nlinks))
	s.lid = make([]string, 0, nlinks+room(nlinks))
	s.lfull = make([]*graph.Link, 0, nlinks+room(nlinks))
	s.lcomp = make([]compactLink, 0, nlinks+room(nlinks))
	s.strs = interns{idx: newOmap(map[string]uint32{}), fresh: true}
	byKey := map[assertion]int32{}
	aliases := map[string]int32{}
	s.prov = newProvenance(nlinks)
	var lends []int32 // the ends of all, subject and object, by its order
	if all != nil {
		lends = endsOn(all, ids)
	}
	var ends endsOf
	k := 0 // links (not row links) met
	for i := range nlinks {
		l, rl := link(i)
		if rl != nil {
			s.appendRowLink(i, rl)
			s.stats.ByEffect[effectOf(rl.Neg)]++
			continue
		}
		if lends != nil {
			s.lsubj[i], s.lobj[i] = lends[2*k], lends[2*k+1]
		} else {
			s.lsubj[i], s.lobj[i] = ends.of(l, ids)
		}
		k++
		sub, obj := s.lsubj[i], s.lobj[i]
		s.appendLink(l, sub)
		s.lneg[i] = l.Effect == graph.Decreases
		s.lconf[i] = l.Confidence
		s.stats.ByEffect[l.Effect]++
		if sub >= 0 && !l.Asserted() {
			byKey[assertion{sub, obj, s.lneg[i], l.Predicate}] = int32(i)
		}
		for _, a := range l.Aliases {
			aliases[a] = int32(i)
		}
		s.shortcuts = s.shortcuts || len(l.ShortcutOf) > 0
		s.prov.add(l)
		if !l.Asserted() {
			s.unasserted = append(s.unasserted, int32(i))
		}
	}
	names.Wait()
	s.prov.pairs = slices.Grow(s.prov.pairs, room(nlinks))
	s.strs.fresh = false
	s.byKey, s.aliases = newOmap(byKey), newOmap(aliases)
	s.buildRows(rowEnds(s.unasserted, s.lsubj), rowEnds(s.unasserted, s.lobj))
	s.structure = newStructure(r.Relations, s.entities, order, s.byID.get)
	s.stats.Relations = len(s.relations)
	s.opp = newOmap(s.opposites())
	rm := make(map[string]*graph.Reference, len(refs))
	for _, r := range refs {
		rm[r.ID] = r
	}
	sm := make(map[string]*graph.Source, len(sources))
	for _, src := range sources {
		sm[src.ID] = src
	}
	s.refs, s.sources = newOmap(rm), newOmap(sm)
	s.grow = &atomic.Pointer[Snapshot]{}
	s.grow.Store(s)
	return s
}

// endsOf looks up links' ends: of is the entity numbers of l's subject
// and object, -1 for both when either is missing (links whose ends are
// missing cannot be written through Apply, and are treated as absent
// rather than crash on a hand-edited store). It keeps the last subject
// looked up: links in id order come by subject, mostly (an id names its
// ends), so most need not hash it.
type endsOf struct {
	sub      string
	n        int32
	ok, seen bool
}

func (e *endsOf) of(l *graph.Link, ids map[string]int32) (sub, obj int32) {
	if !e.seen || l.Subject != e.sub {
		e.sub, e.seen = l.Subject, true
		e.n, e.ok = ids[l.Subject]
	}
	obj, ok := ids[l.Object]
	if !e.ok || !ok {
		return -1, -1
	}
	return e.n, obj
}

// endsOn is the ends of links (endsOf), subject and object by turns,
// looked up a share of them on each core: the entity map is only read.
func endsOn(links []*graph.Link, ids map[string]int32) []int32 {
	out := make([]int32, 2*len(links))
	par.Shares(len(links), 1<<16, func(lo, hi int) {
		var ends endsOf
		for i := lo; i < hi; i++ {
			out[2*i], out[2*i+1] = ends.of(links[i], ids)
		}
	})
	return out
}

// room is the spare capacity New gives arrays of n items: an eighth of
// them, about what the writes until the next full build add (kg builds
// the snapshot afresh after an eighth of its records written).
func room(n int) int { return n/8 + 64 }

// identity is 0, 1, ..., n-1.
func identity(n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(i)
	}
	return out
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
	in := bucket(n, lobj, func(yield func(int32)) {
		for _, li := range out.links {
			yield(li)
		}
	})
	outNode := make([]int32, len(out.links))
	for i, li := range out.links {
		outNode[i] = s.lobj[li]
	}
	inNode := make([]int32, len(in.links))
	for i, li := range in.links {
		inNode[i] = s.lsubj[li]
	}
	s.out = newRowTable(n, out.off, out.links, outNode)
	s.in = newRowTable(n, in.off, in.links, inNode)
}

// rowEnds are the ends of links as the rows see them: a link that only
// negated evidence supports (graph.Link.Asserted; unasserted lists them)
// is no causal link, so no traversal, loop or contradiction steps along
// it; it stays findable by id and assertion. ends itself when every link
// is asserted.
func rowEnds(unasserted, ends []int32) []int32 {
	if len(unasserted) == 0 {
		return ends
	}
	out := slices.Clone(ends)
	for _, li := range unasserted {
		out[li] = -1
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
	i, ok := s.byID.get(id)
	if !ok {
		return nil, false
	}
	return s.entities[i], true
}

// Link returns the link with this id, or with this alias.
func (s *Snapshot) Link(id string) (*graph.Link, bool) {
	li, ok := s.linkIndex(id)
	if !ok {
		if li, ok = s.aliases.get(id); !ok {
			return nil, false
		}
	}
	return s.link(li), true
}

// linkIndex is the index of the link with this id (not an alias).
func (s *Snapshot) linkIndex(id string) (int32, bool) {
	li, ok := s.linkOrder.find(id, s.linkID)
	if !ok {
		return -1, false
	}
	return li, true
}

// linkID and entityID are the ids of link li and entity n, by which
// linkOrder and order are ordered.
func (s *Snapshot) linkID(li int32) string { return s.lid[li] }

func (s *Snapshot) entityID(n int32) string { return s.entities[n].ID }

// assertion is an assertion key by node numbers: what byKey holds, in
// less memory than the key's strings.
type assertion struct {
	subj, obj int32
	neg       bool
	predicate string
}

// Assertion returns the link with this assertion key: in its subject's
// row (ordered by object id, then link id) or, for a link in no row,
// byKey. Of several with one key (a store merges them; a hand-edited one
// may not), the last by id.
func (s *Snapshot) Assertion(key graph.AssertionKey) (*graph.Link, bool) {
	sub, ok1 := s.byID.get(key.Subject)
	obj, ok2 := s.byID.get(key.Object)
	if !ok1 || !ok2 || !key.Effect.Valid() {
		return nil, false
	}
	neg := key.Effect == graph.Decreases
	found := int32(-1)
	links, nodes := s.outs(sub)
	i, _ := slices.BinarySearchFunc(nodes, key.Object, func(n int32, id string) int { return strings.Compare(s.entities[n].ID, id) })
	for ; i < len(nodes) && s.entities[nodes[i]].ID == key.Object; i++ {
		if li := links[i]; nodes[i] == obj && s.lneg[li] == neg && s.linkPredicate(li) == key.Predicate {
			found = li
		}
	}
	if li, ok := s.byKey.get(assertion{sub, obj, neg, key.Predicate}); ok && (found < 0 || s.lid[li] > s.lid[found]) {
		found = li
	}
	if found < 0 {
		return nil, false
	}
	return s.link(found), true
}
