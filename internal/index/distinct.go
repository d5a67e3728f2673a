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

// loopGroup is one distinct loop: its variants (chains of link indexes),
// which share one core once shortcuts are taken.
type loopGroup struct {
	chains [][]int32
	conf   []float64
}

// distinctLoops groups loops that differ only by shortcuts (loopCore) and
// returns the first groups in order, each led by its fullest variant, and
// whether more groups were found than first. through is the node every
// loop passes, -1 for loops anywhere.
func (s *Snapshot) distinctLoops(w *work, chains [][]int32, order graph.Order, first int, through int32) ([]graph.Loop, bool) {
	declared := s.declaresShortcuts() // else no link need be asked for its chains
	groups := s.group(w, chains, func(c []int32) any { return s.loopCore(c, through, declared) })
	loops := make([]graph.Loop, len(groups))
	for i, g := range groups {
		loops[i] = s.groupLoop(w, g)
	}
	slices.SortStableFunc(loops, func(a, b graph.Loop) int { return byOrder(order, &a.Path, &b.Path) })
	if len(loops) > first {
		return loops[:first], true
	}
	return loops, false
}

// group puts chains with the same net sign and core together, in the
// order their first chains come.
func (s *Snapshot) group(w *work, chains [][]int32, core func([]int32) any) []*loopGroup {
	byKey := map[string]*loopGroup{}
	var groups []*loopGroup
	for _, c := range chains {
		neg, conf := s.chainStats(w, c)
		key := fmt.Sprint(neg, core(c))
		g := byKey[key]
		if g == nil {
			g = &loopGroup{}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.chains, g.conf = append(g.chains, c), append(g.conf, conf)
	}
	return groups
}

// byOrder compares two answers as order ranks them: shorter first, then
// more confident (or the other way round for ByConfidence).
func byOrder(order graph.Order, a, b *graph.Path) int {
	byLen := cmp.Compare(a.Len(), b.Len())
	byConf := cmp.Compare(b.Confidence, a.Confidence)
	if order == graph.ByConfidence {
		return cmp.Or(byConf, byLen)
	}
	return cmp.Or(byLen, byConf)
}

// groupLoop is g as a Loop: its fullest variant with the others under it
// (groupPaths).
func (s *Snapshot) groupLoop(w *work, g *loopGroup) graph.Loop {
	lead, variants := s.groupPaths(w, g)
	return graph.Loop{Kind: loopKind(lead.NetEffect == graph.Decreases), Path: lead, Variants: variants}
}

// groupPaths is g's fullest variant (most links, then most confident) and
// the others, shortest first.
func (s *Snapshot) groupPaths(w *work, g *loopGroup) (graph.Path, []graph.Path) {
	idx := make([]int, len(g.chains))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(g.chains[b]), len(g.chains[a])), cmp.Compare(g.conf[b], g.conf[a]))
	})
	lead := s.pathOf(w, g.chains[idx[0]])
	rest := idx[1:]
	slices.SortStableFunc(rest, func(a, b int) int {
		return cmp.Or(cmp.Compare(len(g.chains[a]), len(g.chains[b])), cmp.Compare(g.conf[b], g.conf[a]))
	})
	var variants []graph.Path
	for _, i := range rest {
		variants = append(variants, s.pathOf(w, g.chains[i]))
	}
	return lead, variants
}

// loopNodes are the entities of a loop, each once, in order.
func (s *Snapshot) loopNodes(chain []int32) []int32 {
	out := make([]int32, len(chain))
	for i, li := range chain {
		out[i] = s.lsubj[li]
	}
	return out
}

// declaresShortcuts reports whether some link names a chain it summarises.
func (s *Snapshot) declaresShortcuts() bool { return s.shortcuts }

// loopCore is what is left of a loop once every segment a shortcut stands
// for is taken by the shortcut: the loop's entities, with a segment
// u -> ... -> v replaced by u -> v when a link u -> v summarises it. A link
// summarises the chains its ShortcutOf declares; failing any declared one,
// a link u -> v whose sign is the product of the segment's stands for it
// too (a shortcut nobody declared). The longest segment goes first, again
// until none does; a segment never passes through (the node the loops are
// asked through), and the core keeps two entities at least. The core is
// rotated to start at through, or at its smallest node.
func (s *Snapshot) loopCore(chain []int32, through int32, declared bool) []int32 {
	nodes := s.loopNodes(chain)
	neg := make([]bool, len(chain)) // neg[i]: the sign of the hop nodes[i] -> nodes[i+1]
	for i, li := range chain {
		neg[i] = s.lneg[li]
	}
	nodes = s.contract(nodes, neg, through, declared, true)
	start := slices.Index(nodes, through)
	if start < 0 {
		start = slices.Index(nodes, slices.Min(nodes))
	}
	return append(slices.Clone(nodes[start:]), nodes[:start]...)
}

