package index

import (
	"maps"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/leydigkg/leydigkg/graph"
)

// Writes by deltas.
//
// A write makes the next snapshot from the current one and what it
// changed (With), in time proportional to what it changed: the rows of the
// entities it touched, the keys it added or removed, and a copy of the
// id-ordered lists of live entities and links (4 bytes each) when it adds
// or removes some. Everything else is shared. What With makes answers every
// query exactly as New would from the same records; the differential test
// (TestWithMatchesNew) holds it to that. The overlays grow with every
// write, so the store builds a fresh snapshot (Compact) in the background
// once Changed passes a bound.

// Delta is one write in records: the records it adds, links that take the
// place of the stored link with their id, and what it removes. The records
// must not change once given.
type Delta struct {
	Sources        []*graph.Source
	References     []*graph.Reference
	Entities       []*graph.Entity // new entities
	Links          []*graph.Link   // new links, or replacing the stored one with their id
	RemoveEntities []string        // ids of stored entities (their links removed too, or in Links' place)
	RemoveLinks    []string        // ids (not aliases) of stored links

	Relations       []*graph.Relation // new relations, or replacing the stored one with their Key
	RemoveRelations []string          // Keys of stored relations
}

// DeltaOf is the records of b as a Delta, copied so that the caller may
// reuse b.
func DeltaOf(b *graph.Batch) Delta {
	return Delta{
		Sources:    appendCopies(nil, b.Sources),
		References: appendCopies(nil, b.References),
		Entities:   appendCopies(nil, b.Entities),
		Links:      appendCopies(nil, b.Links),
		Relations:  appendCopies(nil, b.Relations),
	}
}

// Size counts the records d adds, replaces or removes.
func (d *Delta) Size() int {
	return len(d.Sources) + len(d.References) + len(d.Entities) + len(d.Links) + len(d.RemoveEntities) + len(d.RemoveLinks) +
		len(d.Relations) + len(d.RemoveRelations)
}

// Changed counts the records written since the snapshot's last full build:
// how far its overlays have grown.
func (s *Snapshot) Changed() int { return s.changed }

// Compact builds the snapshot afresh from its records, without overlays.
// Its links are made one at a time from the columns, in id order.
func (s *Snapshot) Compact() *Snapshot {
	order := slices.Collect(s.linkOrder.all())
	return buildFrom(s.recordsButLinks(), len(order), func(i int) (*graph.Link, *RowLink) { return s.link(order[i]), nil }, nil, s.beliefs, s.plain)
}

// With is a new snapshot of s's records changed by d. Removed ids must be
// stored, and a removed entity's links removed with it.
func (s *Snapshot) With(d Delta) *Snapshot {
	e := &editor{s: s.fork(), gone: map[int32]bool{}, dead: map[int32]bool{}, touched: map[int32]bool{},
		addOut: map[int32][]int32{}, addIn: map[int32][]int32{}, pairs: map[[2]int32]bool{}, newLinks: map[string]int32{},
		links: int32(s.links())}
	e.out, e.in = rowEdit{t: e.s.out}, rowEdit{t: e.s.in}
	for _, id := range d.RemoveLinks {
		if li, ok := e.linkIndex(id); ok {
			e.dropLink(li)
		}
	}
	for _, id := range d.RemoveEntities {
		if n, ok := e.s.byID.get(id); ok {
			e.dropEntity(n)
		}
	}
	for _, x := range d.Sources {
		if _, ok := e.s.sources.get(x.ID); !ok {
			e.s.stats.Sources++
		}
		e.s.sources.set(x.ID, x)
	}
	for _, x := range d.References {
		if _, ok := e.s.refs.get(x.ID); !ok {
			e.s.stats.References++
		}
		e.s.refs.set(x.ID, x)
	}
	for _, x := range d.Entities {
		e.addEntity(x)
	}
	for _, l := range d.Links {
		if li, ok := e.linkIndex(l.ID); ok {
			e.dropLink(li)
		}
		e.addLink(l)
	}
	e.orders()
	e.rows()
	e.opposites()
	e.structure(d)
	if len(d.Entities) > 0 || len(d.RemoveEntities) > 0 {
		e.s.typos = &typos{}
	}
	e.s.changed += d.Size()
	return e.s
}

