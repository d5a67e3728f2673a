package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// Edits of stored records, beside Apply (which only adds). Each is validated
// like Apply, all-or-nothing, written in one cayley transaction and visible
// to the very next read, traces included.

// AddEvidence appends evidence items to the link id and returns the link as
// now stored. The link's confidence is left as it is. Every item is checked
// like a loaded one (non-empty quote, known source and references); when any
// is wrong the error is a Problems and nothing is written.
func (s *Store) AddEvidence(ctx context.Context, id string, evidence ...Evidence) (*Link, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	snap := s.snap.Load()
	old, ok := snap.link(id)
	if !ok {
		return nil, fmt.Errorf("%w: link %q", ErrNotFound, id)
	}
	if len(evidence) == 0 {
		return nil, fmt.Errorf("%w: no evidence to add to link %q", ErrMissingEvidence, id)
	}
	updated := *old
	updated.Evidence = append(slices.Clone(old.Evidence), evidence...)
	for i := range updated.Evidence {
		updated.Evidence[i].References = slices.Clone(updated.Evidence[i].References)
	}
	// Check the new link as if the old one were not stored, so that only
	// what is wrong with it is reported, not that it differs.
	without := snap.records()
	without.links = slices.DeleteFunc(without.links, func(l *Link) bool { return l.ID == id })
	if ps := check(&Batch{Links: []Link{updated}}, newSnapshot(without)); len(ps) > 0 {
		return nil, ps
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	deltas := quadDeltas(quadsOf(&Batch{Links: []Link{*old}}), quadsOf(&Batch{Links: []Link{updated}}))
	err := s.applyLocked(ctx, deltas, func(r *records) {
		r.links = slices.DeleteFunc(r.links, func(l *Link) bool { return l.ID == id })
		r.links = append(r.links, &updated)
	})
	if err != nil {
		return nil, err
	}
	return &updated, nil
}

// RemoveLink deletes the link id with its evidence. Sources and references
// stay.
func (s *Store) RemoveLink(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	old, ok := s.snap.Load().link(id)
	if !ok {
		return fmt.Errorf("%w: link %q", ErrNotFound, id)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	deltas := quadDeltas(quadsOf(&Batch{Links: []Link{*old}}), nil)
	return s.applyLocked(ctx, deltas, func(r *records) {
		r.links = slices.DeleteFunc(r.links, func(l *Link) bool { return l.ID == id })
	})
}

// RemoveEntity deletes the entity id. While links use it the removal is
// refused with ErrConflict naming them, unless cascade is set, in which case
// those links go too. It returns the ids of the links removed.
func (s *Store) RemoveEntity(ctx context.Context, id string, cascade bool) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	snap := s.snap.Load()
	n, ok := snap.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: entity %q", ErrNotFound, id)
	}
	var used []*Link
	out, _ := snap.outs(n)
	in, _ := snap.ins(n)
	for _, li := range slices.Concat(out, in) {
		used = append(used, snap.links[li])
	}
	slices.SortFunc(used, func(a, b *Link) int { return strings.Compare(a.ID, b.ID) })
	used = slices.CompactFunc(used, func(a, b *Link) bool { return a.ID == b.ID })
	ids := make([]string, len(used))
	for i, l := range used {
		ids[i] = l.ID
	}
	if len(used) > 0 && !cascade {
		return nil, fmt.Errorf("%w: entity %q is used by %d link(s) %q; remove them first or cascade", ErrConflict, id, len(ids), ids)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := &Batch{Entities: []Entity{*snap.entities[n]}}
	for _, l := range used {
		b.Links = append(b.Links, *l)
	}
	gone := map[string]bool{}
	for _, x := range ids {
		gone[x] = true
	}
	err := s.applyLocked(ctx, quadDeltas(quadsOf(b), nil), func(r *records) {
		r.entities = slices.DeleteFunc(r.entities, func(e *Entity) bool { return e.ID == id })
		r.links = slices.DeleteFunc(r.links, func(l *Link) bool { return gone[l.ID] })
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// Ready reports whether the store is open and holds a graph: the readiness
// probe of a server.
func (s *Store) Ready() error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if s.snap.Load().stats.Entities == 0 {
		return fmt.Errorf("%w: the store holds no entities", ErrNotFound)
	}
	return nil
}

// quadDeltas returns the deltas that turn the quads old into the quads next:
// deletes of those only in old, adds of those only in next.
func quadDeltas(old, next []quad.Quad) []graph.Delta {
	key := func(q quad.Quad) [3]string {
		return [3]string{quad.StringOf(q.Subject), quad.StringOf(q.Predicate), quad.StringOf(q.Object)}
	}
	inNew := make(map[[3]string]bool, len(next))
	for _, q := range next {
		inNew[key(q)] = true
	}
	inOld := make(map[[3]string]bool, len(old))
	var deltas []graph.Delta
	for _, q := range old {
		inOld[key(q)] = true
		if !inNew[key(q)] {
			deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Delete})
		}
	}
	for _, q := range next {
		if !inOld[key(q)] {
			deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Add})
		}
	}
	return deltas
}
