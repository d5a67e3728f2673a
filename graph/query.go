package graph

import "fmt"

// Trace limits; the GraphQL schema states them too.
const (
	DefaultTraceDepth = 5
	MaxTraceDepth     = 8
	DefaultTraceLimit = 10
	MaxTraceLimit     = 100
	// DefaultTraceBudget caps the links a trace may examine; past it the
	// result is cut short and says Truncated.
	DefaultTraceBudget = 2_000_000
)

// TraceQuery asks for the causal chains from one entity to another.
type TraceQuery struct {
	From, To  string   // entity ids, names, synonyms or xrefs
	MaxDepth  int      // most links in a chain; 0 means DefaultTraceDepth
	Limit     int      // most chains returned; 0 means DefaultTraceLimit
	NetEffect Effect   // keep only chains with this net effect; "" keeps all
	Via       []string // every chain passes through all of these
	Avoid     []string // no chain passes through any of these
	Budget    int      // most links examined; 0 means DefaultTraceBudget
	OrderBy   Order    // ByLength (default) or ByConfidence
	Filter    Filter   // leaves evidence and links out (see Filter)
	// Inherit lets a member take its class's causal links: when X is a
	// kind of C (SubclassOf, transitively) and C has a link C -> Y, a
	// chain may take the hop X -> Y, a link the query makes (never
	// stored) marked with InheritedFrom and scored as an inference.
	Inherit bool
	// Distinct reports chains that differ only by shortcut links (as
	// LoopQuery.Distinct) once, the fullest, with the others as its
	// Variants; Limit then counts distinct chains.
	Distinct bool
}

// Path is one causal chain: Entities[i] -Links[i]-> Entities[i+1].
type Path struct {
	Links      []*Link   `json:"links"`
	Entities   []*Entity `json:"entities"`
	NetEffect  Effect    `json:"netEffect"`  // product of the hops' signs
	Confidence float64   `json:"confidence"` // product of the hops' confidences
	// Variants are the chains that differ from this one only by shortcut
	// links (TraceQuery.Distinct), shortest first; empty otherwise.
	Variants []Path `json:"variants,omitempty"`
}

// Len is the number of links in the chain.
func (p Path) Len() int { return len(p.Links) }

// TraceResult holds the chains found, in the order the query asked for.
type TraceResult struct {
	From      *Entity `json:"from"`
	To        *Entity `json:"to"`
	Paths     []Path  `json:"paths"`
	Truncated bool    `json:"truncated"` // more chains existed than Limit, or the budget ran out
	// Explanation says why no chain was found; nil when some were.
	Explanation *Explanation `json:"explanation,omitempty"`
}

// Reason is why a trace came back empty.
type Reason string

// The reasons, checked in this order.
const (
	Disconnected     Reason = "DISCONNECTED"     // no chain of any length
	TooFar           Reason = "TOO_FAR"          // the shortest chain is longer than maxDepth
	RemovedByFilter  Reason = "FILTERED"         // chains exist, each through a link the query's Filter leaves out
	RemovedByAvoid   Reason = "AVOID"            // every chain in reach passes an avoided entity
	RemovedByVia     Reason = "VIA"              // no chain in reach passes every via entity
	RemovedNetEffect Reason = "NET_EFFECT"       // chains exist, none with the net effect asked for
	OutOfBudget      Reason = "BUDGET_EXHAUSTED" // the work budget or deadline ran out first
	// OnlyByInheritance: no stated chain, but one with inherited hops
	// (TraceQuery.Inherit) exists; checked last, over the reasons above.
	OnlyByInheritance Reason = "ONLY_BY_INHERITANCE"
)

// Explanation tells why a trace found no chain.
type Explanation struct {
	Reason Reason `json:"reason"`
	// Shortest is the length of the shortest chain from -> to ignoring
	// every filter and maxDepth (up to the whole graph); -1 when none.
	Shortest int    `json:"shortest"`
	Message  string `json:"message"`
}

// Reach limits; the GraphQL schema states them too.
const (
	DefaultReachDepth = 3
	MaxReachDepth     = 8
)