// contract takes every segment a shortcut stands for by the shortcut
// (loopCore says how), longest first, until none is left or two entities
// are: nodes is a cycle when cyclic (neg[i] the hop nodes[i] -> nodes[i+1],
// wrapping), else a chain (one hop fewer than nodes, its ends kept).
func (s *Snapshot) contract(nodes []int32, neg []bool, through int32, declared, cyclic bool) []int32 {
	for len(nodes) > 2 {
		i, n, sign, ok := 0, 0, false, false
		if declared {
			i, n, sign, ok = s.shortcutSegment(nodes, neg, through, true, cyclic)
		}
		if !ok {
			i, n, sign, ok = s.shortcutSegment(nodes, neg, through, false, cyclic)
		}
		if !ok {
			break
		}
		var at int
		nodes, at = cutSegment(nodes, i, n)
		neg, _ = cutSegment(neg, i, n)
		neg[at] = sign
	}
	return nodes
}

// shortcutSegment finds the longest segment of nodes (a cycle when
// cyclic, else a chain, whose segments never wrap), from nodes[i] over
// n > 1 hops, that a link summarises, and that link's sign.
func (s *Snapshot) shortcutSegment(nodes []int32, neg []bool, through int32, declared, cyclic bool) (int, int, bool, bool) {
	L := len(nodes)
	for n := L - 1; n > 1; n-- {
		for i := range L {
			if !cyclic && i+n > L-1 {
				break
			}
			if !cyclic && !declared && i == 0 && n == L-1 {
				// A direct link from a chain's start to its end stands for
				// the whole chain only where it says so (ShortcutOf): else
				// every chain of its sign would be one answer, mechanisms
				// and all.
				continue
			}
			product, inner := false, false
			for k := range n {
				product = product != neg[(i+k)%L]
				inner = inner || k > 0 && nodes[(i+k)%L] == through
			}
			if inner {
				continue
			}
			u, v := nodes[i], nodes[(i+n)%L]
			if s.summarises(u, v, product, nodes, i, n, declared) {
				return i, n, product, true
			}
		}
	}
	return 0, 0, false, false
}

// summarises reports whether a link u -> v of sign neg stands for the
// segment of nodes from i over n hops.
func (s *Snapshot) summarises(u, v int32, neg bool, nodes []int32, i, n int, declared bool) bool {
	links, ends := s.outs(u)
	for k := range ends { // a row a write changed is not ordered by the other end (delta.go)
		if ends[k] != v {
			continue
		}
		li := links[k]
		if s.lneg[li] != neg {
			continue
		}
		if !declared {
			return true
		}
		for _, c := range s.shortcutOf(li) {
			if len(c) == n+1 && s.sameSegment(c, nodes, i) {
				return true
			}
		}
	}
	return false
}

// sameSegment reports whether the chain of entity ids c is the segment of
// the cycle nodes that starts at i.
func (s *Snapshot) sameSegment(c []string, nodes []int32, i int) bool {
	for k, id := range c {
		if n, ok := s.byID.get(id); !ok || n != nodes[(i+k)%len(nodes)] {
			return false
		}
	}
	return true
}

// cutSegment removes the n-1 entries after index i of a cycle (wrapping),
// leaving entry i to stand for the segment; at is where entry i is now.
func cutSegment[T any](cycle []T, i, n int) (out []T, at int) {
	L := len(cycle)
	out = make([]T, 0, L-(n-1))
	for k := range L {
		if d := (k - i + L) % L; d >= 1 && d < n {
			continue
		}
		if k == i {
			at = len(out)
		}
		out = append(out, cycle[k])
	}
	return out, at
}

// distinctTraceRaw is the most chains a distinct trace finds before it
// groups them.
const distinctTraceRaw = 20 * graph.MaxTraceLimit

// distinctChains groups chains (all from one entity to one other) that
// differ only by shortcuts (chainCore) and returns the first groups in
// order, each led by its fullest variant with the others as its Variants,
// and whether more groups were found than first.
func (s *Snapshot) distinctChains(w *work, chains [][]int32, order graph.Order, first int) ([]graph.Path, bool) {
	declared := s.declaresShortcuts()
	groups := s.group(w, chains, func(c []int32) any { return s.chainCore(c, declared) })
	paths := make([]graph.Path, len(groups))
	for i, g := range groups {
		paths[i], paths[i].Variants = s.groupPaths(w, g)
	}
	slices.SortStableFunc(paths, func(a, b graph.Path) int { return byOrder(order, &a, &b) })
	if len(paths) > first {
		return paths[:first], true
	}
	return paths, false
}

// chainCore is what is left of a chain once every segment a shortcut
// stands for is taken by the shortcut, as loopCore does for a cycle: a
// segment u -> ... -> v between two of the chain's entities (its ends
// included) becomes u -> v when a link u -> v summarises it. The ends stay.
func (s *Snapshot) chainCore(chain []int32, declared bool) []int32 {
	nodes := make([]int32, 0, len(chain)+1)
	neg := make([]bool, len(chain))
	for i, li := range chain {
		nodes = append(nodes, s.lsubj[li])
		neg[i] = s.lneg[li]
	}
	if len(chain) > 0 {
		nodes = append(nodes, s.lobj[chain[len(chain)-1]])
	}
	return s.contract(nodes, neg, -1, declared, false)
}
