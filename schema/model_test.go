package schema_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/kg"
	"github.com/leydigkg/leydigkg/schema"
)

// Link ids of the many-sources fixture.
const (
	aliasID    = "signor_inflammation_testosterone"    // SIGNOR's id for a curated assertion
	labLink    = "lab_lh_decreases_testosterone"       // contradicts lh_increases_testosterone
	labInfer   = "lab_cytokines_decrease_testosterone" // a curator's inference
	curatedLH  = "lh_increases_testosterone"
	curatedInf = "chronic_inflammation_decreases_testosterone"
)

// manySources is the curated graph with two more sources (made up for the
// tests): SIGNOR stating a curated assertion again (one link, two sources),
// and a lab whose assay contradicts a curated link and whose curator infers
// another. A gene shares the synonym "LH" with the hormone.
func manySources(t testing.TB) *kg.Store {
	t.Helper()
	s := curated(t)
	b := &graph.Batch{
		Sources: []graph.Source{
			{ID: "infores:signor", Title: "SIGNOR", URL: "https://signor.uniroma2.it", Version: "2024-06", License: "CC-BY-4.0",
				Description: "Causal interactions curated by hand from the literature."},
			{ID: "lab", Title: "Our lab's assays", Version: "2024-05-01", License: "CC-BY-NC-4.0"},
		},
		Entities: []graph.Entity{
			{ID: "HGNC:6584", Name: "LHB", Kind: graph.GeneProduct, Synonyms: []string{"LH"}, Description: "Luteinizing hormone subunit beta (test fixture)."},
		},
		Links: []graph.Link{
			{ID: aliasID, Subject: "chronic_inflammation", Object: "testosterone", Effect: graph.Decreases, Predicate: "biolink:affects",
				Evidence: []graph.Evidence{{Key: "SIGNOR-T0001", Source: "infores:signor", KnowledgeLevel: graph.KnowledgeAssertion,
					AgentType: graph.ManualAgent, Publications: []string{"PMID:1000001"}}}},
			{ID: labLink, Subject: "luteinizing_hormone", Object: "testosterone", Effect: graph.Decreases, Predicate: "biolink:regulates",
				Evidence: []graph.Evidence{{Source: "lab", KnowledgeLevel: graph.Observation, AgentType: graph.ManualAgent,
					Quote: "In assay 7, high LH lowered testosterone output.", At: "assay-7"}}},
			{ID: labInfer, Subject: "inflammatory_cytokines", Object: "testosterone", Effect: graph.Decreases, Predicate: "biolink:regulates",
				Evidence: []graph.Evidence{{Source: "lab", KnowledgeLevel: graph.LogicalEntailment, AgentType: graph.ManualAgent,
					Reasoning: "Cytokines lower LH, and LH drives testosterone.", At: "notes:12"}}},
		},
	}
	if _, err := s.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return s
}

// linkIDs collects every link id in a response: the "id" of every object
// that has an "effect" and a "predicate" or "confidence" beside it, and the
// ids under "link" columns.
func linkIDs(v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		if id, ok := v["id"].(string); ok {
			if _, ok := v["effect"]; ok {
				out[id] = true
			}
		}
		for _, x := range v {
			linkIDs(x, out)
		}
	case []any:
		for _, x := range v {
			linkIDs(x, out)
		}
	}
}

// TestFiltersReachEveryQuery runs each causal query with and without a
// filter: the filtered answer may use only links the filter keeps, and the
// unfiltered one must use some it leaves out (so that there was something
// to remove).
func TestFiltersReachEveryQuery(t *testing.T) {
	store := manySources(t)
	h := newHandler(t, store)
	// The links whose belief is at least 0.95, from the store.
	var believed []string
	page, err := store.Links(context.Background(), "", graph.Filter{}, graph.PageArgs{First: graph.MaxPageSize})
	if err != nil || page.HasNext {
		t.Fatal(err, page.HasNext)
	}
	// The links with an item the knowledge-level filter keeps: the lab's,
	// and the curated graph's inferences.
	inferred := []string{labLink, labInfer}
	for _, l := range page.Items {
		if l.Confidence >= 0.95 {
			believed = append(believed, l.ID)
		}
		if slices.ContainsFunc(l.Evidence, func(ev graph.Evidence) bool {
			return ev.Level() == graph.LogicalEntailment || ev.Level() == graph.Observation
		}) && !slices.Contains(inferred, l.ID) {
			inferred = append(inferred, l.ID)
		}
	}
	links := "links { id effect }"
	tests := []struct {
		name, query string // query has %F where the filter goes
		filter      string
		kept        []string // every link the filter keeps
	}{
		{"trace", `{ q: trace(from: "luteinizing_hormone", to: "testosterone", maxDepth: 2 %F) { paths { ` + links + ` } } }`,
			`, sources: {deny: ["article"]}`, []string{labLink}},
		{"downstream", `{ q: downstream(of: "luteinizing_hormone", maxDepth: 2 %F) { entities { path { ` + links + ` } } } }`,
			`, sources: {allow: ["lab"]}`, []string{labLink, labInfer}},
		{"upstream", `{ q: upstream(of: "testosterone", maxDepth: 1, first: 100 %F) { entities { path { ` + links + ` } } } }`,
			`, knowledgeLevels: [LOGICAL_ENTAILMENT, OBSERVATION]`, inferred},
		{"loops", `{ q: loops(through: "testosterone", maxLength: 4 %F) { loops { path { ` + links + ` } } } }`,
			`, licenses: ["CC-BY-NC-4.0"]`, []string{labLink, labInfer}},
		{"interventions", `{ q: interventions(target: "testosterone", goal: INCREASES, maxDepth: 3 %F) { interventions { path { ` + links + ` } } } }`,
			`, minBelief: 0.95`, believed},
		{"knockout", `{ q: knockout(remove: ["leydig_cell"], from: "luteinizing_hormone", to: "testosterone", maxDepth: 2 %F) { surviving { ` + links + ` } broken { ` + links + ` } } }`,
			`, sources: {allow: ["lab"]}`, []string{labLink}},
		{"contradictions", `{ q: contradictions(first: 10 %F) { pairs { increases { id effect } decreases { id effect } } } }`,
			`, sources: {deny: ["lab"]}`, nil},
		{"links", `{ q: links(first: 500 %F) { edges { node { id effect } } } }`,
			`, sources: {allow: ["lab"]}`, []string{labLink, labInfer}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := func(filter string) map[string]bool {
				resp := post(t, h, strings.Replace(tt.query, "%F", filter, 1), nil)
				if resp["errors"] != nil {
					t.Fatalf("%s: %v", filter, resp["errors"])
				}
				ids := map[string]bool{}
				linkIDs(resp["data"], ids)
				return ids
			}
			all, filtered := run(""), run(tt.filter)
			removed := false
			for id := range all {
				removed = removed || !slices.Contains(tt.kept, id)
			}
			if !removed {
				t.Fatalf("unfiltered, only kept links: %v (the test removes nothing)", all)
			}
			for id := range filtered {
				if !slices.Contains(tt.kept, id) {
					t.Errorf("filter %s kept %s (it keeps only %v)", tt.filter, id, tt.kept)
				}
			}
		})
	}
}

