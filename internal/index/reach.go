package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// Downstream finds every entity q.Of affects through chains of at most
// q.MaxDepth links, with the net effects of its shortest chains.
func (s *Snapshot) Downstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error) {
	return s.reach(ctx, q, false)
}

// Upstream finds every entity that affects q.Of through chains of at most
// q.MaxDepth links.
func (s *Snapshot) Upstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error) {
	return s.reach(ctx, q, true)
}

// reach is a breadth-first search that, level by level, carries for every
// entity the signs its shortest chains arrive with, and for each sign the
// best confidence and the link it came through: a dynamic programme over
// the BFS layers, so entities reached both ways are found without
// enumerating chains.
func (s *Snapshot) reach(ctx context.Context, q graph.ReachQuery, up bool) (*graph.ReachResult, error) {
	var err error
	if q.MaxDepth, err = checkDepth("maxDepth", q.MaxDepth, graph.DefaultReachDepth, graph.MaxReachDepth); err != nil {
		return nil, err
	}
	if q.First < 0 {
		return nil, fmt.Errorf("%w: first must not be negative", graph.ErrBadArgument)
	}
	if q.NetEffect != "" && !q.NetEffect.Valid() {
		return nil, fmt.Errorf("%w: netEffect %q", graph.ErrBadArgument, q.NetEffect)
	}
	for _, k := range q.Kinds {
		if !k.Valid() {
			return nil, fmt.Errorf("%w: kind %q", graph.ErrBadArgument, k)
		}
	}
	if err := q.OrderBy.Check(); err != nil {
		return nil, err
	}
	w, err := s.work(ctx, q.Budget, q.Filter)
	if err != nil {
		return nil, err
	}
	of, err := s.resolve(ctx, q.Of)
	if err != nil {
		return nil, err
	}
	root := s.byID.at(of.ID)
	t := s.layers(w, root, q.MaxDepth, up, nil)
	res := &graph.ReachResult{Of: of, Upstream: up, Truncated: w.done}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	keep := func(n int32) bool {
		if n == root {
			return false
		}
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, s.entities[n].Kind) {
			return false
		}
		return q.NetEffect == "" || t.signs[n]&signBit(q.NetEffect == graph.Decreases) != 0
	}
	// Rank on one integer key per entity, then build only the entities
	// returned. A key packs, from the top: distance (4 bits) and the
	// confidence's distance from 1 in millionths (20 bits), in the order
	// asked for; then the node number (in id order, for ties) and the sign
	// of the chain described.
	keys := make([]uint64, 0, len(t.order))
	for _, n := range t.order {
		if !keep(n) {
			continue
		}
		var neg bool
		conf := -1.0
		for _, sign := range []bool{false, true} {
			if t.signs[n]&signBit(sign) == 0 || (q.NetEffect != "" && effectOf(sign) != q.NetEffect) {
				continue
			}
			if c := t.conf[sgn(n, sign)]; c > conf {
				neg, conf = sign, c
			}
		}
		doubt := uint64(math.Round((1 - conf) * 1e6)) // 0..10^6 < 2^20
		rank := uint64(t.dist[n])<<20 | doubt
		if q.OrderBy == graph.ByConfidence {
			rank = doubt<<4 | uint64(t.dist[n])
		}
		keys = append(keys, rank<<32|uint64(n)<<1|uint64(b2i(neg)))
	}
	res.Total = len(keys)
	slices.Sort(keys)
	if !s.idOrder { // a write added entities out of id order: ties by id
		slices.SortFunc(keys, func(a, b uint64) int {
			return cmp.Or(cmp.Compare(a>>32, b>>32), strings.Compare(s.entities[uint32(a)>>1].ID, s.entities[uint32(b)>>1].ID))
		})
	}
	if q.First > 0 && len(keys) > q.First {
		keys = keys[:q.First]
	}
	res.Reached = make([]graph.Reached, len(keys))
	for i, k := range keys {
		n, neg := int32(uint32(k)>>1), k&1 == 1
		res.Reached[i] = graph.Reached{Entity: s.entities[n], Distance: int(t.dist[n]), Effects: effectSets[t.signs[n]], Confidence: round6(t.conf[sgn(n, neg)])}
		if q.Paths {
			p := s.pathOf(w, t.chain(n, neg))
			res.Reached[i].Path = &p
		}
	}
	t.release()
	return res, nil
}

