package schema

import (
	"context"
	"fmt"
	"strings"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/graph"
)

// ModelStore is what the many-sources model (docs/model.md) needs of a
// knowledge graph: sources, beliefs and contradictions; *kg.Store has it.
type ModelStore interface {
	Sources(ctx context.Context) []*graph.Source
	SourceUse(ctx context.Context, id string) graph.SourceUse
	Belief(l *graph.Link) graph.Belief
	Opposites(ctx context.Context, id string) []*graph.Link
	Contradictions(ctx context.Context, q graph.ContradictionQuery) ([]graph.Contradiction, bool, error)
}

// MaxFilterItems bounds each list of a filter (sources.allow, sources.deny,
// knowledgeLevels, licenses): a filter checks every evidence item it meets
// against them, so a list sent as a variable, which the guard's value
// limits do not count, must not make that check slow.
const MaxFilterItems = 200

// enumName is the GraphQL name of a Biolink enum value: knowledge_assertion
// is KNOWLEDGE_ASSERTION.
func enumName[T ~string](v T) string { return strings.ToUpper(string(v)) }

// modelEnums builds KnowledgeLevel and AgentType, mirroring
// graph.KnowledgeLevels and graph.AgentTypes.
func (b *builder) modelEnums() {
	levelDoc := map[graph.KnowledgeLevel]string{
		graph.KnowledgeAssertion:     "The source states it, from its knowledge of the domain.",
		graph.LogicalEntailment:      "Inferred from other statements, e.g. by a curator (the evidence's reasoning says how).",
		graph.StatisticalAssociation: "A statistical association found in data.",
		graph.Observation:            "Seen, as in a case report.",
		graph.Prediction:             "Predicted by a model or algorithm.",
		graph.TextCoOccurrence:       "Named together in text.",
		graph.KnowledgeNotProvided:   "The source does not say.",
	}
	levels := graphql.EnumValueConfigMap{}
	for _, k := range graph.KnowledgeLevels {
		levels[enumName(k)] = &graphql.EnumValueConfig{Value: k, Description: levelDoc[k]}
	}
	b.level = graphql.NewEnum(graphql.EnumConfig{
		Name:        "KnowledgeLevel",
		Description: "How an evidence item knows what it states (Biolink 4.x knowledge_level).",
		Values:      levels,
	})
	agentDoc := map[graph.AgentType]string{
		graph.ManualAgent:                      "A person curated it by hand.",
		graph.AutomatedAgent:                   "An automated process made it.",
		graph.DataAnalysisPipeline:             "A data analysis pipeline made it.",
		graph.ComputationalModel:               "A computational model made it.",
		graph.TextMiningAgent:                  "A text-mining system read it.",
		graph.ImageProcessingAgent:             "An image-processing system made it.",
		graph.ManualValidationOfAutomatedAgent: "An automated process made it and a person checked it.",
		graph.AgentNotProvided:                 "The source does not say.",
	}
	agents := graphql.EnumValueConfigMap{}
	for _, a := range graph.AgentTypes {
		agents[enumName(a)] = &graphql.EnumValueConfig{Value: a, Description: agentDoc[a]}
	}
	b.agent = graphql.NewEnum(graphql.EnumConfig{
		Name:        "AgentType",
		Description: "What made an evidence item (Biolink 4.x agent_type).",
		Values:      agents,
	})
	b.sourceFilter = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        "SourceFilter",
		Description: "Which sources' evidence a query keeps. Every id must name a stored source (see sources).",
		Fields: graphql.InputObjectConfigFieldMap{
			"allow": {Type: graphql.NewList(graphql.NewNonNull(graphql.ID)), Description: fmt.Sprintf("Keep only evidence of these sources (all when left out); at most %d.", MaxFilterItems)},
			"deny":  {Type: graphql.NewList(graphql.NewNonNull(graphql.ID)), Description: fmt.Sprintf("Leave out evidence of these sources; at most %d.", MaxFilterItems)},
		},
	})
}

