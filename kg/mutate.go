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
// very next read, traces included; within Update, they join its
// transaction.

// AddEvidence appends evidence items to the link id and returns the link as
// now stored, its confidence (belief) computed again. Every item is checked
// like a loaded one (non-empty quote, known source and references); when any
// is wrong the error is a graph.Problems and nothing is written.
func (s *Store) AddEvidence(ctx context.Context, id string, evidence ...graph.Evidence) (*graph.Link, error) {
	var updated *graph.Link
	err := s.write(ctx, func(snap *index.Snapshot) (change, error) {
		c, l, err := s.planAddEvidence(snap, id, evidence)
		updated = l
		return c, err
	})
	if err != nil {
		return nil, err
	}
	return updated, nil
}

func (s *Store) planAddEvidence(snap *index.Snapshot, id string, evidence []graph.Evidence) (change, *graph.Link, error) {
	old, ok := snap.Link(id)
	if !ok {
		return change{}, nil, fmt.Errorf("%w: link %q", graph.ErrNotFound, id)
	}
	if len(evidence) == 0 {
		return change{}, nil, fmt.Errorf("%w: no evidence to add to link %q", graph.ErrMissingEvidence, id)
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
	without.Links = slices.DeleteFunc(without.Links, func(l *graph.Link) bool { return l.ID == old.ID })
	if ps := graph.Check(&graph.Batch{Links: []graph.Link{updated}}, index.New(without, s.beliefs)); len(ps) > 0 {
		return change{}, nil, ps
	}
	add, remove := quadDiff(layout.QuadsOf(&graph.Batch{Links: []graph.Link{*old}}), layout.QuadsOf(&graph.Batch{Links: []graph.Link{updated}}))
	return change{add: add, remove: remove, edit: func(r *index.Records) {
		// By the stored id: id may be one of its aliases.
		r.Links = slices.DeleteFunc(r.Links, func(l *graph.Link) bool { return l.ID == old.ID })
		r.Links = append(r.Links, &updated)
	}}, &updated, nil
}

// RemoveLink deletes the link id with its evidence. Sources and references
// stay.
func (s *Store) RemoveLink(ctx context.Context, id string) error {
	return s.write(ctx, func(snap *index.Snapshot) (change, error) {
		old, ok := snap.Link(id)
		if !ok {
			return change{}, fmt.Errorf("%w: link %q", graph.ErrNotFound, id)
		}
		return change{remove: layout.QuadsOf(&graph.Batch{Links: []graph.Link{*old}}), edit: func(r *index.Records) {
			r.Links = slices.DeleteFunc(r.Links, func(l *graph.Link) bool { return l.ID == old.ID }) // id may be an alias
		}}, nil
	})
}

// RemoveEntity deletes the entity id. While links use it the removal is
// refused with ErrConflict naming them, unless cascade is set, in which case
// those links go too. Its part-of and subclass-of relations go with it
// either way: they describe the entity. It returns the ids of the links
// removed.
func (s *Store) RemoveEntity(ctx context.Context, id string, cascade bool) ([]string, error) {
	var ids []string
	err := s.write(ctx, func(snap *index.Snapshot) (change, error) {
		e, ok := snap.Entity(id)
		if !ok {
			return change{}, fmt.Errorf("%w: entity %q", graph.ErrNotFound, id)
		}
		used, _ := snap.LinksOf(id)
		ids = make([]string, len(used))
		for i, l := range used {
			ids[i] = l.ID
		}
		if len(used) > 0 && !cascade {
			return change{}, fmt.Errorf("%w: entity %q is used by %d link(s) %q; remove them first or cascade", graph.ErrConflict, id, len(ids), ids)
		}
		b := &graph.Batch{Entities: []graph.Entity{*e}}
		for _, l := range used {
			b.Links = append(b.Links, *l)
		}
		rels := snap.RelationsOf(id) // structure cannot outlive its entity
		for _, x := range rels {
			b.Relations = append(b.Relations, *x)
		}
		gone := map[string]bool{}
		for _, x := range ids {
			gone[x] = true
		}
		return change{remove: layout.QuadsOf(b), edit: func(r *index.Records) {
			r.Entities = slices.DeleteFunc(r.Entities, func(e *graph.Entity) bool { return e.ID == id })
			r.Links = slices.DeleteFunc(r.Links, func(l *graph.Link) bool { return gone[l.ID] })
			r.Relations = slices.DeleteFunc(r.Relations, func(x *graph.Relation) bool { return slices.Contains(rels, x) })
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// write plans an edit against the current snapshot and writes it in one
// transaction, or adds it to the transaction of ctx (see Update).
func (s *Store) write(ctx context.Context, plan func(*index.Snapshot) (change, error)) error {
	if tx := s.txOf(ctx); tx != nil {
		return tx.do(plan)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return graph.ErrClosed
	}
	c, err := plan(s.snap.Load())
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.writeLocked(ctx, c.add, c.remove, c.edit)
}

// quadDiff returns what turns the quads old into the quads next: adds of
// those only in next, removes of those only in old.
func quadDiff(old, next []quad.Quad) (add, remove []quad.Quad) {
	key := quadKey
	inNew := make(map[[4]string]bool, len(next))
	for _, q := range next {
		inNew[key(q)] = true
	}
	inOld := make(map[[4]string]bool, len(old))
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

// quadKey is what tells two quads apart: all four terms. A link's edge has
// the subject, effect and object of any other assertion between the same
// two entities with the same effect (another predicate): only its label,
// the link's node, differs.
func quadKey(q quad.Quad) [4]string {
	return [4]string{quad.StringOf(q.Subject), quad.StringOf(q.Predicate), quad.StringOf(q.Object), quad.StringOf(q.Label)}
}