// fork is a snapshot sharing s's structures. The last snapshot made from
// s appends to s's arrays in place (beyond s's length, which s never
// reads); a second one made from s copies them first.
func (s *Snapshot) fork() *Snapshot {
	n := &Snapshot{
		entities: s.entities, order: s.order, linkOrder: s.linkOrder,
		byID: s.byID.fork(), idOrder: s.idOrder, out: s.out, in: s.in,
		lsubj: s.lsubj, lobj: s.lobj, lneg: s.lneg, lconf: s.lconf,
		lid: s.lid, lfull: s.lfull, lcomp: s.lcomp, strs: s.strs, plain: s.plain,
		labels: s.labels.fork(), exactX: s.exactX.fork(), names: s.names.fork(), xrefs: s.xrefs.fork(),
		byKey: s.byKey.fork(), aliases: s.aliases.fork(), refs: s.refs.fork(), sources: s.sources.fork(),
		stats: s.stats, beliefs: s.beliefs, unasserted: s.unasserted, opp: s.opp.fork(), prov: s.prov,
		grow: s.grow, changed: s.changed, typos: s.typos, scratch: s.scratch,
		structure: s.structure, shortcuts: s.shortcuts, // immutable: replaced, never changed, by a write
	}
	n.stats.ByKind, n.stats.ByEffect = maps.Clone(s.stats.ByKind), maps.Clone(s.stats.ByEffect)
	n.prov.srcIdx = s.prov.srcIdx.fork()
	n.strs.idx = s.strs.idx.fork()
	if !s.grow.CompareAndSwap(s, n) {
		n.entities = slices.Clip(n.entities)
		n.lid, n.lfull, n.lcomp, n.strs.strs = slices.Clip(n.lid), slices.Clip(n.lfull), slices.Clip(n.lcomp), slices.Clip(n.strs.strs)
		n.lsubj, n.lobj, n.lneg, n.lconf = slices.Clip(n.lsubj), slices.Clip(n.lobj), slices.Clip(n.lneg), slices.Clip(n.lconf)
		p := &n.prov
		p.srcIDs, p.single, p.off, p.pairs = slices.Clip(p.srcIDs), slices.Clip(p.single), slices.Clip(p.off), slices.Clip(p.pairs)
		n.grow = &atomic.Pointer[Snapshot]{}
		n.grow.Store(n)
	}
	return n
}

// editor makes one delta's changes to a forked snapshot.
type editor struct {
	s             *Snapshot
	out, in       rowEdit
	gone          map[int32]bool    // links removed
	dead          map[int32]bool    // entities removed
	touched       map[int32]bool    // nodes whose rows change
	addOut, addIn map[int32][]int32 // node -> links added to its rows
	pairs         map[[2]int32]bool // (subject, object) whose contradictions change
	newLinks      map[string]int32  // id -> index of the links added, until orders
	links         int32             // the index of the first link added
	addedNodes    []int32           // entities added, in order
}

// linkIndex is the index of the live link with this id, as this delta
// leaves it so far.
func (e *editor) linkIndex(id string) (int32, bool) {
	if li, ok := e.newLinks[id]; ok {
		return li, true
	}
	li, ok := e.s.linkIndex(id)
	if !ok || e.gone[li] {
		return -1, false
	}
	return li, true
}

// orders brings the id-ordered lists of live entities and links up to
// date with what the delta removed and added, each in one edit.
func (e *editor) orders() {
	s := e.s
	var drop, add []int32
	for li := range e.gone {
		if li < e.links {
			drop = append(drop, li)
		}
	}
	for _, li := range e.newLinks {
		add = append(add, li)
	}
	s.linkOrder = s.linkOrder.edit(drop, add, s.linkID)
	drop, add = drop[:0], nil
	for n := range e.dead {
		drop = append(drop, n)
	}
	if s.idOrder && len(e.addedNodes) > 0 {
		// New numbers the entities in id order: so do the ones added, if
		// each comes after all entities live before it.
		last, ok := s.order.last(func(n int32) bool { return e.dead[n] })
		prev := ""
		if ok {
			prev = s.entities[last].ID
		}
		for _, n := range e.addedNodes {
			if id := s.entities[n].ID; id > prev {
				prev = id
			} else {
				s.idOrder = false
			}
		}
	}
	s.order = s.order.edit(drop, e.addedNodes, s.entityID)
	e.newLinks = nil
}

