package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// chainArgs checks the arguments Trace and Paths share, and sets the
// defaults of those left 0.
func chainArgs(maxDepth, limit, budget *int, net graph.Effect, order graph.Order) error {
	var err error
	if *maxDepth, err = checkDepth("maxDepth", *maxDepth, graph.DefaultTraceDepth, graph.MaxTraceDepth); err != nil {
		return err
	}
	if *limit, err = checkFirst("limit", *limit, graph.DefaultTraceLimit, graph.MaxTraceLimit); err != nil {
		return err
	}
	if net != "" && !net.Valid() {
		return fmt.Errorf("%w: netEffect %q", graph.ErrBadArgument, net)
	}
	if err := order.Check(); err != nil {
		return err
	}
	if *budget == 0 {
		*budget = graph.DefaultTraceBudget
	}
	return nil
}

// Trace finds the simple causal chains (no entity twice) from q.From to
// q.To of at most q.MaxDepth links: by default shortest first and, among
// chains of one length, most confident first; with OrderBy ByConfidence,
// the most confident chains of any length. It stops when ctx is cancelled
// or its budget runs out, and then says Truncated. An empty result carries
// an Explanation. With Distinct, chains that differ only by shortcuts are
// one answer (distinctChains).
func (s *Snapshot) Trace(ctx context.Context, q graph.TraceQuery) (*graph.TraceResult, error) {
	if err := chainArgs(&q.MaxDepth, &q.Limit, &q.Budget, q.NetEffect, q.OrderBy); err != nil {
		return nil, err
	}
	if q.Inherit {
		q.Inherit = false
		return s.inheriting().Trace(ctx, q)
	}
	w, err := s.work(ctx, q.Budget, q.Filter)
	if err != nil {
		return nil, err
	}
	from, to, err := s.ends(ctx, q.From, q.To)
	if err != nil {
		return nil, err
	}
	avoid := make([]bool, len(s.entities))
	var avoided []int32
	for _, ref := range q.Avoid {
		e, err := s.resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		if e == from || e == to {
			return nil, fmt.Errorf("%w: cannot avoid %q, an end of the trace", graph.ErrBadArgument, e.ID)
		}
		avoid[s.byID.at(e.ID)] = true
		avoided = append(avoided, s.byID.at(e.ID))
	}
	var via []int32
	for _, ref := range q.Via {
		e, err := s.resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		if n := s.byID.at(e.ID); avoid[n] {
			return nil, fmt.Errorf("%w: %q is both in via and in avoid", graph.ErrBadArgument, e.ID)
		} else if e != from && e != to && !slices.Contains(via, n) {
			via = append(via, n)
		}
	}
	start, end := s.byID.at(from.ID), s.byID.at(to.ID)
	t := s.newTracer(w, start, end, q.MaxDepth, avoid)
	t.via, t.effect = via, q.NetEffect
	limit := q.Limit
	if q.Distinct {
		limit = distinctTraceRaw
	}
	chains, more := t.run(limit, q.OrderBy)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &graph.TraceResult{From: from, To: to, Truncated: more || w.done}
	if q.Distinct {
		var over bool
		res.Paths, over = s.distinctChains(w, chains, q.OrderBy, q.Limit)
		res.Truncated = res.Truncated || over
	} else {
		for _, c := range chains {
			res.Paths = append(res.Paths, s.pathOf(w, c))
		}
	}
	if len(res.Paths) == 0 {
		res.Explanation = s.explain(ctx, q, start, end, avoided, via, w.done, w.keep)
		if res.Explanation.Reason != graph.OutOfBudget {
			if p, ok := s.onlyByInheritance(ctx, q); ok {
				res.Explanation = inheritanceExplanation(res.Explanation, p)
			}
		}
	}
	return res, nil
}

