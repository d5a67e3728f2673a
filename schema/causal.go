package schema

import (
	"context"
	"fmt"
	"slices"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/jsonw"
)

// CausalStore is what the causal questions need of a knowledge graph;
// *kg.Store has it.
type CausalStore interface {
	Downstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error)
	Upstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error)
	Loops(ctx context.Context, q graph.LoopQuery) (*graph.LoopResult, error)
	Interventions(ctx context.Context, q graph.InterventionQuery) (*graph.InterventionResult, error)
	Knockout(ctx context.Context, q graph.KnockoutQuery) (*graph.KnockoutResult, error)
}

// jsonScalar carries a whole value through the executor as one leaf, so a
// bulk answer costs one encoding/json pass instead of graphql-go's
// per-field work for every item.
var jsonScalar = graphql.NewScalar(graphql.ScalarConfig{
	Name:        "JSON",
	Description: "A JSON value, passed through as is. Used for bulk (columnar) answers.",
	Serialize:   func(v any) any { return v },
	ParseValue:  func(v any) any { return v },
	ParseLiteral: func(ast.Value) any {
		return nil
	},
})

// reach is what downstream and upstream return: the page asked for, and
// the query to run again, whole, when columns are asked for.
type reach struct {
	res   *graph.ReachResult
	q     graph.ReachQuery
	up    bool
	store CausalStore
	all   bool // res holds every entity (columns alone was asked for): columns needs no second search
}

