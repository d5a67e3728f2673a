package index

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// opposites finds, for every link, the links with the same subject and
// object and the other effect. Each outgoing row is ordered by object, so
// the links between one pair of entities are adjacent.
func (s *Snapshot) opposites() map[int32][]int32 {
	opp := map[int32][]int32{}
	for n := range int32(len(s.entities)) {
		links, nodes := s.outs(n)
		for i := 0; i < len(links); {
			j := i
			for j < len(links) && nodes[j] == nodes[i] {
				j++
			}
			for _, a := range links[i:j] {
				for _, b := range links[i:j] {
					if s.lneg[a] != s.lneg[b] {
						opp[a] = append(opp[a], b)
					}
				}
			}
			i = j
		}
	}
	return opp
}

// Opposites lists the links that contradict the link id: the same subject
// and object, the other effect.
func (s *Snapshot) Opposites(id string) []*graph.Link {
	l, ok := s.Link(id)
	if !ok {
		return nil
	}
	li, _ := s.linkIndex(l.ID)
	var out []*graph.Link
	for _, o := range s.opp.at(li) {
		out = append(out, s.link(o))
	}
	return out
}

// Contradictions lists the pairs of links with the same subject and object
// and opposite effects that q's filter keeps both sides of, the best
// supported first (by the weaker side's belief), then by ids.
func (s *Snapshot) Contradictions(q graph.ContradictionQuery) ([]graph.Contradiction, bool, error) {
	first, err := (graph.PageArgs{First: q.First}).Size()
	if err != nil {
		return nil, false, err
	}
	keep, err := s.filter(q.Filter)
	if err != nil {
		return nil, false, err
	}
	w := &work{keep: keep}
	var out []graph.Contradiction
	for a, bs := range s.opp.all() {
		if s.lneg[a] || !w.pass(a) {
			continue // each pair once, from its INCREASES side
		}
		for _, b := range bs {
			if w.pass(b) {
				out = append(out, graph.Contradiction{Increases: s.link(a), Decreases: s.link(b)})
			}
		}
	}
	weaker := func(c graph.Contradiction) float64 { return min(c.Increases.Confidence, c.Decreases.Confidence) }
	slices.SortFunc(out, func(x, y graph.Contradiction) int {
		return cmp.Or(cmp.Compare(weaker(y), weaker(x)), strings.Compare(x.Increases.ID, y.Increases.ID),
			strings.Compare(x.Decreases.ID, y.Decreases.ID))
	})
	more := len(out) > first
	return out[:min(first, len(out))], more, nil
}
