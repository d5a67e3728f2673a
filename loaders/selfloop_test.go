package loaders

import (
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// Autoregulation (a factor acting on its own gene) loads in every format
// that carries links, without --skip-invalid.
func TestSelfLoopsLoad(t *testing.T) {
	tests := []struct {
		name  string
		files []string // name, contents, ...
	}{
		{"signed CSV", []string{"net.csv", "source,target,sign\nPLAG1,PLAG1,1\nPLAG1,IGF2,1\n"}},
		{"SIF", []string{"net.tsv", "TP53\t-1\tTP53\nTP53\t1\tMDM2\n"}},
		{"KGX JSON Lines", []string{"g_nodes.jsonl", `{"id":"NCBIGene:5324","name":"PLAG1","category":["biolink:Gene"]}` + "\n", "g_edges.jsonl", `{"id":"e1","subject":"NCBIGene:5324","predicate":"biolink:regulates","object":"NCBIGene:5324","qualified_predicate":"biolink:causes","object_direction_qualifier":"increased","primary_knowledge_source":"infores:test"}` + "\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			if _, err := loadStrings(s, Options{}, tc.files...); err != nil {
				t.Fatalf("load: %v", err)
			}
			b := records(t, s)
			self := 0
			for _, l := range b.Links {
				if l.Subject == l.Object {
					self++
				}
			}
			if self != 1 {
				t.Fatalf("%d self-loops stored, want 1 (links %+v)", self, b.Links)
			}
			if ps := graph.CheckBatch(b); len(ps) > 0 {
				t.Errorf("stored batch fails its own check: %v", ps)
			}
		})
	}
}

// Names in files are matched exactly: two names that differ only in case
// or punctuation are two entities, never folded into one.
func TestNamesStayApart(t *testing.T) {
	s := open(t)
	if _, err := loadStrings(s, Options{}, "human.csv", "source,target,sign\nTRP53,MDM2,1\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := loadStrings(s, Options{}, "net.csv", "source,target,sign\nMIR21,PTEN,1\nmiR-21,PTEN,-1\nTrp53,Mdm2,1\n"); err != nil {
		t.Fatal(err)
	}
	b := records(t, s)
	for _, id := range []string{"MIR21", "miR-21", "PTEN", "TRP53", "Trp53", "MDM2", "Mdm2"} {
		if entity(b, id) == nil {
			t.Errorf("no entity %s: %v", id, b.Entities)
		}
	}
	if l := link(b, "MIR21", "PTEN"); l == nil || l.Effect != graph.Increases {
		t.Errorf("MIR21 -> PTEN = %+v", l)
	}
	if l := link(b, "miR-21", "PTEN"); l == nil || l.Effect != graph.Decreases {
		t.Errorf("miR-21 -> PTEN = %+v", l)
	}
	if len(b.Entities) != 7 || len(b.Links) != 4 {
		t.Errorf("%d entities, %d links; want 7 and 4", len(b.Entities), len(b.Links))
	}
}
