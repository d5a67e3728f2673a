package schema

import (
	"errors"
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/graph"
)

// MaxBatch is the most ids entitiesByIds takes and the most pairs traces takes
// in one request; a longer list is refused with LIMIT_EXCEEDED. paths takes
// at most graph.MaxPathEnds entities in each of from and to.
const MaxBatch = 100

// entityAnswer is one id of entitiesByIds(ids): the entity, or why there is none.
type entityAnswer struct {
	id     string
	entity *graph.Entity
	err    *Error
}

// traceAnswer is one pair of traces(pairs): the trace, or why there is none.
type traceAnswer struct {
	from, to string
	res      *graph.TraceResult
	err      *Error
}

// answerable reports whether err belongs in one answer of a batch (the
// id names nothing, or several entities, or the pair is malformed) rather
// than failing the whole field (a timeout, the database down).
func answerable(err error) (*Error, bool) {
	e := codedError(err).(*Error)
	switch e.Code {
	case CodeNotFound, CodeAmbiguous, CodeBadUserInput:
		return e, true
	}
	return e, false
}

func tooMany(what string, n, most int) error {
	return &Error{Code: CodeLimitExceeded, err: fmt.Errorf("%s lists %d items; at most %d are allowed in one request", what, n, most)}
}

func (b *builder) batchTypes() (entityAns, traceAns, paths *graphql.Object, pair *graphql.InputObject) {
	problem := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Problem",
		Description: "Why one item of a batch has no answer. code is what extensions.code would be for the single query: NOT_FOUND, AMBIGUOUS or BAD_USER_INPUT.",
		Fields: graphql.Fields{
			"code":    field(nonNull(graphql.String), "NOT_FOUND, AMBIGUOUS or BAD_USER_INPUT.", func(e *Error) any { return e.Code }),
			"message": field(nonNull(graphql.String), "A sentence saying what went wrong.", func(e *Error) any { return e.Error() }),
			"candidates": field(listOf(b.entity), "For AMBIGUOUS: the entities the name could mean (ask again by id); empty otherwise.", func(e *Error) any {
				var amb *graph.AmbiguousError
				if errors.As(e, &amb) {
					return amb.Candidates
				}
				return []*graph.Entity{}
			}),
			"didYouMean": field(listOf(b.entity), "For NOT_FOUND: the entities whose names are a few edits from the one asked, nearest first (as extensions.didYouMean); empty otherwise.", func(e *Error) any {
				var nf *graph.NotFoundError
				if errors.As(e, &nf) {
					return nf.Candidates
				}
				return []*graph.Entity{}
			}),
		},
	})
	errField := func(get func(any) *Error) *graphql.Field {
		return &graphql.Field{Type: problem, Description: "Why there is no answer; null when there is one.", Resolve: func(p graphql.ResolveParams) (any, error) {
			if e := get(p.Source); e != nil {
				return e, nil
			}
			return nil, nil
		}}
	}
	entityAns = graphql.NewObject(graphql.ObjectConfig{
		Name:        "EntityAnswer",
		Description: "One id of entitiesByIds(ids), in the order asked: the entity, or the problem.",
		Fields: graphql.Fields{
			"id":     field(nonNull(graphql.ID), "The id, name, synonym or CURIE as asked.", func(a *entityAnswer) any { return a.id }),
			"entity": field(b.entity, "The entity it names; null when it names none or several.", func(a *entityAnswer) any { return a.entity }),
			"error":  errField(func(s any) *Error { return s.(*entityAnswer).err }),
		},
	})
	traceAns = graphql.NewObject(graphql.ObjectConfig{
		Name:        "TraceAnswer",
		Description: "One pair of traces(pairs), in the order asked: its trace, or the problem.",
		Fields: graphql.Fields{
			"from":  field(nonNull(graphql.ID), "The start as asked.", func(a *traceAnswer) any { return a.from }),
			"to":    field(nonNull(graphql.ID), "The end as asked.", func(a *traceAnswer) any { return a.to }),
			"trace": field(b.trace, "The chains; null when there is a problem.", func(a *traceAnswer) any { return a.res }),
			"error": errField(func(s any) *Error { return s.(*traceAnswer).err }),
		},
	})
	paths = graphql.NewObject(graphql.ObjectConfig{
		Name:        "PathsResult",
		Description: "The best chains from a set of entities to another.",
		Fields: graphql.Fields{
			"from":      field(listOf(b.entity), "The sources, resolved, duplicates dropped.", func(r *graph.PathsResult) any { return r.From }),
			"to":        field(listOf(b.entity), "The targets, resolved, duplicates dropped.", func(r *graph.PathsResult) any { return r.To }),
			"paths":     field(listOf(b.path), "The chains over all pairs, ranked by orderBy; each starts at a source, ends at a target and passes through no other.", func(r *graph.PathsResult) any { return r.Paths }),
			"truncated": field(nonNull(graphql.Boolean), "True when more chains existed than limit, or the search stopped at its work budget.", func(r *graph.PathsResult) any { return r.Truncated }),
		},
	})
	pair = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        "TracePair",
		Description: "The two ends of one trace of traces(pairs).",
		Fields: graphql.InputObjectConfigFieldMap{
			"from": {Type: graphql.NewNonNull(graphql.ID), Description: "Where the chains start."},
			"to":   {Type: graphql.NewNonNull(graphql.ID), Description: "Where the chains end."},
		},
	})
	return
}

