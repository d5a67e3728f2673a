package schema

import (
	"context"
	"errors"
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/graph"
)

// Error codes of refused writes.
const (
	CodeUnauthenticated = "UNAUTHENTICATED" // no or a wrong bearer token
	CodeForbidden       = "FORBIDDEN"       // writes are not allowed at all
)

// Writer is what the mutations need of a store; *kg.Store has it. When
// the Store given to New is also a Writer, the schema has a Mutation type.
type Writer interface {
	Apply(ctx context.Context, b *graph.Batch) (graph.Applied, error)
	AddEvidence(ctx context.Context, linkID string, evidence ...graph.Evidence) (*graph.Link, error)
	RemoveLink(ctx context.Context, id string) error
	RemoveEntity(ctx context.Context, id string, cascade bool) ([]string, error)
}

type writeKey struct{}

// WithWrites marks ctx as allowed to run mutations: the server does so for
// a request that carries a valid bearer token. Without it every mutation
// fails with FORBIDDEN, so an embedding program cannot expose writes by
// accident.
func WithWrites(ctx context.Context) context.Context {
	return context.WithValue(ctx, writeKey{}, true)
}

func canWrite(ctx context.Context) error {
	if ok, _ := ctx.Value(writeKey{}).(bool); ok {
		return nil
	}
	return &Error{Code: CodeForbidden, err: errors.New("writes are not allowed on this request")}
}

// inputError is a refused write: BAD_USER_INPUT with every problem found,
// so a client fixes its input in one go.
type inputError struct {
	problems graph.Problems
}

func (e *inputError) Error() string { return "invalid input: " + e.problems.Error() }
func (e *inputError) Unwrap() error { return e.problems }
func (e *inputError) Extensions() map[string]any {
	ps := make([]map[string]any, len(e.problems))
	for i, p := range e.problems {
		ps[i] = map[string]any{"record": p.Record, "field": p.Field, "message": p.Err.Error()}
	}
	return map[string]any{"code": CodeBadUserInput, "problems": ps}
}

// writeError maps a store's refusal to a coded GraphQL error.
func writeError(err error) error {
	var ps graph.Problems
	if errors.As(err, &ps) {
		return &inputError{problems: ps}
	}
	switch {
	case errors.Is(err, graph.ErrMissingEvidence), errors.Is(err, graph.ErrEmptyQuote),
		errors.Is(err, graph.ErrUnknownSource), errors.Is(err, graph.ErrUnknownReference),
		errors.Is(err, graph.ErrUnknownEntity), errors.Is(err, graph.ErrMissingField):
		return &Error{Code: CodeBadUserInput, err: err}
	}
	return codedError(err)
}

