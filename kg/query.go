package kg

import (
	"context"
	"fmt"

	"github.com/leydigkg/leydigkg/graph"
)

// Reads. Each one reads the current snapshot (package index), which no
// write changes: see index.Snapshot for what each does.

// Entity returns the entity with exactly this id, or with this old id
// (one of its Aliases).
func (s *Store) Entity(ctx context.Context, id string) (*graph.Entity, error) {
	if e, ok := s.snapshot(ctx).EntityOrAlias(id); ok {
		return e, nil
	}
	return nil, fmt.Errorf("%w: entity %q", graph.ErrNotFound, id)
}

// Resolve finds the entity a person means by ref: its id, name, a synonym
// or an xref CURIE, ignoring case, spaces, underscores and hyphens. A ref
// that names several entities is ErrAmbiguous; one that names none is
// ErrNotFound, with the closest names as suggestions.
func (s *Store) Resolve(ctx context.Context, ref string) (*graph.Entity, error) {
	return s.snapshot(ctx).Resolve(ctx, ref)
}

// Lookup is Resolve without the suggestions: a map lookup, for callers
// that resolve many names the store may not hold (a load).
func (s *Store) Lookup(ctx context.Context, ref string) (*graph.Entity, error) {
	return s.snap.Load().Lookup(ref)
}

// Relations lists every part-of and subclass-of relation, by subject,
// predicate and object.
func (s *Store) Relations(ctx context.Context) []*graph.Relation {
	return s.snapshot(ctx).Relations()
}

// RelationsFrom lists the relations with predicate whose subject is
// entity id: what it is part of (graph.PartOf), or a kind of
// (graph.SubclassOf).
func (s *Store) RelationsFrom(ctx context.Context, id, predicate string) []*graph.Relation {
	return s.snapshot(ctx).RelationsFrom(id, predicate)
}

// RelationsTo lists the relations with predicate whose object is entity
// id: its parts, or its kinds.
func (s *Store) RelationsTo(ctx context.Context, id, predicate string) []*graph.Relation {
	return s.snapshot(ctx).RelationsTo(id, predicate)
}

// Link returns the link with this id.
func (s *Store) Link(ctx context.Context, id string) (*graph.Link, error) {
	if l, ok := s.snapshot(ctx).Link(id); ok {
		return l, nil
	}
	return nil, fmt.Errorf("%w: link %q", graph.ErrNotFound, id)
}

// Source returns the source with this id.
func (s *Store) Source(ctx context.Context, id string) (*graph.Source, error) {
	if src, ok := s.snapshot(ctx).Source(id); ok {
		return src, nil
	}
	return nil, fmt.Errorf("%w: source %q", graph.ErrNotFound, id)
}

// Sources lists every source, by id.
func (s *Store) Sources(ctx context.Context) []*graph.Source {
	return s.snapshot(ctx).Sources()
}

// SourceUse counts what rests on source id: the links with evidence of it,
// and those evidence items (zero for a source the store does not hold).
func (s *Store) SourceUse(ctx context.Context, id string) graph.SourceUse {
	return s.snapshot(ctx).SourceUse(id)
}

// Reference returns the reference with this id.
func (s *Store) Reference(ctx context.Context, id string) (*graph.Reference, error) {
	if r, ok := s.snapshot(ctx).Reference(id); ok {
		return r, nil
	}
	return nil, fmt.Errorf("%w: reference %q", graph.ErrNotFound, id)
}

// References lists every reference, by id.
func (s *Store) References(ctx context.Context) []*graph.Reference {
	return s.snapshot(ctx).References()
}

// Stats counts what the store holds.
func (s *Store) Stats(ctx context.Context) graph.Stats { return s.snapshot(ctx).Stats() }

// Entities lists entities by id, optionally only those of one kind.
func (s *Store) Entities(ctx context.Context, kind graph.Kind, args graph.PageArgs) (graph.Page[*graph.Entity], error) {
	return s.snapshot(ctx).Entities(kind, args)
}

// Links lists links by id, optionally only those with one effect.
func (s *Store) Links(ctx context.Context, effect graph.Effect, f graph.Filter, args graph.PageArgs) (graph.Page[*graph.Link], error) {
	return s.snapshot(ctx).Links(effect, f, args)
}

