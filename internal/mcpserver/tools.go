package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/leydigkg/leydigkg/graph"
)

// Entity is an entity as the tools answer it.
type Entity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

func entity(e *graph.Entity) Entity {
	if e == nil {
		return Entity{}
	}
	return Entity{ID: e.ID, Name: e.Name, Kind: string(e.Kind)}
}

func entities(es []*graph.Entity) []Entity {
	out := make([]Entity, len(es))
	for i, e := range es {
		out[i] = entity(e)
	}
	return out
}

// Hop is one link of a chain, with a quote of its evidence.
type Hop struct {
	Link       string  `json:"link" jsonschema:"the link's id, for link_evidence"`
	Subject    string  `json:"subject"`
	Effect     string  `json:"effect"`
	Object     string  `json:"object"`
	Confidence float64 `json:"confidence"`
	Quote      string  `json:"quote,omitempty" jsonschema:"a verbatim quote of its first quoted evidence item"`
	Source     string  `json:"source,omitempty" jsonschema:"the source of that evidence"`
	Evidence   int     `json:"evidence" jsonschema:"how many evidence items it has"`
	// InheritedFrom is set on a hop a member takes from its class (trace
	// with inherit): an inference the query made, not a stored link.
	InheritedFrom string `json:"inheritedFrom,omitempty" jsonschema:"for a hop taken from a class (inherit), the class's id: an inference, not a statement"`
}

// Chain is a causal chain, in causal order.
type Chain struct {
	Hops       []Hop   `json:"hops"`
	NetEffect  string  `json:"netEffect"`
	Confidence float64 `json:"confidence"`
}

// TracedChain is a chain trace found, with its variants.
type TracedChain struct {
	Chain
	Variants []Chain `json:"variants,omitempty" jsonschema:"with distinct, the chains that differ from this one only by shortcut links, shortest first"`
}

func chain(p graph.Path) Chain {
	c := Chain{Hops: make([]Hop, len(p.Links)), NetEffect: string(p.NetEffect), Confidence: p.Confidence}
	for i, l := range p.Links {
		h := Hop{Link: l.ID, Subject: l.Subject, Effect: string(l.Effect), Object: l.Object, Confidence: l.Confidence, Evidence: len(l.Evidence),
			InheritedFrom: l.InheritedFrom}
		if i < len(p.Entities) && p.Entities[i] != nil {
			h.Subject = p.Entities[i].Name
		}
		if i+1 < len(p.Entities) && p.Entities[i+1] != nil {
			h.Object = p.Entities[i+1].Name
		}
		for _, e := range l.Evidence {
			if e.Quote != "" {
				h.Quote, h.Source = e.Quote, e.Source
				break
			}
		}
		c.Hops[i] = h
	}
	return c
}

func chains(ps []graph.Path) []Chain {
	out := make([]Chain, len(ps))
	for i, p := range ps {
		out[i] = chain(p)
	}
	return out
}

// text writes a chain on one line and its quotes below it.
func (c Chain) text(b *strings.Builder, n int) {
	if len(c.Hops) == 0 {
		return
	}
	fmt.Fprintf(b, "%d. %s", n, c.Hops[0].Subject)
	for _, h := range c.Hops {
		if h.InheritedFrom != "" {
			fmt.Fprintf(b, " -%s (inherited from %s)-> %s", h.Effect, h.InheritedFrom, h.Object)
			continue
		}
		fmt.Fprintf(b, " -%s-> %s", h.Effect, h.Object)
	}
	fmt.Fprintf(b, " (net %s, confidence %.2f)\n", c.NetEffect, c.Confidence)
	for _, h := range c.Hops {
		if h.Quote != "" {
			fmt.Fprintf(b, "   %s %s %s: %q (%s)\n", h.Subject, strings.ToLower(h.Effect), h.Object, h.Quote, h.Source)
		}
	}
}