func (b *builder) causalTypes() {
	b.order = graphql.NewEnum(graphql.EnumConfig{
		Name:        "Order",
		Description: "How results are ranked.",
		Values: graphql.EnumValueConfigMap{
			"LENGTH":     {Value: graph.ByLength, Description: "Fewest links first, then most confident (the default)."},
			"CONFIDENCE": {Value: graph.ByConfidence, Description: "Most confident first (the product of the hops' confidences), then fewest links."},
		},
	})
	b.loopKind = graphql.NewEnum(graphql.EnumConfig{
		Name:        "LoopKind",
		Description: "The sign of a feedback cycle.",
		Values: graphql.EnumValueConfigMap{
			string(graph.Reinforcing): {Value: graph.Reinforcing, Description: "An even number of DECREASES links: a change comes back in the same direction and grows (a vicious cycle)."},
			string(graph.Balancing):   {Value: graph.Balancing, Description: "An odd number of DECREASES links: a change comes back opposed (negative feedback)."},
		},
	})
	reasons := graphql.EnumValueConfigMap{}
	for r, doc := range map[graph.Reason]string{
		graph.Disconnected:     "No chain of any length joins the two entities in this direction.",
		graph.TooFar:           "The shortest chain is longer than maxDepth (shortest says how long).",
		graph.RemovedByFilter:  "Chains exist within maxDepth, but each goes through a link the filter (sources, minBelief, knowledgeLevels, licenses) leaves out.",
		graph.RemovedByAvoid:   "Every chain within maxDepth passes through an avoided entity.",
		graph.RemovedByVia:     "Chains exist within maxDepth, but none passes through every via entity.",
		graph.RemovedNetEffect: "Chains exist within maxDepth, but none has the net effect asked for.",
		graph.OutOfBudget:      "The search ran out of its work budget or deadline before finding a chain.",
		graph.OnlyByInheritance: "No stated chain (the message says why), but one exists with inherit: true, through what a member takes from its class (subclass_of). " +
			"Checked last, over the other reasons.",
	} {
		reasons[string(r)] = &graphql.EnumValueConfig{Value: r, Description: doc}
	}
	b.reason = graphql.NewEnum(graphql.EnumConfig{Name: "EmptyReason", Description: "Why a trace found no chain.", Values: reasons})
	b.explanation = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Explanation",
		Description: "Why a trace found no chain.",
		Fields: graphql.Fields{
			"reason":   field(nonNull(b.reason), "The first reason that applies, in the order of EmptyReason.", func(e *graph.Explanation) any { return e.Reason }),
			"shortest": field(nonNull(graphql.Int), "Links in the shortest chain ignoring maxDepth and every filter; -1 when there is none.", func(e *graph.Explanation) any { return e.Shortest }),
			"message":  field(nonNull(graphql.String), "A sentence saying what happened, naming the entities.", func(e *graph.Explanation) any { return e.Message }),
		},
	})
	b.path.AddFieldConfig("variants", field(listOf(b.path),
		"With trace(distinct: true), the other chains that differ from this one only by shortcut links, shortest first; empty otherwise (and on loops, whose variants are on the Loop).",
		func(p graph.Path) any { return nonNilPaths(p.Variants) }))
	b.trace.AddFieldConfig("explanation", field(b.explanation,
		"Why there are no chains (null when there are): disconnected, too far for maxDepth, or removed by the filter, avoid, via or netEffect.",
		func(r *graph.TraceResult) any { return r.Explanation }))
	b.reached = graphql.NewObject(graphql.ObjectConfig{
		Name:        "ReachedEntity",
		Description: "An entity found downstream or upstream.",
		Fields: graphql.Fields{
			"entity":     field(nonNull(b.entity), "The entity.", func(r graph.Reached) any { return r.Entity }),
			"distance":   field(nonNull(graphql.Int), "Links on its shortest chains.", func(r graph.Reached) any { return r.Distance }),
			"effects":    field(listOf(b.effect), "Net effects along its shortest chains: both when some raise it and others lower it.", func(r graph.Reached) any { return r.Effects }),
			"confidence": field(nonNull(graphql.Float), "Confidence of the most confident shortest chain.", func(r graph.Reached) any { return r.Confidence }),
			"path": field(b.path, "That chain, in causal order.", func(r graph.Reached) any {
				if r.Path == nil {
					return nil
				}
				return *r.Path
			}),
		},
	})
	b.reach = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Reach",
		Description: "Everything an entity affects (downstream) or that affects it (upstream) within maxDepth links.",
		Fields: graphql.Fields{
			"of":        field(nonNull(b.entity), "The entity asked about, resolved.", func(r *reach) any { return r.res.Of }),
			"total":     field(nonNull(graphql.Int), "Entities matching the filters, on all pages.", func(r *reach) any { return r.res.Total }),
			"truncated": field(nonNull(graphql.Boolean), "True when the search stopped at its work budget: more may be reachable.", func(r *reach) any { return r.res.Truncated }),
			"entities":  field(listOf(b.reached), "The first entities, ranked by orderBy, each with an example chain.", func(r *reach) any { return r.res.Reached }),
			"columns": {
				Type: nonNull(jsonScalar),
				Description: "Every matching entity (not only the first), as columns of equal length: " +
					"id, name, kind, distance, increases, decreases, confidence. For research tools: " +
					"one JSON value, without the per-item cost of a typed list.",
				Resolve: func(p graphql.ResolveParams) (any, error) {
					r := p.Source.(*reach)
					if r.all {
						return ReachColumns{r.res}, spend(p.Context, len(r.res.Reached))
					}
					res, err := runReach(p.Context, r.store, r.everything(), r.up)
					if err != nil {
						return nil, codedError(err)
					}
					return ReachColumns{res}, spend(p.Context, len(res.Reached))
				},
			},
		},
	})
	b.loop = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Loop",
		Description: "A feedback cycle: its path starts and ends at the same entity.",
		Fields: graphql.Fields{
			"kind": field(nonNull(b.loopKind), "REINFORCING or BALANCING, by the number of DECREASES links.", func(l graph.Loop) any { return l.Kind }),
			"path": field(nonNull(b.path), "The cycle, with every hop's evidence; with distinct: true, the fullest of its variants.", func(l graph.Loop) any { return l.Path }),
			"variants": field(listOf(b.path), "With distinct: true, the other loops that differ from path only by shortcut links (a link that summarises a chain of the loop), shortest first; empty otherwise.",
				func(l graph.Loop) any { return nonNilPaths(l.Variants) }),
		},
	})
	b.loops = graphql.NewObject(graphql.ObjectConfig{
		Name:        "LoopResult",
		Description: "Feedback cycles.",
		Fields: graphql.Fields{
			"through":   field(b.entity, "The entity every loop passes through, when one was given.", func(r *graph.LoopResult) any { return r.Through }),
			"loops":     field(listOf(b.loop), "The loops, ranked by orderBy.", func(r *graph.LoopResult) any { return r.Loops }),
			"truncated": field(nonNull(graphql.Boolean), "True when more loops existed than first, or the search stopped at its work budget.", func(r *graph.LoopResult) any { return r.Truncated }),
		},
	})
	b.intervention = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Intervention",
		Description: "A therapy whose chains reach the target.",
		Fields: graphql.Fields{
			"therapy":    field(nonNull(b.entity), "The therapy.", func(i graph.Intervention) any { return i.Therapy }),
			"towardGoal": field(nonNull(graphql.Boolean), "Whether some chain moves the target the way wanted; false: it only moves it the wrong way.", func(i graph.Intervention) any { return i.TowardGoal }),
			"path":       field(nonNull(b.path), "Its best chain toward the goal (or, when towardGoal is false, its best chain).", func(i graph.Intervention) any { return i.Path }),
			"opposing":   field(listOf(b.path), fmt.Sprintf("Up to %d chains by which it moves the target against the goal.", graph.MaxOpposing), func(i graph.Intervention) any { return i.Opposing }),
			"risks":      field(listOf(b.reached), fmt.Sprintf("Conditions it raises within %d links, each with its chain.", graph.RiskDepth), func(i graph.Intervention) any { return i.Risks }),
		},
	})
	b.interventions = graphql.NewObject(graphql.ObjectConfig{
		Name:        "InterventionResult",
		Description: "The therapies that move a target, toward the goal first.",
		Fields: graphql.Fields{
			"target":        field(nonNull(b.entity), "The target, resolved.", func(r *graph.InterventionResult) any { return r.Target }),
			"goal":          field(nonNull(b.effect), "The change wanted in the target.", func(r *graph.InterventionResult) any { return r.Goal }),
			"total":         field(nonNull(graphql.Int), "Therapies found, before first.", func(r *graph.InterventionResult) any { return r.Total }),
			"truncated":     field(nonNull(graphql.Boolean), "True when the search stopped at its work budget.", func(r *graph.InterventionResult) any { return r.Truncated }),
			"interventions": field(listOf(b.intervention), "Toward the goal first, then the wrong-way ones; each group ranked by orderBy.", func(r *graph.InterventionResult) any { return r.Interventions }),
		},
	})
	b.knockout = graphql.NewObject(graphql.ObjectConfig{
		Name:        "KnockoutResult",
		Description: "What removing entities does to the chains between two others.",
		Fields: graphql.Fields{
			"from":      field(nonNull(b.entity), "The start, resolved.", func(r *graph.KnockoutResult) any { return r.From }),
			"to":        field(nonNull(b.entity), "The end, resolved.", func(r *graph.KnockoutResult) any { return r.To }),
			"removed":   field(listOf(b.entity), "The entities knocked out.", func(r *graph.KnockoutResult) any { return r.Removed }),
			"surviving": field(listOf(b.path), "Chains that avoid every removed entity, shortest first.", func(r *graph.KnockoutResult) any { return r.Surviving }),
			"broken":    field(listOf(b.path), "Chains that pass a removed entity, shortest first.", func(r *graph.KnockoutResult) any { return r.Broken }),
			"connected": field(nonNull(graphql.Boolean), "Whether any chain within maxDepth survives.", func(r *graph.KnockoutResult) any { return r.Connected }),
			"cutPoints": field(listOf(b.entity), "Entities every surviving chain passes through: removing any one of them as well would disconnect from and to.", func(r *graph.KnockoutResult) any { return r.CutPoints }),
			"truncated": field(nonNull(graphql.Boolean), "True when more chains existed than limit, or the search stopped at its work budget.", func(r *graph.KnockoutResult) any { return r.Truncated }),
		},
	})
}

