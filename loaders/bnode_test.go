package loaders

import (
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestNQuadsBlankNodes: blank nodes are link ends, skolemised to ids
// stable within their file (one label, one entity; the same label in
// another file, another entity), named by their rdfs:label.
func TestNQuadsBlankNodes(t *testing.T) {
	const ro = "<http://purl.obolibrary.org/obo/RO_0002213>"
	tests := []struct {
		name      string
		files     []string // name, content, ...
		entities  int
		links     int
		wantNamed string // an entity name that must be there
	}{
		{"subject", []string{"a.nq", "_:x " + ro + " <http://ex.org/o> .\n"}, 2, 1, ""},
		{"object", []string{"a.nq", "<http://ex.org/s> " + ro + " _:y .\n"}, 2, 1, ""},
		{"both, one label", []string{"a.nq", "_:x " + ro + " _:y .\n_:y " + ro + " _:x .\n"}, 2, 2, ""},
		{"labelled", []string{"a.nq", "_:x " + ro + " <http://ex.org/o> .\n_:x <http://www.w3.org/2000/01/rdf-schema#label> \"tumour necrosis factor\" .\n"}, 2, 1, "tumour necrosis factor"},
		{"non-ASCII label", []string{"a.nq", "_:é " + ro + " <http://ex.org/o> .\n"}, 2, 1, ""},
		{"same label, two files", []string{"a.nq", "_:x " + ro + " <http://ex.org/o> .\n", "b.nq", "_:x " + ro + " <http://ex.org/o> .\n"}, 3, 2, ""},
		{"the same file again", []string{"a.nq", "_:x " + ro + " <http://ex.org/o> .\n"}, 2, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			for range 2 { // loading twice changes nothing: the ids are stable
				if _, err := loadStrings(s, Options{}, tc.files...); err != nil {
					t.Fatal(err)
				}
			}
			b := records(t, s)
			if len(b.Entities) != tc.entities || len(b.Links) != tc.links {
				t.Errorf("%d entities, %d links; want %d, %d: %+v", len(b.Entities), len(b.Links), tc.entities, tc.links, b.Entities)
			}
			named := tc.wantNamed == ""
			for _, e := range b.Entities {
				if strings.HasPrefix(e.ID, "_") || strings.Contains(e.ID, "é") {
					t.Errorf("entity id %q is no skolem id", e.ID)
				}
				named = named || e.Name == tc.wantNamed
			}
			if !named {
				t.Errorf("no entity named %q: %+v", tc.wantNamed, b.Entities)
			}
			if errs := graph.CheckBatch(b); len(errs) > 0 {
				t.Errorf("stored records fail the check: %v", errs)
			}
		})
	}
}
