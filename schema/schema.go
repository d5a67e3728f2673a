package schema

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/graph"
)

// Store is what the schema needs of a knowledge graph; *kg.Store has it.
type Store interface {
	CausalStore
	ModelStore
	StructureStore
	Entity(ctx context.Context, id string) (*graph.Entity, error)
	Resolve(ctx context.Context, ref string) (*graph.Entity, error)
	Link(ctx context.Context, id string) (*graph.Link, error)
	Source(ctx context.Context, id string) (*graph.Source, error)
	Reference(ctx context.Context, id string) (*graph.Reference, error)
	References(ctx context.Context) []*graph.Reference
	Entities(ctx context.Context, kind graph.Kind, args graph.PageArgs) (graph.Page[*graph.Entity], error)
	Links(ctx context.Context, effect graph.Effect, f graph.Filter, args graph.PageArgs) (graph.Page[*graph.Link], error)
	Outgoing(ctx context.Context, id string, effect graph.Effect, first int) ([]*graph.Link, error)
	Incoming(ctx context.Context, id string, effect graph.Effect, first int) ([]*graph.Link, error)
	Search(ctx context.Context, text string, kinds []graph.Kind, first int, f graph.Filter) ([]graph.SearchHit, error)
	Trace(ctx context.Context, q graph.TraceQuery) (*graph.TraceResult, error)
	Paths(ctx context.Context, q graph.PathsQuery) (*graph.PathsResult, error)
	Stats(ctx context.Context) graph.Stats
}

// New builds the GraphQL schema over store. When store is also a Writer the
// schema has mutations, which run only under a context marked by WithWrites.
func New(store Store) (graphql.Schema, error) { return NewWith(store, Meta{}) }

// NewWith is New answering the meta query with m.
func NewWith(store Store, m Meta) (graphql.Schema, error) {
	b := &builder{store: store, meta: m.WithDefaults()}
	query := b.query()
	s, err := graphql.NewSchema(graphql.SchemaConfig{Query: query, Mutation: b.mutation()})
	if err == nil {
		warmEnums(&s)
	}
	return s, err
}

type builder struct {
	store Store
	meta  Meta

	kind, effect                     *graphql.Enum
	entity, link, evidence, source   *graphql.Object
	reference, path, trace, hit      *graphql.Object
	pageInfo, stats, kindN, effectN  *graphql.Object
	entityConn, entityEdge, linkConn *graphql.Object
	linkEdge                         *graphql.Object

	order, loopKind, reason                  *graphql.Enum
	explanation, reached, reach, loop, loops *graphql.Object
	intervention, interventions, knockout    *graphql.Object

	level, agent           *graphql.Enum
	sourceFilter           *graphql.InputObject
	belief, contradictions *graphql.Object
	relation               *graphql.Object
}

func nonNull(t graphql.Output) graphql.Output { return graphql.NewNonNull(t) }
func listOf(t graphql.Output) graphql.Output {
	return graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(t)))
}

func (b *builder) enums() {
	kinds := graphql.EnumValueConfigMap{}
	kindDoc := map[graph.Kind]string{
		graph.Hormone:     "A hormone: testosterone, LH, FSH, GnRH, estrogen, growth hormone.",
		graph.Cell:        "A cell type: Leydig cell, Sertoli cell, macrophage, myofibroblast.",
		graph.Process:     "A biological process or state: steroidogenesis, oxidative stress, fibrosis, apoptosis.",
		graph.Therapy:     "A clinical or lifestyle intervention: TRT, gonadorelin, anastrozole, peptides, exercise, sleep.",
		graph.GeneProduct: "A gene or its product: StAR, CYP11A1, HSD3B1, the LH receptor, aromatase.",
		graph.Molecule:    "A molecule or class of molecules: cholesterol, ROS, ATP, cytokines, collagen.",
		graph.Anatomy:     "An anatomical structure: hypothalamus, pituitary, testis, interstitium, mitochondria.",
		graph.Condition:   "A disease, phenotype or symptom: testicular atrophy, hypogonadism, cryptorchidism, fatigue.",
	}
	for _, k := range graph.Kinds {
		kinds[string(k)] = &graphql.EnumValueConfig{Value: k, Description: kindDoc[k]}
	}
	b.kind = graphql.NewEnum(graphql.EnumConfig{Name: "EntityKind", Description: "What sort of thing an entity is.", Values: kinds})
	b.effect = graphql.NewEnum(graphql.EnumConfig{
		Name:        "Effect",
		Description: "The sign of a causal link: what the subject does to the object's amount, activity or survival.",
		Values: graphql.EnumValueConfigMap{
			"INCREASES": {Value: graph.Increases, Description: "The subject raises the object's amount, activity or survival."},
			"DECREASES": {Value: graph.Decreases, Description: "The subject lowers the object's amount, activity or survival."},
		},
	})
}

