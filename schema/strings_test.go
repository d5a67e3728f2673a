package schema_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/graphql-go/graphql/language/parser"

	"github.com/leydigkg/leydigkg/schema"
)

// TestStringLengths sends every kind of string argument, written in the
// document and as a variable, just at and one byte over its limit: at the
// limit Guard lets it through, over it Guard refuses it with
// BAD_USER_INPUT naming the limit.
func TestStringLengths(t *testing.T) {
	sc, err := schema.New(curated(t))
	if err != nil {
		t.Fatal(err)
	}
	const name, text = 40, 100
	l := schema.Limits{NameLength: name, TextLength: text}
	link := func(mech string) map[string]any {
		return map[string]any{"id": "x", "subject": "a", "object": "b", "effect": "INCREASES", "predicate": "biolink:regulates",
			"mechanism": mech, "evidence": []any{map[string]any{"quote": "q", "source": "s"}}}
	}
	tests := []struct {
		name  string
		q     string // %s is replaced by a string of the length under test
		vars  func(s string) map[string]any
		limit int
	}{
		{"entity id", `{ entity(id: "%s") { id } }`, nil, name},
		{"entity id variable", `query($id: ID!) { entity(id: $id) { id } }`, func(s string) map[string]any { return map[string]any{"id": s} }, name},
		{"trace from", `{ trace(from: "%s", to: "b") { truncated } }`, nil, name},
		{"trace to variable", `query($to: ID!) { trace(from: "a", to: $to) { truncated } }`, func(s string) map[string]any { return map[string]any{"to": s} }, name},
		{"trace via list", `{ trace(from: "a", to: "b", via: ["c", "%s"]) { truncated } }`, nil, name},
		{"downstream of", `{ downstream(of: "%s") { effects { netEffect } } }`, nil, name},
		{"search text", `{ search(text: "%s") { score } }`, nil, name},
		{"links after", `{ links(after: "%s") { totalCount } }`, nil, name},
		{"default value", `query($id: ID = "%s") { entity(id: $id) { id } }`, nil, name},
		{"removeLink id", `mutation { removeLink(id: "%s") }`, nil, name},
		{"addEntity name", `mutation { addEntity(entity: {id: "x", name: "%s", kind: MOLECULE}) { id } }`, nil, name},
		{"addEntity synonym", `mutation { addEntity(entity: {id: "x", name: "n", kind: MOLECULE, synonyms: ["%s"]}) { id } }`, nil, name},
		{"addEntity description is text", `mutation { addEntity(entity: {id: "x", name: "n", kind: MOLECULE, description: "%s"}) { id } }`, nil, text},
		{"addLink quote is text", `mutation { addLink(link: {id: "x", subject: "a", object: "b", effect: INCREASES, predicate: "p", evidence: [{quote: "%s", source: "s"}]}) { id } }`, nil, text},
		{"addLink mechanism in a variable", `mutation($l: LinkInput!) { addLink(link: $l) { id } }`, func(s string) map[string]any { return map[string]any{"l": link(s)} }, text},
		{"a text variable in an object", `mutation($m: String) { addLink(link: {id: "x", subject: "a", object: "b", effect: INCREASES, predicate: "p", mechanism: $m, evidence: []}) { id } }`, func(s string) map[string]any { return map[string]any{"m": s} }, text},
		{"a variable used as text and as a name", `mutation($m: String!) { addEntity(entity: {id: "x", name: $m, kind: MOLECULE, description: $m}) { id } }`, func(s string) map[string]any { return map[string]any{"m": s} }, name},
		{"addEvidence reasoning is text", `mutation { addEvidence(link: "x", evidence: [{source: "s", knowledgeLevel: LOGICAL_ENTAILMENT, reasoning: "%s"}]) { id } }`, nil, text},
		{"addEvidence publication", `mutation { addEvidence(link: "x", evidence: [{source: "s", publications: ["%s"]}]) { id } }`, nil, name},
		{"trace source filter", `{ trace(from: "a", to: "b", sources: {deny: ["%s"]}) { truncated } }`, nil, name},
		{"contradictions licence", `{ contradictions(licenses: ["%s"]) { truncated } }`, nil, name},
		{"directive argument", `{ stats @skip(if: false) { entities } entity(id: "a") @include(if: true) { name } search(text: "%s") { score } }`, nil, name},
		{"fragment", `{ ...F } fragment F on Query { entity(id: "%s") { id } }`, nil, name},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, n := range []int{tt.limit, tt.limit + 1} {
				s := strings.Repeat("é", n/2) + strings.Repeat("q", n%2) // bytes, not runes, count
				q, vars := tt.q, map[string]any(nil)
				if tt.vars != nil {
					vars = tt.vars(s)
				} else {
					q = strings.Replace(q, "%s", s, 1)
				}
				doc, err := parser.Parse(parser.ParseParams{Source: q})
				if err != nil {
					t.Fatal(err)
				}
				errs := schema.Guard(&sc, doc, vars, l)
				if n == tt.limit && errs != nil {
					t.Errorf("at the limit (%d bytes): refused %v", n, errs)
				}
				if n > tt.limit {
					if len(errs) != 1 || errs[0].Extensions["code"] != schema.CodeBadUserInput ||
						!strings.Contains(errs[0].Message, "at most "+strconv.Itoa(tt.limit)) || !strings.Contains(errs[0].Message, strconv.Itoa(n)+" bytes") {
						t.Errorf("over the limit (%d bytes): %v", n, errs)
					}
				}
			}
		})
	}
}