// effectSets are the Effects of a Reached, by sign bits; shared, never
// changed, so that a big answer allocates none.
var effectSets = [4][]graph.Effect{nil, {graph.Increases}, {graph.Decreases}, {graph.Increases, graph.Decreases}}

// layered is the outcome of a BFS from root: for each entity reached, its
// distance, the signs (bit 1: INCREASES, bit 2: DECREASES) of its shortest
// chains, and per sign the best confidence and the last link of a chain
// with that confidence.
type layered struct {
	snap   *Snapshot
	root   int32
	up     bool
	dist   []int8
	signs  []uint8
	conf   []float64 // [2n+sign]
	parent []int32   // [2n+sign]
	order  []int32   // entities in the order reached
}

func signBit(neg bool) uint8 {
	if neg {
		return 2
	}
	return 1
}

func sgn(n int32, neg bool) int { return 2*int(n) + b2i(neg) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// layers runs the BFS. Entities in skip (if not nil) are never entered.
func (s *Snapshot) layers(w *work, root int32, maxDepth int, up bool, skip []bool) *layered {
	t, _ := s.scratch.Get().(*layered)
	if t == nil {
		t = &layered{}
	}
	t.fit(s)
	t.root, t.up, t.order = root, up, t.order[:0]
	t.dist[root], t.signs[root], t.conf[sgn(root, false)] = 0, 1, 1
	t.order = append(t.order, root)
	frontier := t.order[0:1:1]
	var next []int32
	for d := int8(1); int(d) <= maxDepth && len(frontier) > 0 && !w.done; d++ {
		next = next[:0]
		for _, u := range frontier {
			var links, nodes []int32
			if up {
				links, nodes = s.ins(u)
			} else {
				links, nodes = s.outs(u)
			}
			if !w.spend(1 + len(nodes)) {
				break
			}
			su := t.signs[u]
			cpos, cneg := t.conf[sgn(u, false)], t.conf[sgn(u, true)]
			for i, v := range nodes {
				if v == u || skip != nil && skip[v] || !w.pass(links[i]) { // a self-loop is no step
					continue
				}
				if t.dist[v] < 0 {
					t.dist[v] = d
					next = append(next, v)
				} else if t.dist[v] != d {
					continue
				}
				li := links[i]
				lc, flip := w.conf(s, li), s.lneg[li]
				if su&1 != 0 {
					t.improve(v, flip, cpos*lc, li)
				}
				if su&2 != 0 {
					t.improve(v, !flip, cneg*lc, li)
				}
			}
		}
		t.order = append(t.order, next...)
		frontier = t.order[len(t.order)-len(next):]
	}
	return t
}

// fit makes t's arrays, cleared, long enough for s's node numbers: a
// search on a snapshot written since t was made may meet new entities.
func (t *layered) fit(s *Snapshot) {
	t.snap = s
	n := len(s.entities)
	if len(t.dist) >= n {
		return
	}
	if t.dist != nil {
		n += room(n)
	}
	for len(t.dist) < n {
		t.dist = append(t.dist, -1)
	}
	t.signs = append(t.signs, make([]uint8, n-len(t.signs))...)
	t.conf = append(t.conf, make([]float64, 2*n-len(t.conf))...)
	t.parent = append(t.parent, make([]int32, 2*n-len(t.parent))...)
}

// release clears what the search touched and gives the arrays back for
// the next search on this snapshot. t must not be used afterwards.
func (t *layered) release() {
	for _, n := range t.order {
		t.dist[n], t.signs[n] = -1, 0
	}
	t.snap.scratch.Put(t)
}

// improve records that a shortest chain reaches v with sign neg and
// confidence c through link li, if it is the first or the best so far.
func (t *layered) improve(v int32, neg bool, c float64, li int32) {
	k := sgn(v, neg)
	if bit := signBit(neg); t.signs[v]&bit == 0 || c > t.conf[k] {
		t.signs[v] |= bit
		t.conf[k], t.parent[k] = c, li
	}
}

// chain returns the links of the best shortest chain between root and n
// that arrives with sign neg, in causal order.
func (t *layered) chain(n int32, neg bool) []int32 {
	s := t.snap
	chain := make([]int32, 0, t.dist[n])
	for n != t.root {
		li := t.parent[sgn(n, neg)]
		chain = append(chain, li)
		neg = neg != s.lneg[li]
		if t.up {
			n = s.lobj[li]
		} else {
			n = s.lsubj[li]
		}
	}
	if !t.up {
		slices.Reverse(chain)
	}
	return chain
}