// FindIn asks find_entities.
type FindIn struct {
	Query string   `json:"query" jsonschema:"a name, synonym, xref CURIE or words"`
	Kinds []string `json:"kinds,omitempty" jsonschema:"only entities of these kinds: HORMONE, CELL, PROCESS, THERAPY, GENE_PRODUCT, MOLECULE, ANATOMY, CONDITION"`
	First int      `json:"first,omitempty" jsonschema:"most hits, 1..100 (default 10)"`
}

// Hit is an entity found, with how well it matches (0..1].
type Hit struct {
	Entity
	Score       float64  `json:"score"`
	Synonyms    []string `json:"synonyms,omitempty"`
	Description string   `json:"description,omitempty"`
}

// FindOut answers find_entities.
type FindOut struct {
	Hits []Hit `json:"hits"`
}

func (t *tools) find(ctx context.Context, in FindIn) (FindOut, string, error) {
	var kinds []graph.Kind
	for _, k := range in.Kinds {
		kind := graph.Kind(strings.ToUpper(k))
		if !kind.Valid() {
			return FindOut{}, "", fmt.Errorf("%w: kind %q (want one of %v)", graph.ErrBadArgument, k, graph.Kinds)
		}
		kinds = append(kinds, kind)
	}
	hits, err := t.store.Search(ctx, in.Query, kinds, in.First, graph.Filter{})
	if err != nil {
		return FindOut{}, "", err
	}
	out := FindOut{Hits: make([]Hit, len(hits))}
	var b strings.Builder
	fmt.Fprintf(&b, "%d entities match %q.\n", len(hits), in.Query)
	for i, h := range hits {
		out.Hits[i] = Hit{Entity: entity(h.Entity), Score: h.Score, Synonyms: h.Entity.Synonyms, Description: h.Entity.Description}
		fmt.Fprintf(&b, "- %s (%s, %s)\n", h.Entity.Name, h.Entity.Kind, h.Entity.ID)
	}
	return out, b.String(), nil
}

// TraceIn asks trace.
type TraceIn struct {
	From      string   `json:"from" jsonschema:"where the chains start: an entity id, name, synonym or xref CURIE"`
	To        string   `json:"to" jsonschema:"where the chains end"`
	MaxDepth  int      `json:"maxDepth,omitempty" jsonschema:"most links in a chain, 1..8 (default 5)"`
	Limit     int      `json:"limit,omitempty" jsonschema:"most chains, 1..100 (default 10)"`
	NetEffect string   `json:"netEffect,omitempty" jsonschema:"only chains with this net effect: INCREASES or DECREASES"`
	Via       []string `json:"via,omitempty" jsonschema:"every chain passes through all of these"`
	Avoid     []string `json:"avoid,omitempty" jsonschema:"no chain passes through any of these"`
	OrderBy   string   `json:"orderBy,omitempty" jsonschema:"LENGTH (default: fewest links first) or CONFIDENCE"`
	Inherit   bool     `json:"inherit,omitempty" jsonschema:"let a member take its class's causal links (subclass_of); such hops are marked inheritedFrom and scored as inferences"`
	Distinct  bool     `json:"distinct,omitempty" jsonschema:"report chains that differ only by shortcut links once, the fullest, with the others as variants"`
	Filter
}

// TraceOut answers trace.
type TraceOut struct {
	From        Entity        `json:"from"`
	To          Entity        `json:"to"`
	Chains      []TracedChain `json:"chains"`
	Truncated   bool          `json:"truncated" jsonschema:"more chains existed than limit, or the work budget ran out"`
	Explanation string        `json:"explanation,omitempty" jsonschema:"why no chain was found"`
}