// ReachQuery asks what an entity affects (downstream) or what affects it
// (upstream) within MaxDepth links.
type ReachQuery struct {
	Of        string // entity id, name, synonym or xref
	MaxDepth  int    // 0 means DefaultReachDepth
	NetEffect Effect // keep entities reached with this net effect; "" keeps all
	Kinds     []Kind // keep entities of these kinds; empty keeps all
	First     int    // most entities returned; 0 returns all
	OrderBy   Order  // ByLength (default: nearest first) or ByConfidence
	Paths     bool   // fill Reached.Path with an example chain
	Budget    int    // most steps; 0 means DefaultWorkBudget
	Filter    Filter // leaves evidence and links out (see Filter)
}

// Reached is an entity found by Downstream or Upstream.
type Reached struct {
	Entity   *Entity `json:"entity"`
	Distance int     `json:"distance"` // links on its shortest chains
	// Effects are the net effects along its shortest chains: both, when
	// some shortest chains increase it and others decrease it.
	Effects []Effect `json:"effects"`
	// Confidence is that of the most confident shortest chain (with
	// NetEffect, when the query names one).
	Confidence float64 `json:"confidence"`
	// Path is that chain, when the query asks for paths. For Upstream it
	// still runs in causal order: from the reached entity to Of.
	Path *Path `json:"path,omitempty"`
}

// ReachResult is the answer to a ReachQuery.
type ReachResult struct {
	Of        *Entity   `json:"of"`
	Upstream  bool      `json:"upstream"`
	Reached   []Reached `json:"reached"`
	Total     int       `json:"total"`     // entities that matched, before First
	Truncated bool      `json:"truncated"` // the budget or ctx ran out: more may be reachable
}

// Loop limits; the GraphQL schema states them too.
const (
	DefaultLoopLength = 6
	MaxLoopLength     = 8
	DefaultLoopFirst  = 20
	MaxLoopFirst      = 500
)

// LoopKind is the sign of a feedback cycle.
type LoopKind string

// The loop kinds.
const (
	// Reinforcing loops have an even number of DECREASES links: a change
	// comes back around in the same direction and grows (a vicious cycle).
	Reinforcing LoopKind = "REINFORCING"
	// Balancing loops have an odd number: a change comes back opposed
	// (negative feedback, as in the HPG axis).
	Balancing LoopKind = "BALANCING"
)

// LoopQuery asks for signed feedback cycles.
type LoopQuery struct {
	Through   string // entity every loop passes through; "" looks everywhere
	MaxLength int    // most links in a loop; 0 means DefaultLoopLength
	First     int    // most loops returned; 0 means DefaultLoopFirst
	Kind      LoopKind
	OrderBy   Order  // ByLength (default) or ByConfidence
	Budget    int    // most steps; 0 means DefaultWorkBudget
	Filter    Filter // leaves evidence and links out (see Filter)
	// Distinct reports loops that differ only by shortcut links (a link
	// that summarises a chain of the loop's: one its Link.ShortcutOf
	// declares, else a link whose sign is the product of the chain's)
	// once, the fullest, with the others as its Variants.
	Distinct bool
}

// Loop is a feedback cycle: Path starts and ends at the same entity.
type Loop struct {
	Kind LoopKind `json:"kind"`
	Path Path     `json:"path"`
	// Variants are the loops that differ from Path only by shortcuts
	// (LoopQuery.Distinct), shortest first; empty otherwise.
	Variants []Path `json:"variants,omitempty"`
}

// LoopResult is the answer to a LoopQuery.
type LoopResult struct {
	Through   *Entity `json:"through,omitempty"`
	Loops     []Loop  `json:"loops"`
	Truncated bool    `json:"truncated"`
}

// Intervention and knockout limits; the GraphQL schema states them too.
const (
	DefaultInterventionDepth = 4
	DefaultInterventionFirst = 20
	MaxInterventionFirst     = 500
	// RiskDepth is how far from a therapy its risks are looked for.
	RiskDepth = 2
	// MaxOpposing is how many wrong-way chains an intervention lists.
	MaxOpposing = 3
)

