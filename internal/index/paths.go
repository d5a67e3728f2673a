package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/leydigkg/leydigkg/graph"
)

// Paths finds the best simple causal chains from any entity of q.From to
// any entity of q.To, ranked over all pairs together as Trace ranks the
// chains of one pair: by default shortest first and, among chains of one
// length, most confident first; with OrderBy ByConfidence, the most
// confident chains of any length. A chain passes through no other source
// or target. One work budget covers the whole search; when it or ctx runs
// out the result says Truncated.
func (s *Snapshot) Paths(ctx context.Context, q graph.PathsQuery) (*graph.PathsResult, error) {
	if err := chainArgs(&q.MaxDepth, &q.Limit, &q.Budget, q.NetEffect, q.OrderBy); err != nil {
		return nil, err
	}
	for _, l := range []struct {
		name string
		refs []string
	}{{"from", q.From}, {"to", q.To}} {
		if len(l.refs) == 0 || len(l.refs) > graph.MaxPathEnds {
			return nil, fmt.Errorf("%w: %s must list 1..%d entities, not %d", graph.ErrBadArgument, l.name, graph.MaxPathEnds, len(l.refs))
		}
	}
	w, err := s.work(ctx, q.Budget, q.Filter)
	if err != nil {
		return nil, err
	}
	res := &graph.PathsResult{}
	isSource := make([]bool, len(s.entities))
	ends := make([]bool, len(s.entities))
	var sources, targets []int32
	for _, ref := range q.From {
		e, err := s.resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		if n := s.byID.at(e.ID); !isSource[n] {
			isSource[n] = true
			sources = append(sources, n)
			res.From = append(res.From, e)
		}
	}
	for _, ref := range q.To {
		e, err := s.resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		n := s.byID.at(e.ID)
		if isSource[n] {
			return nil, fmt.Errorf("%w: %q is both in from and in to; use loops for cycles", graph.ErrBadArgument, e.ID)
		}
		if !ends[n] {
			ends[n] = true
			targets = append(targets, n)
			res.To = append(res.To, e)
		}
	}
	avoid := make([]bool, len(s.entities))
	for _, ref := range q.Avoid {
		e, err := s.resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		n := s.byID.at(e.ID)
		if isSource[n] || ends[n] {
			return nil, fmt.Errorf("%w: cannot avoid %q, an end of the paths", graph.ErrBadArgument, e.ID)
		}
		avoid[n] = true
	}
	var via []int32
	for _, ref := range q.Via {
		e, err := s.resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		n := s.byID.at(e.ID)
		switch {
		case avoid[n]:
			return nil, fmt.Errorf("%w: %q is both in via and in avoid", graph.ErrBadArgument, e.ID)
		case isSource[n] || ends[n]:
			return nil, fmt.Errorf("%w: %q is an end of the paths, not a place to pass through", graph.ErrBadArgument, e.ID)
		case !slices.Contains(via, n):
			via = append(via, n)
		}
	}
	// One search backwards from every target at once gives each entity its
	// distance to the nearest target. Sources are blocked in it, so no
	// chain passes through one (the tracer prunes on distance); a chain
	// stops at the first target it reaches.
	blocked := slices.Clone(avoid)
	for _, n := range sources {
		blocked[n] = true
	}
	dist := s.distancesToSet(w, targets, q.MaxDepth, blocked)
	type ranked struct {
		chain []int32
		conf  float64
	}
	var all []ranked
	more := false
	for _, src := range sources {
		if w.done {
			break
		}
		// A source's distance is one more than its nearest out-neighbour's.
		dist[src] = sourceDistance(s, w, src, dist, ends)
		t := &tracer{
			snap: s, w: w, start: src, end: -1, maxDepth: q.MaxDepth,
			dist: dist, avoid: avoid, onPath: make([]bool, len(s.entities)),
			via: via, effect: q.NetEffect, ends: ends,
		}
		chains, m := t.run(q.Limit, q.OrderBy)
		dist[src] = -1
		more = more || m
		for _, c := range chains {
			_, conf := s.chainStats(w, c)
			all = append(all, ranked{c, conf})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		if q.OrderBy == graph.ByConfidence {
			return cmp.Or(cmp.Compare(b.conf, a.conf), cmp.Compare(len(a.chain), len(b.chain)))
		}
		return cmp.Or(cmp.Compare(len(a.chain), len(b.chain)), cmp.Compare(b.conf, a.conf))
	})
	if len(all) > q.Limit {
		all, more = all[:q.Limit], true
	}
	for _, r := range all {
		res.Paths = append(res.Paths, s.pathOf(w, r.chain))
	}
	res.Truncated = more || w.done
	return res, nil
}

// distancesToSet is distancesTo from several targets at once: each
// entity's distance to the nearest, -1 when none is within maxDepth links.
func (s *Snapshot) distancesToSet(w *work, targets []int32, maxDepth int, avoid []bool) []int8 {
	dist := make([]int8, len(s.entities))
	for i := range dist {
		dist[i] = -1
	}
	frontier := slices.Clone(targets)
	for _, n := range targets {
		dist[n] = 0
	}
	for d := 1; d <= maxDepth && len(frontier) > 0; d++ {
		var next []int32
		for _, n := range frontier {
			links, from := s.ins(n)
			if !w.spend(1 + len(from)) {
				return dist
			}
			for i, m := range from {
				if dist[m] < 0 && !avoid[m] && (w.keep == nil || w.pass(links[i])) {
					dist[m] = int8(d)
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	return dist
}

// sourceDistance is the length of a source's shortest chain to a target,
// from its out-neighbours' distances; -1 when it has none.
func sourceDistance(s *Snapshot, w *work, src int32, dist []int8, ends []bool) int8 {
	best := int8(-1)
	links, nodes := s.outs(src)
	for i, m := range nodes {
		if !w.step() {
			break
		}
		d := dist[m]
		if ends[m] {
			d = 0
		}
		if d < 0 || !w.pass(links[i]) {
			continue
		}
		if best < 0 || d+1 < best {
			best = d + 1
		}
	}
	return best
}
