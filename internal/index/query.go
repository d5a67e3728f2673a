package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/leydigkg/leydigkg/graph"
)

// Resolve finds the entity a person means by ref: its id, name, a synonym
// or an xref CURIE, ignoring case, spaces, underscores and hyphens. A ref
// that names several entities is ErrAmbiguous; one that names none is
// ErrNotFound, with the closest names as suggestions.
// It checks ctx while it looks for suggestions and returns its error once
// it is done.
func (s *Snapshot) Resolve(ctx context.Context, ref string) (*graph.Entity, error) {
	return s.resolve(ctx, ref)
}

// Lookup finds the entity a file names: by its exact id, xref, name or
// synonym, never folded (files name things as they are; two names that
// differ only in case are two entities). A name several entities share is
// a *graph.AmbiguousError; one that names none is ErrNotFound, found by a
// map lookup, so that a load meeting many new names stays linear.
func (s *Snapshot) Lookup(ref string) (*graph.Entity, error) {
	if e, ok := s.EntityOrAlias(ref); ok {
		return e, nil
	}
	for _, m := range []*omap[string, []int32]{&s.exactX, &s.labels} {
		if e, err := s.pick(ref, m.at(ref)); e != nil || err != nil {
			return e, err
		}
	}
	return nil, fmt.Errorf("%w: no entity %q", graph.ErrNotFound, ref)
}

// Source returns the source with this id.
func (s *Snapshot) Source(id string) (*graph.Source, bool) {
	src := s.sources.at(id)
	return src, src != nil
}