func (t *tools) trace(ctx context.Context, in TraceIn) (TraceOut, string, error) {
	q := graph.TraceQuery{From: in.From, To: in.To, MaxDepth: in.MaxDepth, Limit: in.Limit, Via: in.Via, Avoid: in.Avoid, Filter: in.graph(), Inherit: in.Inherit, Distinct: in.Distinct}
	var err error
	if q.NetEffect, err = effect(in.NetEffect); err != nil {
		return TraceOut{}, "", err
	}
	if q.OrderBy, err = order(in.OrderBy); err != nil {
		return TraceOut{}, "", err
	}
	res, err := t.store.Trace(ctx, q)
	if err != nil {
		return TraceOut{}, "", err
	}
	out := TraceOut{From: entity(res.From), To: entity(res.To), Chains: make([]TracedChain, len(res.Paths)), Truncated: res.Truncated}
	for i, p := range res.Paths {
		out.Chains[i].Chain = chain(p)
		if len(p.Variants) > 0 {
			out.Chains[i].Variants = chains(p.Variants)
		}
	}
	var b strings.Builder
	if res.Explanation != nil {
		out.Explanation = res.Explanation.Message
		fmt.Fprintf(&b, "No chain from %s to %s: %s\n", out.From.Name, out.To.Name, out.Explanation)
		return out, b.String(), nil
	}
	fmt.Fprintf(&b, "%d chains from %s to %s%s:\n", len(out.Chains), out.From.Name, out.To.Name, more(out.Truncated, "limit or maxDepth"))
	for i, c := range out.Chains {
		c.text(&b, i+1)
		if n := len(c.Variants); n > 0 {
			fmt.Fprintf(&b, "   and %d variant(s) that differ only by shortcut links\n", n)
		}
	}
	return out, b.String(), nil
}

func more(truncated bool, hint string) string {
	if truncated {
		return " (more may exist: raise " + hint + ")"
	}
	return ""
}

// ReachIn asks downstream or upstream.
type ReachIn struct {
	Of        string   `json:"of" jsonschema:"the entity: id, name, synonym or xref CURIE"`
	MaxDepth  int      `json:"maxDepth,omitempty" jsonschema:"most links, 1..8 (default 3)"`
	NetEffect string   `json:"netEffect,omitempty" jsonschema:"only entities reached with this net effect: INCREASES or DECREASES"`
	Kinds     []string `json:"kinds,omitempty" jsonschema:"only entities of these kinds"`
	First     int      `json:"first,omitempty" jsonschema:"most entities, 1..500 (default 50)"`
	OrderBy   string   `json:"orderBy,omitempty" jsonschema:"LENGTH (default: nearest first) or CONFIDENCE"`
	Filter
}

// Reached is an entity found downstream or upstream.
type Reached struct {
	Entity
	Distance   int      `json:"distance"`
	Effects    []string `json:"effects" jsonschema:"net effects along its shortest chains"`
	Confidence float64  `json:"confidence"`
	Chain      *Chain   `json:"chain,omitempty" jsonschema:"its most confident shortest chain, in causal order"`
}

// ReachOut answers downstream and upstream.
type ReachOut struct {
	Of        Entity    `json:"of"`
	Upstream  bool      `json:"upstream"`
	Total     int       `json:"total" jsonschema:"entities matching, before first"`
	Truncated bool      `json:"truncated"`
	Entities  []Reached `json:"entities"`
}

func (t *tools) downstream(ctx context.Context, in ReachIn) (ReachOut, string, error) {
	return t.reach(ctx, in, false)
}

func (t *tools) upstream(ctx context.Context, in ReachIn) (ReachOut, string, error) {
	return t.reach(ctx, in, true)
}

