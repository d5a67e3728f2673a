package schema_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
)

// structured is a store with what issue 15 added: "exercise is a lifestyle
// intervention; lifestyle interventions reduce the inflammatory burden",
// an HPG-like feedback with a declared shortcut, an old id, a part-of
// relation and a reference as cited and as checked.
func structured(t testing.TB) *kg.Store {
	t.Helper()
	ctx := context.Background()
	beliefs, err := data.BeliefTable()
	if err != nil {
		t.Fatal(err)
	}
	s, err := kg.OpenWith(ctx, "memory", kg.Options{Beliefs: beliefs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ev := func(q string, refs ...string) []graph.Evidence {
		return []graph.Evidence{{Source: "src", Quote: q, References: refs, KnowledgeLevel: graph.KnowledgeAssertion, AgentType: graph.ManualAgent}}
	}
	link := func(id, sub, obj string, e graph.Effect) graph.Link {
		return graph.Link{ID: id, Subject: sub, Object: obj, Effect: e, Predicate: "biolink:regulates", Evidence: ev(id)}
	}
	b := &graph.Batch{
		Sources:    []graph.Source{{ID: "src", Title: "A source", Description: "a fixture"}},
		References: []graph.Reference{{ID: "doe2021", Citation: "Doe J. A study. Journal of Studies 12:1-9 (2021).", Year: 2021, AsCited: "Doe J. A study. J Stud, 2020.", Volume: "12", Pages: "1-9", DOI: "10.1000/xyz123", PMID: "12345678", Note: "the source gives 2020"}},
		Entities: []graph.Entity{
			{ID: "exercise", Name: "exercise", Kind: graph.Therapy, Aliases: []string{"physical_activity"}},
			{ID: "lifestyle_interventions", Name: "lifestyle interventions", Kind: graph.Therapy},
			{ID: "chronic_inflammation", Name: "chronic inflammation", Kind: graph.Process},
			{ID: "gnrh", Name: "GnRH", Kind: graph.Hormone},
			{ID: "lh", Name: "LH", Kind: graph.Hormone},
			{ID: "leydig", Name: "Leydig cell", Kind: graph.Cell},
			{ID: "t", Name: "testosterone", Kind: graph.Hormone},
			{ID: "testis", Name: "testis", Kind: graph.Anatomy},
		},
		Links: []graph.Link{
			link("lifestyle_reduces_inflammation", "lifestyle_interventions", "chronic_inflammation", graph.Decreases),
			link("gnrh_lh", "gnrh", "lh", graph.Increases), link("lh_leydig", "lh", "leydig", graph.Increases),
			link("leydig_t", "leydig", "t", graph.Increases), link("lh_t", "lh", "t", graph.Increases),
			link("t_gnrh", "t", "gnrh", graph.Decreases),
		},
		Relations: []graph.Relation{
			{Subject: "exercise", Predicate: graph.SubclassOf, Object: "lifestyle_interventions", Evidence: ev("exercise is a lifestyle intervention", "doe2021")},
			{Subject: "leydig", Predicate: graph.PartOf, Object: "testis", Note: "anatomy", Evidence: ev("Leydig cells of the testis")},
		},
	}
	b.Links[4].ShortcutOf = [][]string{{"lh", "leydig", "t"}}
	if _, err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStructureQueries asks for every field the structure adds.
func TestStructureQueries(t *testing.T) {
	h := newHandler(t, structured(t))
	tests := []struct{ name, query, want string }{
		{"an old id finds its entity", `{ entity(id: "physical_activity") { id aliases broader { id } narrower { id } } }`,
			`{"data":{"entity":{"aliases":["physical_activity"],"broader":[{"id":"lifestyle_interventions"}],"id":"exercise","narrower":[]}}}`},
		{"stats count relations", `{ stats { links relations } }`, `{"data":{"stats":{"links":6,"relations":2}}}`},
		{"narrower", `{ entity(id: "lifestyle interventions") { narrower { id } broader { id } } }`,
			`{"data":{"entity":{"broader":[],"narrower":[{"id":"exercise"}]}}}`},
		{"parts and partOf", `{ a: entity(id: "testis") { parts { id } partOf { id } } b: entity(id: "leydig") { partOf { id } relations { predicate object { id } note evidence { quote } } } }`,
			`{"data":{"a":{"partOf":[],"parts":[{"id":"leydig"}]},"b":{"partOf":[{"id":"testis"}],"relations":[{"evidence":[{"quote":"Leydig cells of the testis"}],"note":"anatomy","object":{"id":"testis"},"predicate":"biolink:part_of"}]}}}`},
		{"shortcutOf", `{ a: link(id: "lh_t") { shortcutOf { id } } b: link(id: "lh_leydig") { shortcutOf { id } } }`,
			`{"data":{"a":{"shortcutOf":[[{"id":"lh"},{"id":"leydig"},{"id":"t"}]]},"b":{"shortcutOf":[]}}}`},
		{"reference as cited and as checked", `{ references { id citation asCited volume pages doi pmid note year } }`,
			`{"data":{"references":[{"asCited":"Doe J. A study. J Stud, 2020.","citation":"Doe J. A study. Journal of Studies 12:1-9 (2021).","doi":"10.1000/xyz123","id":"doe2021","note":"the source gives 2020","pages":"1-9","pmid":"12345678","volume":"12","year":2021}]}}`},
		{"trace without inherit explains", `{ trace(from: "exercise", to: "chronic inflammation") { paths { length } explanation { reason } } }`,
			`{"data":{"trace":{"explanation":{"reason":"ONLY_BY_INHERITANCE"},"paths":[]}}}`},
		{"trace with inherit", `{ trace(from: "exercise", to: "chronic inflammation", inherit: true) { paths { netEffect links { inherited inheritedFrom { id } inheritedLink { id } subject { id } evidence { knowledgeLevel reasoning } } } } }`,
			`{"data":{"trace":{"paths":[{"links":[{"evidence":[{"knowledgeLevel":"LOGICAL_ENTAILMENT","reasoning":"exercise is a kind of lifestyle interventions (biolink:subclass_of), and lifestyle interventions decreases chronic inflammation (link lifestyle_reduces_inflammation): a member takes its class's causal links (trace inherit)"}],"inherited":true,"inheritedFrom":{"id":"lifestyle_interventions"},"inheritedLink":{"id":"lifestyle_reduces_inflammation"},"subject":{"id":"exercise"}}],"netEffect":"DECREASES"}]}}}`},
		{"traces inherit", `{ traces(pairs: [{from: "physical_activity", to: "chronic_inflammation"}], inherit: true) { trace { paths { links { inherited } } } } }`,
			`{"data":{"traces":[{"trace":{"paths":[{"links":[{"inherited":true}]}]}}]}}`},
		{"an inherited hop answers every Link field", `{ trace(from: "exercise", to: "chronic inflammation", inherit: true) { paths { confidence links { confidence contested opposite { id } belief { score } shortcutOf { id } aliases } } } }`,
			`{"data":{"trace":{"paths":[{"confidence":0.5,"links":[{"aliases":[],"belief":{"score":0.5},"confidence":0.5,"contested":false,"opposite":[],"shortcutOf":[]}]}]}}}`},
		{"a stated link is not inherited", `{ link(id: "lh_t") { inherited inheritedFrom { id } } }`,
			`{"data":{"link":{"inherited":false,"inheritedFrom":null}}}`},
		{"loops distinct", `{ loops(through: "t", distinct: true) { loops { kind path { length } variants { length entities { id } } } } }`,
			`{"data":{"loops":{"loops":[{"kind":"BALANCING","path":{"length":4},"variants":[{"entities":[{"id":"t"},{"id":"gnrh"},{"id":"lh"},{"id":"t"}],"length":3}]}]}}}`},
		{"loops not distinct", `{ loops(through: "t") { loops { path { length } variants { length } } } }`,
			`{"data":{"loops":{"loops":[{"path":{"length":3},"variants":[]},{"path":{"length":4},"variants":[]}]}}}`},
		{"trace distinct", `{ trace(from: "gnrh", to: "t", distinct: true) { paths { length variants { length entities { id } variants { length } } } } }`,
			`{"data":{"trace":{"paths":[{"length":3,"variants":[{"entities":[{"id":"gnrh"},{"id":"lh"},{"id":"t"}],"length":2,"variants":[]}]}]}}}`},
		{"trace not distinct", `{ trace(from: "gnrh", to: "t") { paths { length variants { length } } } }`,
			`{"data":{"trace":{"paths":[{"length":2,"variants":[]},{"length":3,"variants":[]}]}}}`},
		{"traces distinct", `{ traces(pairs: [{from: "lh", to: "t"}], distinct: true) { trace { paths { length variants { length } } } } }`,
			`{"data":{"traces":[{"trace":{"paths":[{"length":2,"variants":[{"length":1}]}]}}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := json.Marshal(post(t, h, tt.query, nil))
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	got, _ := json.Marshal(post(t, h, `{ trace(from: "exercise", to: "chronic inflammation") { explanation { message } } }`, nil))
	if !strings.Contains(string(got), "inherit: true") {
		t.Errorf("explanation %s does not suggest inherit: true", got)
	}
}
