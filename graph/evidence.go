package graph

import (
	"slices"
	"strings"
)

// KnowledgeLevel says how an evidence item knows what it states (Biolink
// 4.x knowledge_level).
type KnowledgeLevel string

// The knowledge levels.
const (
	KnowledgeAssertion     KnowledgeLevel = "knowledge_assertion"     // a source states it, from its knowledge of the domain
	LogicalEntailment      KnowledgeLevel = "logical_entailment"      // inferred from other statements: a curator's inference
	StatisticalAssociation KnowledgeLevel = "statistical_association" // a statistical association in data
	Observation            KnowledgeLevel = "observation"             // seen, as in a case report
	Prediction             KnowledgeLevel = "prediction"              // predicted by a model or algorithm
	TextCoOccurrence       KnowledgeLevel = "text_co_occurrence"      // named together in text
	KnowledgeNotProvided   KnowledgeLevel = "not_provided"            // the source does not say
)

// KnowledgeLevels are the knowledge levels, in their order above.
var KnowledgeLevels = []KnowledgeLevel{KnowledgeAssertion, LogicalEntailment, StatisticalAssociation, Observation,
	Prediction, TextCoOccurrence, KnowledgeNotProvided}

// Valid reports whether k is one of KnowledgeLevels.
func (k KnowledgeLevel) Valid() bool { return slices.Contains(KnowledgeLevels, k) }

// AgentType says what made an evidence item (Biolink 4.x agent_type).
type AgentType string

// The agent types.
const (
	ManualAgent                      AgentType = "manual_agent"
	AutomatedAgent                   AgentType = "automated_agent"
	DataAnalysisPipeline             AgentType = "data_analysis_pipeline"
	ComputationalModel               AgentType = "computational_model"
	TextMiningAgent                  AgentType = "text_mining_agent"
	ImageProcessingAgent             AgentType = "image_processing_agent"
	ManualValidationOfAutomatedAgent AgentType = "manual_validation_of_automated_agent"
	AgentNotProvided                 AgentType = "not_provided"
)

// AgentTypes are the agent types, in their order above.
var AgentTypes = []AgentType{ManualAgent, AutomatedAgent, DataAnalysisPipeline, ComputationalModel, TextMiningAgent,
	ImageProcessingAgent, ManualValidationOfAutomatedAgent, AgentNotProvided}

// Valid reports whether a is one of AgentTypes.
func (a AgentType) Valid() bool { return slices.Contains(AgentTypes, a) }

// Evidence is one source's support for a link: a row of a database, a
// quote from a document, a result of one's own. A link gathers evidence
// items from every source that states it.
type Evidence struct {
	// Key identifies the item within its source: the source's own row or
	// statement id when it has one (a SIGNOR_ID, a KGX edge id). Empty, the
	// item is known by its quote, or else by its source (see EvidenceKey). Loading an item again with the same key changes
	// nothing; the same key with other content is a conflict.
	Key    string `json:"key,omitempty"`
	Source string `json:"source"` // source id

	KnowledgeLevel KnowledgeLevel `json:"knowledgeLevel,omitempty"` // "" means not_provided
	AgentType      AgentType      `json:"agentType,omitempty"`      // "" means not_provided

	Quote   string `json:"quote,omitempty"` // verbatim
	Section string `json:"section,omitempty"`
	// Reasoning is why a curator inferred the claim (LogicalEntailment).
	Reasoning string `json:"reasoning,omitempty"`

	References   []string `json:"references"`             // reference ids: publications the source cites for the claim
	Publications []string `json:"publications,omitempty"` // CURIEs: PMID:…, DOI:…, PMCID:…
	// At is where the item was read: file:line, or a file's own row id.
	At string `json:"at,omitempty"`

	// Negated: the source states that the claim does NOT hold (KGX
	// negated: true). Such an item counts against the claim's belief
	// (BeliefTable.Belief) and never makes the link a causal one alone.
	Negated bool `json:"negated,omitempty"`

	// Context: where and how the source saw the claim hold, in the source's
	// own ids.
	Taxon     string   `json:"taxon,omitempty"`     // NCBITaxon CURIE (SIGNOR TAX_ID, KGX species_context_qualifier)
	CellTypes []string `json:"cellTypes,omitempty"` // as the source names them: BTO:…, CL:… (SIGNOR CELL_DATA)
	Tissues   []string `json:"tissues,omitempty"`   // as the source names them: BTO:…, UBERON:… (SIGNOR TISSUE_DATA)
	Mechanism string   `json:"mechanism,omitempty"` // the source's word for how: phosphorylation, … (SIGNOR MECHANISM)
	// Direct, when set, says whether the source calls the interaction
	// direct (SIGNOR DIRECT).
	Direct *bool `json:"direct,omitempty"`
	// Aggregators are the resources that passed the item on (infores
	// CURIEs where the registry has one: KGX aggregator_knowledge_source).
	Aggregators []string `json:"aggregators,omitempty"`
	// Score is the source's own confidence in the item (KGX
	// has_confidence_score), on the source's scale; nil when it gives none.
	// Belief does not read it: the belief table's rates say what a source
	// is worth.
	Score *float64 `json:"score,omitempty"`
}

// HasContext reports whether e carries any context field (taxon, cells,
// tissues, mechanism, directness, aggregators, score) or is negated.
func (e *Evidence) HasContext() bool {
	return e.Negated || e.Taxon != "" || len(e.CellTypes) > 0 || len(e.Tissues) > 0 || e.Mechanism != "" ||
		e.Direct != nil || len(e.Aggregators) > 0 || e.Score != nil
}

// Asserted reports whether l is a causal claim: some evidence item states
// it (is not negated), or it has no evidence to say otherwise. A link only
// negated items support is kept, with belief 0, so that the negative
// evidence is seen; traversals do not step along it.
func (l *Link) Asserted() bool {
	for i := range l.Evidence {
		if !l.Evidence[i].Negated {
			return true
		}
	}
	return len(l.Evidence) == 0
}

// Level is e's knowledge level, not_provided when unset.
func (e *Evidence) Level() KnowledgeLevel {
	if e.KnowledgeLevel == "" {
		return KnowledgeNotProvided
	}
	return e.KnowledgeLevel
}

// Agent is e's agent type, not_provided when unset.
func (e *Evidence) Agent() AgentType {
	if e.AgentType == "" {
		return AgentNotProvided
	}
	return e.AgentType
}

// EvidenceKey is the stable key of an evidence item within a link: its
// source with its Key; without one, its source with its publications and
// quote; without a quote either, its source alone (a row of a network that
// states the link: the same row again, or the same file again, is the same
// item; where it was read is kept, but is not what it is).
//
// A negated item without a Key is another item than the same source's
// positive one: the two say opposite things.
func EvidenceKey(e *Evidence) string {
	not := ""
	if e.Negated {
		not = "!"
	}
	switch {
	case e.Key != "":
		return e.Source + "#" + e.Key
	case e.Quote != "" || len(e.Publications) > 0:
		return not + e.Source + "|" + strings.Join(e.Publications, ",") + "|" + e.Quote
	}
	return not + e.Source + "@"
}

// AssertionKey is what makes two links one assertion: the same subject,
// object, effect and predicate. Two sources that state it give one link
// with the evidence of both. (A comparable value: a map key without
// building a string.)
type AssertionKey struct {
	Subject, Object string
	Effect          Effect
	Predicate       string
}

// Key is l's assertion key.
func (l *Link) Key() AssertionKey {
	return AssertionKey{Subject: l.Subject, Object: l.Object, Effect: l.Effect, Predicate: l.Predicate}
}
