package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/leydigkg/leydigkg/graph"
)

// Interventions finds the THERAPY entities whose chains of at most
// q.MaxDepth links reach q.Target: those that move it toward q.Goal first,
// each with its best chain, the chains by which it also works against the
// goal and the conditions it raises on the way; then those that only move
// it the wrong way, flagged as such.
func (s *Snapshot) Interventions(ctx context.Context, q graph.InterventionQuery) (*graph.InterventionResult, error) {
	var err error
	if !q.Goal.Valid() {
		return nil, fmt.Errorf("%w: goal %q (want INCREASES or DECREASES)", graph.ErrBadArgument, q.Goal)
	}
	if q.MaxDepth, err = checkDepth("maxDepth", q.MaxDepth, graph.DefaultInterventionDepth, graph.MaxTraceDepth); err != nil {
		return nil, err
	}
	if q.First, err = checkFirst("first", q.First, graph.DefaultInterventionFirst, graph.MaxInterventionFirst); err != nil {
		return nil, err
	}
	if err := q.OrderBy.Check(); err != nil {
		return nil, err
	}
	w, err := s.work(ctx, q.Budget, q.Filter)
	if err != nil {
		return nil, err
	}
	target, err := s.resolve(ctx, q.Target)
	if err != nil {
		return nil, err
	}
	end := s.byID.at(target.ID)
	res := &graph.InterventionResult{Target: target, Goal: q.Goal}
	against := graph.Increases
	if q.Goal == graph.Increases {
		against = graph.Decreases
	}
	// One reverse BFS serves every therapy's search.
	avoid := make([]bool, len(s.entities))
	dist := s.distancesTo(w, end, q.MaxDepth, avoid)
	onPath := make([]bool, len(s.entities)) // all false again after every walk
	best := func(start int32, effect graph.Effect, limit int) [][]int32 {
		t := &tracer{snap: s, w: w, start: start, end: end, maxDepth: q.MaxDepth, dist: dist,
			avoid: avoid, onPath: onPath, effect: effect}
		chains, _ := t.run(limit, q.OrderBy)
		return chains
	}
	for n := range s.order.all() {
		e := s.entities[n]
		if w.done {
			break
		}
		if e.Kind != graph.Therapy || dist[n] < 0 || int32(n) == end {
			continue
		}
		iv := graph.Intervention{Therapy: e}
		toward := best(int32(n), q.Goal, 1)
		wrong := best(int32(n), against, graph.MaxOpposing)
		for _, c := range wrong {
			iv.Opposing = append(iv.Opposing, s.pathOf(w, c))
		}
		switch {
		case len(toward) > 0:
			iv.TowardGoal, iv.Path = true, s.pathOf(w, toward[0])
		case len(wrong) > 0:
			iv.Path = iv.Opposing[0]
		default:
			continue // its chains all ran into the budget
		}
		iv.Risks = s.risks(w, int32(n))
		res.Interventions = append(res.Interventions, iv)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(res.Interventions, func(a, b graph.Intervention) int {
		if a.TowardGoal != b.TowardGoal {
			if a.TowardGoal {
				return -1
			}
			return 1
		}
		byLen := cmp.Compare(a.Path.Len(), b.Path.Len())
		byConf := cmp.Compare(b.Path.Confidence, a.Path.Confidence)
		if q.OrderBy == graph.ByConfidence {
			return cmp.Or(byConf, byLen, cmp.Compare(a.Therapy.ID, b.Therapy.ID))
		}
		return cmp.Or(byLen, byConf, cmp.Compare(a.Therapy.ID, b.Therapy.ID))
	})
	res.Total = len(res.Interventions)
	if len(res.Interventions) > q.First {
		res.Interventions = res.Interventions[:q.First]
	}
	res.Truncated = w.done
	return res, nil
}

// risks are the CONDITION entities n raises within RiskDepth links, each
// with its most confident shortest chain.
func (s *Snapshot) risks(w *work, n int32) []graph.Reached {
	t := s.layers(w, n, graph.RiskDepth, false, nil)
	var out []graph.Reached
	for _, m := range t.order[1:] {
		if s.entities[m].Kind != graph.Condition || t.signs[m]&signBit(false) == 0 {
			continue
		}
		p := s.pathOf(w, t.chain(m, false))
		out = append(out, graph.Reached{Entity: s.entities[m], Distance: int(t.dist[m]), Effects: []graph.Effect{graph.Increases},
			Confidence: p.Confidence, Path: &p})
	}
	t.release()
	return out
}

// Knockout removes q.Remove from the graph (for this question only) and
// reports the chains from q.From to q.To that survive, those that break,
// and the cut points of what is left.
func (s *Snapshot) Knockout(ctx context.Context, q graph.KnockoutQuery) (*graph.KnockoutResult, error) {
	var err error
	if q.MaxDepth, err = checkDepth("maxDepth", q.MaxDepth, graph.DefaultTraceDepth, graph.MaxTraceDepth); err != nil {
		return nil, err
	}
	if q.Limit, err = checkFirst("limit", q.Limit, graph.DefaultTraceLimit, graph.MaxTraceLimit); err != nil {
		return nil, err
	}
	if len(q.Remove) == 0 {
		return nil, fmt.Errorf("%w: remove names no entity", graph.ErrBadArgument)
	}
	w, err := s.work(ctx, q.Budget, q.Filter)
	if err != nil {
		return nil, err
	}
	from, to, err := s.ends(ctx, q.From, q.To)
	if err != nil {
		return nil, err
	}
	res := &graph.KnockoutResult{From: from, To: to}
	removed := make([]bool, len(s.entities))
	for _, ref := range q.Remove {
		e, err := s.resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		if e == from || e == to {
			return nil, fmt.Errorf("%w: cannot remove %q, an end of the chains", graph.ErrBadArgument, e.ID)
		}
		if n := s.byID.at(e.ID); !removed[n] {
			removed[n] = true
			res.Removed = append(res.Removed, e)
		}
	}
	start, end := s.byID.at(from.ID), s.byID.at(to.ID)

	survive := s.newTracer(w, start, end, q.MaxDepth, removed)
	surviving, more1 := survive.run(q.Limit, graph.ByLength)
	broke := s.newTracer(w, start, end, q.MaxDepth, nil)
	broke.keep = func(c []int32) bool {
		for _, li := range c {
			if removed[s.lobj[li]] {
				return true
			}
		}
		return false
	}
	broken, more2 := broke.run(q.Limit, graph.ByLength)
	for _, c := range surviving {
		res.Surviving = append(res.Surviving, s.pathOf(w, c))
	}
	for _, c := range broken {
		res.Broken = append(res.Broken, s.pathOf(w, c))
	}
	res.Connected = len(surviving) > 0
	if res.Connected {
		// A cut point lies on every surviving chain, so on the first; it
		// is one when no chain within MaxDepth avoids it. The shortest
		// chain avoiding it is simple, so a BFS decides exactly.
		skip := slices.Clone(removed)
		for _, e := range res.Surviving[0].Entities[1:res.Surviving[0].Len()] {
			n := s.byID.at(e.ID)
			skip[n] = true
			if s.distance(w, start, end, q.MaxDepth, skip) < 0 && !w.done {
				res.CutPoints = append(res.CutPoints, e)
			}
			skip[n] = false
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Truncated = more1 || more2 || w.done
	return res, nil
}
