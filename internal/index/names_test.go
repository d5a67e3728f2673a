package index_test

import (
	"context"
	"errors"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// Names are labels: entities may share one, and a shared one names none.
func TestResolveNames(t *testing.T) {
	s := snapshotOf(&graph.Batch{Entities: []graph.Entity{
		{ID: "MIR21", Name: "MIR21", Kind: graph.GeneProduct},
		{ID: "miR-21", Name: "miR-21", Kind: graph.Molecule},
		{ID: "NCBIGene:6469", Name: "SHH", Kind: graph.GeneProduct, Xrefs: []string{"UniProtKB:Q15465"}},
		{ID: "MGI:98297", Name: "Shh", Kind: graph.GeneProduct},
		{ID: "TRP53", Name: "TRP53", Kind: graph.GeneProduct},
		{ID: "Trp53", Name: "Trp53", Kind: graph.GeneProduct, Synonyms: []string{"p53"}},
		{ID: "chronic_inflammation", Name: "chronic inflammation", Kind: graph.Process},
	}})
	tests := []struct {
		ref        string
		want       string   // the entity found
		candidates []string // or the ids of an AMBIGUOUS answer
	}{
		{"MIR21", "MIR21", nil},
		{"miR-21", "miR-21", nil},
		{"mir21", "", []string{"MIR21", "miR-21"}},
		{"SHH", "NCBIGene:6469", nil},
		{"Shh", "MGI:98297", nil},
		{"shh", "", []string{"MGI:98297", "NCBIGene:6469"}},
		{"MGI:98297", "MGI:98297", nil},
		{"UniProtKB:Q15465", "NCBIGene:6469", nil},
		{"Trp53", "Trp53", nil},
		{"TRP53", "TRP53", nil},
		{"p53", "Trp53", nil},
		{"Chronic_Inflammation", "chronic_inflammation", nil},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			e, err := s.Resolve(context.Background(), tc.ref)
			if tc.candidates == nil {
				if err != nil || e.ID != tc.want {
					t.Fatalf("Resolve = %v, %v; want %s", e, err, tc.want)
				}
				return
			}
			var amb *graph.AmbiguousError
			if !errors.As(err, &amb) || !errors.Is(err, graph.ErrAmbiguous) {
				t.Fatalf("Resolve = %v, %v; want AMBIGUOUS", e, err)
			}
			var got []string
			for _, c := range amb.Candidates {
				got = append(got, c.ID)
			}
			if len(got) != len(tc.candidates) || got[0] != tc.candidates[0] || got[1] != tc.candidates[1] {
				t.Errorf("candidates %v, want %v", got, tc.candidates)
			}
		})
	}
	// Shared names are no problem in a batch.
	b := &graph.Batch{Entities: []graph.Entity{{ID: "a", Name: "X", Kind: graph.Cell}, {ID: "b", Name: "x", Kind: graph.Cell, Synonyms: []string{"X"}}}}
	if ps := graph.CheckBatch(b); len(ps) > 0 {
		t.Errorf("entities sharing a name are refused: %v", ps)
	}
}