// chainArgs are the arguments trace, traces and paths share, past the ends.
func (b *builder) chainArgs(args graphql.FieldConfigArgument) graphql.FieldConfigArgument {
	args["maxDepth"] = &graphql.ArgumentConfig{Type: graphql.Int, Description: fmt.Sprintf("Most links in a chain, 1..%d (default %d).", graph.MaxTraceDepth, graph.DefaultTraceDepth)}
	args["limit"] = &graphql.ArgumentConfig{Type: graphql.Int, Description: fmt.Sprintf("Most chains returned, 1..%d (default %d); truncated says when more existed.", graph.MaxTraceLimit, graph.DefaultTraceLimit)}
	args["netEffect"] = &graphql.ArgumentConfig{Type: b.effect, Description: "Only chains with this net effect."}
	args["via"] = &graphql.ArgumentConfig{Type: graphql.NewList(graphql.NewNonNull(graphql.ID)), Description: "Every chain passes through all of these entities."}
	args["avoid"] = &graphql.ArgumentConfig{Type: graphql.NewList(graphql.NewNonNull(graphql.ID)), Description: "No chain passes through any of these entities."}
	args["orderBy"] = &graphql.ArgumentConfig{Type: b.order, Description: "LENGTH (default): shortest first, then most confident. CONFIDENCE: the most confident chains of any length up to maxDepth."}
	return b.filterArgs(args)
}

// chainQuery reads the arguments chainArgs declares into a TraceQuery.
func (b *builder) chainQuery(p graphql.ResolveParams) (graph.TraceQuery, error) {
	q := graph.TraceQuery{Via: idList(p.Args["via"]), Avoid: idList(p.Args["avoid"])}
	var err error
	if q.Filter, err = b.filterOf(p); err != nil {
		return q, err
	}
	if err = intArgs(p, intDst{"maxDepth", &q.MaxDepth}, intDst{"limit", &q.Limit}); err != nil {
		return q, err
	}
	q.NetEffect, _ = p.Args["netEffect"].(graph.Effect)
	q.OrderBy, _ = p.Args["orderBy"].(graph.Order)
	return q, nil
}

