package graph

import "testing"

// TestSubsumed: a bare item (a KGX edge of an export) adds nothing to a
// link whose items of its source already say it; anything more is new.
func TestSubsumed(t *testing.T) {
	score, other := 0.7, 0.9
	l := &Link{ID: "a_b", Evidence: []Evidence{
		{Source: "s1", Quote: "q", Publications: []string{"PMID:1"}, KnowledgeLevel: KnowledgeAssertion, AgentType: ManualAgent},
		{Source: "s1", Quote: "r", Publications: []string{"PMID:2"}},
		{Source: "s2", Key: "row-7"},
		{Source: "s3", Key: "row-9", Taxon: "NCBITaxon:9606", CellTypes: []string{"BTO:0000567"}, Aggregators: []string{"infores:x"}, Score: &score},
		{Source: "s4", Key: "n-1", Negated: true},
	}}
	tests := []struct {
		name string
		e    Evidence
		want bool
	}{
		{"the source alone", Evidence{Source: "s1"}, true},
		{"keyed by the link's id", Evidence{Source: "s1", Key: "a_b"}, true},
		{"keyed ID@SOURCE", Evidence{Source: "s2", Key: "a_b@s2"}, true},
		{"publications of several items", Evidence{Source: "s1", Publications: []string{"PMID:1", "PMID:2"}}, true},
		{"level and agent of an item", Evidence{Source: "s1", KnowledgeLevel: KnowledgeAssertion, AgentType: ManualAgent}, true},
		{"another source", Evidence{Source: "s5"}, false},
		{"keyed ID@SOURCE@N", Evidence{Source: "s2", Key: "a_b@s2@2"}, true},
		{"keyed ID@SOURCE@ and no number", Evidence{Source: "s2", Key: "a_b@s2@"}, false},
		{"the context of an item", Evidence{Source: "s3", Taxon: "NCBITaxon:9606", CellTypes: []string{"BTO:0000567"}, Aggregators: []string{"infores:x"}, Score: &score}, true},
		{"another taxon", Evidence{Source: "s3", Taxon: "NCBITaxon:10090"}, false},
		{"a cell type as a tissue", Evidence{Source: "s3", Tissues: []string{"BTO:0000567"}}, false},
		{"another aggregator", Evidence{Source: "s3", Aggregators: []string{"infores:y"}}, false},
		{"another score", Evidence{Source: "s3", Score: &other}, false},
		{"a mechanism", Evidence{Source: "s3", Mechanism: "phosphorylation"}, false},
		{"negated where the source asserts", Evidence{Source: "s1", Negated: true}, false},
		{"negated as the source negates", Evidence{Source: "s4", Negated: true}, true},
		{"asserted where the source negates", Evidence{Source: "s4"}, false},
		{"a new publication", Evidence{Source: "s1", Publications: []string{"PMID:3"}}, false},
		{"another level", Evidence{Source: "s2", KnowledgeLevel: Observation}, false},
		{"another agent", Evidence{Source: "s2", AgentType: AutomatedAgent}, false},
		{"a quote", Evidence{Source: "s1", Quote: "new"}, false},
		{"a key of its own", Evidence{Source: "s1", Key: "row-1"}, false},
		{"a section", Evidence{Source: "s1", Section: "Results"}, false},
		{"references", Evidence{Source: "s1", References: []string{"r1"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Subsumed(l, &tc.e); got != tc.want {
				t.Errorf("Subsumed(%+v) = %v, want %v", tc.e, got, tc.want)
			}
			_, added, _ := Merge(l, &Link{ID: "a_b", Evidence: []Evidence{tc.e}})
			if (added == 0) != tc.want {
				t.Errorf("Merge added %d items", added)
			}
		})
	}
}
