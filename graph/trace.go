package graph

import (
	"context"
	"fmt"
	"slices"
)

// Trace limits; the GraphQL schema states them too.
const (
	DefaultTraceDepth = 5
	MaxTraceDepth     = 8
	DefaultTraceLimit = 10
	MaxTraceLimit     = 100
	// DefaultTraceBudget caps the links a trace may examine; past it the
	// result is cut short and says Truncated.
	DefaultTraceBudget = 2_000_000
)

// TraceQuery asks for the causal chains from one entity to another.
type TraceQuery struct {
	From, To  string   // entity ids, names, synonyms or xrefs
	MaxDepth  int      // most links in a chain; 0 means DefaultTraceDepth
	Limit     int      // most chains returned; 0 means DefaultTraceLimit
	NetEffect Effect   // keep only chains with this net effect; "" keeps all
	Via       []string // every chain passes through all of these
	Avoid     []string // no chain passes through any of these
	Budget    int      // most links examined; 0 means DefaultTraceBudget
}

// Path is one causal chain: Entities[i] -Links[i]-> Entities[i+1].
type Path struct {
	Links      []*Link   `json:"links"`
	Entities   []*Entity `json:"entities"`
	NetEffect  Effect    `json:"netEffect"`  // product of the hops' signs
	Confidence float64   `json:"confidence"` // product of the hops' confidences
}

// Len is the number of links in the chain.
func (p Path) Len() int { return len(p.Links) }

// TraceResult holds the chains found, shortest first, then most confident.
type TraceResult struct {
	From      *Entity `json:"from"`
	To        *Entity `json:"to"`
	Paths     []Path  `json:"paths"`
	Truncated bool    `json:"truncated"` // more chains existed than Limit, or the budget ran out
}

// Trace finds the simple causal chains (no entity twice) from q.From to
// q.To of at most q.MaxDepth links, shortest first and, among chains of one
// length, most confident first. It stops when ctx is cancelled.
func (s *Store) Trace(ctx context.Context, q TraceQuery) (*TraceResult, error) {
	return s.snap.Load().trace(ctx, q)
}

func (s *snapshot) trace(ctx context.Context, q TraceQuery) (*TraceResult, error) {
	if q.MaxDepth == 0 {
		q.MaxDepth = DefaultTraceDepth
	}
	if q.Limit == 0 {
		q.Limit = DefaultTraceLimit
	}
	if q.Budget == 0 {
		q.Budget = DefaultTraceBudget
	}
	switch {
	case q.MaxDepth < 1 || q.MaxDepth > MaxTraceDepth:
		return nil, fmt.Errorf("%w: maxDepth must be in 1..%d, not %d", ErrBadArgument, MaxTraceDepth, q.MaxDepth)
	case q.Limit < 1 || q.Limit > MaxTraceLimit:
		return nil, fmt.Errorf("%w: limit must be in 1..%d, not %d", ErrBadArgument, MaxTraceLimit, q.Limit)
	case q.Budget < 0:
		return nil, fmt.Errorf("%w: budget must not be negative", ErrBadArgument)
	case q.NetEffect != "" && !q.NetEffect.Valid():
		return nil, fmt.Errorf("%w: netEffect %q", ErrBadArgument, q.NetEffect)
	}
	from, err := s.resolve(q.From)
	if err != nil {
		return nil, err
	}
	to, err := s.resolve(q.To)
	if err != nil {
		return nil, err
	}
	if from == to {
		return nil, fmt.Errorf("%w: from and to are both %q", ErrBadArgument, from.ID)
	}
	t := &tracer{
		snap:   s,
		ctx:    ctx,
		to:     s.byID[to.ID],
		avoid:  make([]bool, len(s.entities)),
		onPath: make([]bool, len(s.entities)),
		budget: q.Budget,
		effect: q.NetEffect,
	}
	for _, ref := range q.Avoid {
		e, err := s.resolve(ref)
		if err != nil {
			return nil, err
		}
		if e == from || e == to {
			return nil, fmt.Errorf("%w: cannot avoid %q, an end of the trace", ErrBadArgument, e.ID)
		}
		t.avoid[s.byID[e.ID]] = true
	}
	for _, ref := range q.Via {
		e, err := s.resolve(ref)
		if err != nil {
			return nil, err
		}
		if n := s.byID[e.ID]; t.avoid[n] {
			return nil, fmt.Errorf("%w: %q is both in via and in avoid", ErrBadArgument, e.ID)
		} else if e != from && e != to && !slices.Contains(t.via, n) {
			t.via = append(t.via, n)
		}
	}
	res := &TraceResult{From: from, To: to}
	t.dist = s.distancesTo(t.to, q.MaxDepth, t.avoid)
	start := s.byID[from.ID]
	if t.dist[start] < 0 {
		return res, nil
	}
	for depth := int(t.dist[start]); depth <= q.MaxDepth && !t.exhausted; depth++ {
		t.found = nil
		t.walk(start, depth)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		level := t.found
		slices.SortStableFunc(level, func(a, b Path) int {
			switch {
			case a.Confidence > b.Confidence:
				return -1
			case a.Confidence < b.Confidence:
				return 1
			}
			return 0
		})
		room := q.Limit - len(res.Paths)
		if len(level) > room {
			res.Paths = append(res.Paths, level[:room]...)
			res.Truncated = true
			return res, nil
		}
		res.Paths = append(res.Paths, level...)
		if len(res.Paths) == q.Limit {
			// Full: say whether any longer chain exists.
			t.stopAtFirst = true
			t.found = nil
			for d := depth + 1; d <= q.MaxDepth && !t.exhausted && len(t.found) == 0; d++ {
				t.walk(start, d)
			}
			res.Truncated = len(t.found) > 0
			break
		}
	}
	if t.exhausted {
		res.Truncated = true
	}
	return res, ctx.Err()
}