func (b *builder) query() *graphql.Object {
	b.enums()
	b.modelEnums()
	b.objects()
	b.modelTypes()
	b.causalTypes()
	q := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Query",
		Description: "Ask the causal knowledge graph why: look entities up, browse links, and trace causal chains with their evidence.",
		Fields: graphql.Fields{
			"entity": {
				Type: b.entity,
				Description: "One entity, by canonical id (or an old id it was merged from), xref CURIE (e.g. CHEBI:17347), name or synonym (e.g. LH); exact first, then " +
					"case-, space-, underscore- and hyphen-insensitive. Null when nothing matches, with the near names in the response's " +
					"extensions.didYouMean ({ref, candidates: [{id, name, kind}]}); " +
					"a name several entities share names none of them: an AMBIGUOUS error whose extensions.candidates lists them (id, name, kind).",
				Args: graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID), Description: "Id, CURIE, name or synonym."}},
				Resolve: func(p graphql.ResolveParams) (any, error) {
					e, err := b.store.Resolve(p.Context, p.Args["id"].(string))
					if isNotFound(err) {
						noteNotFound(p.Context, err)
						return nil, nil
					}
					return e, codedError(err)
				},
			},
			"entities": {
				Type:        nonNull(b.entityConn),
				Description: fmt.Sprintf("Entities ordered by id, a page at a time (Relay connection). first: 1..%d, default %d.", graph.MaxPageSize, graph.DefaultPageSize),
				Args: graphql.FieldConfigArgument{
					"kind":  {Type: b.kind, Description: "Only entities of this kind."},
					"first": {Type: graphql.Int, Description: fmt.Sprintf("Page size, 1..%d (default %d).", graph.MaxPageSize, graph.DefaultPageSize)},
					"after": {Type: graphql.String, Description: "Cursor of the last entity of the previous page (pageInfo.endCursor)."},
				},
				Resolve: func(p graphql.ResolveParams) (any, error) {
					args, err := pageArgs(p, "entity")
					if err != nil {
						return nil, err
					}
					kind, _ := p.Args["kind"].(graph.Kind)
					page, err := b.store.Entities(p.Context, kind, args)
					if err != nil {
						return nil, codedError(err)
					}
					return connection(page, "entity", func(e *graph.Entity) string { return e.ID }), spend(p.Context, len(page.Items))
				},
			},
			"link": {
				Type:        b.link,
				Description: "One link, by id. Null when there is none.",
				Args:        graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID), Description: "The link's id, e.g. gnrh_increases_lh."}},
				Resolve: func(p graphql.ResolveParams) (any, error) {
					l, err := b.store.Link(p.Context, p.Args["id"].(string))
					if isNotFound(err) {
						return nil, nil
					}
					return l, codedError(err)
				},
			},
			"links": {
				Type:        nonNull(b.linkConn),
				Description: fmt.Sprintf("Causal links ordered by id, a page at a time (Relay connection). first: 1..%d, default %d.", graph.MaxPageSize, graph.DefaultPageSize),
				Args: b.filterArgs(graphql.FieldConfigArgument{
					"effect": {Type: b.effect, Description: "Only links with this effect."},
					"first":  {Type: graphql.Int, Description: fmt.Sprintf("Page size, 1..%d (default %d).", graph.MaxPageSize, graph.DefaultPageSize)},
					"after":  {Type: graphql.String, Description: "Cursor of the last link of the previous page (pageInfo.endCursor)."},
				}),
				Resolve: func(p graphql.ResolveParams) (any, error) {
					args, err := pageArgs(p, "link")
					if err != nil {
						return nil, err
					}
					effect, _ := p.Args["effect"].(graph.Effect)
					f, err := b.filterOf(p)
					if err != nil {
						return nil, err
					}
					page, err := b.store.Links(p.Context, effect, f, args)
					if err != nil {
						return nil, codedError(err)
					}
					return connection(page, "link", func(l *graph.Link) string { return l.ID }), spend(p.Context, len(page.Items))
				},
			},
			"search": {
				Type: listOf(b.hit),
				Description: fmt.Sprintf("Entities matching free text, best first: exact names and synonyms, then names starting with or containing the text, "+
					"then words in names and descriptions, then near misses (typos). first: 1..%d, default %d.", graph.MaxSearchHits, graph.DefaultSearchHits),
				Args: b.filterArgs(graphql.FieldConfigArgument{
					"text":  {Type: graphql.NewNonNull(graphql.String), Description: "What to look for, e.g. \"oxidative\" or \"LH\"."},
					"kinds": {Type: graphql.NewList(graphql.NewNonNull(b.kind)), Description: "Only these kinds."},
					"first": {Type: graphql.Int, Description: fmt.Sprintf("Most hits, 1..%d (default %d).", graph.MaxSearchHits, graph.DefaultSearchHits)},
				}),
				Resolve: func(p graphql.ResolveParams) (any, error) {
					var kinds []graph.Kind
					if ks, ok := p.Args["kinds"].([]any); ok {
						for _, k := range ks {
							kinds = append(kinds, k.(graph.Kind))
						}
					}
					first, err := intArg(p, "first")
					if err != nil {
						return nil, err
					}
					f, err := b.filterOf(p)
					if err != nil {
						return nil, err
					}
					hits, err := b.store.Search(p.Context, p.Args["text"].(string), kinds, first, f)
					if err != nil {
						return nil, codedError(err)
					}
					return hits, spend(p.Context, len(hits))
				},
			},
			"trace": {
				Type: nonNull(b.trace),
				Description: fmt.Sprintf("The causal chains from one entity to another: simple paths (no entity twice) of at most maxDepth links, "+
					"shortest first, then most confident. Ends, via and avoid take ids, names, synonyms or CURIEs, like entity. "+
					"maxDepth: 1..%d (default %d); limit: 1..%d (default %d). An unknown entity is a NOT_FOUND error.",
					graph.MaxTraceDepth, graph.DefaultTraceDepth, graph.MaxTraceLimit, graph.DefaultTraceLimit),
				Args: b.filterArgs(graphql.FieldConfigArgument{
					"from":      {Type: graphql.NewNonNull(graphql.ID), Description: "Where the chains start, e.g. \"chronic inflammation\"."},
					"to":        {Type: graphql.NewNonNull(graphql.ID), Description: "Where the chains end, e.g. \"testosterone\"."},
					"maxDepth":  {Type: graphql.Int, Description: fmt.Sprintf("Most links in a chain, 1..%d (default %d).", graph.MaxTraceDepth, graph.DefaultTraceDepth)},
					"limit":     {Type: graphql.Int, Description: fmt.Sprintf("Most chains returned, 1..%d (default %d); truncated says when more existed.", graph.MaxTraceLimit, graph.DefaultTraceLimit)},
					"netEffect": {Type: b.effect, Description: "Only chains with this net effect."},
					"via":       {Type: graphql.NewList(graphql.NewNonNull(graphql.ID)), Description: "Every chain passes through all of these entities."},
					"avoid":     {Type: graphql.NewList(graphql.NewNonNull(graphql.ID)), Description: "No chain passes through any of these entities."},
					"orderBy":   {Type: b.order, Description: "LENGTH (default): shortest first, then most confident. CONFIDENCE: the most confident chains of any length up to maxDepth."},
					"inherit": {Type: graphql.Boolean, DefaultValue: false, Description: "Let a member take its class's causal links: when X is a kind of C (subclass_of, transitively) and C has a link C -> Y, " +
						"a chain may take the hop X -> Y, a link the query makes (never stored), marked inheritedFrom and scored as an inference (logical_entailment)."},
					"distinct": {Type: graphql.Boolean, DefaultValue: false, Description: "Report chains that differ only by shortcut links once: the fullest, with the others as its variants. " +
						"A shortcut is a link u -> v that summarises a stretch u -> ... -> v of the chain: one its shortcutOf declares (taken first), or a link whose sign is the product of the stretch's. " +
						"Chains sharing what is left once shortcuts are taken are one answer; limit then counts answers."},
				}),
				Resolve: func(p graphql.ResolveParams) (any, error) {
					q := graph.TraceQuery{
						From:  p.Args["from"].(string),
						To:    p.Args["to"].(string),
						Via:   idList(p.Args["via"]),
						Avoid: idList(p.Args["avoid"]),
					}
					q.Inherit, _ = p.Args["inherit"].(bool)
					q.Distinct, _ = p.Args["distinct"].(bool)
					var err error
					if q.Filter, err = b.filterOf(p); err != nil {
						return nil, err
					}
					if q.MaxDepth, err = intArg(p, "maxDepth"); err != nil {
						return nil, err
					}
					if q.Limit, err = intArg(p, "limit"); err != nil {
						return nil, err
					}
					q.NetEffect, _ = p.Args["netEffect"].(graph.Effect)
					q.OrderBy, _ = p.Args["orderBy"].(graph.Order)
					res, err := b.store.Trace(p.Context, q)
					if err != nil {
						return nil, codedError(err)
					}
					return res, spend(p.Context, pathItems(res.Paths...))
				},
			},
			"stats": {
				Type:        nonNull(b.stats),
				Description: "How much the graph holds.",
				Resolve: func(p graphql.ResolveParams) (any, error) {
					return b.store.Stats(p.Context), nil
				},
			},
			"references": {
				Type:        listOf(b.reference),
				Description: "Every publication cited by the graph's sources, by id.",
				Resolve: func(p graphql.ResolveParams) (any, error) {
					return b.store.References(p.Context), nil
				},
			},
		},
	})
	q.AddFieldConfig("meta", b.metaField())
	causal := graphql.Fields{}
	b.causalFields(causal)
	b.modelQueries(causal)
	b.batchFields(causal)
	for name, f := range causal {
		q.AddFieldConfig(name, f)
	}
	return q
}

