package kg

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/pgtest"
)

// TestEvidenceContextStored: an evidence item's context and negation come
// back from each persistent backend as written, after the store is opened
// again (read from its quads, not from the snapshot of the write).
func TestEvidenceContextStored(t *testing.T) {
	ctx := context.Background()
	yes, no, score := true, false, 0.25
	items := []graph.Evidence{
		{Source: "s", Key: "r1", Taxon: "NCBITaxon:9606", CellTypes: []string{"BTO:0000567"}, Tissues: []string{"BTO:0000142", "UBERON:0000473"},
			Mechanism: "phosphorylation", Direct: &yes, Aggregators: []string{"infores:signor"}, Score: &score},
		{Source: "s", Key: "r2", Negated: true, Direct: &no},
	}
	b := &graph.Batch{
		Sources:  []graph.Source{{ID: "s", Title: "s"}},
		Entities: []graph.Entity{{ID: "a", Name: "a", Kind: graph.GeneProduct}, {ID: "b", Name: "b", Kind: graph.GeneProduct}},
		Links:    []graph.Link{{ID: "a_b", Subject: "a", Object: "b", Effect: graph.Increases, Predicate: "biolink:regulates", Evidence: items}},
	}
	for name, spec := range map[string]func(t *testing.T) string{
		"bolt":     func(t *testing.T) string { return "bolt:" + filepath.Join(t.TempDir(), "db") },
		"postgres": func(t *testing.T) string { return pgtest.Spec(t) },
	} {
		t.Run(name, func(t *testing.T) {
			sp := spec(t)
			s := mustOpen(t, sp)
			if _, err := s.Apply(ctx, b); err != nil {
				t.Fatal(err)
			}
			s.Close()
			s = mustOpen(t, sp)
			l, err := s.Link(ctx, "a_b")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(l.Evidence, items) {
				t.Errorf("evidence read back\n%+v\nwant\n%+v", l.Evidence, items)
			}
		})
	}
}