func (e *editor) dropLink(li int32) {
	s := e.s
	e.gone[li] = true
	if li >= e.links {
		delete(e.newLinks, s.lid[li])
	}
	s.stats.Links--
	decr(s.stats.ByEffect, s.linkEffect(li))
	if sub, obj := s.lsubj[li], s.lobj[li]; sub >= 0 {
		k := assertion{sub, obj, s.lneg[li], s.linkPredicate(li)}
		if v, ok := s.byKey.get(k); ok && v == li {
			s.byKey.del(k)
		}
		e.touched[sub], e.touched[obj] = true, true
		e.pairs[[2]int32{sub, obj}] = true
	}
	for _, a := range s.linkAliases(li) {
		if v, ok := s.aliases.get(a); ok && v == li {
			s.aliases.del(a)
		}
	}
	s.opp.del(li)
	if i := slices.Index(s.unasserted, li); i >= 0 {
		s.unasserted = slices.Delete(slices.Clone(s.unasserted), i, i+1)
	}
}

func (e *editor) addLink(l *graph.Link) {
	s := e.s
	li := int32(s.links())
	sub, ok1 := s.byID.get(l.Subject)
	obj, ok2 := s.byID.get(l.Object)
	if !ok1 || !ok2 {
		sub, obj = -1, -1
	}
	s.appendLink(l, sub)
	neg := l.Effect == graph.Decreases
	s.lsubj, s.lobj = append(s.lsubj, sub), append(s.lobj, obj)
	s.lneg, s.lconf = append(s.lneg, neg), append(s.lconf, l.Confidence)
	s.prov.add(l)
	e.newLinks[l.ID] = li
	s.stats.Links++
	s.stats.ByEffect[l.Effect]++
	if !l.Asserted() { // in no row (rowEnds)
		s.unasserted = append(slices.Clip(s.unasserted), li)
		if sub >= 0 {
			s.byKey.set(assertion{sub, obj, neg, l.Predicate}, li)
		}
	} else if sub >= 0 {
		e.addOut[sub] = append(e.addOut[sub], li)
		e.addIn[obj] = append(e.addIn[obj], li)
		e.touched[sub], e.touched[obj] = true, true
		e.pairs[[2]int32{sub, obj}] = true
	}
	for _, a := range l.Aliases {
		s.aliases.set(a, li)
	}
}

func (e *editor) nodeCmp(n int32, id string) int { return strings.Compare(e.s.entities[n].ID, id) }

func (e *editor) dropEntity(n int32) {
	s := e.s
	x := s.entities[n]
	s.byID.del(x.ID)
	s.stats.Entities--
	decr(s.stats.ByKind, x.Kind)
	keyed(x, func(m keyMap, k string) {
		om := s.keyMap(m)
		list := om.at(k)
		if i := slices.Index(list, n); i >= 0 {
			if len(list) == 1 {
				om.del(k)
			} else {
				om.set(k, slices.Delete(slices.Clone(list), i, i+1))
			}
		}
	})
	e.dead[n], e.touched[n] = true, true
}

func (e *editor) addEntity(x *graph.Entity) {
	s := e.s
	n := int32(len(s.entities))
	s.entities = append(s.entities, x)
	s.byID.set(x.ID, n)
	e.addedNodes = append(e.addedNodes, n)
	s.stats.Entities++
	s.stats.ByKind[x.Kind]++
	keyed(x, func(m keyMap, k string) {
		om := s.keyMap(m)
		list := om.at(k)
		if slices.Contains(list, n) {
			return
		}
		j, _ := slices.BinarySearchFunc(list, x.ID, e.nodeCmp)
		om.set(k, slices.Insert(slices.Clone(list), j, n))
	})
	e.out.ensure(n)
	e.in.ensure(n)
}