// everything is the reach's query for every matching entity, without
// example chains: what columns lists.
func (r *reach) everything() graph.ReachQuery {
	q := r.q
	q.First, q.Paths = 0, false
	return q
}

func runReach(ctx context.Context, cs CausalStore, q graph.ReachQuery, up bool) (*graph.ReachResult, error) {
	if up {
		return cs.Upstream(ctx, q)
	}
	return cs.Downstream(ctx, q)
}

// selected names the fields a selection set asks for, through fragments
// (whatever their directives say: a field that may be skipped counts).
func selected(info graphql.ResolveInfo, set *ast.SelectionSet) map[string]bool {
	names := map[string]bool{}
	var walk func(set *ast.SelectionSet, depth int)
	walk = func(set *ast.SelectionSet, depth int) {
		if set == nil || depth > 64 {
			return
		}
		for _, s := range set.Selections {
			switch s := s.(type) {
			case *ast.Field:
				names[s.Name.Value] = true
			case *ast.InlineFragment:
				walk(s.SelectionSet, depth+1)
			case *ast.FragmentSpread:
				if f, ok := info.Fragments[s.Name.Value].(*ast.FragmentDefinition); ok {
					walk(f.SelectionSet, depth+1)
				}
			}
		}
	}
	walk(set, 0)
	return names
}

