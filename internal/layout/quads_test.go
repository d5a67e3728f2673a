package layout

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
)

// TestLayoutRoundTrip: each shape of record the layout writes in its own
// way decodes to what was written, and the quads a link costs are as the
// top of quads.go says.
func TestLayoutRoundTrip(t *testing.T) {
	ents := []graph.Entity{{ID: "A", Name: "A", Kind: graph.GeneProduct}, {ID: "B", Name: "B", Kind: graph.GeneProduct}}
	row := graph.Evidence{Source: "net", At: "net.csv:2"}
	yes := true
	for _, tc := range []struct {
		name  string
		links []graph.Link
		quads int // quads of the links
	}{
		{"a row of a network: three quads", []graph.Link{{ID: "l", Subject: "A", Object: "B", Effect: graph.Increases, Predicate: "biolink:regulates", Evidence: []graph.Evidence{row}}}, 3},
		{"another predicate is written", []graph.Link{{ID: "l", Subject: "A", Object: "B", Effect: graph.Increases, Predicate: "biolink:causes", Evidence: []graph.Evidence{row}}}, 4},
		{"decreases", []graph.Link{{ID: "l", Subject: "A", Object: "B", Effect: graph.Decreases, Predicate: "biolink:regulates", Evidence: []graph.Evidence{row}}}, 3},
		{"a self-loop", []graph.Link{{ID: "l", Subject: "A", Object: "A", Effect: graph.Decreases, Predicate: "biolink:regulates", Evidence: []graph.Evidence{row}}}, 3},
		{"a quote: a node of its own", []graph.Link{{ID: "l", Subject: "A", Object: "B", Effect: graph.Increases, Predicate: "biolink:regulates", Mechanism: "m",
			Evidence: []graph.Evidence{{Source: "net", Quote: "A raises B", Section: "S", KnowledgeLevel: graph.KnowledgeAssertion, AgentType: graph.ManualAgent, References: []string{"r"}}}}}, 9},
		{"a denied link", []graph.Link{{ID: "l", Subject: "A", Object: "B", Effect: graph.Increases, Predicate: "biolink:regulates",
			Evidence: []graph.Evidence{{Source: "net", Negated: true, Direct: &yes, At: "x:1"}}}}, 6},
		{"two assertions on one edge", []graph.Link{
			{ID: "l1", Subject: "A", Object: "B", Effect: graph.Increases, Predicate: "biolink:regulates", Evidence: []graph.Evidence{row}},
			{ID: "l2", Subject: "A", Object: "B", Effect: graph.Increases, Predicate: "biolink:causes", Evidence: []graph.Evidence{row}, Aliases: []string{"old"}},
		}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &graph.Batch{Sources: []graph.Source{{ID: "net", Title: "net"}}, Entities: ents, Links: tc.links}
			if tc.name == "a quote: a node of its own" {
				b.References = []graph.Reference{{ID: "r", Citation: "c", Authors: []string{"X"}}}
			}
			qs := QuadsOf(b)
			links := 0
			for _, q := range qs {
				if IsOwnIRI(q.Subject) && isLink(q.Subject) || isLink(q.Label) {
					links++
				}
			}
			if links != tc.quads {
				t.Errorf("%d quads of links, want %d", links, tc.quads)
			}
			d := NewDecoder()
			for _, q := range qs {
				d.Add(q)
			}
			got, _ := d.Batch()
			if !reflect.DeepEqual(got.Links, tc.links) {
				t.Errorf("decoded\n%+v\nwant\n%+v", got.Links, tc.links)
			}
		})
	}
}

func isLink(v quad.Value) bool {
	_, ok := idOf(v, "link:")
	return ok
}

// TestRelationEvidenceContext: a relation's evidence keeps its context
// (taxon, tissues, score) as a link's does.
func TestRelationEvidenceContext(t *testing.T) {
	score := 0.7
	r := graph.Relation{Subject: "A", Predicate: graph.PartOf, Object: "B", Evidence: []graph.Evidence{
		{Source: "net", Quote: "A is part of B", References: []string{}, Taxon: "NCBITaxon:9606", Tissues: []string{"BTO:0000759"}, Score: &score}}}
	b := &graph.Batch{Entities: []graph.Entity{{ID: "A", Name: "A", Kind: graph.Anatomy}, {ID: "B", Name: "B", Kind: graph.Anatomy}}, Relations: []graph.Relation{r}}
	d := NewDecoder()
	for _, q := range QuadsOf(b) {
		d.Add(q)
	}
	got, _ := d.Batch()
	if len(got.Relations) != 1 || !reflect.DeepEqual(got.Relations[0], r) {
		t.Errorf("decoded %+v, want %+v", got.Relations, r)
	}
}