// InterventionQuery asks which therapies move Target in the Goal direction.
type InterventionQuery struct {
	Target   string // entity id, name, synonym or xref
	Goal     Effect // INCREASES or DECREASES: the change wanted in Target
	MaxDepth int    // most links from therapy to target; 0 means DefaultInterventionDepth
	First    int    // most therapies returned; 0 means DefaultInterventionFirst
	OrderBy  Order  // ByLength (default) or ByConfidence, after TowardGoal
	Budget   int    // most steps; 0 means DefaultWorkBudget
	Filter   Filter // leaves evidence and links out (see Filter)
}

// Intervention is a therapy whose chains reach the target.
type Intervention struct {
	Therapy *Entity `json:"therapy"`
	// TowardGoal says whether some chain moves the target the way wanted.
	// When false, every chain found moves it the wrong way.
	TowardGoal bool `json:"towardGoal"`
	// Path is the best chain toward the goal (the shortest, then the most
	// confident; the most confident with ByConfidence), or, for a
	// wrong-way therapy, its best chain.
	Path Path `json:"path"`
	// Opposing are the best chains that move the target against the goal
	// (up to MaxOpposing): how the same therapy also works the wrong way.
	Opposing []Path `json:"opposing"`
	// Risks are the conditions the therapy raises within RiskDepth links.
	Risks []Reached `json:"risks"`
}

// InterventionResult is the answer to an InterventionQuery.
type InterventionResult struct {
	Target        *Entity        `json:"target"`
	Goal          Effect         `json:"goal"`
	Interventions []Intervention `json:"interventions"`
	Total         int            `json:"total"`
	Truncated     bool           `json:"truncated"`
}

// KnockoutQuery asks what removing entities does to the chains from -> to.
type KnockoutQuery struct {
	Remove   []string // entities knocked out
	From, To string
	MaxDepth int    // 0 means DefaultTraceDepth
	Limit    int    // most chains listed of each sort; 0 means DefaultTraceLimit
	Budget   int    // most steps; 0 means DefaultWorkBudget
	Filter   Filter // leaves evidence and links out (see Filter)
}

// KnockoutResult says which chains survive a knockout.
type KnockoutResult struct {
	From      *Entity   `json:"from"`
	To        *Entity   `json:"to"`
	Removed   []*Entity `json:"removed"`
	Surviving []Path    `json:"surviving"` // chains that avoid every removed entity
	Broken    []Path    `json:"broken"`    // chains that pass a removed entity
	// Connected says whether any chain of at most MaxDepth links survives.
	Connected bool `json:"connected"`
	// CutPoints are the entities every surviving chain passes through:
	// removing any one of them too would disconnect From from To.
	CutPoints []*Entity `json:"cutPoints"`
	Truncated bool      `json:"truncated"`
}

// Search limits.
const (
	DefaultSearchHits = 10
	MaxSearchHits     = 100
)

// SearchHit is an entity matching a search, with how well it matches (0..1].
type SearchHit struct {
	Entity *Entity
	Score  float64
}

// Limits on list arguments; the GraphQL schema states them too.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Page is one page of a list ordered by id.
type Page[T any] struct {
	Items   []T
	HasNext bool
	Total   int // items matching the filter, on all pages
}

// PageArgs chooses a page: First items after the item with id After.
type PageArgs struct {
	First int    // 0 means DefaultPageSize
	After string // an id; "" starts at the beginning
}

// Size is the page size asked for, DefaultPageSize for 0; outside
// 1..MaxPageSize it is ErrBadArgument.
func (p PageArgs) Size() (int, error) {
	switch {
	case p.First == 0:
		return DefaultPageSize, nil
	case p.First < 0 || p.First > MaxPageSize:
		return 0, fmt.Errorf("%w: first must be in 1..%d, not %d", ErrBadArgument, MaxPageSize, p.First)
	}
	return p.First, nil
}

// Order says how results are ranked.
type Order string

// The orders.
const (
	ByLength     Order = "LENGTH"     // fewest links first, then most confident
	ByConfidence Order = "CONFIDENCE" // most confident first, then fewest links
)

// Check reports an unknown order as ErrBadArgument.
func (o Order) Check() error {
	if o != "" && o != ByLength && o != ByConfidence {
		return fmt.Errorf("%w: order %q (want LENGTH or CONFIDENCE)", ErrBadArgument, o)
	}
	return nil
}

