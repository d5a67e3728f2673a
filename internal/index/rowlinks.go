package index

import (
	"slices"
	"sort"

	"github.com/leydigkg/leydigkg/graph"
)

// Links given as columns.
//
// A store's decoder meets most links of a large graph as rows of a
// network, the compact shape (links.go). Making each a graph.Link and its
// evidence item, for New to take apart again, was some 500 bytes and two
// allocations a link, and at 10⁷ links a third of opening the store. A
// decoder may give such a link as a RowLink instead (Records.RowLinks):
// the fields New keeps, with its ends already numbered.

// RowLink is a link of the compact shape, given by its fields:
//
//	graph.Link{ID, Subject: Entities[Sub].ID, Object: Entities[Obj].ID,
//		Effect: Decreases if Neg, else Increases, Predicate, Confidence,
//		Evidence: {l.Item()}}
//
// where Entities are the records' own, in id order, no id twice (New
// makes row links whole otherwise). SetItem sets the item, and refuses
// one a RowLink cannot hold; a link it refuses is given as a graph.Link.
type RowLink struct {
	ID, Predicate, Source string
	Confidence            float64
	Sub, Obj              int32 // places in Records.Entities
	Neg                   bool  // the effect is Decreases (else Increases)
	item                  itemFields
}

// SetItem sets l's evidence item: of this source, knowledge level, agent
// type and At, no other field set. ok is false when a RowLink cannot hold
// it: no source (a row without one has no item), or fields a compact link
// cannot hold (plainItem).
func (l *RowLink) SetItem(source string, level graph.KnowledgeLevel, agent graph.AgentType, at string) (ok bool) {
	f, ok := plainItem(level, agent, at)
	if source == "" || !ok {
		return false
	}
	l.Source, l.item = source, f
	return true
}

// File is the file of the item's At ("" for none); rows of one file may
// be given one string for it, which New then interns without reading it.
func (l *RowLink) File() string { return l.item.file }

// ShareFile makes the file of the item's At file, which must be equal.
func (l *RowLink) ShareFile(file string) { l.item.file = file }

// Item is l's evidence item.
func (l *RowLink) Item() graph.Evidence {
	return graph.Evidence{Source: l.Source, KnowledgeLevel: l.Level(), AgentType: l.Agent(), At: l.item.at()}
}

// Level and Agent are the item's knowledge level and agent type, "" for
// none.
func (l *RowLink) Level() graph.KnowledgeLevel { return levelOf(l.item.level) }

func (l *RowLink) Agent() graph.AgentType { return agentOf(l.item.agent) }

// Link is l made whole, entities being the records' entities.
func (l *RowLink) Link(entities []*graph.Entity) *graph.Link {
	return &graph.Link{ID: l.ID, Subject: entities[l.Sub].ID, Object: entities[l.Obj].ID, Effect: effectOf(l.Neg),
		Predicate: l.Predicate, Confidence: l.Confidence, Evidence: []graph.Evidence{l.Item()}}
}

// WholeLinks is r with its row links made whole among its links, all in
// id order (as New numbers them).
func (r Records) WholeLinks() Records {
	if len(r.RowLinks) == 0 {
		return r
	}
	links := slices.Clone(r.Links)
	for i := range r.RowLinks {
		links = append(links, r.RowLinks[i].Link(r.Entities))
	}
	sortLinks(links)
	r.Links, r.RowLinks = links, nil
	return r
}

// entitiesInOrder says whether entities are strictly in id order, as
// row links that number them need (New keeps that order).
func entitiesInOrder(entities []*graph.Entity) bool {
	for i := 1; i < len(entities); i++ {
		if entities[i-1].ID >= entities[i].ID {
			return false
		}
	}
	return true
}

// appendRowLink adds l as link index li, the next one.
func (s *Snapshot) appendRowLink(li int, l *RowLink) {
	s.lid = append(s.lid, l.ID)
	s.lsubj[li], s.lobj[li], s.lneg[li], s.lconf[li] = l.Sub, l.Obj, l.Neg, l.Confidence
	s.lfull = append(s.lfull, nil)
	s.lcomp = append(s.lcomp, s.compact(l.Predicate, l.Source, &l.item))
	item := graph.Evidence{KnowledgeLevel: l.Level()} // for its Level: not_provided for none
	s.prov.addItem(l.Source, item.Level())
	s.prov.done()
}

// byIDs merges links and row links, each in id order, into one sequence
// in id order (a link before a row link of its id): next returns the
// next one (i is not read: it must be asked for in order), one of the two
// set. A store's row links are most of its links,
// and comparing each one's id was 3 s at 10⁷ (a cache miss each): so the
// place of each link among the row links is found by galloping from the
// last one's, which compares O(log) ids of the row links it passes.
func byIDs(links []*graph.Link, rls []RowLink) (next func(i int) (*graph.Link, *RowLink)) {
	j, k := 0, 0
	at := -1 // links[j] comes before rls[at] (len(rls): after all)
	return func(int) (*graph.Link, *RowLink) {
		if j < len(links) && at < k {
			at = k + gallop(rls[k:], links[j].ID)
		}
		if j < len(links) && at == k || k == len(rls) {
			j++
			at = -1
			return links[j-1], nil
		}
		k++
		return nil, &rls[k-1]
	}
}

// gallop is the number of rls whose id is below id (rls in id order):
// doubling steps, then a binary search within the last.
func gallop(rls []RowLink, id string) int {
	hi := 1
	for hi <= len(rls) && rls[hi-1].ID < id {
		hi *= 2
	}
	lo := hi / 2 // rls[:lo] are below id
	hi = min(hi, len(rls)+1)
	return lo + sort.Search(hi-1-lo, func(i int) bool { return rls[lo+i].ID >= id })
}