func (t *tools) reach(ctx context.Context, in ReachIn, up bool) (ReachOut, string, error) {
	q := graph.ReachQuery{Of: in.Of, MaxDepth: in.MaxDepth, First: in.First, Paths: true, Filter: in.graph()}
	if q.First == 0 {
		q.First = graph.DefaultPageSize
	} else if q.First < 0 || q.First > graph.MaxPageSize {
		return ReachOut{}, "", fmt.Errorf("%w: first must be in 1..%d, not %d", graph.ErrBadArgument, graph.MaxPageSize, q.First)
	}
	var err error
	if q.NetEffect, err = effect(in.NetEffect); err != nil {
		return ReachOut{}, "", err
	}
	if q.OrderBy, err = order(in.OrderBy); err != nil {
		return ReachOut{}, "", err
	}
	for _, k := range in.Kinds {
		kind := graph.Kind(strings.ToUpper(k))
		if !kind.Valid() {
			return ReachOut{}, "", fmt.Errorf("%w: kind %q (want one of %v)", graph.ErrBadArgument, k, graph.Kinds)
		}
		q.Kinds = append(q.Kinds, kind)
	}
	var res *graph.ReachResult
	if up {
		res, err = t.store.Upstream(ctx, q)
	} else {
		res, err = t.store.Downstream(ctx, q)
	}
	if err != nil {
		return ReachOut{}, "", err
	}
	out := ReachOut{Of: entity(res.Of), Upstream: up, Total: res.Total, Truncated: res.Truncated, Entities: make([]Reached, len(res.Reached))}
	var b strings.Builder
	what := "affects"
	if up {
		what = "is affected by"
	}
	fmt.Fprintf(&b, "%s %s %d entities", out.Of.Name, what, res.Total)
	if len(res.Reached) < res.Total {
		fmt.Fprintf(&b, " (the first %d here)", len(res.Reached))
	}
	b.WriteString(":\n")
	for i, r := range res.Reached {
		o := Reached{Entity: entity(r.Entity), Distance: r.Distance, Confidence: r.Confidence, Effects: make([]string, len(r.Effects))}
		for j, e := range r.Effects {
			o.Effects[j] = string(e)
		}
		if r.Path != nil {
			c := chain(*r.Path)
			o.Chain = &c
		}
		out.Entities[i] = o
		fmt.Fprintf(&b, "- %s (%s) %s, %d links", o.Name, o.Kind, strings.Join(o.Effects, "/"), o.Distance)
		if o.Chain != nil && len(o.Chain.Hops) > 0 && o.Chain.Hops[0].Quote != "" {
			h := o.Chain.Hops[0]
			fmt.Fprintf(&b, "; %s %s %s: %q", h.Subject, strings.ToLower(h.Effect), h.Object, h.Quote)
		}
		b.WriteString("\n")
	}
	return out, b.String(), nil
}

// LoopsIn asks loops.
type LoopsIn struct {
	Through   string `json:"through,omitempty" jsonschema:"only loops through this entity; without it, loops anywhere"`
	MaxLength int    `json:"maxLength,omitempty" jsonschema:"most links in a loop, 1..8 (default 6)"`
	Kind      string `json:"kind,omitempty" jsonschema:"only REINFORCING or only BALANCING loops"`
	First     int    `json:"first,omitempty" jsonschema:"most loops, 1..500 (default 20)"`
	OrderBy   string `json:"orderBy,omitempty" jsonschema:"LENGTH (default) or CONFIDENCE"`
	Distinct  bool   `json:"distinct,omitempty" jsonschema:"report loops that differ only by shortcut links once, the fullest, with the others as variants"`
	Filter
}

// Loop is a feedback cycle: its chain starts and ends at the same entity.
type Loop struct {
	Kind     string  `json:"kind"`
	Chain    Chain   `json:"chain"`
	Variants []Chain `json:"variants,omitempty" jsonschema:"with distinct, the loops that differ from chain only by shortcut links"`
}

// LoopsOut answers loops.
type LoopsOut struct {
	Through   *Entity `json:"through,omitempty"`
	Loops     []Loop  `json:"loops"`
	Truncated bool    `json:"truncated"`
}