func (b *builder) inputs() (entity, link, evidence *graphql.InputObject) {
	strList := graphql.NewList(graphql.NewNonNull(graphql.String))
	idList := graphql.NewList(graphql.NewNonNull(graphql.ID))
	evidence = graphql.NewInputObject(graphql.InputObjectConfig{
		Name: "EvidenceInput",
		Description: "One source's support for a link: a verbatim quote, or publications, from a source the graph knows, " +
			"with how the source knows it. The link's belief (its confidence) is computed from its evidence.",
		Fields: graphql.InputObjectConfigFieldMap{
			"source":         {Type: graphql.NewNonNull(graphql.ID), Description: "Id of a stored source."},
			"knowledgeLevel": {Type: b.level, Description: "How the source knows it; left out, NOT_PROVIDED. LOGICAL_ENTAILMENT (a curator's inference) needs reasoning."},
			"agentType":      {Type: b.agent, Description: "What made the item; left out, NOT_PROVIDED."},
			"quote":          {Type: graphql.String, Description: "The source's words, verbatim. Needed unless publications say where the claim stands."},
			"section":        {Type: graphql.String, Description: "Where in the source, e.g. a heading."},
			"reasoning":      {Type: graphql.String, Description: "Why a curator inferred the claim (LOGICAL_ENTAILMENT)."},
			"publications":   {Type: strList, Description: "Publications as CURIEs: PMID:…, DOI:…, PMCID:…"},
			"references":     {Type: idList, Description: "Ids of stored references."},
			"negated":        {Type: graphql.Boolean, Description: "True when the source states that the claim does NOT hold: the item counts against the belief."},
			"taxon":          {Type: graphql.String, Description: "The organism, an NCBITaxon CURIE (NCBITaxon:9606)."},
			"cellTypes":      {Type: strList, Description: "Cell types, in the source's own ids (BTO:…, CL:…)."},
			"tissues":        {Type: strList, Description: "Tissues, in the source's own ids (BTO:…, UBERON:…)."},
			"mechanism":      {Type: graphql.String, Description: "The source's word for how (phosphorylation, …)."},
			"direct":         {Type: graphql.Boolean, Description: "Whether the source calls the interaction direct."},
			"aggregators":    {Type: strList, Description: "Resources that passed the item on, infores CURIEs."},
			"score":          {Type: graphql.Float, Description: "The source's own confidence score, on its own scale."},
		},
	})
	entity = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        "EntityInput",
		Description: "A new entity. Its id, name and synonyms must not name another entity.",
		Fields: graphql.InputObjectConfigFieldMap{
			"id":          {Type: graphql.NewNonNull(graphql.ID), Description: "Canonical id: letters, digits, _ . : -"},
			"name":        {Type: graphql.NewNonNull(graphql.String)},
			"kind":        {Type: graphql.NewNonNull(b.kind)},
			"description": {Type: graphql.String},
			"synonyms":    {Type: strList, Description: "Other names, e.g. abbreviations."},
			"xrefs":       {Type: strList, Description: "Ontology CURIEs, e.g. CHEBI:17347."},
		},
	})
	link = graphql.NewInputObject(graphql.InputObjectConfig{
		Name:        "LinkInput",
		Description: "A new causal link between two stored entities, with at least one evidence item.",
		Fields: graphql.InputObjectConfigFieldMap{
			"id":         {Type: graphql.NewNonNull(graphql.ID)},
			"subject":    {Type: graphql.NewNonNull(graphql.ID), Description: "The entity that acts: id, xref, name or synonym, as entity(id:) takes them."},
			"object":     {Type: graphql.NewNonNull(graphql.ID), Description: "The entity acted on: id, xref, name or synonym, as entity(id:) takes them."},
			"effect":     {Type: graphql.NewNonNull(b.effect)},
			"predicate":  {Type: graphql.NewNonNull(graphql.String), Description: "A Biolink 4.x predicate CURIE, e.g. biolink:regulates."},
			"mechanism":  {Type: graphql.String},
			"confidence": {Type: graphql.Float, Description: "Refused (BAD_USER_INPUT): a link's confidence is its belief, computed from its evidence. Kept so that an old client is told why."},
			"evidence":   {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(evidence)))},
		},
	})
	return entity, link, evidence
}

