package loaders

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/kg"
)

// TestMergeMadeEntities: an entity an edge list made from a bare name is
// merged into the entity a later load brings that the name means (by id,
// xref, name or synonym, exactly, one entity only); its links move to it.
// Anything else stays apart.
func TestMergeMadeEntities(t *testing.T) {
	const nodes = "nodes.tsv"
	node := func(rows ...string) string {
		out := "id\tcategory\tname\txref\tsynonym\tdescription\n"
		for _, r := range rows {
			id, rest, _ := strings.Cut(r, "\t")
			out += id + "\tbiolink:Gene\t" + rest + "\n"
		}
		return out
	}
	for _, c := range []struct {
		name        string
		first       []string // files of the first load: name, content, ...
		second      []string
		subj, obj   string   // the link's ends after both loads
		gone, stays []string // entity ids removed, kept
	}{
		{"by name", []string{"a.csv", "source,target,sign\nMDM2,TP53,-1\n"},
			[]string{nodes, node("NCBIGene:4193\tMDM2\t\t\t")}, "NCBIGene:4193", "TP53", []string{"MDM2"}, []string{"TP53"}},
		{"by xref", []string{"a.csv", "source,target,sign\nUniProtKB:Q00987,TP53,-1\n"},
			[]string{nodes, node("NCBIGene:4193\tMDM2\tUniProtKB:Q00987\t\t")}, "NCBIGene:4193", "TP53", []string{"UniProtKB:Q00987"}, nil},
		{"by synonym, both ends", []string{"a.csv", "source,target,sign\nGnRH,LH,1\n"},
			[]string{nodes, node("gnrh\tgonadoliberin\t\tGnRH\t", "lh\tlutropin\t\tLH\t")}, "gnrh", "lh", []string{"GnRH", "LH"}, nil},
		{"a name another case is not the same", []string{"a.csv", "source,target,sign\nmdm2,TP53,-1\n"},
			[]string{nodes, node("NCBIGene:4193\tMDM2\t\t\t")}, "mdm2", "TP53", nil, []string{"mdm2", "NCBIGene:4193"}},
		{"two entities claim the name", []string{"a.csv", "source,target,sign\nMDM2,TP53,-1\n"},
			[]string{nodes, node("NCBIGene:4193\tMDM2\t\t\t", "HGNC:6973\tMDM2\t\t\t")}, "MDM2", "TP53", nil, []string{"MDM2"}},
		{"an entity with a description is not made from a name", []string{"e.yaml", "sources:\n  - id: s\n    title: s\nentities:\n  - id: MDM2\n    name: MDM2\n    kind: GENE_PRODUCT\n    description: the E3 ligase\n"},
			[]string{nodes, node("NCBIGene:4193\tMDM2\t\t\t")}, "", "", nil, []string{"MDM2", "NCBIGene:4193"}},
		{"the later load names the made entity too", []string{"a.csv", "source,target,sign\nMDM2,TP53,-1\n"},
			[]string{nodes, node("NCBIGene:4193\tMDM2\t\t\t"), "b.csv", "source,target,sign\nMDM2,CDKN1A,-1\n"}, "NCBIGene:4193", "TP53", []string{"MDM2"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			if _, err := loadStrings(s, Options{}, c.first...); err != nil {
				t.Fatal(err)
			}
			if _, err := loadStrings(s, Options{}, c.second...); err != nil {
				t.Fatal(err)
			}
			b := records(t, s)
			if c.subj != "" && link(b, c.subj, c.obj) == nil {
				t.Errorf("no link %s → %s; links %+v", c.subj, c.obj, b.Links)
			}
			for _, id := range c.gone {
				if entity(b, id) != nil {
					t.Errorf("entity %s is still there", id)
				}
			}
			for _, id := range c.stays {
				if entity(b, id) == nil {
					t.Errorf("entity %s is gone", id)
				}
			}
			for _, l := range b.Links {
				if entity(b, l.Subject) == nil || entity(b, l.Object) == nil {
					t.Errorf("link %s has an end that is gone", l.ID)
				}
			}
			if c.name == "the later load names the made entity too" && link(b, "NCBIGene:4193", "CDKN1A") == nil {
				t.Errorf("the later list's MDM2 is not the new entity: %+v", b.Links)
			}
		})
	}
}

// TestMergeMadeEntitiesBulk: a load of N-Quads in the store's own layout
// into a small bolt store goes through a bulk load; an entity it brings
// that a name of an earlier edge list means still takes that name's made
// entity's place, as in every other load.
func TestMergeMadeEntitiesBulk(t *testing.T) {
	ctx := context.Background()
	s, err := kg.Open(ctx, "bolt:"+filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := loadStrings(s, Options{}, "a.csv", "source,target,sign\nTNF,NFKB1,1\n"); err != nil {
		t.Fatal(err)
	}
	nq := `<urn:leydigkg:entity:NCBIGene:7124> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:leydigkg:Entity> .
<urn:leydigkg:entity:NCBIGene:7124> <urn:leydigkg:name> "TNF" .
<urn:leydigkg:entity:NCBIGene:7124> <urn:leydigkg:kind> "GENE_PRODUCT" .
`
	if _, err := loadStrings(s, Options{}, "e.nq", nq); err != nil {
		t.Fatal(err)
	}
	b := records(t, s)
	if len(b.Entities) != 2 || len(b.Links) != 1 || b.Links[0].Subject != "NCBIGene:7124" {
		t.Errorf("after the N-Quads load: %d entities, links %+v; want 2 entities, the link from NCBIGene:7124", len(b.Entities), b.Links)
	}
}
