package kg

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestLookup: Lookup finds what a file names, exactly as written (never
// folded: a file's "ar" is not "AR"), and for a name nothing has answers
// ErrNotFound without suggestions (which cost a scan of every name).
func TestLookup(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := &graph.Batch{Entities: []graph.Entity{
		{ID: "HGNC:1", Name: "testosterone receptor", Kind: graph.GeneProduct, Synonyms: []string{"AR"}, Xrefs: []string{"UniProt:P1"}},
		{ID: "HGNC:2", Name: "Leydig cell", Kind: graph.Cell, Xrefs: []string{"MESH:twin"}},
		{ID: "HGNC:3", Name: "other", Kind: graph.Cell, Xrefs: []string{"MESH:twin"}},
	}}
	if _, err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ref, want string
		err       error
	}{
		{"HGNC:1", "HGNC:1", nil},
		{"testosterone receptor", "HGNC:1", nil},
		{"AR", "HGNC:1", nil},
		{"UniProt:P1", "HGNC:1", nil},
		{"Leydig cell", "HGNC:2", nil},
		{"MESH:twin", "", graph.ErrAmbiguous},
		{"Testosterone_Receptor", "", graph.ErrNotFound},
		{"ar", "", graph.ErrNotFound},
		{"uniprot:p1", "", graph.ErrNotFound},
		{"leydig-cell", "", graph.ErrNotFound},
		{"Leydig cells", "", graph.ErrNotFound},
		{"", "", graph.ErrNotFound},
	} {
		t.Run(c.ref, func(t *testing.T) {
			e, err := s.Lookup(ctx, c.ref)
			if !errors.Is(err, c.err) || (err == nil) != (c.err == nil) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
			if err != nil {
				if strings.Contains(err.Error(), "did you mean") {
					t.Errorf("Lookup suggested: %v", err)
				}
				return
			}
			if e.ID != c.want {
				t.Errorf("got %s, want %s", e.ID, c.want)
			}
		})
	}
}
