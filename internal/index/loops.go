package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/leydigkg/leydigkg/graph"
)

// Loops finds simple feedback cycles (no entity twice but the first) of at
// most q.MaxLength links, each typed by its sign. With Through, every loop
// starts and ends there; without it, each loop is reported once, starting
// at its entity with the smallest id. With Distinct, loops that differ only
// by shortcuts are one answer (distinctLoops).
func (s *Snapshot) Loops(ctx context.Context, q graph.LoopQuery) (*graph.LoopResult, error) {
	var err error
	if q.MaxLength, err = checkDepth("maxLength", q.MaxLength, graph.DefaultLoopLength, graph.MaxLoopLength); err != nil {
		return nil, err
	}
	if q.First, err = checkFirst("first", q.First, graph.DefaultLoopFirst, graph.MaxLoopFirst); err != nil {
		return nil, err
	}
	if q.Kind != "" && q.Kind != graph.Reinforcing && q.Kind != graph.Balancing {
		return nil, fmt.Errorf("%w: kind %q (want REINFORCING or BALANCING)", graph.ErrBadArgument, q.Kind)
	}
	if err := q.OrderBy.Check(); err != nil {
		return nil, err
	}
	w, err := s.work(ctx, q.Budget, q.Filter)
	if err != nil {
		return nil, err
	}
	res := &graph.LoopResult{}
	keep := func(c []int32) bool {
		neg, _ := s.chainStats(w, c)
		return q.Kind == "" || loopKind(neg) == q.Kind
	}
	var chains [][]int32
	var more bool
	through := int32(-1)
	limit := q.First
	if q.Distinct {
		limit = distinctRaw
	}
	if q.Through != "" {
		e, err := s.resolve(ctx, q.Through)
		if err != nil {
			return nil, err
		}
		res.Through = e
		n := s.byID.at(e.ID)
		through = n
		t := s.newTracer(w, n, n, q.MaxLength, nil)
		t.keep = keep
		chains, more = t.run(limit, q.OrderBy)
	} else {
		chains, more = s.allLoops(w, q.MaxLength, limit, q.OrderBy, keep)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if q.Distinct {
		loops, over := s.distinctLoops(w, chains, q.OrderBy, q.First, through)
		res.Loops, res.Truncated = loops, more || over || w.done
		return res, nil
	}
	res.Truncated = more || w.done
	for _, c := range chains {
		p := s.pathOf(w, c)
		res.Loops = append(res.Loops, graph.Loop{Kind: loopKind(p.NetEffect == graph.Decreases), Path: p})
	}
	return res, nil
}

func loopKind(neg bool) graph.LoopKind {
	if neg {
		return graph.Balancing
	}
	return graph.Reinforcing
}

// allLoops finds loops anywhere: for each entity that has both incoming
// and outgoing links, the loops through it that visit only entities after
// it in id order, so each loop is found exactly once.
func (s *Snapshot) allLoops(w *work, maxLen, first int, order graph.Order, keep func([]int32) bool) ([][]int32, bool) {
	var all [][]int32
	skip := make([]bool, len(s.entities))
	// One set of arrays serves every start; only what a start touched is
	// reset after it, so a start costs what its search costs, not the
	// size of the graph.
	t := &tracer{snap: s, w: w, maxDepth: maxLen, avoid: skip, keep: keep,
		dist: make([]int8, len(s.entities)), onPath: make([]bool, len(s.entities))}
	for i := range t.dist {
		t.dist[i] = -1
	}
	t.emit = func(c []int32) bool {
		all = append(all, slices.Clone(c))
		return true
	}
	var touched []int32
	for n := range s.order.all() {
		if !w.step() {
			break
		}
		if len(s.out.get(n).links) > 0 && len(s.in.get(n).links) > 0 {
			t.start, t.end = n, n
			touched = s.distancesInto(w, n, maxLen, skip, nil, t.dist, touched[:0])
			for d := 1; d <= maxLen && !w.done; d++ {
				t.walk(d)
			}
			for _, m := range touched {
				t.dist[m] = -1
			}
		}
		skip[n] = true // later starts never enter n
	}
	type scored struct {
		chain []int32
		conf  float64
	}
	sc := make([]scored, len(all))
	for i, c := range all {
		_, conf := s.chainStats(w, c)
		sc[i] = scored{c, conf}
	}
	slices.SortStableFunc(sc, func(a, b scored) int {
		byLen := cmp.Compare(len(a.chain), len(b.chain))
		byConf := cmp.Compare(b.conf, a.conf)
		if order == graph.ByConfidence {
			return cmp.Or(byConf, byLen)
		}
		return cmp.Or(byLen, byConf)
	})
	more := len(sc) > first
	sc = sc[:min(first, len(sc))]
	out := make([][]int32, len(sc))
	for i := range sc {
		out[i] = sc[i].chain
	}
	return out, more
}
