package graph

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Limits on list arguments; the GraphQL schema states them too.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Entity returns the entity with exactly this id.
func (s *Store) Entity(ctx context.Context, id string) (*Entity, error) {
	if e, ok := s.snap.Load().entity(id); ok {
		return e, nil
	}
	return nil, fmt.Errorf("%w: entity %q", ErrNotFound, id)
}

// Resolve finds the entity a person means by ref: its id, name, a synonym
// or an xref CURIE, ignoring case, spaces, underscores and hyphens. A ref
// that names several entities is ErrAmbiguous; one that names none is
// ErrNotFound, with the closest names as suggestions.
func (s *Store) Resolve(ctx context.Context, ref string) (*Entity, error) {
	return s.snap.Load().resolve(ref)
}

// Lookup is Resolve without the suggestions: for a ref that names nothing
// it costs a map lookup, not a scan of every name, so a load that meets
// many new names stays linear. A ref that names none is ErrNotFound.
func (s *Store) Lookup(ctx context.Context, ref string) (*Entity, error) {
	snap := s.snap.Load()
	k := normalize(ref)
	if _, isID := snap.entity(ref); !isID && len(snap.names[k]) == 0 && len(snap.xrefs[k]) == 0 {
		return nil, fmt.Errorf("%w: no entity %q", ErrNotFound, ref)
	}
	return snap.resolve(ref)
}

func (s *snapshot) resolve(ref string) (*Entity, error) {
	if e, ok := s.entity(ref); ok {
		return e, nil
	}
	k := normalize(ref)
	for _, m := range []map[string][]int32{s.names, s.xrefs} {
		switch ns := m[k]; len(ns) {
		case 0:
			continue
		case 1:
			return s.entities[ns[0]], nil
		default:
			ids := make([]string, len(ns))
			for i, n := range ns {
				ids[i] = s.entities[n].ID
			}
			slices.Sort(ids)
			return nil, fmt.Errorf("%w: %q names %d entities: %s", ErrAmbiguous, ref, len(ids), strings.Join(ids, ", "))
		}
	}
	if sug := s.suggest(k, 3); len(sug) > 0 {
		return nil, fmt.Errorf("%w: no entity %q (did you mean %s?)", ErrNotFound, ref, strings.Join(sug, ", "))
	}
	return nil, fmt.Errorf("%w: no entity %q", ErrNotFound, ref)
}

// suggest returns up to n entity ids whose names are a few edits from k.
func (s *snapshot) suggest(k string, n int) []string {
	if k == "" {
		return nil
	}
	type cand struct {
		id   string
		dist int
	}
	best := map[string]int{}
	for name, nodes := range s.names {
		d := levenshtein.ComputeDistance(k, name)
		if d > max(1, len(k)/3) {
			continue
		}
		for _, node := range nodes {
			id := s.entities[node].ID
			if old, ok := best[id]; !ok || d < old {
				best[id] = d
			}
		}
	}
	cs := make([]cand, 0, len(best))
	for id, d := range best {
		cs = append(cs, cand{id, d})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].id < cs[j].id
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, fmt.Sprintf("%q", cs[i].id))
	}
	return out
}

// Link returns the link with this id.
func (s *Store) Link(ctx context.Context, id string) (*Link, error) {
	if l, ok := s.snap.Load().link(id); ok {
		return l, nil
	}
	return nil, fmt.Errorf("%w: link %q", ErrNotFound, id)
}

// Source returns the source with this id.
func (s *Store) Source(ctx context.Context, id string) (*Source, error) {
	if src := s.snap.Load().sources[id]; src != nil {
		return src, nil
	}
	return nil, fmt.Errorf("%w: source %q", ErrNotFound, id)
}

// Reference returns the reference with this id.
func (s *Store) Reference(ctx context.Context, id string) (*Reference, error) {
	if r := s.snap.Load().refs[id]; r != nil {
		return r, nil
	}
	return nil, fmt.Errorf("%w: reference %q", ErrNotFound, id)
}

// References lists every reference, by id.
func (s *Store) References(ctx context.Context) []*Reference {
	snap := s.snap.Load()
	out := make([]*Reference, 0, len(snap.refs))
	for _, r := range snap.refs {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Reference) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Stats counts what the store holds.
func (s *Store) Stats(ctx context.Context) Stats {
	return s.snap.Load().stats
}

// Page is one page of a list ordered by id.
type Page[T any] struct {
	Items   []T
	HasNext bool
	Total   int // items matching the filter, on all pages
}

// PageArgs chooses a page: First items after the item with id After.
type PageArgs struct {
	First int    // 0 means DefaultPageSize
	After string // an id; "" starts at the beginning
}

func (p PageArgs) first() (int, error) {
	switch {
	case p.First == 0:
		return DefaultPageSize, nil
	case p.First < 0 || p.First > MaxPageSize:
		return 0, fmt.Errorf("%w: first must be in 1..%d, not %d", ErrBadArgument, MaxPageSize, p.First)
	}
	return p.First, nil
}

func page[T any](items []T, id func(T) string, keep func(T) bool, args PageArgs) (Page[T], error) {
	n, err := args.first()
	if err != nil {
		return Page[T]{}, err
	}
	var res Page[T]
	for _, it := range items {
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

// Entities lists entities by id, optionally only those of one kind.
func (s *Store) Entities(ctx context.Context, kind Kind, args PageArgs) (Page[*Entity], error) {
	return page(s.snap.Load().entities, func(e *Entity) string { return e.ID },
		func(e *Entity) bool { return kind == "" || e.Kind == kind }, args)
}

// Links lists links by id, optionally only those with one effect.
func (s *Store) Links(ctx context.Context, effect Effect, args PageArgs) (Page[*Link], error) {
	return page(s.snap.Load().links, func(l *Link) string { return l.ID },
		func(l *Link) bool { return effect == "" || l.Effect == effect }, args)
}

// Outgoing lists the links whose subject is entity id, ordered by object id,
// optionally only those with one effect; first (at most MaxPageSize) caps
// the list, 0 meaning all.
func (s *Store) Outgoing(ctx context.Context, id string, effect Effect, first int) ([]*Link, error) {
	return s.neighbours(id, effect, first, true)
}

// Incoming lists the links whose object is entity id, ordered by subject id.
func (s *Store) Incoming(ctx context.Context, id string, effect Effect, first int) ([]*Link, error) {
	return s.neighbours(id, effect, first, false)
}

func (s *Store) neighbours(id string, effect Effect, first int, out bool) ([]*Link, error) {
	if first < 0 || first > MaxPageSize {
		return nil, fmt.Errorf("%w: first must be in 1..%d (0: all), not %d", ErrBadArgument, MaxPageSize, first)
	}
	snap := s.snap.Load()
	n, ok := snap.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: entity %q", ErrNotFound, id)
	}
	adj, _ := snap.ins(n)
	if out {
		adj, _ = snap.outs(n)
	}
	var res []*Link
	for _, li := range adj {
		if first > 0 && len(res) == first {
			break
		}
		if l := snap.links[li]; effect == "" || l.Effect == effect {
			res = append(res, l)
		}
	}
	return res, nil
}
