package schema

import (
	"context"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/graph"
)

// StructureStore is what the structure apart from causation needs of a
// knowledge graph: part-of and subclass-of relations by their ends;
// *kg.Store has it.
type StructureStore interface {
	RelationsFrom(ctx context.Context, id, predicate string) []*graph.Relation
	RelationsTo(ctx context.Context, id, predicate string) []*graph.Relation
}

// relationType builds Relation: a part-of or subclass-of statement with
// what it rests on.
func (b *builder) relationType() *graphql.Object {
	end := func(get func(*graph.Relation) string) graphql.FieldResolveFn {
		return func(p graphql.ResolveParams) (any, error) {
			e, err := b.store.Entity(p.Context, get(p.Source.(*graph.Relation)))
			return e, codedError(err)
		}
	}
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "Relation",
		Description: "A structural, non-causal statement: subject is part of object (biolink:part_of) or a kind of it (biolink:subclass_of). " +
			"Never a step of a causal chain; trace(inherit: true) reasons along subclass_of (docs/model.md).",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"subject":   {Type: nonNull(b.entity), Description: "The part, or the member.", Resolve: end(func(r *graph.Relation) string { return r.Subject })},
				"predicate": field(nonNull(graphql.String), "biolink:part_of or biolink:subclass_of.", func(r *graph.Relation) any { return r.Predicate }),
				"object":    {Type: nonNull(b.entity), Description: "The whole, or the class.", Resolve: end(func(r *graph.Relation) string { return r.Object })},
				"note":      field(graphql.String, "A curator's note.", func(r *graph.Relation) any { return optional(r.Note) }),
				"evidence":  field(listOf(b.evidence), "What the relation rests on; at least one item.", func(r *graph.Relation) any { return r.Evidence }),
			}
		}),
	})
}

// entityStructureFields are the fields of Entity the structure adds: its
// old ids, and its neighbours along part-of and subclass-of.
func (b *builder) entityStructureFields() graphql.Fields {
	ends := func(predicate string, up bool) graphql.FieldResolveFn {
		return func(p graphql.ResolveParams) (any, error) {
			e := p.Source.(*graph.Entity)
			rels := b.store.RelationsTo(p.Context, e.ID, predicate)
			if up {
				rels = b.store.RelationsFrom(p.Context, e.ID, predicate)
			}
			out := make([]*graph.Entity, 0, len(rels))
			for _, r := range rels {
				id := r.Subject
				if up {
					id = r.Object
				}
				x, err := b.store.Entity(p.Context, id)
				if err != nil {
					return nil, codedError(err)
				}
				out = append(out, x)
			}
			return out, spend(p.Context, len(out))
		}
	}
	return graphql.Fields{
		"aliases": field(listOf(graphql.String), "Old ids of the entity (ids merged into it): entity(id:) and every query find it by each of them.",
			func(e *graph.Entity) any { return nonNilStrings(e.Aliases) }),
		"broader":  {Type: listOf(b.entity), Description: "The classes it is a kind of (biolink:subclass_of), by id.", Resolve: ends(graph.SubclassOf, true)},
		"narrower": {Type: listOf(b.entity), Description: "The kinds of it (entities subclass_of it), by id.", Resolve: ends(graph.SubclassOf, false)},
		"partOf":   {Type: listOf(b.entity), Description: "The wholes it is part of (biolink:part_of), by id.", Resolve: ends(graph.PartOf, true)},
		"parts":    {Type: listOf(b.entity), Description: "Its parts (entities part_of it), by id.", Resolve: ends(graph.PartOf, false)},
		"relations": {Type: listOf(b.relation), Description: "Every part-of and subclass-of relation it is an end of, with its evidence: those it is the subject of first.",
			Resolve: func(p graphql.ResolveParams) (any, error) {
				e := p.Source.(*graph.Entity)
				var out []*graph.Relation
				for _, up := range []bool{true, false} {
					for _, pred := range graph.RelationPredicates {
						if up {
							out = append(out, b.store.RelationsFrom(p.Context, e.ID, pred)...)
						} else {
							out = append(out, b.store.RelationsTo(p.Context, e.ID, pred)...)
						}
					}
				}
				return out, spend(p.Context, len(out))
			}},
	}
}

// linkStructureFields are the fields of Link the structure adds.
func (b *builder) linkStructureFields() graphql.Fields {
	return graphql.Fields{
		"inherited": field(nonNull(graphql.Boolean), "True for a hop a member takes from its class (trace inherit: true): a link the query made, never stored, "+
			"whose evidence is the class link's, restated as an inference.", func(l *graph.Link) any { return l.Inherited() }),
		"inheritedFrom": {Type: b.entity, Description: "For an inherited hop, the class whose link the member takes; null otherwise.",
			Resolve: func(p graphql.ResolveParams) (any, error) {
				l := p.Source.(*graph.Link)
				if !l.Inherited() {
					return nil, nil
				}
				e, err := b.store.Entity(p.Context, l.InheritedFrom)
				return e, codedError(err)
			}},
		"inheritedLink": {Type: b.link, Description: "For an inherited hop, the class's stated link it restates; null otherwise.",
			Resolve: func(p graphql.ResolveParams) (any, error) {
				l := p.Source.(*graph.Link)
				if !l.Inherited() {
					return nil, nil
				}
				x, err := b.store.Link(p.Context, l.InheritedLink)
				return x, codedError(err)
			}},
		"shortcutOf": {Type: graphql.NewNonNull(graphql.NewList(listOf(b.entity))),
			Description: "The chains of entities (from the link's subject to its object) this link summarises: a chain or loop through the link " +
				"and one through such a chain are variants of one answer (loops(distinct: true)). Empty when it summarises none.",
			Resolve: func(p graphql.ResolveParams) (any, error) {
				l := p.Source.(*graph.Link)
				out := make([][]*graph.Entity, 0, len(l.ShortcutOf))
				for _, chain := range l.ShortcutOf {
					ents := make([]*graph.Entity, 0, len(chain))
					for _, id := range chain {
						e, err := b.store.Entity(p.Context, id)
						if err != nil {
							return nil, codedError(err)
						}
						ents = append(ents, e)
					}
					out = append(out, ents)
				}
				return out, nil
			}},
	}
}

// referenceStructureFields are the fields of Reference beside its
// citation: as the source prints it, and what the publication's record
// says.
func referenceStructureFields() graphql.Fields {
	str := func(doc string, get func(*graph.Reference) string) *graphql.Field {
		return field(graphql.String, doc, func(r *graph.Reference) any { return optional(get(r)) })
	}
	return graphql.Fields{
		"asCited": str("The reference exactly as the source prints it, where that differs from the publication's record (citation and the other fields).",
			func(r *graph.Reference) string { return r.AsCited }),
		"volume": str("Volume, as the publication's record gives it.", func(r *graph.Reference) string { return r.Volume }),
		"pages":  str("Pages (or article number), as the publication's record gives them.", func(r *graph.Reference) string { return r.Pages }),
		"doi":    str("DOI, bare (10.…), checked at its source.", func(r *graph.Reference) string { return r.DOI }),
		"pmid":   str("PubMed id, digits only, checked at its source.", func(r *graph.Reference) string { return r.PMID }),
		"note":   str("A curator's note: how the citation as printed differs from the record, and where that was read.", func(r *graph.Reference) string { return r.Note }),
	}
}

func nonNilPaths(ps []graph.Path) []graph.Path {
	if ps == nil {
		return []graph.Path{}
	}
	return ps
}
