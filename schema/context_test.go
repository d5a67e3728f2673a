package schema_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/graphql-go/graphql"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/schema"
)

// TestEvidenceContextFields: an item's context and negation, and the
// sources against a claim, are answered as stored.
func TestEvidenceContextFields(t *testing.T) {
	s := curated(t)
	yes, score := true, 0.42
	b := &graph.Batch{
		Sources: []graph.Source{{ID: "infores:signor", Title: "SIGNOR"}, {ID: "lab", Title: "lab"}},
		Links: []graph.Link{{ID: "ctx_link", Subject: "luteinizing_hormone", Object: "testosterone", Effect: graph.Decreases, Predicate: "biolink:regulates",
			Evidence: []graph.Evidence{
				{Source: "infores:signor", Key: "SIGNOR-1", Taxon: "NCBITaxon:9606", CellTypes: []string{"BTO:0000567"}, Tissues: []string{"BTO:0000142"},
					Mechanism: "phosphorylation", Direct: &yes, Aggregators: []string{"infores:pathway-commons"}, Score: &score},
				{Source: "lab", Key: "n1", Negated: true},
			}}},
	}
	if _, err := s.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	resp := post(t, newHandler(t, s), `{ link(id: "ctx_link") { evidence { key negated taxon cellTypes tissues mechanism direct aggregators score }
		belief { score bySource { source { id } } against { source { id } contribution } } } }`, nil)
	got, _ := json.Marshal(resp)
	want := `{"data":{"link":{"belief":{"against":[{"contribution":0.5,"source":{"id":"lab"}}],"bySource":[{"source":{"id":"infores:signor"}}],"score":0.4705},` +
		`"evidence":[{"aggregators":["infores:pathway-commons"],"cellTypes":["BTO:0000567"],"direct":true,"key":"SIGNOR-1","mechanism":"phosphorylation","negated":false,"score":0.42,"taxon":"NCBITaxon:9606","tissues":["BTO:0000142"]},` +
		`{"aggregators":[],"cellTypes":[],"direct":null,"key":"n1","mechanism":null,"negated":true,"score":null,"taxon":null,"tissues":[]}]}}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestAddNegatedEvidence: addEvidence takes an item's negation and context.
func TestAddNegatedEvidence(t *testing.T) {
	s := curated(t)
	sc, err := schema.New(s)
	if err != nil {
		t.Fatal(err)
	}
	r := graphql.Do(graphql.Params{Schema: sc, Context: schema.WithWrites(context.Background()), RequestString: `mutation { addEvidence(link: "lh_increases_testosterone",
		evidence: [{source: "article", publications: ["PMID:1"], negated: true, taxon: "NCBITaxon:10090", cellTypes: ["CL:0000178"],
		tissues: ["UBERON:0000473"], mechanism: "steroidogenesis", direct: false, aggregators: ["infores:signor"], score: 0.3}]) { id } }`})
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	l, err := s.Link(context.Background(), "lh_increases_testosterone")
	if err != nil {
		t.Fatal(err)
	}
	ev := l.Evidence[len(l.Evidence)-1]
	if !ev.Negated || ev.Taxon != "NCBITaxon:10090" || len(ev.CellTypes) != 1 || len(ev.Tissues) != 1 || ev.Mechanism != "steroidogenesis" ||
		ev.Direct == nil || *ev.Direct || len(ev.Aggregators) != 1 || ev.Score == nil || *ev.Score != 0.3 {
		t.Errorf("item %+v", ev)
	}
}