// inheritanceExplanation says that no stated chain exists (ex says why)
// but p, a chain with inherited hops, does.
func inheritanceExplanation(ex *graph.Explanation, p graph.Path) *graph.Explanation {
	var b strings.Builder
	for i, l := range p.Links {
		if i == 0 {
			b.WriteString(p.Entities[0].ID)
		}
		arrow := " -" + string(l.Effect) + "-> "
		if l.Inherited() {
			arrow = " -" + string(l.Effect) + " (inherited from " + l.InheritedFrom + ")-> "
		}
		b.WriteString(arrow + p.Entities[i+1].ID)
	}
	return &graph.Explanation{Reason: graph.OnlyByInheritance, Shortest: ex.Shortest, Message: fmt.Sprintf(
		"no stated chain: %s. With inherit: true (a member takes its class's causal links, scored as an inference) there is: %s", ex.Message, b.String())}
}

// ends resolves the two ends of a chain, which must differ.
func (s *Snapshot) ends(ctx context.Context, fromRef, toRef string) (from, to *graph.Entity, err error) {
	if from, err = s.resolve(ctx, fromRef); err != nil {
		return nil, nil, err
	}
	if to, err = s.resolve(ctx, toRef); err != nil {
		return nil, nil, err
	}
	if from == to {
		return nil, nil, fmt.Errorf("%w: from and to are both %q; use loops for cycles", graph.ErrBadArgument, from.ID)
	}
	return from, to, nil
}

// explain finds out why a trace came back empty by lifting its filters one
// at a time, each with a fresh budget.
func (s *Snapshot) explain(ctx context.Context, q graph.TraceQuery, start, end int32, avoided, via []int32, exhausted bool, keep *linkFilter) *graph.Explanation {
	name := func(n int32) string { return fmt.Sprintf("%q", s.entities[n].ID) }
	names := func(ns []int32) string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = name(n)
		}
		return strings.Join(out, ", ")
	}
	ends := name(start) + " and " + name(end)
	if exhausted {
		return &graph.Explanation{Reason: graph.OutOfBudget, Shortest: -1, Message: fmt.Sprintf(
			"the search between %s ran out of its budget of %d steps (or its deadline) before finding a chain; narrow it with a smaller maxDepth, via or avoid", ends, q.Budget)}
	}
	w, _ := newWork(ctx, q.Budget)
	d := s.distance(w, start, end, len(s.entities), nil)
	ex := &graph.Explanation{Shortest: d}
	switch {
	case d < 0 && w.done:
		ex.Reason = graph.OutOfBudget
		ex.Message = fmt.Sprintf("no chain from %s to %s within maxDepth %d, and the budget ran out before the whole graph was searched", name(start), name(end), q.MaxDepth)
	case d < 0:
		ex.Reason = graph.Disconnected
		ex.Message = fmt.Sprintf("%s cannot reach %s: no chain of causal links of any length joins them in this direction", name(start), name(end))
	case d > q.MaxDepth:
		ex.Reason = graph.TooFar
		ex.Message = fmt.Sprintf("the shortest chain from %s to %s has %d links, more than maxDepth %d", name(start), name(end), d, q.MaxDepth)
		if d > graph.MaxTraceDepth {
			ex.Message += fmt.Sprintf(" (and more than the largest maxDepth, %d)", graph.MaxTraceDepth)
		}
	default:
		lift := func(keep *linkFilter, avoid []bool, via []int32, effect graph.Effect) bool {
			w, _ := newWork(ctx, q.Budget)
			w.keep = keep
			t := s.newTracer(w, start, end, q.MaxDepth, avoid)
			t.via, t.effect = via, effect
			chains, _ := t.run(1, graph.ByLength)
			return len(chains) > 0
		}
		avoid := make([]bool, len(s.entities))
		for _, n := range avoided {
			avoid[n] = true
		}
		switch {
		case keep != nil && !lift(keep, nil, nil, ""):
			ex.Reason = graph.RemovedByFilter
			ex.Message = fmt.Sprintf("chains from %s to %s within %d links exist, but each uses a link whose evidence the filters leave out (%s)", name(start), name(end), q.MaxDepth, describe(q.Filter))
		case len(avoided) > 0 && !lift(keep, avoid, nil, ""):
			ex.Reason = graph.RemovedByAvoid
			ex.Message = fmt.Sprintf("every chain from %s to %s within %d links passes through an avoided entity (%s)", name(start), name(end), q.MaxDepth, names(avoided))
		case len(via) > 0 && !lift(keep, avoid, via, ""):
			ex.Reason = graph.RemovedByVia
			ex.Message = fmt.Sprintf("chains from %s to %s within %d links exist, but none passes through all of %s", name(start), name(end), q.MaxDepth, names(via))
		default:
			ex.Reason = graph.RemovedNetEffect
			ex.Message = fmt.Sprintf("chains from %s to %s within %d links exist, but none has net effect %s", name(start), name(end), q.MaxDepth, q.NetEffect)
		}
	}
	return ex
}

