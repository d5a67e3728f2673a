package loaders

import (
	"context"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// Same input, same graph, whatever the order of the loads: a name that
// nothing had when an edge list was loaded made an entity of its own (id
// slug(name), that name and nothing else: fromName). When a later load
// brings an entity that the name would have meant had the two files been
// loaded together (resolve's order over the load's entities: id, then
// xref, then name or synonym, exactly, and one entity only), the made
// entity is merged into it: its links move to the new entity, in the same
// transaction as the load, and it is removed. A name is never folded for
// this, and an entity that says more than a name (a description,
// synonyms, xrefs, categories) is never merged.

// fromName reports whether e is what resolveName makes for a name nothing
// had: an entity with nothing but that name, and the id made from it.
func fromName(e *graph.Entity) bool {
	return e.ID == slug(e.Name) && e.Description == "" && len(e.Synonyms) == 0 && len(e.Xrefs) == 0 && len(e.Categories) == 0
}

// inBatch is the id of the entity of the load that name means, as resolve
// would find it among the load's entities: by id, else by one xref, else
// by one name or synonym; "" for none or several.
func (a *assembly) inBatch(name string) string {
	if i, ok := a.byID[name]; ok {
		return a.batch.Entities[i].ID
	}
	for _, m := range []map[string][]int{a.byXref, a.byName} {
		switch ix := m[name]; len(ix) {
		case 0:
		case 1:
			return a.batch.Entities[ix[0]].ID
		default:
			return ""
		}
	}
	return ""
}

// findMerges fills a.merged: the stored entities made from names that an
// entity of this load now claims (see above), each with the entity it
// merges into. It runs after the load's entities are in a, before any
// name is resolved.
func (l *Loader) findMerges(ctx context.Context, a *assembly) {
	if l.Store.Stats(ctx).Entities == 0 { // nothing made before: the first load
		return
	}
	for i := range a.batch.Entities {
		x := &a.batch.Entities[i]
		labels := append(append([]string{x.ID, x.Name}, x.Xrefs...), x.Synonyms...)
		for _, name := range labels {
			y, err := l.Store.Entity(ctx, slug(name))
			if err != nil || y.ID == x.ID || y.Name != name || !fromName(y) || a.merged[y.ID] != "" {
				continue
			}
			if _, again := a.byID[y.ID]; again { // the load states it itself
				continue
			}
			if a.inBatch(name) != x.ID {
				continue
			}
			if a.merged == nil {
				a.merged = map[string]string{}
			}
			a.merged[y.ID] = x.ID
		}
	}
}

// into is the entity id stands for after the merges: itself, or the
// entity it merges into.
func (a *assembly) into(id string) string {
	if to, ok := a.merged[id]; ok {
		return to
	}
	return id
}

// moveMerged removes the entities a.merged names, within the transaction
// of ctx, and returns their links (read from before, the store's last
// committed state, with outer) with their ends moved: a link whose id was
// made from its ends (as an edge list's is) gets the id made from its new
// ends, as it would have had loaded together.
func (l *Loader) moveMerged(ctx, outer context.Context, merged map[string]string) ([]graph.Link, error) {
	seen := map[string]bool{}
	var moved []graph.Link
	for y := range merged {
		ids, err := l.Store.RemoveEntity(ctx, y, true)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			old, err := l.Store.Link(outer, id)
			if err != nil {
				return nil, err
			}
			moved = append(moved, movedLink(old, merged))
		}
	}
	return moved, nil
}

// movedLink is l with its ends moved by merged, and a made id made again.
func movedLink(old *graph.Link, merged map[string]string) graph.Link {
	l := *old
	to := func(id string) string {
		if x, ok := merged[id]; ok {
			return x
		}
		return id
	}
	made := func(s, o string) string { return s + "_" + strings.ToLower(string(l.Effect)) + "_" + o }
	oldMade := made(l.Subject, l.Object)
	l.Subject, l.Object = to(l.Subject), to(l.Object)
	var aliases []string
	for _, id := range append([]string{l.ID}, l.Aliases...) {
		if id == oldMade {
			id = made(l.Subject, l.Object)
		}
		aliases = append(aliases, id)
	}
	l.ID, l.Aliases = aliases[0], aliases[1:]
	if len(l.Aliases) == 0 {
		l.Aliases = nil
	}
	return l
}

// applyMerging writes b with the merges of a.merged, in one transaction:
// the made entities removed, b applied, and their links applied again
// with their ends moved.
func (l *Loader) applyMerging(ctx context.Context, b *graph.Batch, merged map[string]string) (graph.Applied, error) {
	var applied graph.Applied
	err := l.Store.Update(ctx, func(tx context.Context) error {
		moved, err := l.moveMerged(tx, ctx, merged)
		if err != nil {
			return err
		}
		if applied, err = l.Store.Apply(tx, b); err != nil {
			return err
		}
		if len(moved) > 0 {
			_, err = l.Store.Apply(tx, &graph.Batch{Links: moved})
		}
		return err
	})
	return applied, err
}
