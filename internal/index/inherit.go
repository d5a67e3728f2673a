package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/leydigkg/leydigkg/graph"
)

// inheritance is the snapshot a trace with Inherit walks: this one's
// records and, for every member of a class, the class's outgoing causal
// links restated from the member (inheritedLinks). It is built the first
// time a query asks, once per snapshot.
type inheritance struct {
	once sync.Once
	snap *Snapshot
}

// inheriting returns the snapshot with inherited links, or s itself when
// no entity is a kind of another.
func (s *Snapshot) inheriting() *Snapshot {
	s.inherit.once.Do(func() {
		s.inherit.snap = s
		if extra := s.inheritedLinks(); len(extra) > 0 {
			r := s.Records()
			r.Links = append(r.Links, extra...)
			s.inherit.snap = s.rebuilt(r)
		}
	})
	return s.inherit.snap
}

// classes lists the classes entity n is a kind of (SubclassOf, followed
// transitively, nearest first), by node number.
func (s *Snapshot) classes(n int32) []int32 {
	var out []int32
	frontier := []int32{n}
	seen := map[int32]bool{n: true}
	for len(frontier) > 0 {
		var next []int32
		for _, m := range frontier {
			for _, r := range s.up[graph.SubclassOf][m] {
				c := s.byID.at(r.Object)
				if !seen[c] {
					seen[c] = true
					out = append(out, c)
					next = append(next, c)
				}
			}
		}
		frontier = next
	}
	return out
}

// inheritedLinks restates, for each member X of a class C, each causal
// link C -> Y as a link X -> Y: the same effect and predicate, its
// evidence items as the curator's kind of inference (logical_entailment,
// with the reasoning), so that its belief is an inference's. A member
// takes a link from its nearest class only, and none it states itself
// (the same subject, object and effect), and none to itself.
func (s *Snapshot) inheritedLinks() []*graph.Link {
	var out []*graph.Link
	for member := range s.up[graph.SubclassOf] {
		x := s.entities[member]
		type hop struct {
			to  int32
			neg bool
		}
		have := map[hop]bool{}
		links, _ := s.outs(member)
		for _, li := range links {
			have[hop{s.lobj[li], s.lneg[li]}] = true
		}
		for _, c := range s.classes(member) {
			links, nodes := s.outs(c)
			for i, li := range links {
				y := nodes[i]
				if k := (hop{y, s.lneg[li]}); y == member || have[k] {
					continue
				} else {
					have[k] = true
				}
				out = append(out, s.inheritedLink(x, s.entities[c], s.link(li)))
			}
		}
	}
	slices.SortFunc(out, func(a, b *graph.Link) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// inheritedLink is member's hop restating its class's link l.
func (s *Snapshot) inheritedLink(member, class *graph.Entity, l *graph.Link) *graph.Link {
	obj := s.entities[s.byID.at(l.Object)]
	why := fmt.Sprintf("%s is a kind of %s (biolink:subclass_of), and %s %s %s (link %s): a member takes its class's causal links (trace inherit)",
		member.Name, class.Name, class.Name, effectVerb(l.Effect), obj.Name, l.ID)
	in := &graph.Link{
		ID:            "inherited:" + member.ID + ":" + l.ID,
		Subject:       member.ID,
		Object:        l.Object,
		Effect:        l.Effect,
		Predicate:     l.Predicate,
		Mechanism:     l.Mechanism,
		Evidence:      make([]graph.Evidence, len(l.Evidence)),
		InheritedFrom: class.ID,
		InheritedLink: l.ID,
	}
	for i, e := range l.Evidence {
		e.KnowledgeLevel, e.Reasoning = graph.LogicalEntailment, why
		in.Evidence[i] = e
	}
	in.Confidence = s.beliefs.Score(in.Evidence)
	return in
}

func effectVerb(e graph.Effect) string {
	if e == graph.Decreases {
		return "decreases"
	}
	return "increases"
}

// onlyByInheritance says, for a trace that found no chain without
// Inherit, whether it finds one with it, and which.
func (s *Snapshot) onlyByInheritance(ctx context.Context, q graph.TraceQuery) (graph.Path, bool) {
	in := s.inheriting()
	if in == s {
		return graph.Path{}, false
	}
	q.Limit, q.Inherit = 1, false
	res, err := in.Trace(ctx, q)
	if err != nil || len(res.Paths) == 0 {
		return graph.Path{}, false
	}
	return res.Paths[0], true
}