// modelTypes builds the belief and contradiction types.
func (b *builder) modelTypes() {
	sourceBelief := graphql.NewObject(graphql.ObjectConfig{
		Name:        "SourceBelief",
		Description: "One source's part in a link's belief.",
		Fields: graphql.Fields{
			"source": {Type: nonNull(b.source), Description: "The source.", Resolve: func(p graphql.ResolveParams) (any, error) {
				s, err := b.store.Source(p.Context, p.Source.(graph.SourceBelief).Source)
				return s, codedError(err)
			}},
			"evidenceCount": field(nonNull(graphql.Int), "The link's evidence items from this source.", func(s graph.SourceBelief) any { return s.EvidenceCount }),
			"contribution":  field(nonNull(graphql.Float), "The belief this source's items would give alone, 0..1.", func(s graph.SourceBelief) any { return s.Contribution }),
		},
	})
	b.belief = graphql.NewObject(graphql.ObjectConfig{
		Name: "Belief",
		Description: "How far to trust a link, and why: 1 − Π (systematic + random^n) over the kinds of its evidence, " +
			"each kind's error rates from the belief table, times 1 − the same of its negated items (docs/model.md).",
		Fields: graphql.Fields{
			"score":    field(nonNull(graphql.Float), "The belief, 0..1: the link's confidence.", func(bl graph.Belief) any { return bl.Score }),
			"bySource": field(listOf(sourceBelief), "Each source's part, the largest contribution first.", func(bl graph.Belief) any { return orEmpty(bl.BySource) }),
			"against":  field(listOf(sourceBelief), "Each source of negated items (that say the claim does not hold), with the belief those items give to that; empty when none.", func(bl graph.Belief) any { return orEmpty(bl.Against) }),
		},
	})
	contradiction := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Contradiction",
		Description: "Two assertions with the same subject and object and opposite effects: sources disagree.",
		Fields: graphql.Fields{
			"increases": field(nonNull(b.link), "The side that says INCREASES.", func(c graph.Contradiction) any { return c.Increases }),
			"decreases": field(nonNull(b.link), "The side that says DECREASES.", func(c graph.Contradiction) any { return c.Decreases }),
		},
	})
	b.contradictions = graphql.NewObject(graphql.ObjectConfig{
		Name:        "ContradictionResult",
		Description: "Contradicting pairs of assertions.",
		Fields: graphql.Fields{
			"pairs":     field(listOf(contradiction), "The pairs, the best supported first (by the weaker side's belief), then by ids.", func(r contradictions) any { return orEmpty(r.pairs) }),
			"truncated": field(nonNull(graphql.Boolean), "True when more pairs existed than first.", func(r contradictions) any { return r.more }),
		},
	})
}

type contradictions struct {
	pairs []graph.Contradiction
	more  bool
}

// sourceFields are the fields of Source beyond its id and title.
func (b *builder) sourceFields() graphql.Fields {
	str := graphql.String
	use := func(p graphql.ResolveParams) graph.SourceUse {
		return b.store.SourceUse(p.Context, p.Source.(*graph.Source).ID)
	}
	return graphql.Fields{
		"description": field(str, "What it is.", func(s *graph.Source) any { return optional(s.Description) }),
		"url":         field(str, "Where it is published.", func(s *graph.Source) any { return optional(s.URL) }),
		"version":     field(str, "The release or date loaded.", func(s *graph.Source) any { return optional(s.Version) }),
		"license":     field(str, "Its licence, an SPDX id where there is one (e.g. CC-BY-4.0); the licenses filter keeps or leaves it out.", func(s *graph.Source) any { return optional(s.License) }),
		"linkCount": {Type: nonNull(graphql.Int), Description: "Links with at least one evidence item of this source.", Resolve: func(p graphql.ResolveParams) (any, error) {
			return use(p).Links, nil
		}},
		"evidenceCount": {Type: nonNull(graphql.Int), Description: "Evidence items of this source, over all links.", Resolve: func(p graphql.ResolveParams) (any, error) {
			return use(p).Evidence, nil
		}},
	}
}

// linkModelFields are the fields of Link the model adds.
func (b *builder) linkModelFields() graphql.Fields {
	return graphql.Fields{
		"aliases": field(listOf(graphql.ID), "Other ids files gave this assertion; link(id) finds it by each.", func(l *graph.Link) any { return nonNilStrings(l.Aliases) }),
		"belief": {Type: nonNull(b.belief), Description: "Its belief (= confidence) and each source's part in it.", Resolve: func(p graphql.ResolveParams) (any, error) {
			bl := b.store.Belief(p.Source.(*graph.Link))
			return bl, spend(p.Context, len(bl.BySource))
		}},
		"contested": {Type: nonNull(graphql.Boolean), Description: "True when the opposite effect between the same subject and object is asserted too (see opposite).", Resolve: func(p graphql.ResolveParams) (any, error) {
			return len(b.store.Opposites(p.Context, p.Source.(*graph.Link).ID)) > 0, nil
		}},
		"opposite": {Type: listOf(b.link), Description: "The links with the same subject and object and the other effect; empty when none.", Resolve: func(p graphql.ResolveParams) (any, error) {
			opp := orEmpty(b.store.Opposites(p.Context, p.Source.(*graph.Link).ID))
			return opp, spend(p.Context, len(opp))
		}},
	}
}