// TestFilterArguments checks what a filter refuses, with BAD_USER_INPUT
// naming the problem.
func TestFilterArguments(t *testing.T) {
	h := newHandler(t, manySources(t))
	many := make([]string, schema.MaxFilterItems+1)
	for i := range many {
		many[i] = "lab"
	}
	tests := []struct {
		name, query string
		vars        map[string]any
		code, msg   string
	}{
		{"unknown allowed source", `{ trace(from: "luteinizing_hormone", to: "testosterone", sources: {allow: ["labb"]}) { truncated } }`, nil, schema.CodeBadUserInput, `no source "labb"`},
		{"unknown denied source", `{ loops(sources: {deny: ["infores:signr"]}) { truncated } }`, nil, schema.CodeBadUserInput, `no source "infores:signr"`},
		{"belief above 1", `{ downstream(of: "testosterone", minBelief: 1.5) { total } }`, nil, schema.CodeBadUserInput, "minBelief must be in 0..1"},
		{"belief below 0", `{ contradictions(minBelief: -0.1) { truncated } }`, nil, schema.CodeBadUserInput, "minBelief must be in 0..1"},
		{"too many sources", `query($a: [ID!]) { knockout(remove: ["lh"], from: "gnrh", to: "testosterone", sources: {allow: $a}) { connected } }`,
			map[string]any{"a": many}, schema.CodeBadUserInput, "sources.allow has 201 items"},
		{"too many licences", `query($l: [String!]) { interventions(target: "testosterone", goal: INCREASES, licenses: $l) { total } }`,
			map[string]any{"l": many}, schema.CodeBadUserInput, "licenses has 201 items"},
		{"unknown level", `{ upstream(of: "testosterone", knowledgeLevels: [GUESS]) { total } }`, nil, schema.CodeValidationFailed, "GUESS"},
		{"contradictions first", `{ contradictions(first: 501) { truncated } }`, nil, schema.CodeBadUserInput, "501"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, h, tt.query, tt.vars)
			errs, _ := resp["errors"].([]any)
			if len(errs) != 1 {
				t.Fatalf("want one error: %v", resp)
			}
			e := errs[0].(map[string]any)
			if code := e["extensions"].(map[string]any)["code"]; code != tt.code || !strings.Contains(e["message"].(string), tt.msg) {
				t.Errorf("%v %q, want %s with %q", code, e["message"], tt.code, tt.msg)
			}
		})
	}
}

// TestAmbiguous checks that a name two entities share is AMBIGUOUS wherever
// an entity is named, with both candidates, and that their ids work.
func TestAmbiguous(t *testing.T) {
	h := newHandler(t, manySources(t))
	want := []any{
		map[string]any{"id": "HGNC:6584", "name": "LHB", "kind": "GENE_PRODUCT"},
		map[string]any{"id": "luteinizing_hormone", "name": "luteinizing hormone", "kind": "HORMONE"},
	}
	tests := []struct{ name, query string }{
		{"entity", `{ entity(id: "LH") { id } }`},
		{"trace end", `{ trace(from: "LH", to: "testosterone") { truncated } }`},
		{"trace via", `{ trace(from: "gnrh", to: "testosterone", via: ["LH"]) { truncated } }`},
		{"downstream", `{ downstream(of: "LH") { total } }`},
		{"knockout remove", `{ knockout(remove: ["LH"], from: "gnrh", to: "testosterone") { connected } }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, h, tt.query, nil)
			errs, _ := resp["errors"].([]any)
			if len(errs) != 1 {
				t.Fatalf("want one error: %v", resp)
			}
			ext := errs[0].(map[string]any)["extensions"].(map[string]any)
			got, _ := json.Marshal(ext["candidates"])
			exp, _ := json.Marshal(want)
			if ext["code"] != schema.CodeAmbiguous || string(got) != string(exp) {
				t.Errorf("extensions %v, want code %s and candidates %s", ext, schema.CodeAmbiguous, exp)
			}
		})
	}
	for _, id := range []string{"HGNC:6584", "luteinizing_hormone"} {
		resp := post(t, h, `query($id: ID!) { entity(id: $id) { id } }`, map[string]any{"id": id})
		if resp["errors"] != nil || !strings.Contains(mustJSON(resp), id) {
			t.Errorf("by id %s: %v", id, resp)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