// distance is the fewest links from start to end (-1: none within maxDepth
// or the budget), never entering skipped entities.
func (s *Snapshot) distance(w *work, start, end int32, maxDepth int, skip []bool) int {
	seen := make([]bool, len(s.entities))
	seen[start] = true
	frontier := []int32{start}
	var next []int32
	for d := 1; d <= maxDepth && len(frontier) > 0; d++ {
		next = next[:0]
		for _, u := range frontier {
			links, nodes := s.outs(u)
			if !w.spend(1 + len(nodes)) {
				return -1
			}
			for i, v := range nodes {
				if seen[v] || (skip != nil && skip[v]) || w.keep != nil && !w.pass(links[i]) {
					continue
				}
				if v == end {
					return d
				}
				seen[v] = true
				next = append(next, v)
			}
		}
		frontier, next = next, frontier
	}
	return -1
}

// distancesTo returns, for every node, the fewest links from it to target
// (-1 when more than maxDepth or unreachable), never entering avoided nodes.
func (s *Snapshot) distancesTo(w *work, target int32, maxDepth int, avoid []bool) []int8 {
	dist := make([]int8, len(s.entities))
	for i := range dist {
		dist[i] = -1
	}
	s.distancesInto(w, target, maxDepth, avoid, nil, dist, nil)
	return dist
}

// distancesInto is distancesTo into dist, which must hold -1 everywhere,
// entering only the nodes within marks non-zero (nil: every node); it
// appends the nodes it sets to touched, so that a caller running many
// searches can reset just those.
func (s *Snapshot) distancesInto(w *work, target int32, maxDepth int, avoid []bool, within []uint8, dist []int8, touched []int32) []int32 {
	dist[target] = 0
	touched = append(touched, target)
	frontier := touched[len(touched)-1:]
	for d := 1; d <= maxDepth && len(frontier) > 0; d++ {
		start := len(touched)
		for _, n := range frontier {
			links, from := s.ins(n)
			if !w.spend(1 + len(from)) {
				return touched
			}
			if w.keep == nil { // the common case: no link array to read
				for _, m := range from {
					if dist[m] < 0 && !avoid[m] && (within == nil || within[m] != 0) {
						dist[m] = int8(d)
						touched = append(touched, m)
					}
				}
				continue
			}
			for i, m := range from {
				if dist[m] < 0 && !avoid[m] && (within == nil || within[m] != 0) && w.pass(links[i]) {
					dist[m] = int8(d)
					touched = append(touched, m)
				}
			}
		}
		frontier = touched[start:]
	}
	return touched
}

// chainDistances is distancesTo(end) for the tracer's pruning, found
// without searching the whole graph around end. Take a + b = maxDepth - 1.
// An entity i links along a chain of at most maxDepth links from start to
// end is within a links of start, or (i > a) within maxDepth - i ≤ b links
// of end. So two searches, forward from start and back from end, grown a
// level at a time on whichever side has fewer links to follow until their
// depths add up to maxDepth - 1 (or a side runs out), mark every entity a
// chain can pass through, and the distances to end are searched among
// those alone. An entity on a chain the tracer can still complete keeps
// its distance, since that chain's shortest completion runs through marked
// entities by the same argument; others may lose theirs, and the tracer
// would prune them anyway. Where end sits in a dense part of the graph (a
// signed network of 10⁶ links, where six links back from an entity reach
// most of it), this searches a small part of it.
func (s *Snapshot) chainDistances(w *work, start, end int32, maxDepth int, avoid []bool) []int8 {
	const inF, inB = 1, 2
	mark := make([]uint8, len(s.entities))
	mark[start] |= inF
	mark[end] |= inB
	fwd, bwd := []int32{start}, []int32{end}
	for a, b := 0, 0; a+b < maxDepth-1 && len(fwd) > 0 && len(bwd) > 0 && !w.done; {
		if rowLinks(fwd, s.outs) <= rowLinks(bwd, s.ins) {
			fwd = extend(w, fwd, s.outs, mark, inF, avoid)
			a++
		} else {
			bwd = extend(w, bwd, s.ins, mark, inB, avoid)
			b++
		}
	}
	dist := make([]int8, len(s.entities))
	for i := range dist {
		dist[i] = -1
	}
	s.distancesInto(w, end, maxDepth, avoid, mark, dist, nil)
	return dist
}