// mutation returns the Mutation type, or nil when the store cannot write.
func (b *builder) mutation() *graphql.Object {
	w, ok := b.store.(Writer)
	if !ok {
		return nil
	}
	entityIn, linkIn, evidenceIn := b.inputs()
	removed := graphql.NewObject(graphql.ObjectConfig{
		Name:        "RemovedEntity",
		Description: "What removeEntity deleted.",
		Fields: graphql.Fields{
			"id":           {Type: graphql.NewNonNull(graphql.ID), Description: "The removed entity's id."},
			"removedLinks": {Type: listOf(graphql.ID), Description: "Links removed with it (cascade)."},
		},
	})
	// write runs a mutation's body once the request may write.
	write := func(fn func(p graphql.ResolveParams) (any, error)) graphql.FieldResolveFn {
		return func(p graphql.ResolveParams) (any, error) {
			if err := canWrite(p.Context); err != nil {
				return nil, err
			}
			v, err := fn(p)
			if err != nil {
				return nil, writeError(err)
			}
			return v, nil
		}
	}
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "Mutation",
		Description: "Edit the graph. Every write is validated like a curated file and visible to the next query. " +
			"The fields of one mutation document are applied together, in order, or not at all (NOT_APPLIED). " +
			"Writes need an Authorization: Bearer token; a server started without one is read-only.",
		Fields: graphql.Fields{
			"addEntity": {
				Type:        nonNull(b.entity),
				Description: "Add an entity. Adding one identical to a stored entity changes nothing; a different one under a stored id is refused.",
				Args:        graphql.FieldConfigArgument{"entity": {Type: graphql.NewNonNull(entityIn), Description: "The entity to add."}},
				Resolve: write(func(p graphql.ResolveParams) (any, error) {
					in, _ := p.Args["entity"].(map[string]any)
					e := graph.Entity{
						ID:          str(in["id"]),
						Name:        str(in["name"]),
						Description: str(in["description"]),
						Synonyms:    idList(in["synonyms"]),
						Xrefs:       idList(in["xrefs"]),
					}
					e.Kind, _ = in["kind"].(graph.Kind)
					if _, err := w.Apply(p.Context, &graph.Batch{Entities: []graph.Entity{e}}); err != nil {
						return nil, err
					}
					return b.store.Entity(p.Context, e.ID)
				}),
			},
			"addLink": {
				Type:        nonNull(b.link),
				Description: "Add a causal link with its evidence.",
				Args:        graphql.FieldConfigArgument{"link": {Type: graphql.NewNonNull(linkIn), Description: "The link to add."}},
				Resolve: write(func(p graphql.ResolveParams) (any, error) {
					in, _ := p.Args["link"].(map[string]any)
					l := graph.Link{
						ID:        str(in["id"]),
						Subject:   str(in["subject"]),
						Object:    str(in["object"]),
						Predicate: str(in["predicate"]),
						Mechanism: str(in["mechanism"]),
						Evidence:  evidenceList(in["evidence"]),
					}
					l.Effect, _ = in["effect"].(graph.Effect)
					for _, end := range []*string{&l.Subject, &l.Object} {
						id, err := b.entityID(p.Context, *end)
						if err != nil {
							return nil, err
						}
						*end = id
					}
					if _, ok := in["confidence"]; ok {
						return nil, fmt.Errorf("%w: confidence: a link's confidence is its belief, computed from its evidence; leave it out", graph.ErrBadArgument)
					}
					if _, err := w.Apply(p.Context, &graph.Batch{Links: []graph.Link{l}}); err != nil {
						return nil, err
					}
					return b.store.Link(p.Context, l.ID)
				}),
			},
			"addEvidence": {
				Type:        nonNull(b.link),
				Description: "Append evidence items to a stored link; its confidence (belief) is computed again.",
				Args: graphql.FieldConfigArgument{
					"link":     {Type: graphql.NewNonNull(graphql.ID), Description: "The link's id."},
					"evidence": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(evidenceIn))), Description: "The items to append, in order."},
				},
				Resolve: write(func(p graphql.ResolveParams) (any, error) {
					return w.AddEvidence(p.Context, str(p.Args["link"]), evidenceList(p.Args["evidence"])...)
				}),
			},
			"removeLink": {
				Type:        graphql.NewNonNull(graphql.ID),
				Description: "Remove a link and its evidence; returns its id. Sources and references stay.",
				Args:        graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID), Description: "The link's id."}},
				Resolve: write(func(p graphql.ResolveParams) (any, error) {
					id := str(p.Args["id"])
					return id, w.RemoveLink(p.Context, id)
				}),
			},
			"removeEntity": {
				Type:        nonNull(removed),
				Description: "Remove an entity. Refused (BAD_USER_INPUT) while links use it, unless cascade is true: then those links go too.",
				Args: graphql.FieldConfigArgument{
					"id":      {Type: graphql.NewNonNull(graphql.ID), Description: "The entity's id."},
					"cascade": {Type: graphql.Boolean, DefaultValue: false, Description: "Also remove the links that use the entity."},
				},
				Resolve: write(func(p graphql.ResolveParams) (any, error) {
					id := str(p.Args["id"])
					cascade, _ := p.Args["cascade"].(bool)
					links, err := w.RemoveEntity(p.Context, id, cascade)
					if err != nil {
						return nil, err
					}
					if links == nil {
						links = []string{}
					}
					return map[string]any{"id": id, "removedLinks": links}, nil
				}),
			},
		},
	})
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func evidenceList(v any) []graph.Evidence {
	items, _ := v.([]any)
	out := make([]graph.Evidence, 0, len(items))
	for _, it := range items {
		m, _ := it.(map[string]any)
		ev := graph.Evidence{
			Source:       str(m["source"]),
			Quote:        str(m["quote"]),
			Section:      str(m["section"]),
			Reasoning:    str(m["reasoning"]),
			Publications: idList(m["publications"]),
			References:   idList(m["references"]),
		}
		ev.KnowledgeLevel, _ = m["knowledgeLevel"].(graph.KnowledgeLevel)
		ev.AgentType, _ = m["agentType"].(graph.AgentType)
		evidenceContext(&ev, m)
		out = append(out, ev)
	}
	return out
}

// evidenceContext reads an EvidenceInput's negation and context.
func evidenceContext(ev *graph.Evidence, m map[string]any) {
	ev.Negated, _ = m["negated"].(bool)
	ev.Taxon, ev.Mechanism = str(m["taxon"]), str(m["mechanism"])
	ev.CellTypes, ev.Tissues, ev.Aggregators = idList(m["cellTypes"]), idList(m["tissues"]), idList(m["aggregators"])
	if d, ok := m["direct"].(bool); ok {
		ev.Direct = &d
	}
	if f, ok := m["score"].(float64); ok {
		ev.Score = &f
	}
}

// entityID is the id of the entity ref names, as entity(id:) finds it. A
// ref the store does not know is kept as it is: it may be the id of an
// entity added earlier in the same mutation document, which the write
// then finds (or refuses as unknown). A name several entities share is
// AMBIGUOUS.
func (b *builder) entityID(ctx context.Context, ref string) (string, error) {
	e, err := b.store.Resolve(ctx, ref)
	switch {
	case isNotFound(err):
		return ref, nil
	case err != nil:
		return "", err
	}
	return e.ID, nil
}
