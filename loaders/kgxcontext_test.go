package loaders

import (
	"slices"
	"strings"
	"testing"
)

// TestKGXContext keeps an edge's aggregator_knowledge_source,
// has_confidence_score and taxon on its evidence item, through the store;
// bad values are refused at their position.
func TestKGXContext(t *testing.T) {
	const nodes = `{"id":"A","name":"A"}` + "\n" + `{"id":"B","name":"B"}` + "\n"
	edge := func(extra string) string {
		return `{"id":"e1","subject":"A","predicate":"biolink:causes","object":"B","primary_knowledge_source":"infores:x"` + extra + "}\n"
	}
	for _, c := range []struct {
		name, extra string
		taxon       string
		aggs        []string
		score       float64 // -1: none
		err         string  // a part of the error
	}{
		{"aggregators", `,"aggregator_knowledge_source":["infores:b","infores:a"]`, "", []string{"infores:a", "infores:b"}, -1, ""},
		{"one aggregator as text", `,"aggregator_knowledge_source":"infores:a"`, "", []string{"infores:a"}, -1, ""},
		{"a score", `,"has_confidence_score":0.75`, "", nil, 0.75, ""},
		{"a score as text", `,"has_confidence_score":"0.5"`, "", nil, 0.5, ""},
		{"species_context_qualifier", `,"species_context_qualifier":"NCBITaxon:9606"`, "NCBITaxon:9606", nil, -1, ""},
		{"in_taxon", `,"in_taxon":"NCBITaxon:10090"`, "NCBITaxon:10090", nil, -1, ""},
		{"a bare taxon number", `,"taxon":"9606"`, "NCBITaxon:9606", nil, -1, ""},
		{"a score that is no number", `,"has_confidence_score":"high"`, "", nil, -1, `e.jsonl:1:`},
		{"a taxon that is no NCBITaxon", `,"species_context_qualifier":"human"`, "", nil, -1, `e.jsonl:1:`},
		{"an aggregator that is no CURIE", `,"aggregator_knowledge_source":["SIGNOR"]`, "", nil, -1, `e.jsonl:1:`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			_, err := loadStrings(s, Options{}, "n.jsonl", nodes, "e.jsonl", edge(c.extra))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one at %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			l := link(records(t, s), "A", "B")
			if l == nil {
				t.Fatal("no link")
			}
			ev := l.Evidence[0]
			score := -1.0
			if ev.Score != nil {
				score = *ev.Score
			}
			if ev.Taxon != c.taxon || !slices.Equal(ev.Aggregators, c.aggs) || score != c.score {
				t.Errorf("item %+v (score %v), want taxon %q aggregators %v score %v", ev, score, c.taxon, c.aggs, c.score)
			}
		})
	}
}