// TestEvidenceNodeGone: a link whose evidence node has no quads left (a
// store another tool changed) decodes with the items that are there,
// rather than crashing the open.
func TestEvidenceNodeGone(t *testing.T) {
	row := graph.Evidence{Source: "net", At: "net.csv:2"}
	quote := graph.Evidence{Source: "net", Quote: "A raises B"}
	for _, tc := range []struct {
		name string
		evs  []graph.Evidence
		want []graph.Evidence
	}{
		{"the only item", []graph.Evidence{quote}, nil},
		{"beside a row", []graph.Evidence{row, quote}, []graph.Evidence{row}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := graph.Link{ID: "l", Subject: "A", Object: "B", Effect: graph.Increases, Predicate: "biolink:regulates", Evidence: tc.evs}
			d := NewDecoder()
			for _, q := range QuadsOf(&graph.Batch{Links: []graph.Link{l}}) {
				if s, ok := q.Subject.(quad.IRI); !ok || !strings.Contains(string(s), "#evidence-") {
					d.Add(q)
				}
			}
			got, _ := d.Batch()
			if len(got.Links) != 1 || !reflect.DeepEqual(got.Links[0].Evidence, tc.want) {
				t.Errorf("decoded %+v, want one link with evidence %+v", got.Links, tc.want)
			}
		})
	}
}

// TestEvidenceInOrder: a record's evidence items decode in their order
// whatever order their quads come in (a store reads them in hash order):
// from the number in each item's name, or from the position quad layouts 1
// to 3 wrote, which wins over the name. No item's node carries a quad
// that only older layouts wrote.
func TestEvidenceInOrder(t *testing.T) {
	row := graph.Evidence{Source: "net", At: "net.csv:2"}
	item := func(q string) graph.Evidence {
		return graph.Evidence{Source: "net", Quote: q}
	}
	many := []graph.Evidence{item("zero"), item("one"), item("two"), item("three"), item("four"), item("five"), item("six"),
		item("seven"), item("eight"), item("nine"), item("ten"), item("eleven"), item("twelve")}
	for _, tc := range []struct {
		name     string
		evs      []graph.Evidence
		layout3  bool // add the position and class quads layout 3 wrote, and name the nodes by other positions
		relation bool
	}{
		{"three items", []graph.Evidence{item("a"), item("b"), item("c")}, false, false},
		{"a row, then items", []graph.Evidence{row, item("b"), item("c")}, false, false},
		{"thirteen items (positions of two digits)", many, false, false},
		{"a relation's", many, false, true},
		{"layout 3's position quads", many, true, false},
		{"layout 3's, a relation's", many, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &graph.Batch{}
			if tc.relation {
				b.Relations = []graph.Relation{{Subject: "A", Predicate: graph.PartOf, Object: "B", Evidence: tc.evs}}
			} else {
				b.Links = []graph.Link{{ID: "l", Subject: "A", Object: "B", Effect: graph.Increases, Predicate: "biolink:regulates", Evidence: tc.evs}}
			}
			qs := QuadsOf(b)
			if tc.layout3 {
				// Each item's position quad, and its node named by another
				// position: the quad is what counts.
				k := len(tc.evs)
				renamed := func(v quad.Value) quad.Value {
					if s, ok := v.(quad.IRI); ok && strings.Contains(string(s), itemMark) {
						i, _ := strconv.Atoi(string(s[strings.LastIndex(string(s), "-")+1:]))
						return quad.IRI(string(RecordOf(s).(quad.IRI)) + itemMark + strconv.Itoa(k-1-i))
					}
					return v
				}
				for _, q := range slices.Clone(qs) {
					if s, ok := q.Subject.(quad.IRI); ok && strings.Contains(string(s), itemMark) && q.Predicate == pSource {
						i, _ := strconv.Atoi(string(s[strings.LastIndex(string(s), "-")+1:]))
						qs = append(qs, quad.Make(s, rdfType, classEvidence, nil), quad.Make(s, pPosition, quad.Int(i), nil))
					}
				}
				for j, q := range qs {
					q.Subject, q.Object = renamed(q.Subject), renamed(q.Object)
					qs[j] = q
				}
			}
			for _, q := range qs {
				if OldItemQuad(q) && !tc.layout3 {
					t.Errorf("layout 4 wrote %v", q)
				}
			}
			slices.Reverse(qs)
			d := NewDecoder()
			for _, q := range qs {
				d.Add(q)
			}
			got, _ := d.Batch()
			var quotes []string
			if tc.relation && len(got.Relations) == 1 {
				quotes = quotesOf(got.Relations[0].Evidence)
			} else if !tc.relation && len(got.Links) == 1 {
				quotes = quotesOf(got.Links[0].Evidence)
			}
			if want := quotesOf(tc.evs); !slices.Equal(quotes, want) {
				t.Errorf("decoded items %q, want %q", quotes, want)
			}
		})
	}
}

// quotesOf names each item by its quote, or its row (At).
func quotesOf(evs []graph.Evidence) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Quote+e.At)
	}
	return out
}