// idList turns a list argument of ids into a slice.
func idList(v any) []string {
	vs, _ := v.([]any)
	out := make([]string, 0, len(vs))
	for _, x := range vs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// intArg reads an optional Int argument; an explicit 0 is out of range for
// every Int argument of this schema, so it is refused rather than taken as
// "use the default".
func intArg(p graphql.ResolveParams, name string) (int, error) {
	v, set := p.Args[name]
	if !set || v == nil {
		return 0, nil
	}
	n := v.(int)
	if n < 1 {
		return 0, codedError(fmt.Errorf("%w: %s must be at least 1, not %d", graph.ErrBadArgument, name, n))
	}
	return n, nil
}

func isNotFound(err error) bool {
	return err != nil && CodeOf(err) == CodeNotFound
}

// Cursors are opaque to clients: base64 of "entity:ID" or "link:ID".
func cursor(prefix, id string) string {
	return base64.StdEncoding.EncodeToString([]byte(prefix + ":" + id))
}

func pageArgs(p graphql.ResolveParams, prefix string) (graph.PageArgs, error) {
	first, err := intArg(p, "first")
	if err != nil {
		return graph.PageArgs{}, err
	}
	args := graph.PageArgs{First: first}
	if after, ok := p.Args["after"].(string); ok && after != "" {
		raw, err := base64.StdEncoding.DecodeString(after)
		id, ok := strings.CutPrefix(string(raw), prefix+":")
		if err != nil || !ok {
			return args, codedError(fmt.Errorf("%w: after: %q is not a cursor of this list (use a pageInfo.endCursor)", graph.ErrBadArgument, after))
		}
		args.After = id
	}
	return args, nil
}

type edge struct {
	Node   any
	Cursor string
}

type conn struct {
	Edges      []edge
	HasNext    bool
	EndCursor  *string
	TotalCount int
}

func connection[T any](page graph.Page[T], prefix string, id func(T) string) conn {
	c := conn{HasNext: page.HasNext, TotalCount: page.Total, Edges: make([]edge, len(page.Items))}
	for i, it := range page.Items {
		c.Edges[i] = edge{Node: it, Cursor: cursor(prefix, id(it))}
	}
	if n := len(c.Edges); n > 0 {
		c.EndCursor = &c.Edges[n-1].Cursor
	}
	return c
}
