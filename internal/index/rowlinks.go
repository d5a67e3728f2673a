package index

import (
	"slices"
	"sort"
	"strconv"
	"strings"

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
//		Evidence: {{Source, KnowledgeLevel, AgentType, At: File:Line if HasAt}}}
//
// where Entities are the records' own, in id order, no id twice (New
// makes row links whole otherwise).
// SetItem fills the item's fields, and refuses an item a RowLink cannot
// hold; a link it refuses is given as a graph.Link.
type RowLink struct {
	ID, Predicate, Source string
	File                  string // At's file, when HasAt
	Confidence            float64
	Sub, Obj              int32  // places in Records.Entities
	Line                  uint32 // At's line, when HasAt
	level, agent          uint8  // 1 + the index in graph's lists, 0 for ""
	HasAt                 bool
	Neg                   bool // the effect is Decreases (else Increases)
}

// SetItem sets l's evidence item from its fields; ok is false when a
// RowLink cannot hold them (a knowledge level or agent type not in graph's
// lists, an At not file:line as strconv writes the line, no source).
func (l *RowLink) SetItem(source string, level graph.KnowledgeLevel, agent graph.AgentType, at string) (ok bool) {
	li, ai := slices.Index(graph.KnowledgeLevels, level), slices.Index(graph.AgentTypes, agent)
	if source == "" || li < 0 && level != "" || ai < 0 && agent != "" {
		return false
	}
	file, line, ok := plainAt(at)
	if !ok {
		return false
	}
	l.Source, l.level, l.agent = source, uint8(li+1), uint8(ai+1)
	l.File, l.Line, l.HasAt = file, line, at != ""
	return true
}

// Item is l's evidence item.
func (l *RowLink) Item() graph.Evidence {
	e := graph.Evidence{Source: l.Source, KnowledgeLevel: l.Level(), AgentType: l.Agent()}
	if l.HasAt {
		e.At = l.File + ":" + strconv.FormatUint(uint64(l.Line), 10)
	}
	return e
}

// Level and Agent are the item's knowledge level and agent type, "" for
// none.
func (l *RowLink) Level() graph.KnowledgeLevel {
	if l.level == 0 {
		return ""
	}
	return graph.KnowledgeLevels[l.level-1]
}

func (l *RowLink) Agent() graph.AgentType {
	if l.agent == 0 {
		return ""
	}
	return graph.AgentTypes[l.agent-1]
}

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
	slices.SortStableFunc(links, func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) })
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
	c := compactLink{pred: s.strs.number(l.Predicate), src: s.strs.number(l.Source), level: l.level, agent: l.agent}
	if l.HasAt {
		c.file, c.line = s.strs.number(l.File), l.Line
	} else {
		c.flags |= noAt
	}
	s.lfull = append(s.lfull, nil)
	s.lcomp = append(s.lcomp, c)
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