// filterArgs adds the filter arguments of a causal query to args.
func (b *builder) filterArgs(args graphql.FieldConfigArgument) graphql.FieldConfigArgument {
	args["sources"] = &graphql.ArgumentConfig{Type: b.sourceFilter, Description: "Keep only evidence of these sources (allow), or leave some out (deny)."}
	args["minBelief"] = &graphql.ArgumentConfig{Type: graphql.Float, Description: "Leave out links whose belief, from the evidence kept, is below this (0..1)."}
	args["knowledgeLevels"] = &graphql.ArgumentConfig{Type: graphql.NewList(graphql.NewNonNull(b.level)), Description: "Keep only evidence of these knowledge levels (e.g. leave out LOGICAL_ENTAILMENT, curators' inferences)."}
	args["licenses"] = &graphql.ArgumentConfig{Type: graphql.NewList(graphql.NewNonNull(graphql.String)), Description: fmt.Sprintf("Keep only evidence of sources with these licences (SPDX ids, e.g. CC-BY-4.0); at most %d.", MaxFilterItems)}
	return args
}

// filterOf reads a query's filter arguments. Source ids must name stored
// sources: a misspelt id in deny would otherwise keep what the caller meant
// to leave out.
func (b *builder) filterOf(p graphql.ResolveParams) (graph.Filter, error) {
	var f graph.Filter
	if v, ok := p.Args["minBelief"].(float64); ok {
		f.MinBelief = v
	}
	if src, ok := p.Args["sources"].(map[string]any); ok {
		f.Sources.Allow = idList(src["allow"])
		f.Sources.Deny = idList(src["deny"])
	}
	if ks, ok := p.Args["knowledgeLevels"].([]any); ok {
		for _, k := range ks {
			if k, ok := k.(graph.KnowledgeLevel); ok {
				f.KnowledgeLevels = append(f.KnowledgeLevels, k)
			}
		}
	}
	f.Licenses = idList(p.Args["licenses"])
	for _, l := range []struct {
		name string
		n    int
	}{{"sources.allow", len(f.Sources.Allow)}, {"sources.deny", len(f.Sources.Deny)}, {"knowledgeLevels", len(f.KnowledgeLevels)}, {"licenses", len(f.Licenses)}} {
		if l.n > MaxFilterItems {
			return f, badInput("%s has %d items; at most %d are allowed", l.name, l.n, MaxFilterItems)
		}
	}
	if err := f.Check(); err != nil {
		return f, codedError(err)
	}
	for _, ids := range [][]string{f.Sources.Allow, f.Sources.Deny} {
		for _, id := range ids {
			if _, err := b.store.Source(p.Context, id); err != nil {
				if isNotFound(err) {
					return f, badInput("sources: no source %q (the sources query lists them)", id)
				}
				return f, codedError(err)
			}
		}
	}
	return f, nil
}

// modelQueries adds sources, source and contradictions to fields.
func (b *builder) modelQueries(fields graphql.Fields) {
	fields["sources"] = &graphql.Field{
		Type:        listOf(b.source),
		Description: "Every source evidence comes from, by id, with what rests on each (linkCount, evidenceCount).",
		Resolve: func(p graphql.ResolveParams) (any, error) {
			srcs := b.store.Sources(p.Context)
			return srcs, spend(p.Context, len(srcs))
		},
	}
	fields["source"] = &graphql.Field{
		Type:        b.source,
		Description: "One source, by id (e.g. infores:signor). Null when there is none.",
		Args:        graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID), Description: "The source's id."}},
		Resolve: func(p graphql.ResolveParams) (any, error) {
			s, err := b.store.Source(p.Context, p.Args["id"].(string))
			if isNotFound(err) {
				return nil, nil
			}
			return s, codedError(err)
		},
	}
	fields["contradictions"] = &graphql.Field{
		Type: nonNull(b.contradictions),
		Description: fmt.Sprintf("Pairs of assertions with the same subject and object and opposite effects, both sides kept by the filter "+
			"(minBelief: both at least), the best supported first. first: 1..%d, default %d.", graph.MaxPageSize, graph.DefaultPageSize),
		Args: b.filterArgs(graphql.FieldConfigArgument{
			"first": {Type: graphql.Int, Description: fmt.Sprintf("Most pairs, 1..%d (default %d); truncated says when more existed.", graph.MaxPageSize, graph.DefaultPageSize)},
		}),
		Resolve: func(p graphql.ResolveParams) (any, error) {
			var q graph.ContradictionQuery
			var err error
			if q.First, err = intArg(p, "first"); err != nil {
				return nil, err
			}
			if q.Filter, err = b.filterOf(p); err != nil {
				return nil, err
			}
			pairs, more, err := b.store.Contradictions(p.Context, q)
			if err != nil {
				return nil, codedError(err)
			}
			return contradictions{pairs, more}, spend(p.Context, 2*len(pairs))
		},
	}
}