// Outgoing lists the links whose subject is entity id, ordered by object id,
// optionally only those with one effect; first (at most MaxPageSize) caps
// the list, 0 meaning all.
func (s *Store) Outgoing(ctx context.Context, id string, effect graph.Effect, first int) ([]*graph.Link, error) {
	return s.snapshot(ctx).Outgoing(id, effect, first)
}

// Incoming lists the links whose object is entity id, ordered by subject id.
func (s *Store) Incoming(ctx context.Context, id string, effect graph.Effect, first int) ([]*graph.Link, error) {
	return s.snapshot(ctx).Incoming(id, effect, first)
}

// Search finds entities by free text, best match first. An exact id, name,
// synonym or xref scores 1; a name that starts with or contains the text
// scores less; words found in names, then in descriptions, less again; a
// name a typo or two away scores least. kinds, when not empty, keeps only
// those kinds; first caps the hits (0: DefaultSearchHits).
func (s *Store) Search(ctx context.Context, text string, kinds []graph.Kind, first int, f graph.Filter) ([]graph.SearchHit, error) {
	return s.snapshot(ctx).Search(ctx, text, kinds, first, f)
}

// Trace finds the simple causal chains (no entity twice) from q.From to
// q.To of at most q.MaxDepth links: by default shortest first and, among
// chains of one length, most confident first; with OrderBy ByConfidence,
// the most confident chains of any length. It stops when ctx is cancelled
// or its budget runs out, and then says Truncated. An empty result carries
// an Explanation.
func (s *Store) Trace(ctx context.Context, q graph.TraceQuery) (*graph.TraceResult, error) {
	return s.snapshot(ctx).Trace(ctx, q)
}

// Paths finds the best simple causal chains from any entity of q.From to
// any of q.To, ranked over all pairs together as Trace ranks one pair's
// chains (PathLinker's question). No chain passes through another source
// or target; one work budget covers the whole search.
func (s *Store) Paths(ctx context.Context, q graph.PathsQuery) (*graph.PathsResult, error) {
	return s.snapshot(ctx).Paths(ctx, q)
}

// Downstream finds every entity q.Of affects through chains of at most
// q.MaxDepth links, with the net effects of its shortest chains.
func (s *Store) Downstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error) {
	return s.snapshot(ctx).Downstream(ctx, q)
}

// Upstream finds every entity that affects q.Of through chains of at most
// q.MaxDepth links.
func (s *Store) Upstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error) {
	return s.snapshot(ctx).Upstream(ctx, q)
}

// Loops finds simple feedback cycles (no entity twice but the first) of at
// most q.MaxLength links, each typed by its sign. With Through, every loop
// starts and ends there; without it, each loop is reported once, starting
// at its entity with the smallest id.
func (s *Store) Loops(ctx context.Context, q graph.LoopQuery) (*graph.LoopResult, error) {
	return s.snapshot(ctx).Loops(ctx, q)
}

// Interventions finds the THERAPY entities whose chains of at most
// q.MaxDepth links reach q.Target: those that move it toward q.Goal first,
// each with its best chain, the chains by which it also works against the
// goal and the conditions it raises on the way; then those that only move
// it the wrong way, flagged as such.
func (s *Store) Interventions(ctx context.Context, q graph.InterventionQuery) (*graph.InterventionResult, error) {
	return s.snapshot(ctx).Interventions(ctx, q)
}

// Knockout removes q.Remove from the graph (for this question only) and
// reports the chains from q.From to q.To that survive, those that break,
// and the cut points of what is left.
func (s *Store) Knockout(ctx context.Context, q graph.KnockoutQuery) (*graph.KnockoutResult, error) {
	return s.snapshot(ctx).Knockout(ctx, q)
}

// Contradictions lists pairs of assertions with the same subject and
// object and opposite effects, both kept by q's filter, the best supported
// first; more says that First cut the list.
func (s *Store) Contradictions(ctx context.Context, q graph.ContradictionQuery) (pairs []graph.Contradiction, more bool, err error) {
	return s.snapshot(ctx).Contradictions(q)
}

// Opposites lists the links that contradict link id (same subject and
// object, the other effect): a hop of a chain that has one is contested.
func (s *Store) Opposites(ctx context.Context, id string) []*graph.Link {
	return s.snapshot(ctx).Opposites(id)
}