// distancesTo returns, for every node, the fewest links from it to target
// (-1 when more than maxDepth or unreachable), avoiding the avoided nodes.
func (s *snapshot) distancesTo(target int32, maxDepth int, avoid []bool) []int8 {
	dist := make([]int8, len(s.entities))
	for i := range dist {
		dist[i] = -1
	}
	dist[target] = 0
	frontier := []int32{target}
	for d := 1; d <= maxDepth && len(frontier) > 0; d++ {
		var next []int32
		for _, n := range frontier {
			_, from := s.ins(n)
			for _, m := range from {
				if dist[m] < 0 && !avoid[m] {
					dist[m] = int8(d)
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	return dist
}

// tracer enumerates simple paths of one exact length by depth-first search,
// pruned by the distance to the target.
type tracer struct {
	snap        *snapshot
	ctx         context.Context
	to          int32
	dist        []int8
	avoid       []bool
	onPath      []bool
	via         []int32
	effect      Effect
	budget      int
	steps       int
	exhausted   bool
	stopAtFirst bool
	stack       []int32 // link indexes of the path so far
	found       []Path
}

func (t *tracer) walk(start int32, depth int) {
	t.onPath[start] = true
	t.dfs(start, depth)
	t.onPath[start] = false
}

func (t *tracer) dfs(n int32, remaining int) {
	s := t.snap
	links, nodes := s.outs(n)
	for i, li := range links {
		if t.exhausted || (t.stopAtFirst && len(t.found) > 0) {
			return
		}
		t.steps++
		if t.steps > t.budget {
			t.exhausted = true
			return
		}
		if t.steps%4096 == 0 && t.ctx.Err() != nil {
			t.exhausted = true
			return
		}
		m := nodes[i]
		if t.onPath[m] || t.avoid[m] {
			continue
		}
		if m == t.to {
			if remaining == 1 {
				t.stack = append(t.stack, li)
				t.emit()
				t.stack = t.stack[:len(t.stack)-1]
			}
			continue
		}
		if d := t.dist[m]; remaining == 1 || d < 0 || int(d) > remaining-1 {
			continue
		}
		t.onPath[m] = true
		t.stack = append(t.stack, li)
		t.dfs(m, remaining-1)
		t.stack = t.stack[:len(t.stack)-1]
		t.onPath[m] = false
	}
}

func (t *tracer) emit() {
	s := t.snap
	for _, v := range t.via {
		if !t.onPath[v] {
			return
		}
	}
	p := Path{
		Links:      make([]*Link, len(t.stack)),
		Entities:   make([]*Entity, 0, len(t.stack)+1),
		NetEffect:  Increases,
		Confidence: 1,
	}
	p.Entities = append(p.Entities, s.entities[s.lsubj[t.stack[0]]])
	for i, li := range t.stack {
		l := s.links[li]
		p.Links[i] = l
		p.Entities = append(p.Entities, s.entities[s.lobj[li]])
		p.NetEffect = p.NetEffect.Times(l.Effect)
		p.Confidence *= l.Confidence
	}
	if t.effect != "" && p.NetEffect != t.effect {
		return
	}
	t.found = append(t.found, p)
}