// rowLinks counts the links of frontier's rows (out or in).
func rowLinks(frontier []int32, row func(int32) (links, nodes []int32)) int {
	n := 0
	for _, v := range frontier {
		links, _ := row(v)
		n += len(links)
	}
	return n
}

// extend takes a search one level on from frontier along row, marking
// what it reaches with bit, and returns the new frontier.
func extend(w *work, frontier []int32, row func(int32) (links, nodes []int32), mark []uint8, bit uint8, avoid []bool) []int32 {
	var next []int32
	for _, n := range frontier {
		links, nodes := row(n)
		if !w.spend(1 + len(nodes)) {
			return nil
		}
		for i, m := range nodes {
			if mark[m]&bit == 0 && !avoid[m] && (w.keep == nil || w.pass(links[i])) {
				mark[m] |= bit
				next = append(next, m)
			}
		}
	}
	return next
}

// tracer enumerates simple chains from start to end (a cycle when they are
// the same entity) by depth-first search, pruned by each entity's distance
// to end.
type tracer struct {
	snap       *Snapshot
	w          *work
	start, end int32
	maxDepth   int
	dist       []int8
	avoid      []bool
	onPath     []bool
	via        []int32
	effect     graph.Effect
	keep       func(chain []int32) bool // when set, only chains it keeps are found
	stack      []int32                  // link indexes of the chain so far
	emit       func(chain []int32) bool // false stops the walk
	stopped    bool
	// ends, when set, marks every entity a chain may end at (set-to-set
	// paths; end is then -1). A chain stops at the first it reaches.
	ends []bool
}

func (s *Snapshot) newTracer(w *work, start, end int32, maxDepth int, avoid []bool) *tracer {
	if avoid == nil {
		avoid = make([]bool, len(s.entities))
	}
	return &tracer{
		snap:     s,
		w:        w,
		start:    start,
		end:      end,
		maxDepth: maxDepth,
		dist:     s.chainDistances(w, start, end, maxDepth, avoid),
		avoid:    avoid,
		onPath:   make([]bool, len(s.entities)),
	}
}

// run returns up to limit chains, and whether more exist (or may exist:
// the budget ran out). ByLength walks one length at a time, so chains come
// shortest first, each length sorted by confidence; ByConfidence walks
// every length and keeps the limit most confident.
func (t *tracer) run(limit int, order graph.Order) (chains [][]int32, more bool) {
	first := 1
	if t.start != t.end {
		if t.dist[t.start] < 0 {
			return nil, false
		}
		first = int(t.dist[t.start])
	}
	if order == graph.ByConfidence {
		var top topChains
		t.emit = func(c []int32) bool {
			top.add(t.snap, t.w, c, limit)
			return true
		}
		for depth := first; depth <= t.maxDepth && !t.w.done; depth++ {
			t.walk(depth)
		}
		return top.sorted(), top.dropped || t.w.done
	}
	for depth := first; depth <= t.maxDepth && !t.w.done; depth++ {
		var level [][]int32
		t.emit = func(c []int32) bool {
			level = append(level, slices.Clone(c))
			return true
		}
		t.walk(depth)
		sortByConfidence(t.snap, t.w, level)
		if room := limit - len(chains); len(level) > room {
			return append(chains, level[:room]...), true
		}
		chains = append(chains, level...)
		if len(chains) == limit {
			// Full: say whether any longer chain exists.
			found := false
			t.emit = func([]int32) bool { found = true; return false }
			for d := depth + 1; d <= t.maxDepth && !found && !t.w.done; d++ {
				t.walk(d)
			}
			return chains, found
		}
	}
	return chains, false
}

