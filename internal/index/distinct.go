package index

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/leydigkg/leydigkg/graph"
)

// distinctRaw is the most loops a distinct query finds before it groups
// them: grouping needs every variant, not a page of them.
const distinctRaw = 20 * graph.MaxLoopFirst

// loopGroup is one distinct loop: its variants (chains of link indexes)
// and the entity cycle they share once shortcuts are expanded.
type loopGroup struct {
	key    string
	cycle  []int32 // the fullest variant's entities, rotated to its smallest
	neg    bool
	chains [][]int32
	conf   []float64
}

// distinctLoops groups loops that differ only by shortcuts and returns the
// first groups in order, each led by its fullest variant, and whether more
// groups were found than first.
func (s *Snapshot) distinctLoops(w *work, chains [][]int32, order graph.Order, first int) ([]graph.Loop, bool) {
	byKey := map[string]*loopGroup{}
	var groups []*loopGroup
	declared := s.declaresShortcuts()
	for _, c := range chains {
		neg, conf := s.chainStats(w, c)
		cycle := s.loopNodes(c)
		if declared {
			cycle = s.expandShortcuts(cycle)
		}
		cycle = rotateToMin(cycle)
		key := fmt.Sprint(neg, cycle)
		g := byKey[key]
		if g == nil {
			g = &loopGroup{key: key, cycle: cycle, neg: neg}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.chains, g.conf = append(g.chains, c), append(g.conf, conf)
	}
	if !declared {
		groups = s.mergeDetected(groups)
	}
	loops := make([]graph.Loop, len(groups))
	for i, g := range groups {
		loops[i] = s.groupLoop(w, g)
	}
	slices.SortStableFunc(loops, func(a, b graph.Loop) int {
		byLen := cmp.Compare(a.Path.Len(), b.Path.Len())
		byConf := cmp.Compare(b.Path.Confidence, a.Path.Confidence)
		if order == graph.ByConfidence {
			return cmp.Or(byConf, byLen)
		}
		return cmp.Or(byLen, byConf)
	})
	if len(loops) > first {
		return loops[:first], true
	}
	return loops, false
}

// groupLoop is g as a Loop: its fullest variant (most links, then most
// confident), with the others under it, shortest first.
func (s *Snapshot) groupLoop(w *work, g *loopGroup) graph.Loop {
	idx := make([]int, len(g.chains))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(g.chains[b]), len(g.chains[a])), cmp.Compare(g.conf[b], g.conf[a]))
	})
	lead := s.pathOf(w, g.chains[idx[0]])
	l := graph.Loop{Kind: loopKind(lead.NetEffect == graph.Decreases), Path: lead}
	rest := idx[1:]
	slices.SortStableFunc(rest, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(g.chains[a]), len(g.chains[b])), cmp.Compare(g.conf[b], g.conf[a]))
	})
	for _, i := range rest {
		l.Variants = append(l.Variants, s.pathOf(w, g.chains[i]))
	}
	return l
}

// loopNodes are the entities of a loop, each once, in order.
func (s *Snapshot) loopNodes(chain []int32) []int32 {
	out := make([]int32, len(chain))
	for i, li := range chain {
		out[i] = s.lsubj[li]
	}
	return out
}

func rotateToMin(cycle []int32) []int32 {
	if len(cycle) == 0 {
		return cycle
	}
	m := slices.Index(cycle, slices.Min(cycle))
	return append(slices.Clone(cycle[m:]), cycle[:m]...)
}

// declaresShortcuts reports whether some link names a chain it summarises.
func (s *Snapshot) declaresShortcuts() bool {
	for _, l := range s.links {
		if len(l.ShortcutOf) > 0 {
			return true
		}
	}
	return false
}

// expandShortcuts replaces each hop u -> v of a loop that a link u -> v
// summarises (Link.ShortcutOf) by the chain it summarises, when each hop
// of that chain is a link of the graph and its entities are not in the
// loop already; again, until no hop expands (a chain's hop may itself be
// a shortcut).
func (s *Snapshot) expandShortcuts(cycle []int32) []int32 {
	for range graph.MaxLoopLength * graph.MaxLoopLength {
		grown := false
		for i := range cycle {
			u, v := cycle[i], cycle[(i+1)%len(cycle)]
			if inner := s.summarised(u, v, cycle); inner != nil {
				cycle = slices.Insert(slices.Clone(cycle), i+1, inner...)
				grown = true
				break
			}
		}
		if !grown {
			break
		}
	}
	return cycle
}

// summarised returns the entities between u and v of a chain that a link
// u -> v summarises, present in the graph and none in cycle; nil if none.
func (s *Snapshot) summarised(u, v int32, cycle []int32) []int32 {
	links, nodes := s.outs(u)
	for i, li := range links {
		if nodes[i] != v {
			continue
		}
		for _, chain := range s.links[li].ShortcutOf {
			if inner, ok := s.chainNodes(chain); ok && !slices.ContainsFunc(inner, func(n int32) bool { return slices.Contains(cycle, n) }) {
				return inner
			}
		}
	}
	return nil
}

// chainNodes returns the inner entities of a chain of entity ids whose
// every hop is a link of the graph.
func (s *Snapshot) chainNodes(chain []string) ([]int32, bool) {
	ns := make([]int32, len(chain))
	for i, id := range chain {
		n, ok := s.byID[id]
		if !ok {
			return nil, false
		}
		ns[i] = n
		if i > 0 {
			if _, nodes := s.outs(ns[i-1]); !slices.Contains(nodes, n) {
				return nil, false
			}
		}
	}
	return ns[1 : len(ns)-1], true
}

// mergeDetected merges each group into a fuller one when its loop is the
// fuller one's with some hops u -> v standing for the fuller loop's
// segment from u to v of the same sign: shortcuts nobody declared. It
// tries the fullest groups first.
func (s *Snapshot) mergeDetected(groups []*loopGroup) []*loopGroup {
	order := slices.Clone(groups)
	slices.SortStableFunc(order, func(a, b *loopGroup) int { return cmp.Compare(len(b.cycle), len(a.cycle)) })
	merged := map[*loopGroup]bool{}
	for i, g := range order {
		for _, big := range order[:i] {
			if !merged[big] && len(big.cycle) > len(g.cycle) && s.shortcutOf(g.chains[0], big.chains[0]) {
				big.chains, big.conf = append(big.chains, g.chains...), append(big.conf, g.conf...)
				merged[g] = true
				break
			}
		}
	}
	return slices.DeleteFunc(groups, func(g *loopGroup) bool { return merged[g] })
}

// shortcutOf reports whether loop small is loop big with some of big's
// segments replaced by single links of the same sign.
func (s *Snapshot) shortcutOf(small, big []int32) bool {
	bn := s.loopNodes(big)
	start := slices.Index(bn, s.lsubj[small[0]])
	if start < 0 {
		return false
	}
	at := 0 // position in big, from start
	for _, li := range small {
		neg := false
		for {
			bl := big[(start+at)%len(big)]
			neg = neg != s.lneg[bl]
			at++
			if s.lobj[bl] == s.lobj[li] || at >= len(big) {
				break
			}
		}
		if s.lobj[big[(start+at-1)%len(big)]] != s.lobj[li] || neg != s.lneg[li] {
			return false
		}
	}
	return at == len(big)
}