func (t *tools) loops(ctx context.Context, in LoopsIn) (LoopsOut, string, error) {
	q := graph.LoopQuery{Through: in.Through, MaxLength: in.MaxLength, First: in.First, Filter: in.graph(), Distinct: in.Distinct}
	switch k := graph.LoopKind(strings.ToUpper(in.Kind)); k {
	case "", graph.Reinforcing, graph.Balancing:
		q.Kind = k
	default:
		return LoopsOut{}, "", fmt.Errorf("%w: kind %q (want REINFORCING or BALANCING)", graph.ErrBadArgument, in.Kind)
	}
	var err error
	if q.OrderBy, err = order(in.OrderBy); err != nil {
		return LoopsOut{}, "", err
	}
	res, err := t.store.Loops(ctx, q)
	if err != nil {
		return LoopsOut{}, "", err
	}
	out := LoopsOut{Loops: make([]Loop, len(res.Loops)), Truncated: res.Truncated}
	var b strings.Builder
	where := "in the graph"
	if res.Through != nil {
		e := entity(res.Through)
		out.Through, where = &e, "through "+e.Name
	}
	fmt.Fprintf(&b, "%d feedback loops %s%s:\n", len(res.Loops), where, more(res.Truncated, "first or maxLength"))
	for i, l := range res.Loops {
		out.Loops[i] = Loop{Kind: string(l.Kind), Chain: chain(l.Path)}
		if len(l.Variants) > 0 {
			out.Loops[i].Variants = chains(l.Variants)
		}
		fmt.Fprintf(&b, "%s ", l.Kind)
		out.Loops[i].Chain.text(&b, i+1)
		if n := len(l.Variants); n > 0 {
			fmt.Fprintf(&b, "   and %d variant(s) that differ only by shortcut links\n", n)
		}
	}
	return out, b.String(), nil
}

// InterventionsIn asks interventions.
type InterventionsIn struct {
	Target   string `json:"target" jsonschema:"the entity to move: id, name, synonym or xref CURIE"`
	Goal     string `json:"goal" jsonschema:"the change wanted in the target: INCREASES or DECREASES"`
	MaxDepth int    `json:"maxDepth,omitempty" jsonschema:"most links from therapy to target, 1..8 (default 4)"`
	First    int    `json:"first,omitempty" jsonschema:"most therapies, 1..500 (default 20)"`
	OrderBy  string `json:"orderBy,omitempty" jsonschema:"LENGTH (default) or CONFIDENCE"`
	Filter
}

// Intervention is a therapy whose chains reach the target.
type Intervention struct {
	Therapy    Entity   `json:"therapy"`
	TowardGoal bool     `json:"towardGoal" jsonschema:"some chain moves the target the way wanted"`
	Chain      Chain    `json:"chain" jsonschema:"its best chain toward the goal (or its best chain when towardGoal is false)"`
	Opposing   []Chain  `json:"opposing" jsonschema:"chains by which it moves the target against the goal"`
	Risks      []string `json:"risks" jsonschema:"conditions it raises nearby"`
}

// InterventionsOut answers interventions.
type InterventionsOut struct {
	Target        Entity         `json:"target"`
	Goal          string         `json:"goal"`
	Total         int            `json:"total"`
	Truncated     bool           `json:"truncated"`
	Interventions []Intervention `json:"interventions"`
}

func (t *tools) interventions(ctx context.Context, in InterventionsIn) (InterventionsOut, string, error) {
	goal, err := graph.ParseEffect(in.Goal)
	if err != nil {
		return InterventionsOut{}, "", err
	}
	q := graph.InterventionQuery{Target: in.Target, Goal: goal, MaxDepth: in.MaxDepth, First: in.First, Filter: in.graph()}
	if q.OrderBy, err = order(in.OrderBy); err != nil {
		return InterventionsOut{}, "", err
	}
	res, err := t.store.Interventions(ctx, q)
	if err != nil {
		return InterventionsOut{}, "", err
	}
	out := InterventionsOut{Target: entity(res.Target), Goal: string(res.Goal), Total: res.Total, Truncated: res.Truncated,
		Interventions: make([]Intervention, len(res.Interventions))}
	var b strings.Builder
	fmt.Fprintf(&b, "%d therapies reach %s (goal: %s):\n", res.Total, out.Target.Name, res.Goal)
	for i, iv := range res.Interventions {
		o := Intervention{Therapy: entity(iv.Therapy), TowardGoal: iv.TowardGoal, Chain: chain(iv.Path), Opposing: chains(iv.Opposing), Risks: make([]string, len(iv.Risks))}
		for j, r := range iv.Risks {
			o.Risks[j] = r.Entity.Name
		}
		out.Interventions[i] = o
		way := "toward the goal"
		if !o.TowardGoal {
			way = "against the goal only"
		}
		fmt.Fprintf(&b, "%s, %s", o.Therapy.Name, way)
		if len(o.Risks) > 0 {
			fmt.Fprintf(&b, "; raises %s", strings.Join(o.Risks, ", "))
		}
		b.WriteString(":\n")
		o.Chain.text(&b, i+1)
	}
	return out, b.String(), nil
}