// ReachColumns is the columns answer of downstream and upstream: the
// reached entities as columns of equal length (ReachColumnNames), with the
// answer's of, upstream and truncated. It writes itself as JSON straight
// from the reach result (AppendJSON): no column is copied out and no map
// is built, whatever the number of entities.
type ReachColumns struct{ Res *graph.ReachResult }

// ReachColumnNames are the per-entity columns of ReachColumns, as the
// command line's csv and ndjson name them too.
var ReachColumnNames = []string{"id", "name", "kind", "distance", "increases", "decreases", "confidence"}

// JSONAppender is a value that writes itself as JSON. A server that writes
// its responses itself appends such a value as it is: encoding/json would
// call MarshalJSON, then check and compact what it returned.
type JSONAppender interface {
	AppendJSON(dst []byte) []byte
}

// AppendJSON writes the columns as one JSON object, keys in sorted order
// as encoding/json writes a map.
func (c ReachColumns) AppendJSON(b []byte) []byte {
	rs := c.Res.Reached
	col := func(b []byte, name string, value func([]byte, *graph.Reached) []byte) []byte {
		b = jsonw.String(b, name)
		b = append(b, ':', '[')
		for i := range rs {
			if i > 0 {
				b = append(b, ',')
			}
			b = value(b, &rs[i])
		}
		return append(b, ']', ',')
	}
	b = slices.Grow(b, c.size())
	b = append(b, '{')
	b = col(b, "confidence", func(b []byte, r *graph.Reached) []byte { return jsonw.Float(b, r.Confidence) })
	b = col(b, "decreases", func(b []byte, r *graph.Reached) []byte { return jsonw.Bool(b, has(r.Effects, graph.Decreases)) })
	b = col(b, "distance", func(b []byte, r *graph.Reached) []byte { return jsonw.Int(b, r.Distance) })
	b = col(b, "id", func(b []byte, r *graph.Reached) []byte { return jsonw.String(b, r.Entity.ID) })
	b = col(b, "increases", func(b []byte, r *graph.Reached) []byte { return jsonw.Bool(b, has(r.Effects, graph.Increases)) })
	b = col(b, "kind", func(b []byte, r *graph.Reached) []byte { return jsonw.String(b, string(r.Entity.Kind)) })
	b = col(b, "name", func(b []byte, r *graph.Reached) []byte { return jsonw.String(b, r.Entity.Name) })
	b = append(jsonw.String(b, "of"), ':')
	b = append(jsonw.String(b, c.Res.Of.ID), ',')
	b = append(jsonw.String(b, "truncated"), ':')
	b = append(jsonw.Bool(b, c.Res.Truncated), ',')
	b = append(jsonw.String(b, "upstream"), ':')
	return append(jsonw.Bool(b, c.Res.Upstream), '}')
}

