package graph

import (
	"errors"
	"math"
	"testing"
)

func TestBelief(t *testing.T) {
	yes := true
	table := BeliefTable{
		{Source: "doc", Hedged: &yes, Random: 0.3, Systematic: 0.1, Why: "hedged"},
		{Source: "doc", Random: 0.1, Systematic: 0.1, Why: "doc"},
		{KnowledgeLevel: LogicalEntailment, Random: 0.3, Systematic: 0.2, Why: "inferred"},
		{Source: "db", Random: 0.05, Systematic: 0.01, Why: "db"},
		{Random: 0.3, Systematic: 0.2, Why: "default"},
	}
	if err := table.Check(); err != nil {
		t.Fatal(err)
	}
	doc := func(q string) Evidence { return Evidence{Source: "doc", Quote: q} }
	tests := []struct {
		name  string
		in    []Evidence
		keep  func(*Evidence) bool
		want  float64
		bySrc map[string]float64
	}{
		{"none", nil, nil, 0, nil},
		{"one stated item", []Evidence{doc("A raises B.")}, nil, 0.8, map[string]float64{"doc": 0.8}},
		{"one hedged item", []Evidence{doc("A may raise B.")}, nil, 0.6, map[string]float64{"doc": 0.6}},
		// Two items of one kind shrink the random error only: 1-(0.1+0.01).
		{"two items of one source", []Evidence{doc("A raises B."), doc("B rises with A.")}, nil, 0.89, map[string]float64{"doc": 0.89}},
		// Two sources: 1 - 0.2*0.06.
		{"two sources", []Evidence{doc("A raises B."), {Source: "db", Key: "r1"}}, nil, 0.988, map[string]float64{"doc": 0.8, "db": 0.94}},
		// One source, two kinds: its smallest systematic error, both random
		// errors: 1-(0.1+0.1*0.3). Never less than either item alone.
		{"stated and hedged from one source", []Evidence{doc("A raises B."), doc("A may raise B.")}, nil, 0.87, map[string]float64{"doc": 0.87}},
		// This table's doc row matches any level, so the inference counts as
		// doc's: 1-(0.1+0.1*0.1).
		{"stated and inferred from one source", []Evidence{doc("A raises B."), {Source: "doc", KnowledgeLevel: LogicalEntailment, Quote: "so B", Reasoning: "r"}},
			nil, 0.89, map[string]float64{"doc": 0.89}},
		{"an inference", []Evidence{{Source: "other", KnowledgeLevel: LogicalEntailment, Quote: "x"}}, nil, 0.5, map[string]float64{"other": 0.5}},
		{"the default", []Evidence{{Source: "mine.csv", At: "mine.csv:2"}}, nil, 0.5, map[string]float64{"mine.csv": 0.5}},
		{"a filter leaves one source", []Evidence{doc("A raises B."), {Source: "db", Key: "r1"}},
			func(e *Evidence) bool { return e.Source == "db" }, 0.94, map[string]float64{"db": 0.94}},
		// Negated items count against: pos × (1 − neg), INDRA's rule.
		// 0.8 × (1 − 0.94).
		{"a stated item and a negated one", []Evidence{doc("A raises B."), {Source: "db", Key: "r1", Negated: true}},
			nil, 0.048, map[string]float64{"doc": 0.8}},
		{"only a negated item", []Evidence{{Source: "db", Key: "r1", Negated: true}}, nil, 0, nil},
		// 0.988 × (1 − 0.8)
		{"two sources and a negated quote", []Evidence{doc("A raises B."), {Source: "db", Key: "r1"}, {Source: "doc", Quote: "A does not raise B.", Negated: true}},
			nil, 0.1976, map[string]float64{"doc": 0.8, "db": 0.94}},
		{"a filter leaves the negated item out", []Evidence{doc("A raises B."), {Source: "db", Key: "r1", Negated: true}},
			func(e *Evidence) bool { return e.Source == "doc" }, 0.8, map[string]float64{"doc": 0.8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := table.Belief(tt.in, tt.keep)
			if tt.keep == nil && table.Score(tt.in) != b.Score {
				t.Errorf("Score = %v, Belief.Score = %v", table.Score(tt.in), b.Score)
			}
			if math.Abs(b.Score-tt.want) > 1e-9 {
				t.Errorf("score = %v, want %v", b.Score, tt.want)
			}
			if len(b.BySource) != len(tt.bySrc) {
				t.Fatalf("bySource = %+v, want %v", b.BySource, tt.bySrc)
			}
			for _, s := range b.BySource {
				if math.Abs(s.Contribution-tt.bySrc[s.Source]) > 1e-9 {
					t.Errorf("%s contributes %v, want %v", s.Source, s.Contribution, tt.bySrc[s.Source])
				}
			}
		})
	}
	// The negated item's source is named against the claim.
	if b := table.Belief([]Evidence{doc("A raises B."), {Source: "db", Key: "r1", Negated: true}}, nil); len(b.Against) != 1 || b.Against[0].Source != "db" || b.Against[0].Contribution != 0.94 {
		t.Errorf("against = %+v, want db 0.94", b.Against)
	}
	// Two sources agreeing beat either alone.
	both := table.Belief([]Evidence{doc("A raises B."), {Source: "db", Key: "r1"}}, nil).Score
	for _, alone := range []float64{0.8, 0.94} {
		if both <= alone {
			t.Errorf("two sources %v not above one alone %v", both, alone)
		}
	}
}

func TestBeliefTableCheck(t *testing.T) {
	tests := []struct {
		name  string
		table BeliefTable
		want  error
	}{
		{"empty", nil, ErrInvalidValue},
		{"rate above 1", BeliefTable{{Random: 1.5, Why: "x"}}, ErrInvalidValue},
		{"rates sum above 1", BeliefTable{{Random: 0.6, Systematic: 0.6, Why: "x"}}, ErrInvalidValue},
		{"no reason", BeliefTable{{Random: 0.1}}, ErrMissingField},
		{"bad level", BeliefTable{{KnowledgeLevel: "hearsay", Why: "x"}, {Why: "x"}}, ErrInvalidValue},
		{"last row not a catch-all", BeliefTable{{Source: "a", Why: "x"}}, ErrInvalidValue},
		{"fine", BeliefTable{{Source: "a", Why: "x"}, {Why: "x"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.table.Check(); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Check = %v, want %v", err, tt.want)
			}
		})
	}
}