// KnockoutIn asks knockout.
type KnockoutIn struct {
	Remove   []string `json:"remove" jsonschema:"the entities knocked out"`
	From     string   `json:"from" jsonschema:"where the chains start"`
	To       string   `json:"to" jsonschema:"where the chains end"`
	MaxDepth int      `json:"maxDepth,omitempty" jsonschema:"most links in a chain, 1..8 (default 5)"`
	Limit    int      `json:"limit,omitempty" jsonschema:"most chains listed of each sort, 1..100 (default 10)"`
	Filter
}

// KnockoutOut answers knockout.
type KnockoutOut struct {
	From      Entity   `json:"from"`
	To        Entity   `json:"to"`
	Removed   []Entity `json:"removed"`
	Connected bool     `json:"connected" jsonschema:"some chain within maxDepth survives"`
	Surviving []Chain  `json:"surviving"`
	Broken    []Chain  `json:"broken"`
	CutPoints []Entity `json:"cutPoints" jsonschema:"entities every surviving chain passes through"`
	Truncated bool     `json:"truncated"`
}

func (t *tools) knockout(ctx context.Context, in KnockoutIn) (KnockoutOut, string, error) {
	q := graph.KnockoutQuery{Remove: in.Remove, From: in.From, To: in.To, MaxDepth: in.MaxDepth, Limit: in.Limit, Filter: in.graph()}
	res, err := t.store.Knockout(ctx, q)
	if err != nil {
		return KnockoutOut{}, "", err
	}
	out := KnockoutOut{From: entity(res.From), To: entity(res.To), Removed: entities(res.Removed), Connected: res.Connected,
		Surviving: chains(res.Surviving), Broken: chains(res.Broken), CutPoints: entities(res.CutPoints), Truncated: res.Truncated}
	var b strings.Builder
	names := make([]string, len(out.Removed))
	for i, e := range out.Removed {
		names[i] = e.Name
	}
	fmt.Fprintf(&b, "Knocking out %s: %d chains from %s to %s survive, %d break.\n",
		strings.Join(names, ", "), len(out.Surviving), out.From.Name, out.To.Name, len(out.Broken))
	if !out.Connected {
		b.WriteString("No chain within maxDepth survives.\n")
	}
	for i, c := range out.Surviving {
		c.text(&b, i+1)
	}
	return out, b.String(), nil
}

// LinkIn asks link_evidence.
type LinkIn struct {
	ID string `json:"id" jsonschema:"a link id, as the hops of a chain give it"`
}

// Reference is a publication an evidence item cites.
type Reference struct {
	ID       string `json:"id"`
	Citation string `json:"citation"`
}

// Evidence is one source's support for a link.
type Evidence struct {
	Source         string `json:"source"`
	SourceTitle    string `json:"sourceTitle,omitempty"`
	KnowledgeLevel string `json:"knowledgeLevel,omitempty"`
	AgentType      string `json:"agentType,omitempty"`
	// Negated: the source denies the link (it counts against its belief).
	Negated      bool        `json:"negated,omitempty"`
	Quote        string      `json:"quote,omitempty"`
	Section      string      `json:"section,omitempty"`
	Reasoning    string      `json:"reasoning,omitempty"`
	References   []Reference `json:"references"`
	Publications []string    `json:"publications,omitempty"`
	// Where the claim was observed and how, as the source says.
	Taxon       string   `json:"taxon,omitempty"`
	CellTypes   []string `json:"cellTypes,omitempty"`
	Tissues     []string `json:"tissues,omitempty"`
	Mechanism   string   `json:"mechanism,omitempty"`
	Direct      *bool    `json:"direct,omitempty"`
	Aggregators []string `json:"aggregators,omitempty"`
	Score       *float64 `json:"score,omitempty"`
	At          string   `json:"at,omitempty"` // the file and row it was read from
}