// size is about what AppendJSON writes: room for it at once, instead of
// copying a megabyte-sized answer each time the buffer doubles.
func (c ReachColumns) size() int {
	n := 256 + len(c.Res.Of.ID)
	for i := range c.Res.Reached {
		e := c.Res.Reached[i].Entity
		n += len(e.ID) + len(e.Name) + len(e.Kind) + 48 // quotes, commas, distance, booleans, confidence
	}
	return n
}

// MarshalJSON is AppendJSON, for encoding/json.
func (c ReachColumns) MarshalJSON() ([]byte, error) { return c.AppendJSON(nil), nil }

func has(effects []graph.Effect, e graph.Effect) bool {
	for _, x := range effects {
		if x == e {
			return true
		}
	}
	return false
}

// TraceColumns lays a trace's chains out as one row per hop.
func TraceColumns(res *graph.TraceResult) map[string]any {
	var path, hop []int
	var link, subject, predicate, effect, object []string
	var conf []float64
	for i, p := range res.Paths {
		for j, l := range p.Links {
			path, hop = append(path, i), append(hop, j)
			link, subject, object = append(link, l.ID), append(subject, l.Subject), append(object, l.Object)
			predicate, effect = append(predicate, l.Predicate), append(effect, string(l.Effect))
			conf = append(conf, l.Confidence)
		}
	}
	nets := make([]string, len(res.Paths))
	confs := make([]float64, len(res.Paths))
	for i, p := range res.Paths {
		nets[i], confs[i] = string(p.NetEffect), p.Confidence
	}
	return map[string]any{
		"from": res.From.ID, "to": res.To.ID, "truncated": res.Truncated,
		"path": orEmpty(path), "hop": orEmpty(hop), "link": orEmpty(link), "subject": orEmpty(subject),
		"predicate": orEmpty(predicate), "effect": orEmpty(effect), "object": orEmpty(object), "confidence": orEmpty(conf),
		"pathNetEffect": nets, "pathConfidence": confs,
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (b *builder) causalFields(fields graphql.Fields) {
	orderArg := &graphql.ArgumentConfig{Type: b.order, Description: "How to rank: LENGTH (default) or CONFIDENCE."}
	reachField := func(up bool) *graphql.Field {
		what := "every entity it affects"
		if up {
			what = "every entity that affects it"
		}
		return &graphql.Field{
			Type: nonNull(b.reach),
			Description: fmt.Sprintf("Starting from one entity, %s within maxDepth links, with its distance, "+
				"the net effect(s) of its shortest chains and an example chain. Nearest first by default.", what),
			Args: b.filterArgs(graphql.FieldConfigArgument{
				"of":        {Type: graphql.NewNonNull(graphql.ID), Description: "Entity id, name, synonym or xref CURIE."},
				"maxDepth":  {Type: graphql.Int, Description: fmt.Sprintf("Most links, 1..%d (default %d).", graph.MaxReachDepth, graph.DefaultReachDepth)},
				"netEffect": {Type: b.effect, Description: "Only entities reached with this net effect."},
				"kinds":     {Type: graphql.NewList(graphql.NewNonNull(b.kind)), Description: "Only entities of these kinds."},
				"first":     {Type: graphql.Int, Description: fmt.Sprintf("Entities listed in entities, 1..%d (default %d); columns has them all.", graph.MaxPageSize, graph.DefaultPageSize)},
				"orderBy":   orderArg,
			}),
			Resolve: func(p graphql.ResolveParams) (any, error) {
				q := graph.ReachQuery{Of: p.Args["of"].(string), Paths: true}
				if err := intArgs(p, intDst{"maxDepth", &q.MaxDepth}, intDst{"first", &q.First}); err != nil {
					return nil, err
				}
				var err error
				if q.Filter, err = b.filterOf(p); err != nil {
					return nil, err
				}
				if q.First == 0 {
					q.First = graph.DefaultPageSize
				} else if q.First > graph.MaxPageSize {
					return nil, badInput("first must be in 1..%d, not %d", graph.MaxPageSize, q.First)
				}
				q.NetEffect, _ = p.Args["netEffect"].(graph.Effect)
				q.OrderBy, _ = p.Args["orderBy"].(graph.Order)
				if ks, ok := p.Args["kinds"].([]any); ok {
					for _, k := range ks {
						q.Kinds = append(q.Kinds, k.(graph.Kind))
					}
				}
				r := &reach{q: q, up: up, store: b.store}
				// columns without entities: one search answers all of it.
				sel := selected(p.Info, p.Info.FieldASTs[0].SelectionSet)
				if r.all = sel["columns"] && !sel["entities"]; r.all {
					q = r.everything()
				}
				if r.res, err = runReach(p.Context, r.store, q, up); err != nil {
					return nil, codedError(err)
				}
				return r, spend(p.Context, min(len(r.res.Reached), r.q.First))
			},
		}
	}
	fields["downstream"] = reachField(false)
	fields["upstream"] = reachField(true)
	fields["loops"] = &graphql.Field{
		Type: nonNull(b.loops),
		Description: "Signed feedback cycles: REINFORCING (vicious or virtuous circles) and BALANCING " +
			"(negative feedback), shortest first by default.",
		Args: b.filterArgs(graphql.FieldConfigArgument{
			"through":   {Type: graphql.ID, Description: "Only loops through this entity; without it, loops anywhere, each once."},
			"maxLength": {Type: graphql.Int, Description: fmt.Sprintf("Most links in a loop, 1..%d (default %d).", graph.MaxLoopLength, graph.DefaultLoopLength)},
			"kind":      {Type: b.loopKind, Description: "Only loops of this kind."},
			"first":     {Type: graphql.Int, Description: fmt.Sprintf("Most loops, 1..%d (default %d).", graph.MaxLoopFirst, graph.DefaultLoopFirst)},
			"orderBy":   orderArg,
			"distinct": {Type: graphql.Boolean, DefaultValue: false, Description: "Report loops that differ only by shortcut links once: the fullest, with the others as its variants. " +
				"A shortcut is a link that summarises a chain of the loop: one its shortcutOf declares (taken first), or a link whose sign is the product of the chain's. first then counts distinct loops."},
		}),
		Resolve: func(p graphql.ResolveParams) (any, error) {
			q := graph.LoopQuery{}
			q.Distinct, _ = p.Args["distinct"].(bool)
			q.Through, _ = p.Args["through"].(string)
			q.Kind, _ = p.Args["kind"].(graph.LoopKind)
			q.OrderBy, _ = p.Args["orderBy"].(graph.Order)
			if err := intArgs(p, intDst{"maxLength", &q.MaxLength}, intDst{"first", &q.First}); err != nil {
				return nil, err
			}
			var err error
			if q.Filter, err = b.filterOf(p); err != nil {
				return nil, err
			}
			res, err := b.store.Loops(p.Context, q)
			if err != nil {
				return nil, codedError(err)
			}
			n := 0
			for _, l := range res.Loops {
				n += pathItems(l.Path) + pathItems(l.Variants...)
			}
			return res, spend(p.Context, n)
		},
	}
	fields["interventions"] = &graphql.Field{
		Type: nonNull(b.interventions),
		Description: "The THERAPY entities whose chains move target in the goal direction, each with its best chain, " +
			"the chains by which it also works against the goal, and the conditions it raises; then those that " +
			"only move it the wrong way (towardGoal: false).",
		Args: b.filterArgs(graphql.FieldConfigArgument{
			"target":   {Type: graphql.NewNonNull(graphql.ID), Description: "Entity id, name, synonym or xref CURIE."},
			"goal":     {Type: graphql.NewNonNull(b.effect), Description: "The change wanted in the target."},
			"maxDepth": {Type: graphql.Int, Description: fmt.Sprintf("Most links from therapy to target, 1..%d (default %d).", graph.MaxTraceDepth, graph.DefaultInterventionDepth)},
			"first":    {Type: graphql.Int, Description: fmt.Sprintf("Most therapies, 1..%d (default %d).", graph.MaxInterventionFirst, graph.DefaultInterventionFirst)},
			"orderBy":  orderArg,
		}),
		Resolve: func(p graphql.ResolveParams) (any, error) {
			q := graph.InterventionQuery{Target: p.Args["target"].(string), Goal: p.Args["goal"].(graph.Effect)}
			q.OrderBy, _ = p.Args["orderBy"].(graph.Order)
			if err := intArgs(p, intDst{"maxDepth", &q.MaxDepth}, intDst{"first", &q.First}); err != nil {
				return nil, err
			}
			var err error
			if q.Filter, err = b.filterOf(p); err != nil {
				return nil, err
			}
			res, err := b.store.Interventions(p.Context, q)
			if err != nil {
				return nil, codedError(err)
			}
			n := 0
			for _, iv := range res.Interventions {
				n += pathItems(iv.Path) + len(iv.Opposing) + len(iv.Risks)
			}
			return res, spend(p.Context, n)
		},
	}
	fields["knockout"] = &graphql.Field{
		Type: nonNull(b.knockout),
		Description: "Knock entities out (for this question only): which chains from -> to survive, which break, " +
			"and the cut points every surviving chain passes through.",
		Args: b.filterArgs(graphql.FieldConfigArgument{
			"remove":   {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.ID))), Description: "The entities knocked out."},
			"from":     {Type: graphql.NewNonNull(graphql.ID), Description: "Where the chains start."},
			"to":       {Type: graphql.NewNonNull(graphql.ID), Description: "Where the chains end."},
			"maxDepth": {Type: graphql.Int, Description: fmt.Sprintf("Most links in a chain, 1..%d (default %d).", graph.MaxTraceDepth, graph.DefaultTraceDepth)},
			"limit":    {Type: graphql.Int, Description: fmt.Sprintf("Most chains listed of each sort, 1..%d (default %d).", graph.MaxTraceLimit, graph.DefaultTraceLimit)},
		}),
		Resolve: func(p graphql.ResolveParams) (any, error) {
			q := graph.KnockoutQuery{Remove: idList(p.Args["remove"]), From: p.Args["from"].(string), To: p.Args["to"].(string)}
			if err := intArgs(p, intDst{"maxDepth", &q.MaxDepth}, intDst{"limit", &q.Limit}); err != nil {
				return nil, err
			}
			var err error
			if q.Filter, err = b.filterOf(p); err != nil {
				return nil, err
			}
			res, err := b.store.Knockout(p.Context, q)
			if err != nil {
				return nil, codedError(err)
			}
			n := len(res.CutPoints) + pathItems(res.Surviving...) + pathItems(res.Broken...)
			return res, spend(p.Context, n)
		},
	}
}

// pathItems is what chains cost against the request's budget: one item
// for each chain and one for each of its links.
func pathItems(paths ...graph.Path) int {
	n := 0
	for _, p := range paths {
		n += 1 + p.Len() + pathItems(p.Variants...)
	}
	return n
}

// intDst names an optional Int argument and where it goes.
type intDst struct {
	name string
	dst  *int
}

// intArgs reads optional Int arguments, in order, stopping at the first bad one.
func intArgs(p graphql.ResolveParams, args ...intDst) error {
	for _, a := range args {
		v, err := intArg(p, a.name)
		if err != nil {
			return err
		}
		*a.dst = v
	}
	return nil
}

func badInput(format string, args ...any) error {
	return codedError(fmt.Errorf("%w: "+format, append([]any{graph.ErrBadArgument}, args...)...))
}