// rows rebuilds the rows of the touched nodes: the links that stay, in
// their order, with the new ones put in their places.
func (e *editor) rows() {
	for n := range e.touched {
		if e.dead[n] {
			e.out.set(n, row{})
			e.in.set(n, row{})
			continue
		}
		e.out.set(n, e.rebuild(e.out.t.get(n), e.addOut[n], e.s.lobj))
		e.in.set(n, e.rebuild(e.in.t.get(n), e.addIn[n], e.s.lsubj))
	}
	e.s.out, e.s.in = e.out.t, e.in.t
}

// rebuild is old without the removed links and with add, each row entry
// ordered by (the id of the entity at its other end, link id); other maps
// a link to that entity.
func (e *editor) rebuild(old row, add []int32, other []int32) row {
	var r row
	for i, li := range old.links {
		if !e.gone[li] {
			r.links = append(r.links, li)
			r.nodes = append(r.nodes, old.nodes[i])
		}
	}
	s := e.s
	for _, li := range add {
		end := s.entities[other[li]].ID
		i, _ := slices.BinarySearchFunc(r.links, li, func(a, b int32) int {
			return cmpOr(strings.Compare(s.entities[other[a]].ID, end), strings.Compare(s.lid[a], s.lid[b]))
		})
		r.links = slices.Insert(r.links, i, li)
		r.nodes = slices.Insert(r.nodes, i, other[li])
	}
	return r
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// opposites finds again the contradictions among the links between each
// pair of entities a link was added to or removed from, as New finds them.
func (e *editor) opposites() {
	s := e.s
	for p := range e.pairs {
		if e.dead[p[0]] {
			continue
		}
		links, nodes := s.outs(p[0])
		i := slices.Index(nodes, p[1])
		if i < 0 {
			continue
		}
		j := i
		for j < len(nodes) && nodes[j] == p[1] {
			j++
		}
		for _, a := range links[i:j] {
			var opp []int32
			for _, b := range links[i:j] {
				if s.lneg[a] != s.lneg[b] {
					opp = append(opp, b)
				}
			}
			if len(opp) > 0 {
				s.opp.set(a, opp)
			} else {
				s.opp.del(a)
			}
		}
	}
}

func decr[K comparable](m map[K]int, k K) {
	if m[k]--; m[k] <= 0 {
		delete(m, k)
	}
}

// structure brings the relations and the entities' old ids up to date
// with d: the relations are indexed again when d changes some or removes
// entities (their ends), in time proportional to the relations, which are
// few; old ids change with the entities d adds or removes.
func (e *editor) structure(d Delta) {
	s := e.s
	for _, l := range d.Links {
		s.shortcuts = s.shortcuts || len(l.ShortcutOf) > 0
	}
	aliases := false
	for _, x := range d.Entities {
		aliases = aliases || len(x.Aliases) > 0
	}
	if len(d.Relations)+len(d.RemoveRelations)+len(d.RemoveEntities) == 0 && !aliases {
		return
	}
	alias := s.alias
	if len(d.RemoveEntities) > 0 || aliases {
		alias = make(map[string]int32, len(s.alias))
		for a, n := range s.alias {
			if !e.dead[n] {
				alias[a] = n
			}
		}
		for _, x := range d.Entities {
			n, _ := s.byID.get(x.ID)
			for _, a := range x.Aliases {
				if _, isID := s.byID.get(a); !isID {
					alias[a] = n
				}
			}
		}
	}
	if len(d.Relations)+len(d.RemoveRelations)+len(d.RemoveEntities) > 0 {
		gone := make(map[string]bool, len(d.RemoveRelations)+len(d.Relations))
		for _, k := range d.RemoveRelations {
			gone[k] = true
		}
		for _, r := range d.Relations {
			gone[r.Key()] = true
		}
		rels := slices.DeleteFunc(slices.Clone(s.relations), func(r *graph.Relation) bool { return gone[r.Key()] })
		rels = append(rels, d.Relations...)
		s.structure = newStructure(rels, s.entities, nil, s.byID.get)
	}
	s.alias = alias
	s.stats.Relations = len(s.relations)
}
