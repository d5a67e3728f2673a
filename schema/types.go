package schema

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/export"
	"github.com/leydigkg/leydigkg/graph"
)

// field resolves a field of a domain value of type T by fn.
func field[T any](typ graphql.Output, doc string, fn func(T) any) *graphql.Field {
	return &graphql.Field{Type: typ, Description: doc, Resolve: func(p graphql.ResolveParams) (any, error) {
		v, ok := p.Source.(T)
		if !ok {
			return nil, fmt.Errorf("internal: %T is not %T", p.Source, *new(T))
		}
		return fn(v), nil
	}}
}

func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (b *builder) objects() {
	str, id := graphql.String, graphql.ID
	sourceFields := b.sourceFields()
	sourceFields["id"] = field(nonNull(id), "Stable id: an infores: CURIE for a public resource (e.g. infores:signor), else a local id.", func(s *graph.Source) any { return s.ID })
	sourceFields["title"] = field(nonNull(str), "Title, or a description where the source has none.", func(s *graph.Source) any { return s.Title })
	b.source = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Source",
		Description: "Where evidence comes from: a document, a database, a file, a lab's results (docs/model.md).",
		Fields:      sourceFields,
	})
	refFields := referenceStructureFields()
	b.reference = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Reference",
		Description: "A publication a source cites: as the source prints it (asCited, where that differs), and as the publication's own record says (citation and the other fields, where a curator checked them).",
		Fields: mergeFields(refFields, graphql.Fields{
			"id":       field(nonNull(id), "Stable id, e.g. aldahhan2021.", func(r *graph.Reference) any { return r.ID }),
			"citation": field(nonNull(str), "The citation: as the publication's record gives it where a curator checked it (asCited then holds the source's own), else as the source prints it.", func(r *graph.Reference) any { return r.Citation }),
			"authors":  field(listOf(str), "Authors as printed, in order (\"et al.\" is not an author).", func(r *graph.Reference) any { return nonNilStrings(r.Authors) }),
			"title":    field(str, "Title of the publication.", func(r *graph.Reference) any { return optional(r.Title) }),
			"journal":  field(str, "Journal.", func(r *graph.Reference) any { return optional(r.Journal) }),
			"year": field(graphql.Int, "Year of publication.", func(r *graph.Reference) any {
				if r.Year == 0 {
					return nil
				}
				return r.Year
			}),
		}),
	})
	b.evidence = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Evidence",
		Description: "One source's support for a link: how the source knows it (knowledgeLevel, agentType), a verbatim quote where there is one, and the publications and references it rests on.",
		Fields: graphql.Fields{
			"key":            field(str, "The source's own id for the row or statement (a SIGNOR_ID, a KGX edge id), when it has one.", func(e graph.Evidence) any { return optional(e.Key) }),
			"knowledgeLevel": field(nonNull(b.level), "How the source knows it (Biolink knowledge_level); NOT_PROVIDED when it does not say.", func(e graph.Evidence) any { return e.Level() }),
			"agentType":      field(nonNull(b.agent), "What made the item (Biolink agent_type); NOT_PROVIDED when the source does not say.", func(e graph.Evidence) any { return e.Agent() }),
			"quote":          field(str, "The source's words, verbatim; null for an item without a quote (a database row).", func(e graph.Evidence) any { return optional(e.Quote) }),
			"reasoning":      field(str, "Why a curator inferred the claim (LOGICAL_ENTAILMENT).", func(e graph.Evidence) any { return optional(e.Reasoning) }),
			"publications":   field(listOf(str), "Publications as CURIEs (PMID:…, DOI:…, PMCID:…); empty when none.", func(e graph.Evidence) any { return nonNilStrings(e.Publications) }),
			"at":             field(str, "Where the item was read: file:line, or a file's own row id.", func(e graph.Evidence) any { return optional(e.At) }),
			"section":        field(str, "Where in the source, as a heading path (e.g. \"Academic / The six-step cascade\").", func(e graph.Evidence) any { return optional(e.Section) }),
			"negated":        field(nonNull(graphql.Boolean), "True when the source states that the claim does NOT hold (KGX negated): the item counts against the belief.", func(e graph.Evidence) any { return e.Negated }),
			"taxon":          field(str, "The organism the source saw it in, an NCBITaxon CURIE (SIGNOR TAX_ID, KGX species_context_qualifier).", func(e graph.Evidence) any { return optional(e.Taxon) }),
			"cellTypes":      field(listOf(str), "Cell types the source saw it in, in the source's own ids (BTO:…, CL:…); empty when none.", func(e graph.Evidence) any { return nonNilStrings(e.CellTypes) }),
			"tissues":        field(listOf(str), "Tissues the source saw it in, in the source's own ids (BTO:…, UBERON:…); empty when none.", func(e graph.Evidence) any { return nonNilStrings(e.Tissues) }),
			"mechanism":      field(str, "The source's word for how (SIGNOR MECHANISM: phosphorylation, …).", func(e graph.Evidence) any { return optional(e.Mechanism) }),
			"direct": field(graphql.Boolean, "Whether the source calls the interaction direct (SIGNOR DIRECT); null when it does not say.", func(e graph.Evidence) any {
				if e.Direct == nil {
					return nil
				}
				return *e.Direct
			}),
			"aggregators": field(listOf(str), "Resources that passed the item on (KGX aggregator_knowledge_source; infores CURIEs); empty when none.", func(e graph.Evidence) any { return nonNilStrings(e.Aggregators) }),
			"score": field(graphql.Float, "The source's own confidence score, on its own scale (KGX has_confidence_score); null when it gives none. Belief does not read it.", func(e graph.Evidence) any {
				if e.Score == nil {
					return nil
				}
				return *e.Score
			}),
			"source": {Type: nonNull(b.source), Description: "The source the item comes from.", Resolve: func(p graphql.ResolveParams) (any, error) {
				s, err := b.store.Source(p.Context, p.Source.(graph.Evidence).Source)
				return s, codedError(err)
			}},
			"references": {Type: listOf(b.reference), Description: "Publications the source cites for this claim; empty when it cites none.", Resolve: func(p graphql.ResolveParams) (any, error) {
				ev := p.Source.(graph.Evidence)
				out := make([]*graph.Reference, 0, len(ev.References))
				for _, id := range ev.References {
					r, err := b.store.Reference(p.Context, id)
					if err != nil {
						return nil, codedError(err)
					}
					out = append(out, r)
				}
				return out, nil
			}},
		},
	})
	b.relation = b.relationType()
	neighbourArgs := graphql.FieldConfigArgument{
		"effect": {Type: b.effect, Description: "Only links with this effect."},
		"first":  {Type: graphql.Int, Description: fmt.Sprintf("Most links, 1..%d (default: all).", graph.MaxPageSize)},
	}
	neighbours := func(out bool) graphql.FieldResolveFn {
		return func(p graphql.ResolveParams) (any, error) {
			e := p.Source.(*graph.Entity)
			first, err := intArg(p, "first")
			if err != nil {
				return nil, err
			}
			effect, _ := p.Args["effect"].(graph.Effect)
			var links []*graph.Link
			if out {
				links, err = b.store.Outgoing(p.Context, e.ID, effect, first)
			} else {
				links, err = b.store.Incoming(p.Context, e.ID, effect, first)
			}
			if err != nil {
				return nil, codedError(err)
			}
			return links, spend(p.Context, len(links))
		}
	}
	b.entity = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Entity",
		Description: "A node of the graph: a hormone, cell, process, therapy, gene product, molecule, anatomical structure or condition.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return mergeFields(b.entityStructureFields(), graphql.Fields{
				"id":          field(nonNull(id), "Stable canonical id, e.g. luteinizing_hormone.", func(e *graph.Entity) any { return e.ID }),
				"name":        field(nonNull(str), "The name people search for.", func(e *graph.Entity) any { return e.Name }),
				"kind":        field(nonNull(b.kind), "What sort of thing it is.", func(e *graph.Entity) any { return e.Kind }),
				"description": field(str, "One line on what it is.", func(e *graph.Entity) any { return optional(e.Description) }),
				"synonyms":    field(listOf(str), "Other names and abbreviations, e.g. LH, GnRH, TRT.", func(e *graph.Entity) any { return nonNilStrings(e.Synonyms) }),
				"xrefs":       field(listOf(str), "Ontology identifiers as CURIEs (CL, CHEBI, HGNC, PR, GO, UBERON, MONDO, HP), each checked at its source.", func(e *graph.Entity) any { return nonNilStrings(e.Xrefs) }),
				"outgoing":    {Type: listOf(b.link), Description: "Links from this entity: what it changes. Ordered by object id.", Args: neighbourArgs, Resolve: neighbours(true)},
				"incoming":    {Type: listOf(b.link), Description: "Links to this entity: what changes it. Ordered by subject id.", Args: neighbourArgs, Resolve: neighbours(false)},
			})
		}),
	})
	endpoint := func(get func(*graph.Link) string) graphql.FieldResolveFn {
		return func(p graphql.ResolveParams) (any, error) {
			e, err := b.store.Entity(p.Context, get(p.Source.(*graph.Link)))
			return e, codedError(err)
		}
	}
	b.link = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Link",
		Description: "A signed causal claim: subject changes object in the direction of effect, with the evidence it rests on.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			fields := graphql.Fields{
				"id":         field(nonNull(id), "Stable id, e.g. gnrh_increases_lh.", func(l *graph.Link) any { return l.ID }),
				"subject":    {Type: nonNull(b.entity), Description: "The cause.", Resolve: endpoint(func(l *graph.Link) string { return l.Subject })},
				"object":     {Type: nonNull(b.entity), Description: "What the cause changes.", Resolve: endpoint(func(l *graph.Link) string { return l.Object })},
				"effect":     field(nonNull(b.effect), "Whether the subject raises or lowers the object's amount, activity or survival.", func(l *graph.Link) any { return l.Effect }),
				"predicate":  field(nonNull(str), "Biolink 4.x predicate, e.g. biolink:regulates, biolink:causes, biolink:treats.", func(l *graph.Link) any { return l.Predicate }),
				"mechanism":  field(str, "How, in a sentence.", func(l *graph.Link) any { return optional(l.Mechanism) }),
				"confidence": field(nonNull(graphql.Float), "How far to trust the claim, 0..1: its belief (belief.score), from its evidence by the belief table (docs/model.md).", func(l *graph.Link) any { return l.Confidence }),
				"evidence":   field(listOf(b.evidence), "The evidence items of every source that states the claim; at least one.", func(l *graph.Link) any { return l.Evidence }),
			}
			for name, f := range b.linkModelFields() {
				fields[name] = f
			}
			return mergeFields(b.linkStructureFields(), fields)
		}),
	})
	b.path = graphql.NewObject(graphql.ObjectConfig{
		Name:        "CausalPath",
		Description: "One causal chain: entities[i] --links[i]--> entities[i+1].",
		Fields: graphql.Fields{
			"links":      field(listOf(b.link), "The hops, in order.", func(p graph.Path) any { return p.Links }),
			"entities":   field(listOf(b.entity), "The entities, from start to end: one more than links.", func(p graph.Path) any { return p.Entities }),
			"length":     field(nonNull(graphql.Int), "Number of links.", func(p graph.Path) any { return p.Len() }),
			"netEffect":  field(nonNull(b.effect), "What the start does to the end: the product of the hops' signs.", func(p graph.Path) any { return p.NetEffect }),
			"confidence": field(nonNull(graphql.Float), "Product of the hops' confidences.", func(p graph.Path) any { return p.Confidence }),
			"dot":        field(nonNull(str), "The chain as a Graphviz DOT picture: entities coloured by kind, DECREASES links red and dashed, the net effect in the title.", func(p graph.Path) any { return export.PathPicture(p).DOTString() }),
			"mermaid":    field(nonNull(str), "The chain as a Mermaid flowchart: INCREASES as -->, DECREASES as --x, the net effect in the title.", func(p graph.Path) any { return export.PathPicture(p).MermaidString() }),
			"cx2":        field(nonNull(str), "The chain as CX2 for NDEx and Cytoscape (docs/exchange.md).", func(p graph.Path) any { return export.PathPicture(p).Resolve("cx2") }),
			"cytoscape":  field(nonNull(str), "The chain as Cytoscape.js JSON.", func(p graph.Path) any { return export.PathPicture(p).Resolve("cytoscape") }),
			"graphml":    field(nonNull(str), "The chain as GraphML with typed attributes.", func(p graph.Path) any { return export.PathPicture(p).Resolve("graphml") }),
			"sif":        field(nonNull(str), "The chain as signed SIF: subject, 1 or -1, object a line.", func(p graph.Path) any { return export.PathPicture(p).Resolve("sif") }),
		},
	})
	b.trace = graphql.NewObject(graphql.ObjectConfig{
		Name:        "TraceResult",
		Description: "The causal chains between two entities.",
		Fields: graphql.Fields{
			"from":      field(nonNull(b.entity), "The start, resolved.", func(r *graph.TraceResult) any { return r.From }),
			"to":        field(nonNull(b.entity), "The end, resolved.", func(r *graph.TraceResult) any { return r.To }),
			"paths":     field(listOf(b.path), "Chains, shortest first, then most confident; empty when there are none within maxDepth.", func(r *graph.TraceResult) any { return r.Paths }),
			"truncated": field(nonNull(graphql.Boolean), "True when more chains existed than limit, or the search stopped at its work budget.", func(r *graph.TraceResult) any { return r.Truncated }),
			"dot":       field(nonNull(str), "All chains in one Graphviz DOT picture, the net effect in the title.", func(r *graph.TraceResult) any { return export.TracePicture(r).DOTString() }),
			"mermaid":   field(nonNull(str), "All chains in one Mermaid flowchart, the net effect in the title.", func(r *graph.TraceResult) any { return export.TracePicture(r).MermaidString() }),
			"cx2":       field(nonNull(str), "All chains as CX2 for NDEx and Cytoscape (docs/exchange.md).", func(r *graph.TraceResult) any { return export.TracePicture(r).Resolve("cx2") }),
			"cytoscape": field(nonNull(str), "All chains as Cytoscape.js JSON.", func(r *graph.TraceResult) any { return export.TracePicture(r).Resolve("cytoscape") }),
			"graphml":   field(nonNull(str), "All chains as GraphML with typed attributes.", func(r *graph.TraceResult) any { return export.TracePicture(r).Resolve("graphml") }),
			"sif":       field(nonNull(str), "All chains as signed SIF: subject, 1 or -1, object a line.", func(r *graph.TraceResult) any { return export.TracePicture(r).Resolve("sif") }),
			"columns": field(nonNull(jsonScalar), "The chains as one row per hop, in columns of equal length (path, hop, link, subject, predicate, effect, object, confidence), "+
				"plus pathNetEffect and pathConfidence per chain. For research tools: one JSON value, without the per-item cost of typed lists.",
				func(r *graph.TraceResult) any { return TraceColumns(r) }),
		},
	})
	b.hit = graphql.NewObject(graphql.ObjectConfig{
		Name:        "SearchHit",
		Description: "An entity matching a search.",
		Fields: graphql.Fields{
			"entity": field(nonNull(b.entity), "The entity.", func(h graph.SearchHit) any { return h.Entity }),
			"score":  field(nonNull(graphql.Float), "How well it matches, 0..1: 1 for an exact name, synonym, id or CURIE.", func(h graph.SearchHit) any { return h.Score }),
		},
	})
	b.pageInfo = graphql.NewObject(graphql.ObjectConfig{
		Name:        "PageInfo",
		Description: "Where a page stands in its list (Relay).",
		Fields: graphql.Fields{
			"hasNextPage": field(nonNull(graphql.Boolean), "Whether items follow this page.", func(c conn) any { return c.HasNext }),
			"endCursor":   field(str, "Cursor of the page's last item: pass it as after for the next page.", func(c conn) any { return c.EndCursor }),
		},
	})
	connTypes := func(name string, node graphql.Output) (*graphql.Object, *graphql.Object) {
		e := graphql.NewObject(graphql.ObjectConfig{
			Name:        name + "Edge",
			Description: "One " + name + " of a page, with its cursor.",
			Fields: graphql.Fields{
				"node":   field(nonNull(node), "The item.", func(e edge) any { return e.Node }),
				"cursor": field(nonNull(str), "Opaque position of the item.", func(e edge) any { return e.Cursor }),
			},
		})
		c := graphql.NewObject(graphql.ObjectConfig{
			Name:        name + "Connection",
			Description: "A page of " + name + "s (Relay connection).",
			Fields: graphql.Fields{
				"edges":      field(listOf(e), "The page's items.", func(c conn) any { return c.Edges }),
				"pageInfo":   {Type: nonNull(b.pageInfo), Description: "Whether more follow, and the cursor to get them.", Resolve: func(p graphql.ResolveParams) (any, error) { return p.Source, nil }},
				"totalCount": field(nonNull(graphql.Int), "Items matching the filter, on all pages.", func(c conn) any { return c.TotalCount }),
			},
		})
		return c, e
	}
	b.entityConn, b.entityEdge = connTypes("Entity", b.entity)
	b.linkConn, b.linkEdge = connTypes("Link", b.link)
	b.kindN = graphql.NewObject(graphql.ObjectConfig{
		Name:        "KindCount",
		Description: "How many entities are of one kind.",
		Fields: graphql.Fields{
			"kind":  field(nonNull(b.kind), "The kind.", func(k kindCount) any { return k.Kind }),
			"count": field(nonNull(graphql.Int), "Entities of that kind.", func(k kindCount) any { return k.Count }),
		},
	})
	b.effectN = graphql.NewObject(graphql.ObjectConfig{
		Name:        "EffectCount",
		Description: "How many links have one effect.",
		Fields: graphql.Fields{
			"effect": field(nonNull(b.effect), "The effect.", func(k effectCount) any { return k.Effect }),
			"count":  field(nonNull(graphql.Int), "Links with that effect.", func(k effectCount) any { return k.Count }),
		},
	})
	b.stats = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Stats",
		Description: "How much the graph holds.",
		Fields: graphql.Fields{
			"entities":   field(nonNull(graphql.Int), "Entities.", func(s graph.Stats) any { return s.Entities }),
			"links":      field(nonNull(graphql.Int), "Causal links.", func(s graph.Stats) any { return s.Links }),
			"relations":  field(nonNull(graphql.Int), "Part-of and subclass-of relations (not causal).", func(s graph.Stats) any { return s.Relations }),
			"references": field(nonNull(graphql.Int), "Cited publications.", func(s graph.Stats) any { return s.References }),
			"sources":    field(nonNull(graphql.Int), "Source documents.", func(s graph.Stats) any { return s.Sources }),
			"byKind": field(listOf(b.kindN), "Entities per kind, every kind listed.", func(s graph.Stats) any {
				out := make([]kindCount, len(graph.Kinds))
				for i, k := range graph.Kinds {
					out[i] = kindCount{k, s.ByKind[k]}
				}
				return out
			}),
			"byEffect": field(listOf(b.effectN), "Links per effect.", func(s graph.Stats) any {
				return []effectCount{{graph.Increases, s.ByEffect[graph.Increases]}, {graph.Decreases, s.ByEffect[graph.Decreases]}}
			}),
		},
	})
}

type kindCount struct {
	Kind  graph.Kind
	Count int
}

type effectCount struct {
	Effect graph.Effect
	Count  int
}

// mergeFields adds the fields of more to fields and returns fields.
func mergeFields(fields, more graphql.Fields) graphql.Fields {
	for name, f := range more {
		fields[name] = f
	}
	return fields
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