func (t *tracer) walk(depth int) {
	t.stopped = false
	t.onPath[t.start] = true
	t.dfs(t.start, depth)
	t.onPath[t.start] = false
}

func (t *tracer) dfs(n int32, remaining int) {
	s := t.snap
	links, nodes := s.outs(n)
	for i, li := range links {
		if t.stopped || !t.w.step() {
			return
		}
		if !t.w.pass(li) {
			continue
		}
		m := nodes[i]
		if m == t.end || t.ends != nil && t.ends[m] {
			if remaining == 1 {
				t.stack = append(t.stack, li)
				t.found()
				t.stack = t.stack[:len(t.stack)-1]
			}
			continue
		}
		if t.onPath[m] || t.avoid[m] {
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

func (t *tracer) found() {
	for _, v := range t.via {
		if !t.onPath[v] {
			return
		}
	}
	if t.effect != "" {
		if neg, _ := t.snap.chainStats(t.w, t.stack); effectOf(neg) != t.effect {
			return
		}
	}
	if t.keep != nil && !t.keep(t.stack) {
		return
	}
	if !t.emit(t.stack) {
		t.stopped = true
	}
}

// sortByConfidence orders chains most confident first, keeping the order
// of equals.
func sortByConfidence(s *Snapshot, w *work, chains [][]int32) {
	type scored struct {
		chain []int32
		conf  float64
	}
	sc := make([]scored, len(chains))
	for i, c := range chains {
		_, conf := s.chainStats(w, c)
		sc[i] = scored{c, conf}
	}
	slices.SortStableFunc(sc, func(a, b scored) int { return cmp.Compare(b.conf, a.conf) })
	for i := range sc {
		chains[i] = sc[i].chain
	}
}

// topChains keeps the most confident chains seen, up to a limit.
type topChains struct {
	chains  [][]int32
	conf    []float64
	dropped bool
}

func (t *topChains) add(s *Snapshot, w *work, c []int32, limit int) {
	_, conf := s.chainStats(w, c)
	if len(t.chains) == limit {
		t.dropped = true
		worst := 0
		for i := range t.conf {
			if t.conf[i] < t.conf[worst] || (t.conf[i] == t.conf[worst] && len(t.chains[i]) > len(t.chains[worst])) {
				worst = i
			}
		}
		if conf < t.conf[worst] || (conf == t.conf[worst] && len(c) >= len(t.chains[worst])) {
			return
		}
		t.chains[worst], t.conf[worst] = slices.Clone(c), conf
		return
	}
	t.chains = append(t.chains, slices.Clone(c))
	t.conf = append(t.conf, conf)
}

// sorted returns the chains most confident first, then shortest.
func (t *topChains) sorted() [][]int32 {
	idx := make([]int, len(t.chains))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := cmp.Compare(t.conf[b], t.conf[a]); c != 0 {
			return c
		}
		return cmp.Compare(len(t.chains[a]), len(t.chains[b]))
	})
	out := make([][]int32, len(idx))
	for i, j := range idx {
		out[i] = t.chains[j]
	}
	return out
}

// describe says what a filter leaves out, for explanations.
func describe(f graph.Filter) string {
	var parts []string
	if len(f.Sources.Allow) > 0 {
		parts = append(parts, "sources "+strings.Join(f.Sources.Allow, ", ")+" only")
	}
	if len(f.Sources.Deny) > 0 {
		parts = append(parts, "not sources "+strings.Join(f.Sources.Deny, ", "))
	}
	if len(f.KnowledgeLevels) > 0 {
		ks := make([]string, len(f.KnowledgeLevels))
		for i, k := range f.KnowledgeLevels {
			ks[i] = string(k)
		}
		parts = append(parts, "knowledge levels "+strings.Join(ks, ", ")+" only")
	}
	if len(f.Licenses) > 0 {
		parts = append(parts, "licences "+strings.Join(f.Licenses, ", ")+" only")
	}
	if f.MinBelief > 0 {
		parts = append(parts, fmt.Sprintf("belief at least %v", f.MinBelief))
	}
	return strings.Join(parts, "; ")
}
