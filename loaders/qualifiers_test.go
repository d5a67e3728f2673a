package loaders

import (
	"errors"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestKGXQualifiers reads one KGX edge per row of the qualifier table
// (qualifiers.go), in JSON Lines and in TSV: the sign it gives, or why it
// is ignored, or the error.
func TestKGXQualifiers(t *testing.T) {
	const up, down = graph.Increases, graph.Decreases
	for _, c := range []struct {
		name   string
		fields map[string]string // on top of subject A, object B
		want   graph.Effect
		pred   string // the stored predicate, when want is set
		ignore string // a part of the reason, when ignored
		err    error
	}{
		// The three examples.
		{"MDM2 increases degradation of TP53", map[string]string{"predicate": "biolink:affects", "qualified_predicate": "biolink:causes", "object_aspect_qualifier": "degradation", "object_direction_qualifier": "increased"}, down, "biolink:affects", "", nil},
		{"less A gives less B", map[string]string{"predicate": "biolink:affects", "qualified_predicate": "biolink:causes", "subject_direction_qualifier": "decreased", "object_direction_qualifier": "decreased"}, up, "biolink:affects", "", nil},
		{"negated causes", map[string]string{"predicate": "biolink:causes", "negated": "true"}, up, "biolink:causes", "", nil}, // a negated item
		// object_direction_qualifier x object_aspect_qualifier.
		{"increased", map[string]string{"predicate": "biolink:affects", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"decreased", map[string]string{"predicate": "biolink:affects", "object_direction_qualifier": "decreased"}, down, "biolink:affects", "", nil},
		{"upregulated", map[string]string{"predicate": "biolink:regulates", "object_direction_qualifier": "upregulated"}, up, "biolink:regulates", "", nil},
		{"downregulated", map[string]string{"predicate": "biolink:regulates", "object_direction_qualifier": "downregulated"}, down, "biolink:regulates", "", nil},
		{"increased activity_or_abundance", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "activity_or_abundance", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"decreased activity_or_abundance", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "activity_or_abundance", "object_direction_qualifier": "decreased"}, down, "biolink:affects", "", nil},
		{"increased activity", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "activity", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"decreased activity", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "activity", "object_direction_qualifier": "decreased"}, down, "biolink:affects", "", nil},
		{"increased abundance", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "abundance", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"decreased abundance", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "abundance", "object_direction_qualifier": "decreased"}, down, "biolink:affects", "", nil},
		{"increased expression", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "expression", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"decreased expression", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "expression", "object_direction_qualifier": "decreased"}, down, "biolink:affects", "", nil},
		{"increased synthesis", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "synthesis", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"decreased synthesis", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "synthesis", "object_direction_qualifier": "decreased"}, down, "biolink:affects", "", nil},
		{"increased degradation", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "degradation", "object_direction_qualifier": "increased"}, down, "biolink:affects", "", nil},
		{"decreased degradation", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "degradation", "object_direction_qualifier": "decreased"}, up, "biolink:affects", "", nil},
		{"increased cleavage", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "cleavage", "object_direction_qualifier": "increased"}, down, "biolink:affects", "", nil},
		{"increased hydrolysis", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "hydrolysis", "object_direction_qualifier": "increased"}, down, "biolink:affects", "", nil},
		{"degradation with a signed predicate", map[string]string{"predicate": "biolink:causes", "object_aspect_qualifier": "degradation"}, down, "biolink:affects", "", nil},
		{"localization", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "localization", "object_direction_qualifier": "increased"}, "", "", "object_aspect_qualifier localization", nil},
		{"transport", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "transport", "object_direction_qualifier": "increased"}, "", "", "object_aspect_qualifier transport", nil},
		{"secretion", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "secretion", "object_direction_qualifier": "decreased"}, "", "", "object_aspect_qualifier secretion", nil},
		{"uptake", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "uptake", "object_direction_qualifier": "increased"}, "", "", "object_aspect_qualifier uptake", nil},
		{"splicing", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "splicing", "object_direction_qualifier": "increased"}, "", "", "object_aspect_qualifier splicing", nil},
		{"stability", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "stability", "object_direction_qualifier": "increased"}, "", "", "object_aspect_qualifier stability", nil},
		{"metabolic processing", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "metabolic_processing", "object_direction_qualifier": "increased"}, "", "", "metabolic_processing", nil},
		{"mutation rate", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "mutation_rate", "object_direction_qualifier": "increased"}, "", "", "mutation_rate", nil},
		{"molecular_modification", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "molecular_modification", "object_direction_qualifier": "increased"}, "", "", "molecular_modification", nil},
		{"molecular modification (older spelling)", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "molecular modification", "object_direction_qualifier": "increased"}, "", "", "molecular modification", nil},
		{"phosphorylation", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "phosphorylation", "object_direction_qualifier": "increased"}, "", "", "phosphorylation", nil},
		{"an aspect the table does not know", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "color", "object_direction_qualifier": "increased"}, "", "", "color", nil},
		{"localization without a direction", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "localization"}, "", "", "localization", nil},
		// subject_direction_qualifier and subject_aspect_qualifier.
		{"more A gives more B", map[string]string{"predicate": "biolink:affects", "subject_direction_qualifier": "increased", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"less A gives more B", map[string]string{"predicate": "biolink:affects", "subject_direction_qualifier": "decreased", "object_direction_qualifier": "increased"}, down, "biolink:affects", "", nil},
		{"downregulated A gives less B", map[string]string{"predicate": "biolink:regulates", "subject_direction_qualifier": "downregulated", "object_direction_qualifier": "downregulated"}, up, "biolink:regulates", "", nil},
		{"less A causes B", map[string]string{"predicate": "biolink:causes", "subject_direction_qualifier": "decreased"}, down, "biolink:affects", "", nil},
		{"more A activity gives more B", map[string]string{"predicate": "biolink:affects", "subject_aspect_qualifier": "activity", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"more A degradation gives more B", map[string]string{"predicate": "biolink:affects", "subject_aspect_qualifier": "degradation", "object_direction_qualifier": "increased"}, down, "biolink:affects", "", nil},
		{"less A degradation gives more B degradation", map[string]string{"predicate": "biolink:affects", "subject_aspect_qualifier": "degradation", "subject_direction_qualifier": "decreased", "object_aspect_qualifier": "degradation", "object_direction_qualifier": "increased"}, down, "biolink:affects", "", nil},
		{"A localization", map[string]string{"predicate": "biolink:affects", "subject_aspect_qualifier": "localization", "object_direction_qualifier": "increased"}, "", "", "subject_aspect_qualifier localization", nil},
		{"bad subject direction", map[string]string{"predicate": "biolink:affects", "subject_direction_qualifier": "sideways", "object_direction_qualifier": "increased"}, "", "", "", ErrInvalidValue},
		// negated.
		{"negated regulates", map[string]string{"predicate": "biolink:regulates", "object_direction_qualifier": "upregulated", "negated": "true"}, up, "biolink:regulates", "", nil},
		{"negated, an unsigned aspect", map[string]string{"predicate": "biolink:affects", "object_aspect_qualifier": "localization", "object_direction_qualifier": "increased", "negated": "true"}, "", "", "localization", nil},
		{"negated false", map[string]string{"predicate": "biolink:causes", "negated": "false"}, up, "biolink:causes", "", nil},
		{"negated part_of", map[string]string{"predicate": "biolink:part_of", "negated": "true"}, "", "", "a relation said not to hold", nil},
		{"negated subclass_of", map[string]string{"predicate": "biolink:subclass_of", "negated": "true"}, "", "", "a relation said not to hold", nil},
		{"negated bad", map[string]string{"predicate": "biolink:causes", "negated": "maybe"}, "", "", "", ErrInvalidValue},
		// qualified_predicate.
		{"qualified causes", map[string]string{"predicate": "biolink:affects", "qualified_predicate": "biolink:causes", "object_direction_qualifier": "increased"}, up, "biolink:affects", "", nil},
		{"qualified other", map[string]string{"predicate": "biolink:affects", "qualified_predicate": "biolink:related_to", "object_direction_qualifier": "increased"}, "", "", "", ErrInvalidValue},
		{"affects without a direction", map[string]string{"predicate": "biolink:affects", "qualified_predicate": "biolink:causes"}, "", "", "", ErrMissingField},
	} {
		for _, syntax := range []string{"jsonl", "tsv"} {
			t.Run(c.name+"/"+syntax, func(t *testing.T) {
				fields := map[string]string{"subject": "A", "object": "B"}
				for k, v := range c.fields {
					fields[k] = v
				}
				var text string
				var r RecordReader
				var err error
				if syntax == "jsonl" {
					var parts []string
					for k, v := range fields {
						if k == "negated" && (v == "true" || v == "false") {
							parts = append(parts, `"`+k+`":`+v) // a JSON boolean
						} else {
							parts = append(parts, `"`+k+`":"`+v+`"`)
						}
					}
					text = "{" + strings.Join(parts, ",") + "}\n"
					r, err = NewKGXJSONLReader("e.jsonl", strings.NewReader(text), Options{})
				} else {
					var head, row []string
					for k, v := range fields {
						head, row = append(head, k), append(row, v)
					}
					text = strings.Join(head, "\t") + "\n" + strings.Join(row, "\t") + "\n"
					r, err = NewKGXReader("e.tsv", strings.NewReader(text), Options{})
				}
				if err != nil {
					t.Fatal(err)
				}
				rec, err := r.Read()
				switch {
				case c.err != nil:
					if !errors.Is(err, c.err) {
						t.Fatalf("%s: got %+v, %v; want %v", text, rec, err, c.err)
					}
				case err != nil:
					t.Fatalf("%s: %v", text, err)
				case c.ignore != "":
					if rec.Link != nil || rec.Relation != nil || !strings.Contains(rec.Ignored, c.ignore) {
						t.Fatalf("%s: got link %+v, ignored %q; want ignored for %q", text, rec.Link, rec.Ignored, c.ignore)
					}
				default:
					if rec.Link == nil || rec.Link.Effect != c.want || rec.Link.Predicate != c.pred {
						t.Fatalf("%s: got %+v (ignored %q); want %s %s", text, rec.Link, rec.Ignored, c.pred, c.want)
					}
					if neg := fields["negated"] == "true"; rec.Link.Evidence[0].Negated != neg {
						t.Fatalf("%s: negated item %v, want %v", text, rec.Link.Evidence[0].Negated, neg)
					}
					if err := graph.CheckPredicate(rec.Link.Predicate, rec.Link.Effect); err != nil {
						t.Fatalf("the link would not be stored: %v", err)
					}
				}
			})
		}
	}
}

