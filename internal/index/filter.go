package index

import (
	"slices"

	"github.com/leydigkg/leydigkg/graph"
)

// What a filter looks at is indexed per link when a snapshot is built
// (provenance): each link's evidence as (source, knowledge level) pairs,
// packed in compressed rows, so that a query's filter decides a link by
// looking up a few small integers in two tables, not by reading strings.

// provenance holds, for link li, the pairs of its evidence items in
// pairs[off[li]:off[li+1]]: the source's index in srcIDs << 4 | the
// knowledge level's index in graph.KnowledgeLevels, each pair once. Most
// links have one pair: single[li] is it, plus one (0 for the others).
type provenance struct {
	srcIDs []string            // source ids, as numbered
	srcIdx omap[string, int32] // source id -> its number
	single []uint32
	off    []int32
	pairs  []uint32
}

// newProvenance is an empty provenance with room for n links and the
// writes after (New adds them, and gives pairs room once they are in).
func newProvenance(n int) provenance {
	return provenance{srcIdx: newOmap(map[string]int32{}), single: make([]uint32, 0, n+room(n)),
		off: make([]int32, 1, n+1+room(n))}
}

// add indexes the evidence of the next link.
func (p *provenance) add(l *graph.Link) {
	for i := range l.Evidence {
		p.addItem(l.Evidence[i].Source, l.Evidence[i].Level())
	}
	p.done()
}

// addItem indexes an evidence item of the next link, of this source and
// knowledge level; done ends the link.
func (p *provenance) addItem(source string, level graph.KnowledgeLevel) {
	n, ok := p.srcIdx.get(source)
	if !ok {
		n = int32(len(p.srcIDs))
		p.srcIdx.set(source, n)
		p.srcIDs = append(p.srcIDs, source)
	}
	pair := uint32(n)<<4 | uint32(slices.Index(graph.KnowledgeLevels, level))
	if !slices.Contains(p.pairs[p.off[len(p.off)-1]:], pair) {
		p.pairs = append(p.pairs, pair)
	}
}

func (p *provenance) done() {
	start := p.off[len(p.off)-1]
	var single uint32
	if len(p.pairs)-int(start) == 1 {
		single = p.pairs[start] + 1
	}
	p.single = append(p.single, single)
	p.off = append(p.off, int32(len(p.pairs)))
}

// linkFilter decides, for one query, which links its graph.Filter keeps.
type linkFilter struct {
	s       *Snapshot
	f       graph.Filter
	sources []bool // by source number: evidence of it is kept
	levels  [16]bool
	byItems bool              // sources, levels or licences apply
	state   []uint8           // per link, once needed: 0 not decided, 1 kept, 2 left out
	belief  map[int32]float64 // links of several sources or levels: the belief of what is kept
}

// filter returns the linkFilter of f, nil for a filter that keeps
// everything.
func (s *Snapshot) filter(f graph.Filter) (*linkFilter, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	if f.IsZero() {
		return nil, nil
	}
	lf := &linkFilter{s: s, f: f,
		byItems: len(f.Sources.Allow) > 0 || len(f.Sources.Deny) > 0 || len(f.KnowledgeLevels) > 0 || len(f.Licenses) > 0}
	lf.sources = make([]bool, len(s.prov.srcIDs))
	for i, id := range s.prov.srcIDs {
		lf.sources[i] = lf.keepSource(id)
	}
	for i, k := range graph.KnowledgeLevels {
		lf.levels[i] = len(f.KnowledgeLevels) == 0 || slices.Contains(f.KnowledgeLevels, k)
	}
	return lf, nil
}

// keepSource says whether the filter keeps evidence of the source id.
func (lf *linkFilter) keepSource(id string) bool {
	f := &lf.f
	if len(f.Sources.Allow) > 0 && !slices.Contains(f.Sources.Allow, id) || slices.Contains(f.Sources.Deny, id) {
		return false
	}
	if len(f.Licenses) > 0 {
		src := lf.s.sources.at(id)
		return src != nil && slices.Contains(f.Licenses, src.License)
	}
	return true
}

// keepItem says whether the filter keeps an evidence item.
func (lf *linkFilter) keepItem(e *graph.Evidence) bool {
	n, ok := lf.s.prov.srcIdx.get(e.Source)
	return ok && lf.sources[n] && lf.levels[slices.Index(graph.KnowledgeLevels, e.Level())]
}

// decide reports whether the filter keeps link li, the first time it is
// asked: some of its evidence is kept, and the belief of what is kept
// reaches MinBelief.
func (lf *linkFilter) decide(li int32) bool {
	if lf.state == nil {
		lf.state = make([]uint8, lf.s.links())
	}
	keep := lf.keepLink(li)
	lf.state[li] = 2
	if keep {
		lf.state[li] = 1
	}
	return keep
}

func (lf *linkFilter) keepLink(li int32) bool {
	s := lf.s
	if !lf.byItems {
		return s.lconf[li] >= lf.f.MinBelief
	}
	p := &lf.s.prov
	kept, all := false, true
	for _, pair := range p.pairs[p.off[li]:p.off[li+1]] {
		if lf.sources[pair>>4] && lf.levels[pair&15] {
			kept = true
		} else {
			all = false
		}
	}
	switch {
	case !kept:
		return false
	case lf.f.MinBelief == 0:
		return true
	case all:
		return s.lconf[li] >= lf.f.MinBelief
	}
	return s.beliefs.Belief(s.link(li).Evidence, lf.keepItem).Score >= lf.f.MinBelief
}

// pass reports whether w's filter keeps link li (every link, without one).
// Traversals call it for every link they meet: without a filter it is one
// test, inlined.
func (w *work) pass(li int32) bool {
	if w.keep == nil {
		return true
	}
	return w.keep.pass(li)
}

// pass: a link with one source and level, under a filter without
// MinBelief, is two table lookups.
func (lf *linkFilter) pass(li int32) bool {
	if lf.byItems && lf.f.MinBelief == 0 {
		if pair := lf.s.prov.single[li]; pair != 0 {
			pair--
			return lf.sources[pair>>4] && lf.levels[pair&15]
		}
	}
	if lf.state != nil && lf.state[li] != 0 {
		return lf.state[li] == 1
	}
	return lf.decide(li)
}

// conf is link li's belief as w's filter sees it: from the evidence the
// filter keeps (the link's belief when it keeps it all, or has no filter
// on evidence). Without such a filter it is an array read, inlined.
func (w *work) conf(s *Snapshot, li int32) float64 {
	if w.keep == nil || !w.keep.byItems {
		return s.lconf[li]
	}
	return w.keep.conf(li)
}

func (lf *linkFilter) conf(li int32) float64 {
	s := lf.s
	if s.prov.single[li] != 0 { // one pair: kept whole, or not at all
		return s.lconf[li]
	}
	if b, ok := lf.belief[li]; ok {
		return b
	}
	b := s.lconf[li]
	p := &s.prov
	for _, pair := range p.pairs[p.off[li]:p.off[li+1]] {
		if !lf.sources[pair>>4] || !lf.levels[pair&15] {
			b = s.beliefs.Belief(s.link(li).Evidence, lf.keepItem).Score
			break
		}
	}
	if lf.belief == nil {
		lf.belief = map[int32]float64{}
	}
	lf.belief[li] = b
	return b
}
