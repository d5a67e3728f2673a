package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Intervention and knockout limits; the GraphQL schema states them too.
const (
	DefaultInterventionDepth = 4
	DefaultInterventionFirst = 20
	MaxInterventionFirst     = 500
	// RiskDepth is how far from a therapy its risks are looked for.
	RiskDepth = 2
	// MaxOpposing is how many wrong-way chains an intervention lists.
	MaxOpposing = 3
)

// InterventionQuery asks which therapies move Target in the Goal direction.
type InterventionQuery struct {
	Target   string // entity id, name, synonym or xref
	Goal     Effect // INCREASES or DECREASES: the change wanted in Target
	MaxDepth int    // most links from therapy to target; 0 means DefaultInterventionDepth
	First    int    // most therapies returned; 0 means DefaultInterventionFirst
	OrderBy  Order  // ByLength (default) or ByConfidence, after TowardGoal
	Budget   int    // most steps; 0 means DefaultWorkBudget
}

// Intervention is a therapy whose chains reach the target.
type Intervention struct {
	Therapy *Entity `json:"therapy"`
	// TowardGoal says whether some chain moves the target the way wanted.
	// When false, every chain found moves it the wrong way.
	TowardGoal bool `json:"towardGoal"`
	// Path is the best chain toward the goal (the shortest, then the most
	// confident; the most confident with ByConfidence), or, for a
	// wrong-way therapy, its best chain.
	Path Path `json:"path"`
	// Opposing are the best chains that move the target against the goal
	// (up to MaxOpposing): how the same therapy also works the wrong way.
	Opposing []Path `json:"opposing"`
	// Risks are the conditions the therapy raises within RiskDepth links.
	Risks []Reached `json:"risks"`
}

// InterventionResult is the answer to an InterventionQuery.
type InterventionResult struct {
	Target        *Entity        `json:"target"`
	Goal          Effect         `json:"goal"`
	Interventions []Intervention `json:"interventions"`
	Total         int            `json:"total"`
	Truncated     bool           `json:"truncated"`
}

// Interventions finds the THERAPY entities whose chains of at most
// q.MaxDepth links reach q.Target: those that move it toward q.Goal first,
// each with its best chain, the chains by which it also works against the
// goal and the conditions it raises on the way; then those that only move
// it the wrong way, flagged as such.
func (s *Store) Interventions(ctx context.Context, q InterventionQuery) (*InterventionResult, error) {
	return s.snap.Load().interventions(ctx, q)
}