// LinkOut answers link_evidence.
type LinkOut struct {
	ID         string     `json:"id"`
	Subject    Entity     `json:"subject"`
	Effect     string     `json:"effect"`
	Object     Entity     `json:"object"`
	Predicate  string     `json:"predicate"`
	Mechanism  string     `json:"mechanism,omitempty"`
	Confidence float64    `json:"confidence"`
	Evidence   []Evidence `json:"evidence"`
}

func (t *tools) linkEvidence(ctx context.Context, in LinkIn) (LinkOut, string, error) {
	l, err := t.store.Link(ctx, in.ID)
	if err != nil {
		return LinkOut{}, "", err
	}
	out := LinkOut{ID: l.ID, Effect: string(l.Effect), Predicate: l.Predicate, Mechanism: l.Mechanism, Confidence: l.Confidence,
		Evidence: make([]Evidence, len(l.Evidence))}
	for _, end := range []struct {
		id  string
		dst *Entity
	}{{l.Subject, &out.Subject}, {l.Object, &out.Object}} {
		*end.dst = Entity{ID: end.id, Name: end.id}
		if e, err := t.store.Entity(ctx, end.id); err == nil {
			*end.dst = entity(e)
		}
	}
	var b strings.Builder
	denials := 0
	for _, e := range l.Evidence {
		if e.Negated {
			denials++
		}
	}
	fmt.Fprintf(&b, "%s %s %s (%s, confidence %.2f), %d evidence items", out.Subject.Name, strings.ToLower(out.Effect), out.Object.Name, out.ID, out.Confidence, len(l.Evidence))
	if denials > 0 {
		fmt.Fprintf(&b, ", %d of them denying it", denials)
	}
	b.WriteString(":\n")
	for i, e := range l.Evidence {
		o := Evidence{Source: e.Source, KnowledgeLevel: string(e.KnowledgeLevel), AgentType: string(e.AgentType), Negated: e.Negated,
			Quote: e.Quote, Section: e.Section, Reasoning: e.Reasoning,
			References: make([]Reference, 0, len(e.References)), Publications: e.Publications,
			Taxon: e.Taxon, CellTypes: e.CellTypes, Tissues: e.Tissues, Mechanism: e.Mechanism, Direct: e.Direct,
			Aggregators: e.Aggregators, Score: e.Score, At: e.At}
		if s, err := t.store.Source(ctx, e.Source); err == nil {
			o.SourceTitle = s.Title
		}
		var cites []string
		for _, r := range e.References {
			ref := Reference{ID: r}
			if rr, err := t.store.Reference(ctx, r); err == nil {
				ref.Citation = rr.Citation
			}
			o.References = append(o.References, ref)
			cites = append(cites, firstNonEmpty(ref.Citation, ref.ID))
		}
		cites = append(cites, e.Publications...)
		out.Evidence[i] = o
		fmt.Fprintf(&b, "- %s", o.Source)
		if o.Negated {
			b.WriteString(" (denies it)")
		}
		if o.Section != "" {
			fmt.Fprintf(&b, ", %s", o.Section)
		}
		if o.Quote != "" {
			fmt.Fprintf(&b, ": %q", o.Quote)
		}
		if len(cites) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(cites, "; "))
		}
		b.WriteString("\n")
	}
	return out, b.String(), nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// SourceUse is a source with what rests on it.
type SourceUse struct {
	*graph.Source
	graph.SourceUse
}

func (t *tools) sources(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	srcs := t.store.Sources(ctx)
	out := make([]SourceUse, len(srcs))
	for i, s := range srcs {
		out[i] = SourceUse{s, t.store.SourceUse(ctx, s.ID)}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: SourcesURI, MIMEType: "application/json", Text: string(b)}}}, nil
}