// TestKGXIssueExamples loads the three edges into a store: the
// signs stored and the ignored edge counted with its reason.
func TestKGXIssueExamples(t *testing.T) {
	s := open(t)
	edges := `{"id":"e1","subject":"NCBIGene:4193","predicate":"biolink:affects","object":"NCBIGene:7157","qualified_predicate":"biolink:causes","object_aspect_qualifier":"degradation","object_direction_qualifier":"increased"}
{"id":"e2","subject":"NCBIGene:1","predicate":"biolink:affects","object":"NCBIGene:2","qualified_predicate":"biolink:causes","subject_direction_qualifier":"decreased","object_direction_qualifier":"decreased"}
{"id":"e3","subject":"NCBIGene:3","predicate":"biolink:causes","object":"NCBIGene:4","negated":true}
`
	nodes := `{"id":"NCBIGene:4193","name":"MDM2"}
{"id":"NCBIGene:7157","name":"TP53"}
{"id":"NCBIGene:1","name":"A"}
{"id":"NCBIGene:2","name":"B"}
{"id":"NCBIGene:3","name":"C"}
{"id":"NCBIGene:4","name":"D"}
`
	rep, err := loadStrings(s, Options{}, "n.jsonl", nodes, "e.jsonl", edges)
	if err != nil {
		t.Fatal(err)
	}
	b := records(t, s)
	if l := link(b, "NCBIGene:4193", "NCBIGene:7157"); l == nil || l.Effect != graph.Decreases {
		t.Errorf("MDM2 -> TP53 = %+v, want DECREASES", l)
	}
	if l := link(b, "NCBIGene:1", "NCBIGene:2"); l == nil || l.Effect != graph.Increases {
		t.Errorf("A -> B = %+v, want INCREASES", l)
	}
	// The negated edge is kept as negative evidence: a link of belief 0
	// that no traversal takes.
	if l := link(b, "NCBIGene:3", "NCBIGene:4"); l == nil || l.Asserted() || !l.Evidence[0].Negated || l.Confidence != 0 {
		t.Errorf("negated C -> D = %+v, want a link with one negated item and belief 0", l)
	}
	if rep.Ignored != 0 || rep.Unaccounted() != 0 {
		t.Errorf("report: %s", rep)
	}
}
