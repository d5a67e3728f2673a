package graph

import (
	"errors"
	"testing"
)

// An inference read from a quote must say why; a bare item (a file's word
// for the claim, as a KGX edge gives it) has nowhere to, and loads.
func TestInferenceReasoning(t *testing.T) {
	ents := []Entity{{ID: "a", Name: "A", Kind: Cell}, {ID: "b", Name: "B", Kind: Cell}}
	src := []Source{{ID: "s", Title: "S"}}
	tests := []struct {
		name string
		ev   Evidence
		want bool // a missing-reasoning problem
	}{
		{"quoted, no reasoning", Evidence{Source: "s", Quote: "A acts on B.", KnowledgeLevel: LogicalEntailment}, true},
		{"quoted, with reasoning", Evidence{Source: "s", Quote: "A acts on B.", KnowledgeLevel: LogicalEntailment, Reasoning: "why"}, false},
		{"bare edge", Evidence{Source: "s", Key: "a_b", KnowledgeLevel: LogicalEntailment}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Batch{Sources: src, Entities: ents, Links: []Link{{ID: "a_b", Subject: "a", Object: "b", Effect: Increases, Predicate: "biolink:regulates", Evidence: []Evidence{tt.ev}}}}
			got := false
			for _, p := range CheckBatch(b) {
				got = got || errors.Is(p.Err, ErrMissingField)
			}
			if got != tt.want {
				t.Errorf("missing reasoning reported = %v, want %v (%v)", got, tt.want, CheckBatch(b))
			}
		})
	}
}