// Sources lists every source, by id.
func (s *Snapshot) Sources() []*graph.Source {
	out := make([]*graph.Source, 0, s.sources.len())
	for _, src := range s.sources.all() {
		out = append(out, src)
	}
	slices.SortFunc(out, func(a, b *graph.Source) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// SourceUse counts what rests on source id: the links with an evidence
// item of it, and those items. The counts of every source are taken in one
// pass over the links, the first time any is asked for.
func (s *Snapshot) SourceUse(id string) graph.SourceUse {
	s.usageOnce.Do(func() {
		s.usage = make(map[string]graph.SourceUse, s.sources.len())
		for li := range s.linkOrder.all() {
			l := s.lfull[li]
			if l == nil { // compact: one item
				src := s.strs.strs[s.lcomp[li].src]
				s.usage[src] = graph.SourceUse{Links: s.usage[src].Links + 1, Evidence: s.usage[src].Evidence + 1}
				continue
			}
			for i := range l.Evidence {
				src := l.Evidence[i].Source
				u := s.usage[src]
				u.Evidence++
				if !slices.ContainsFunc(l.Evidence[:i], func(e graph.Evidence) bool { return e.Source == src }) {
					u.Links++
				}
				s.usage[src] = u
			}
		}
	})
	return s.usage[id]
}

// Reference returns the reference with this id.
func (s *Snapshot) Reference(id string) (*graph.Reference, bool) {
	r := s.refs.at(id)
	return r, r != nil
}

// References lists every reference, by id.
func (s *Snapshot) References() []*graph.Reference {
	snap := s
	out := make([]*graph.Reference, 0, snap.refs.len())
	for _, r := range snap.refs.all() {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *graph.Reference) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Stats counts what the store holds.
func (s *Snapshot) Stats() graph.Stats {
	return s.stats
}

// Entities lists entities by id, optionally only those of one kind.
func (s *Snapshot) Entities(kind graph.Kind, args graph.PageArgs) (graph.Page[*graph.Entity], error) {
	return page(s.order, func(n int32) *graph.Entity { return s.entities[n] }, func(e *graph.Entity) string { return e.ID },
		func(e *graph.Entity) bool { return kind == "" || e.Kind == kind }, args)
}

// Links lists links by id, optionally only those with one effect and
// those f keeps.
func (s *Snapshot) Links(effect graph.Effect, f graph.Filter, args graph.PageArgs) (graph.Page[*graph.Link], error) {
	w, err := s.work(context.Background(), 0, f)
	if err != nil {
		return graph.Page[*graph.Link]{}, err
	}
	// Paged by link index, so that only the links of the page are made.
	p, err := page(s.linkOrder, func(li int32) int32 { return li }, s.linkID,
		func(li int32) bool { return (effect == "" || s.linkEffect(li) == effect) && w.pass(li) }, args)
	res := graph.Page[*graph.Link]{Total: p.Total, HasNext: p.HasNext}
	for _, li := range p.Items {
		res.Items = append(res.Items, s.link(li))
	}
	return res, err
}

// touched reports whether some link of node n passes w's filter.
func (s *Snapshot) touched(w *work, n int32) bool {
	out, _ := s.outs(n)
	in, _ := s.ins(n)
	return slices.ContainsFunc(out, w.pass) || slices.ContainsFunc(in, w.pass)
}

// Outgoing lists the links whose subject is entity id, ordered by object id,
// optionally only those with one effect; first (at most MaxPageSize) caps
// the list, 0 meaning all.
func (s *Snapshot) Outgoing(id string, effect graph.Effect, first int) ([]*graph.Link, error) {
	return s.neighbours(id, effect, first, true)
}

// Incoming lists the links whose object is entity id, ordered by subject id.
func (s *Snapshot) Incoming(id string, effect graph.Effect, first int) ([]*graph.Link, error) {
	return s.neighbours(id, effect, first, false)
}

func (s *Snapshot) neighbours(id string, effect graph.Effect, first int, out bool) ([]*graph.Link, error) {
	if first < 0 || first > graph.MaxPageSize {
		return nil, fmt.Errorf("%w: first must be in 1..%d (0: all), not %d", graph.ErrBadArgument, graph.MaxPageSize, first)
	}
	snap := s
	n, ok := snap.byID.get(id)
	if !ok {
		return nil, fmt.Errorf("%w: entity %q", graph.ErrNotFound, id)
	}
	adj, _ := snap.ins(n)
	if out {
		adj, _ = snap.outs(n)
	}
	var res []*graph.Link
	for _, li := range adj {
		if first > 0 && len(res) == first {
			break
		}
		if effect == "" || snap.linkEffect(li) == effect {
			res = append(res, snap.link(li))
		}
	}
	return res, nil
}

// resolve finds the entity ref names: by exact id or old id (an alias),
// then exact xref, then exact name or synonym, then any of them folded
// (graph.Normalize). The first step that finds anything decides: one
// entity is the answer, several a *graph.AmbiguousError listing them.
func (s *Snapshot) resolve(ctx context.Context, ref string) (*graph.Entity, error) {
	if e, ok := s.EntityOrAlias(ref); ok {
		return e, nil
	}
	k := graph.Normalize(ref)
	for _, step := range [...]struct {
		m   *omap[string, []int32]
		key string
	}{{&s.exactX, ref}, {&s.labels, ref}, {&s.names, k}, {&s.xrefs, k}} {
		if e, err := s.pick(ref, step.m.at(step.key)); e != nil || err != nil {
			return e, err
		}
	}
	near, err := s.Suggest(ctx, ref, 3)
	if err != nil {
		return nil, err
	}
	return nil, &graph.NotFoundError{Ref: ref, Candidates: near}
}

// Suggest returns up to n entities whose names are a few edits from ref,
// nearest first: a whole name or synonym at most max(1, len/3) edits away
// (and never more than MaxTypoDistance); else entities with a word of
// their names near each word of ref ("inflamation" finds "chronic
// inflammation"). It asks the snapshot's typo indexes, so it costs about
// the same on any number of names; it stops with ctx.
func (s *Snapshot) Suggest(ctx context.Context, ref string, n int) ([]*graph.Entity, error) {
	k := graph.Normalize(ref)
	if k == "" || n <= 0 {
		return nil, nil
	}
	x, err := s.typoIndex(ctx)
	if err != nil {
		return nil, err
	}
	near, err := x.names.Near(ctx, k, typoDistance(k), n)
	if err != nil {
		return nil, err
	}
	if len(near) == 0 {
		matched, err := s.wordTypos(ctx, x, ref, n)
		if err != nil {
			return nil, err
		}
		for _, m := range matched {
			if m.all {
				near = append(near, Typo{Label: s.entities[m.node].ID})
			}
			if len(near) == n {
				break
			}
		}
	}
	out := make([]*graph.Entity, 0, len(near))
	for _, t := range near {
		if e, ok := s.Entity(t.Label); ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// typoDistance is the most edits a typo of a key of k's length may have.
func typoDistance(k string) int {
	return min(MaxTypoDistance, max(1, utf8.RuneCountInString(k)/3))
}

// wordMatch is an entity with a word of its names near some words of a
// query: how many, their edits in all, and whether every word is matched.
type wordMatch struct {
	node  int32
	words int
	dist  int
	all   bool
}

// wordTypos finds entities whose names have a word near each word of
// text (words of 4 or more letters; shorter ones must start a word of the
// names exactly), best first: most words matched, then fewest edits, then
// id. It looks at most limit·8 entities up per word.
func (s *Snapshot) wordTypos(ctx context.Context, x *typos, text string, limit int) ([]wordMatch, error) {
	qw := tokens(text)
	if len(qw) == 0 || len(qw) > 8 {
		return nil, nil
	}
	byNode := map[int32]*wordMatch{}
	typed := 0
	for _, w := range qw {
		k := graph.Normalize(w)
		if utf8.RuneCountInString(k) < 4 {
			continue
		}
		typed++
		near, err := x.words.Near(ctx, k, typoDistance(k), max(limit*8, 64))
		if err != nil {
			return nil, err
		}
		for _, t := range near {
			n, ok := s.byID.get(t.Label)
			if !ok {
				continue
			}
			m := byNode[n]
			if m == nil {
				m = &wordMatch{node: n}
				byNode[n] = m
			}
			m.words++
			m.dist += t.Dist
		}
	}
	if typed == 0 {
		return nil, nil
	}
	out := make([]wordMatch, 0, len(byNode))
	for _, m := range byNode {
		e := s.entities[m.node]
		short := 0 // words too short for typos must start a word of the names
		nameWords := tokens(strings.Join(append([]string{e.Name, e.ID}, e.Synonyms...), " "))
		for _, w := range qw {
			if utf8.RuneCountInString(graph.Normalize(w)) < 4 && countWords([]string{w}, nameWords) == 1 {
				short++
			}
		}
		m.all = m.words+short == len(qw)
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b wordMatch) int {
		if a.words+b2i(a.all) != b.words+b2i(b.all) {
			return (b.words + b2i(b.all)) - (a.words + b2i(a.all))
		}
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		return strings.Compare(s.entities[a.node].ID, s.entities[b.node].ID)
	})
	return out, nil
}

// typos holds a snapshot's typo indexes, built on the first name that
// matches nothing: most snapshots (one per write) never need them. names
// indexes whole normalized ids, names and synonyms; words, the words of
// 4 or more letters in them.
type typos struct {
	once  sync.Once
	ready chan struct{} // closed once the indexes are built
	names *TypoIndex
	words *TypoIndex
}

// typoIndex returns the snapshot's typo indexes. The first caller starts
// their build (about 0.1 s for 5·10⁴ names, 0.25 s for 2·10⁵, the words
// about as much again), which belongs to the snapshot, not to a request:
// every caller waits for it or for its own context, whichever ends first,
// so a request that runs out of time returns at once and the indexes serve
// the next one.
func (s *Snapshot) typoIndex(ctx context.Context) (*typos, error) {
	s.typos.once.Do(func() {
		s.typos.ready = make(chan struct{})
		go func() {
			pairs := make([]TypoPair, 0, s.names.len())
			for name, nodes := range s.names.all() {
				for _, node := range nodes {
					pairs = append(pairs, TypoPair{Key: name, Label: s.entities[node].ID})
				}
			}
			s.typos.names = NewTypoIndex(pairs)
			pairs = pairs[:0]
			for node := range s.order.all() {
				e := s.entities[node]
				for _, n := range append([]string{e.Name, e.ID}, e.Synonyms...) {
					for _, w := range tokens(n) {
						if utf8.RuneCountInString(w) >= 4 {
							pairs = append(pairs, TypoPair{Key: w, Label: e.ID})
						}
					}
				}
			}
			s.typos.words = NewTypoIndex(pairs)
			close(s.typos.ready)
		}()
	})
	select {
	case <-s.typos.ready:
		return s.typos, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// page pages through item(order[0]), item(order[1]), ...
func page[T any](order seq, item func(int32) T, id func(T) string, keep func(T) bool, args graph.PageArgs) (graph.Page[T], error) {
	n, err := args.Size()
	if err != nil {
		return graph.Page[T]{}, err
	}
	var res graph.Page[T]
	for i := range order.all() {
		it := item(i)
		if !keep(it) {
			continue
		}
		res.Total++
		if args.After != "" && id(it) <= args.After {
			continue
		}
		if len(res.Items) == n {
			res.HasNext = true
			continue
		}
		res.Items = append(res.Items, it)
	}
	return res, nil
}

// LinksOf lists the links whose subject or object is the entity id, by
// id, each once; ok is false when there is no such entity.
func (s *Snapshot) LinksOf(id string) (links []*graph.Link, ok bool) {
	n, ok := s.byID.get(id)
	if !ok {
		return nil, false
	}
	out, _ := s.outs(n)
	in, _ := s.ins(n)
	lis := slices.Concat(out, in)
	for _, li := range s.unasserted {
		if s.lsubj[li] == n || s.lobj[li] == n {
			lis = append(lis, li)
		}
	}
	// Each once (a self-loop is in both rows), by id, made once.
	slices.SortFunc(lis, func(a, b int32) int { return strings.Compare(s.lid[a], s.lid[b]) })
	for _, li := range slices.Compact(lis) {
		links = append(links, s.link(li))
	}
	return links, true
}

// pick is the entity the nodes ns that ref names are: the one, or, for
// several, a *graph.AmbiguousError listing them by id; nil and nil for
// none.
func (s *Snapshot) pick(ref string, ns []int32) (*graph.Entity, error) {
	switch len(ns) {
	case 0:
		return nil, nil
	case 1:
		return s.entities[ns[0]], nil
	}
	err := &graph.AmbiguousError{Ref: ref}
	for _, n := range ns {
		err.Candidates = append(err.Candidates, s.entities[n])
	}
	slices.SortFunc(err.Candidates, func(a, b *graph.Entity) int { return strings.Compare(a.ID, b.ID) })
	return nil, err
}
