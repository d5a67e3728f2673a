package index

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync/atomic"

	"github.com/leydigkg/leydigkg/graph"
)

// work counts a traversal's steps against its budget and its ctx. Once
// either runs out, done stays true and the traversal unwinds with what it
// has found.
type work struct {
	keep  *linkFilter // the query's filter; nil keeps every link
	ctx   context.Context
	left  int
	steps int
	done  bool
}

// work starts a query's work: its budget (0: DefaultWorkBudget) and its
// filter.
func (s *Snapshot) work(ctx context.Context, budget int, f graph.Filter) (*work, error) {
	w, err := newWork(ctx, budget)
	if err != nil {
		return nil, err
	}
	if w.keep, err = s.filter(f); err != nil {
		return nil, err
	}
	return w, nil
}

func newWork(ctx context.Context, budget int) (*work, error) {
	if budget < 0 {
		return nil, fmt.Errorf("%w: budget must not be negative", graph.ErrBadArgument)
	}
	if budget == 0 {
		budget = graph.DefaultWorkBudget
	}
	return &work{ctx: ctx, left: budget}, nil
}

// step spends one unit and reports whether the traversal may go on.
func (w *work) step() bool {
	if w.done {
		return false
	}
	w.steps++
	w.left--
	if w.left < 0 || (w.steps&4095 == 0 && w.pause()) {
		w.done = true
		return false
	}
	return true
}

// pause is called every 4096 steps: it says whether ctx is done, and,
// while a write is under way, lets other goroutines run. Go's scheduler
// takes a goroutine whose system call (a write's fsync) returned from a
// global queue it looks at once in 61 turns; with many traversals
// runnable, a write would wait for seconds for them. Yielding puts the
// traversal on that queue behind it. (Not always: a yield costs
// microseconds when it wakes an idle processor, which doubled the time of
// a trace on 10⁵ links.)
func (w *work) pause() bool {
	if writing.Load() > 0 {
		runtime.Gosched()
	}
	return w.ctx.Err() != nil
}

// writing counts the writes under way, in every store of the process.
var writing atomic.Int32

// Writing tells traversals that a write is under way until done is called,
// so that they make way for it (see pause).
func Writing() (done func()) {
	writing.Add(1)
	return func() { writing.Add(-1) }
}

// spend spends n units at once, for a loop that checks per row rather
// than per link.
func (w *work) spend(n int) bool {
	if w.done {
		return false
	}
	before := w.steps
	w.steps += n
	w.left -= n
	if w.left < 0 || (w.steps>>12 != before>>12 && w.pause()) {
		w.done = true
		return false
	}
	return true
}

// checkDepth validates a depth argument: 0 means def.
func checkDepth(name string, d, def, most int) (int, error) {
	if d == 0 {
		return def, nil
	}
	if d < 1 || d > most {
		return 0, fmt.Errorf("%w: %s must be in 1..%d, not %d", graph.ErrBadArgument, name, most, d)
	}
	return d, nil
}

// checkFirst validates a count argument: 0 means def; most 0 means no cap.
func checkFirst(name string, n, def, most int) (int, error) {
	if n == 0 {
		return def, nil
	}
	if n < 0 || (most > 0 && n > most) {
		return 0, fmt.Errorf("%w: %s must be in 1..%d, not %d", graph.ErrBadArgument, name, most, n)
	}
	return n, nil
}

// pathOf builds the Path of a chain of link indexes. Its confidence is the
// product of the hops' beliefs as w's filter sees them.
func (s *Snapshot) pathOf(w *work, chain []int32) graph.Path {
	p := graph.Path{
		Links:      make([]*graph.Link, len(chain)),
		Entities:   make([]*graph.Entity, 0, len(chain)+1),
		NetEffect:  graph.Increases,
		Confidence: 1,
	}
	if len(chain) == 0 {
		return p
	}
	p.Entities = append(p.Entities, s.entities[s.lsubj[chain[0]]])
	for i, li := range chain {
		l := s.link(li)
		p.Links[i] = l
		p.Entities = append(p.Entities, s.entities[s.lobj[li]])
		p.NetEffect = p.NetEffect.Times(l.Effect)
		p.Confidence *= w.conf(s, li)
	}
	p.Confidence = round6(p.Confidence)
	return p
}

// round6 rounds a product of confidences to 6 decimals, so that 0.85*0.85
// reads 0.7225, not 0.7224999999999999.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// chainSign and chainConf compose a chain's effect and confidence without
// building it.
func (s *Snapshot) chainStats(w *work, chain []int32) (neg bool, conf float64) {
	conf = 1
	for _, li := range chain {
		neg = neg != s.lneg[li]
		conf *= w.conf(s, li)
	}
	return neg, conf
}

func effectOf(neg bool) graph.Effect {
	if neg {
		return graph.Decreases
	}
	return graph.Increases
}