// batchFields adds entitiesByIds, traces and paths to the query type
// (entities is the paged list). A name already taken is a bug: it would
// replace the field silently.
func (b *builder) batchFields(fields graphql.Fields) {
	for _, name := range []string{"entitiesByIds", "traces", "paths"} {
		if fields[name] != nil {
			panic("schema: query field " + name + " defined twice")
		}
	}
	entityAns, traceAns, paths, pair := b.batchTypes()
	fields["entitiesByIds"] = &graphql.Field{
		Type: listOf(entityAns),
		Description: fmt.Sprintf("Many entities in one round trip, each looked up as entity(id) does; one answer per id, in order, "+
			"with the problem (NOT_FOUND, AMBIGUOUS) for an id that names none or several. At most %d ids (LIMIT_EXCEEDED).", MaxBatch),
		Args: graphql.FieldConfigArgument{"ids": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.ID))), Description: "Ids, CURIEs, names or synonyms."}},
		Resolve: func(p graphql.ResolveParams) (any, error) {
			ids := idList(p.Args["ids"])
			if len(ids) > MaxBatch {
				return nil, tooMany("ids", len(ids), MaxBatch)
			}
			if err := spend(p.Context, len(ids)); err != nil {
				return nil, err
			}
			out := make([]*entityAnswer, len(ids))
			for i, id := range ids {
				a := &entityAnswer{id: id}
				e, err := b.store.Resolve(p.Context, id)
				if err == nil && e == nil {
					err = fmt.Errorf("%w: no entity %q", graph.ErrNotFound, id)
				}
				if err != nil {
					var ok bool
					if a.err, ok = answerable(err); !ok {
						return nil, a.err
					}
				}
				a.entity = e
				out[i] = a
			}
			return out, nil
		},
	}
	fields["traces"] = &graphql.Field{
		Type: listOf(traceAns),
		Description: fmt.Sprintf("Many traces in one round trip, with trace's arguments applied to every pair; one answer per pair, in order, "+
			"with the problem (NOT_FOUND, AMBIGUOUS, BAD_USER_INPUT) for a pair that has no trace. At most %d pairs (LIMIT_EXCEEDED); "+
			"the pairs share one trace's work budget.", MaxBatch),
		Args: b.chainArgs(graphql.FieldConfigArgument{
			"pairs":    {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(pair))), Description: "The pairs of ends."},
			"inherit":  {Type: graphql.Boolean, DefaultValue: false, Description: "As trace's: a member takes its class's causal links, each such hop marked and scored as an inference."},
			"distinct": {Type: graphql.Boolean, DefaultValue: false, Description: "As trace's: chains that differ only by shortcut links are one answer, the fullest, with the others as its variants."},
		}),
		Resolve: func(p graphql.ResolveParams) (any, error) {
			pairs, _ := p.Args["pairs"].([]any)
			if len(pairs) > MaxBatch {
				return nil, tooMany("pairs", len(pairs), MaxBatch)
			}
			q, err := b.chainQuery(p)
			if err != nil {
				return nil, err
			}
			q.Inherit, _ = p.Args["inherit"].(bool)
			q.Distinct, _ = p.Args["distinct"].(bool)
			if len(pairs) > 0 {
				q.Budget = max(graph.DefaultTraceBudget/len(pairs), 1)
			}
			out := make([]*traceAnswer, len(pairs))
			for i, v := range pairs {
				m, _ := v.(map[string]any)
				a := &traceAnswer{}
				a.from, _ = m["from"].(string)
				a.to, _ = m["to"].(string)
				q.From, q.To = a.from, a.to
				res, err := b.store.Trace(p.Context, q)
				if err != nil {
					var ok bool
					if a.err, ok = answerable(err); !ok {
						return nil, a.err
					}
				} else {
					a.res = res
					if err := spend(p.Context, 1+pathItems(res.Paths...)); err != nil {
						return nil, err
					}
				}
				out[i] = a
			}
			return out, nil
		},
	}
	fields["paths"] = &graphql.Field{
		Type: nonNull(paths),
		Description: fmt.Sprintf("Set to set (PathLinker's question): the best chains from any entity of from to any of to, ranked over all pairs as trace ranks one pair's "+
			"(shortest first, then most confident; or by orderBy). Each chain starts at a source, ends at the first target it reaches and passes through no other source. "+
			"At most %d entities in each list (LIMIT_EXCEEDED), none in both (BAD_USER_INPUT); one work budget for the whole search. An unknown entity is a NOT_FOUND error.",
			graph.MaxPathEnds),
		Args: b.chainArgs(graphql.FieldConfigArgument{
			"from": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.ID))), Description: "Where the chains may start, e.g. receptors."},
			"to":   {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.ID))), Description: "Where the chains may end, e.g. transcription factors."},
		}),
		Resolve: func(p graphql.ResolveParams) (any, error) {
			from, to := idList(p.Args["from"]), idList(p.Args["to"])
			for _, l := range []struct {
				name string
				ids  []string
			}{{"from", from}, {"to", to}} {
				if len(l.ids) > graph.MaxPathEnds {
					return nil, tooMany(l.name, len(l.ids), graph.MaxPathEnds)
				}
			}
			tq, err := b.chainQuery(p)
			if err != nil {
				return nil, err
			}
			res, err := b.store.Paths(p.Context, graph.PathsQuery{
				From: from, To: to, MaxDepth: tq.MaxDepth, Limit: tq.Limit, NetEffect: tq.NetEffect,
				Via: tq.Via, Avoid: tq.Avoid, OrderBy: tq.OrderBy, Filter: tq.Filter,
			})
			if err != nil {
				return nil, codedError(err)
			}
			return res, spend(p.Context, len(res.From)+len(res.To)+pathItems(res.Paths...))
		},
	}
}
