package kg

import (
	"context"
	"fmt"
	"slices"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// Edits of stored records, beside Apply (which only adds). Each is validated
// like Apply, all-or-nothing, written in one transaction and visible to the
// very next read, traces included.

// AddEvidence appends evidence items to the link id and returns the link as
// now stored, its confidence (belief) computed again. Every item is checked
// like a loaded one (non-empty quote, known source and references); when any
// is wrong the error is a graph.Problems and nothing is written.
func (s *Store) AddEvidence(ctx context.Context, id string, evidence ...graph.Evidence) (*graph.Link, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, graph.ErrClosed
	}
	snap := s.snap.Load()
	old, ok := snap.Link(id)
	if !ok {
		return nil, fmt.Errorf("%w: link %q", graph.ErrNotFound, id)
	}
	if len(evidence) == 0 {
		return nil, fmt.Errorf("%w: no evidence to add to link %q", graph.ErrMissingEvidence, id)
	}
	updated := *old
	updated.Evidence = append(slices.Clone(old.Evidence), evidence...)
	for i := range updated.Evidence {
		updated.Evidence[i].References = slices.Clone(updated.Evidence[i].References)
	}
	s.score(&updated)
	// Check the new link as if the old one were not stored, so that only
	// what is wrong with it is reported, not that it differs.
	without := snap.Records()
	without.Links = slices.DeleteFunc(without.Links, func(l *graph.Link) bool { return l.ID == id })
	if ps := graph.Check(&graph.Batch{Links: []graph.Link{updated}}, index.New(without, s.beliefs)); len(ps) > 0 {
		return nil, ps
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	add, remove := quadDiff(layout.QuadsOf(&graph.Batch{Links: []graph.Link{*old}}), layout.QuadsOf(&graph.Batch{Links: []graph.Link{updated}}))
	err := s.writeLocked(ctx, add, remove, func(r *index.Records) {
		r.Links = slices.DeleteFunc(r.Links, func(l *graph.Link) bool { return l.ID == id })
		r.Links = append(r.Links, &updated)
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
		return graph.ErrClosed
	}
	old, ok := s.snap.Load().Link(id)
	if !ok {
		return fmt.Errorf("%w: link %q", graph.ErrNotFound, id)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.writeLocked(ctx, nil, layout.QuadsOf(&graph.Batch{Links: []graph.Link{*old}}), func(r *index.Records) {
		r.Links = slices.DeleteFunc(r.Links, func(l *graph.Link) bool { return l.ID == id })
	})
}

// RemoveEntity deletes the entity id. While links use it the removal is
// refused with ErrConflict naming them, unless cascade is set, in which case
// those links go too. It returns the ids of the links removed.
func (s *Store) RemoveEntity(ctx context.Context, id string, cascade bool) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, graph.ErrClosed
	}
	snap := s.snap.Load()
	e, ok := snap.Entity(id)
	if !ok {
		return nil, fmt.Errorf("%w: entity %q", graph.ErrNotFound, id)
	}
	used, _ := snap.LinksOf(id)
	ids := make([]string, len(used))
	for i, l := range used {
		ids[i] = l.ID
	}
	if len(used) > 0 && !cascade {
		return nil, fmt.Errorf("%w: entity %q is used by %d link(s) %q; remove them first or cascade", graph.ErrConflict, id, len(ids), ids)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := &graph.Batch{Entities: []graph.Entity{*e}}
	for _, l := range used {
		b.Links = append(b.Links, *l)
	}
	gone := map[string]bool{}
	for _, x := range ids {
		gone[x] = true
	}
	err := s.writeLocked(ctx, nil, layout.QuadsOf(b), func(r *index.Records) {
		r.Entities = slices.DeleteFunc(r.Entities, func(e *graph.Entity) bool { return e.ID == id })
		r.Links = slices.DeleteFunc(r.Links, func(l *graph.Link) bool { return gone[l.ID] })
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// quadDiff returns what turns the quads old into the quads next: adds of
// those only in next, removes of those only in old.
func quadDiff(old, next []quad.Quad) (add, remove []quad.Quad) {
	key := func(q quad.Quad) [3]string {
		return [3]string{quad.StringOf(q.Subject), quad.StringOf(q.Predicate), quad.StringOf(q.Object)}
	}
	inNew := make(map[[3]string]bool, len(next))
	for _, q := range next {
		inNew[key(q)] = true
	}
	inOld := make(map[[3]string]bool, len(old))
	for _, q := range old {
		inOld[key(q)] = true
		if !inNew[key(q)] {
			remove = append(remove, q)
		}
	}
	for _, q := range next {
		if !inOld[key(q)] {
			add = append(add, q)
		}
	}
	return add, remove
}