func (s *snapshot) interventions(ctx context.Context, q InterventionQuery) (*InterventionResult, error) {
	var err error
	if !q.Goal.Valid() {
		return nil, fmt.Errorf("%w: goal %q (want INCREASES or DECREASES)", ErrBadArgument, q.Goal)
	}
	if q.MaxDepth, err = checkDepth("maxDepth", q.MaxDepth, DefaultInterventionDepth, MaxTraceDepth); err != nil {
		return nil, err
	}
	if q.First, err = checkFirst("first", q.First, DefaultInterventionFirst, MaxInterventionFirst); err != nil {
		return nil, err
	}
	if err := q.OrderBy.check(); err != nil {
		return nil, err
	}
	w, err := newWork(ctx, q.Budget)
	if err != nil {
		return nil, err
	}
	target, err := s.resolve(q.Target)
	if err != nil {
		return nil, err
	}
	end := s.byID[target.ID]
	res := &InterventionResult{Target: target, Goal: q.Goal}
	against := Increases
	if q.Goal == Increases {
		against = Decreases
	}
	// One reverse BFS serves every therapy's search.
	avoid := make([]bool, len(s.entities))
	dist := s.distancesTo(w, end, q.MaxDepth, avoid)
	onPath := make([]bool, len(s.entities)) // all false again after every walk
	best := func(start int32, effect Effect, limit int) [][]int32 {
		t := &tracer{snap: s, w: w, start: start, end: end, maxDepth: q.MaxDepth, dist: dist,
			avoid: avoid, onPath: onPath, effect: effect}
		chains, _ := t.run(limit, q.OrderBy)
		return chains
	}
	for n, e := range s.entities {
		if w.done {
			break
		}
		if e.Kind != Therapy || dist[n] < 0 || int32(n) == end {
			continue
		}
		iv := Intervention{Therapy: e}
		toward := best(int32(n), q.Goal, 1)
		wrong := best(int32(n), against, MaxOpposing)
		for _, c := range wrong {
			iv.Opposing = append(iv.Opposing, s.pathOf(c))
		}
		switch {
		case len(toward) > 0:
			iv.TowardGoal, iv.Path = true, s.pathOf(toward[0])
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
	slices.SortStableFunc(res.Interventions, func(a, b Intervention) int {
		if a.TowardGoal != b.TowardGoal {
			if a.TowardGoal {
				return -1
			}
			return 1
		}
		byLen := cmp.Compare(a.Path.Len(), b.Path.Len())
		byConf := cmp.Compare(b.Path.Confidence, a.Path.Confidence)
		if q.OrderBy == ByConfidence {
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
func (s *snapshot) risks(w *work, n int32) []Reached {
	t := s.layers(w, n, RiskDepth, false, nil)
	var out []Reached
	for _, m := range t.order[1:] {
		if s.entities[m].Kind != Condition || t.signs[m]&signBit(false) == 0 {
			continue
		}
		p := s.pathOf(t.chain(m, false))
		out = append(out, Reached{Entity: s.entities[m], Distance: int(t.dist[m]), Effects: []Effect{Increases},
			Confidence: p.Confidence, Path: &p})
	}
	t.release()
	return out
}

// KnockoutQuery asks what removing entities does to the chains from -> to.
type KnockoutQuery struct {
	Remove   []string // entities knocked out
	From, To string
	MaxDepth int // 0 means DefaultTraceDepth
	Limit    int // most chains listed of each sort; 0 means DefaultTraceLimit
	Budget   int // most steps; 0 means DefaultWorkBudget
}

// KnockoutResult says which chains survive a knockout.
type KnockoutResult struct {
	From      *Entity   `json:"from"`
	To        *Entity   `json:"to"`
	Removed   []*Entity `json:"removed"`
	Surviving []Path    `json:"surviving"` // chains that avoid every removed entity
	Broken    []Path    `json:"broken"`    // chains that pass a removed entity
	// Connected says whether any chain of at most MaxDepth links survives.
	Connected bool `json:"connected"`
	// CutPoints are the entities every surviving chain passes through:
	// removing any one of them too would disconnect From from To.
	CutPoints []*Entity `json:"cutPoints"`
	Truncated bool      `json:"truncated"`
}

// Knockout removes q.Remove from the graph (for this question only) and
// reports the chains from q.From to q.To that survive, those that break,
// and the cut points of what is left.
func (s *Store) Knockout(ctx context.Context, q KnockoutQuery) (*KnockoutResult, error) {
	return s.snap.Load().knockout(ctx, q)
}

func (s *snapshot) knockout(ctx context.Context, q KnockoutQuery) (*KnockoutResult, error) {
	var err error
	if q.MaxDepth, err = checkDepth("maxDepth", q.MaxDepth, DefaultTraceDepth, MaxTraceDepth); err != nil {
		return nil, err
	}
	if q.Limit, err = checkFirst("limit", q.Limit, DefaultTraceLimit, MaxTraceLimit); err != nil {
		return nil, err
	}
	if len(q.Remove) == 0 {
		return nil, fmt.Errorf("%w: remove names no entity", ErrBadArgument)
	}
	w, err := newWork(ctx, q.Budget)
	if err != nil {
		return nil, err
	}
	from, to, err := s.ends(q.From, q.To)
	if err != nil {
		return nil, err
	}
	res := &KnockoutResult{From: from, To: to}
	removed := make([]bool, len(s.entities))
	for _, ref := range q.Remove {
		e, err := s.resolve(ref)
		if err != nil {
			return nil, err
		}
		if e == from || e == to {
			return nil, fmt.Errorf("%w: cannot remove %q, an end of the chains", ErrBadArgument, e.ID)
		}
		if n := s.byID[e.ID]; !removed[n] {
			removed[n] = true
			res.Removed = append(res.Removed, e)
		}
	}
	start, end := s.byID[from.ID], s.byID[to.ID]

	survive := s.newTracer(w, start, end, q.MaxDepth, removed)
	surviving, more1 := survive.run(q.Limit, ByLength)
	broke := s.newTracer(w, start, end, q.MaxDepth, nil)
	broke.keep = func(c []int32) bool {
		for _, li := range c {
			if removed[s.lobj[li]] {
				return true
			}
		}
		return false
	}
	broken, more2 := broke.run(q.Limit, ByLength)
	for _, c := range surviving {
		res.Surviving = append(res.Surviving, s.pathOf(c))
	}
	for _, c := range broken {
		res.Broken = append(res.Broken, s.pathOf(c))
	}
	res.Connected = len(surviving) > 0
	if res.Connected {
		// A cut point lies on every surviving chain, so on the first; it
		// is one when no chain within MaxDepth avoids it. The shortest
		// chain avoiding it is simple, so a BFS decides exactly.
		skip := slices.Clone(removed)
		for _, e := range res.Surviving[0].Entities[1:res.Surviving[0].Len()] {
			n := s.byID[e.ID]
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