// DefaultWorkBudget caps the steps (links examined and entities visited) of
// one traversal; past it the traversal stops and says Truncated.
const DefaultWorkBudget = 2_000_000

// Applied says what a write changed.
type Applied struct {
	Sources, References, Entities int // records written
	Links                         int // new assertions
	Relations                     int // part-of and subclass-of relations written
	Merged                        int // assertions (and relations) already stored that gained evidence or an alias
	Evidence                      int // evidence items added, to new and merged assertions
	Unchanged                     int // records already stored, identical (or adding nothing)
	RelationsUnchanged            int // of Unchanged, the relations
	Quads                         int // quads written (added and removed)
}

// Filter leaves evidence, and the links left without any, out of a query:
// a researcher's choice of what to trust. The zero Filter keeps everything.
type Filter struct {
	// Sources keeps evidence of the sources in Allow (all when empty) that
	// are not in Deny.
	Sources struct{ Allow, Deny []string }
	// MinBelief leaves out links whose belief, from the evidence kept, is
	// below it.
	MinBelief float64
	// KnowledgeLevels keeps evidence of these levels only (all when empty).
	KnowledgeLevels []KnowledgeLevel
	// Licenses keeps evidence of sources with these licences only (SPDX ids;
	// all when empty): a company can leave out non-commercial sources.
	Licenses []string
}

// IsZero reports whether f keeps everything.
func (f *Filter) IsZero() bool {
	return len(f.Sources.Allow) == 0 && len(f.Sources.Deny) == 0 && f.MinBelief == 0 &&
		len(f.KnowledgeLevels) == 0 && len(f.Licenses) == 0
}

// Check reports a belief outside 0..1 and unknown knowledge levels.
func (f *Filter) Check() error {
	if !(f.MinBelief >= 0 && f.MinBelief <= 1) {
		return fmt.Errorf("%w: minBelief must be in 0..1, not %v", ErrBadArgument, f.MinBelief)
	}
	for _, k := range f.KnowledgeLevels {
		if !k.Valid() {
			return fmt.Errorf("%w: knowledge level %q (want one of %v)", ErrBadArgument, k, KnowledgeLevels)
		}
	}
	return nil
}

// Contradiction is a pair of assertions with the same subject and object
// and opposite effects: sources disagree.
type Contradiction struct {
	Increases *Link `json:"increases"`
	Decreases *Link `json:"decreases"`
}

// ContradictionQuery asks for contradictions.
type ContradictionQuery struct {
	First  int    // most pairs returned; 0 means DefaultPageSize, at most MaxPageSize
	Filter Filter // both sides must be kept by it (MinBelief: both at least)
}

// Set-to-set limits; the GraphQL schema states them too.
const (
	// MaxPathEnds is the most entities in each of PathsQuery.From and To.
	MaxPathEnds = 100
)

// PathsQuery asks for the best causal chains from any entity of From to
// any entity of To (PathLinker's question: receptors to transcription
// factors). Each chain starts at an entity of From, ends at one of To and
// passes through no other entity of either set. The chains are ranked as
// a trace ranks them, over all pairs together.
type PathsQuery struct {
	From, To  []string // entity ids, names, synonyms or xrefs; 1..MaxPathEnds each, no entity in both
	MaxDepth  int      // most links in a chain; 0 means DefaultTraceDepth
	Limit     int      // most chains returned, over all pairs; 0 means DefaultTraceLimit
	NetEffect Effect   // keep only chains with this net effect; "" keeps all
	Via       []string // every chain passes through all of these
	Avoid     []string // no chain passes through any of these
	Budget    int      // most links examined, for the whole search; 0 means DefaultTraceBudget
	OrderBy   Order    // ByLength (default) or ByConfidence
	Filter    Filter   // leaves evidence and links out (see Filter)
}

// PathsResult holds the best chains from a set of entities to another.
type PathsResult struct {
	From      []*Entity `json:"from"` // the sources, resolved, duplicates dropped
	To        []*Entity `json:"to"`   // the targets, resolved, duplicates dropped
	Paths     []Path    `json:"paths"`
	Truncated bool      `json:"truncated"` // more chains existed than Limit, or the budget ran out
}
