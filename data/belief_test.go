package data

import (
	"math"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// The shipped belief table loads, and gives the beliefs its reasons state.
func TestBeliefTable(t *testing.T) {
	tab, err := BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	art := func(q string) graph.Evidence {
		return graph.Evidence{Source: "article", KnowledgeLevel: graph.KnowledgeAssertion, AgentType: graph.ManualAgent, Quote: q}
	}
	tests := []struct {
		name string
		in   []graph.Evidence
		want float64
	}{
		{"one stated quote", []graph.Evidence{art("LH then travels to the testes.")}, 0.8},
		{"two stated quotes", []graph.Evidence{art("LH then travels to the testes."), art("It delivers the order.")}, 0.89},
		{"a hedged quote", []graph.Evidence{art("Cytokines can interfere with the hypothalamus.")}, 0.6},
		{"a curator inference", []graph.Evidence{{Source: "article", KnowledgeLevel: graph.LogicalEntailment, Quote: "x", Reasoning: "y"}}, 0.5},
		{"a SIGNOR row", []graph.Evidence{{Source: "infores:signor", Key: "SIGNOR-1"}}, 0.941},
		{"a prediction", []graph.Evidence{{Source: "model", KnowledgeLevel: graph.Prediction}}, 0.4},
		{"an association", []graph.Evidence{{Source: "gwas", KnowledgeLevel: graph.StatisticalAssociation}}, 0.55},
		{"a row of one's own", []graph.Evidence{{Source: "mine.csv", At: "mine.csv:2"}}, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tab.Belief(tc.in, nil).Score; math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("belief = %v, want %v", got, tc.want)
			}
		})
	}
}
