package schema_test

import (
	"strings"
	"testing"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/parser"

	"github.com/leydigkg/leydigkg/schema"
)

// refusedAt reports whether Guard refuses q under l.
func refusedAt(t testing.TB, s *graphql.Schema, q string, vars map[string]any, l schema.Limits) []string {
	t.Helper()
	doc, err := parser.Parse(parser.ParseParams{Source: q})
	if err != nil {
		t.Fatalf("parse %q: %v", q, err)
	}
	var msgs []string
	for _, e := range schema.Guard(s, doc, vars, l) {
		if e.Extensions["code"] != schema.CodeLimitExceeded {
			t.Errorf("code %v", e.Extensions["code"])
		}
		msgs = append(msgs, e.Message)
	}
	return msgs
}

// TestGuardMeasures pins the depth, aliases, fields and cost Guard finds:
// each query passes a limit equal to its measure and fails one below.
func TestGuardMeasures(t *testing.T) {
	sc, err := schema.New(curated(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                         string
		q                            string
		vars                         map[string]any
		depth, aliases, fields, cost int
	}{
		{"flat", `{ stats { entities links } }`, nil, 1, 0, 3, 3},
		{"aliases", `{ a: stats { entities } b: stats { e: entities } }`, nil, 1, 3, 4, 4},
		{"first multiplies", `{ entity(id: "lh") { outgoing(first: 7) { object { id } } } }`, nil, 3, 0, 4, 1 + (1 + 7*(1+1))},
		{"unset first counts as Unset (10)", `{ entity(id: "lh") { outgoing { object { id } } } }`, nil, 3, 0, 4, 1 + (1 + 10*(1+1))},
		{"trace: maxDepth times limit", `{ trace(from: "a", to: "b", maxDepth: 4, limit: 5) { paths { links { id } } } }`, nil, 3, 0, 4, 1 + 20*(1+(1+1))},
		{"trace defaults", `{ trace(from: "a", to: "b") { truncated } }`, nil, 1, 0, 2, 1 + 100*1},
		{"contradictions: first multiplies", `{ contradictions(first: 5) { pairs { increases { id } } } }`, nil, 3, 0, 4, 1 + 5*(1+(1+1))},
		{"variables", `query($n: Int) { links(first: $n) { totalCount } }`, map[string]any{"n": float64(40)}, 1, 0, 2, 1 + 40},
		{"fragments expanded", `{ entity(id: "lh") { ...E ...E } } fragment E on Entity { id name }`, nil, 1, 0, 5, 5},
		{"inline fragments", `{ entity(id: "lh") { ... on Entity { id } } }`, nil, 1, 0, 2, 2},
		{"unknown fields still count", `{ nope { deeper { deepest } } }`, nil, 2, 0, 3, 3},
		{"mutation", `mutation { removeEntity(id: "x") { id removedLinks } }`, nil, 1, 0, 3, 3},
		{"example query", strings.SplitN(exampleQuery, "\n", 3)[2], nil, 5, 0, 21, 401},
		{"entitiesByIds: ids multiply", `{ entitiesByIds(ids: ["a", "b", "c"]) { id } }`, nil, 1, 0, 2, 1 + 3*1},
		{"entitiesByIds: ids as a variable", `query($ids: [ID!]!) { entitiesByIds(ids: $ids) { id } }`, map[string]any{"ids": []any{"a", "b", "c", "d", "e"}}, 1, 0, 2, 1 + 5*1},
		{"traces: pairs times maxDepth times limit", `{ traces(pairs: [{from: "a", to: "b"}, {from: "c", to: "d"}], maxDepth: 2, limit: 3) { from } }`, nil, 1, 0, 2, 1 + 2*6*1},
		{"paths: from times to", `{ paths(from: ["a", "b"], to: ["c", "d", "e"], maxDepth: 2, limit: 2) { truncated } }`, nil, 1, 0, 2, 1 + 2*3*4*1},
		{"trace: a scalar from counts once", `{ trace(from: "a", to: "b", maxDepth: 2, limit: 2) { truncated } }`, nil, 1, 0, 2, 1 + 4*1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := schema.Limits{QueryLength: -1, Depth: -1, Aliases: -1, Fields: -1, Cost: -1}
			if msgs := refusedAt(t, &sc, tt.q, tt.vars, off); msgs != nil {
				t.Fatalf("refused with every limit off: %q", msgs)
			}
			for _, c := range []struct {
				what string
				set  func(*schema.Limits, int)
				n    int
			}{
				{"nesting", func(l *schema.Limits, n int) { l.Depth = n }, tt.depth},
				{"aliases", func(l *schema.Limits, n int) { l.Aliases = n }, tt.aliases},
				{"fields", func(l *schema.Limits, n int) { l.Fields = n }, tt.fields},
				{"cost", func(l *schema.Limits, n int) { l.Cost = n }, tt.cost},
			} {
				at, below := off, off
				c.set(&at, max(c.n, 1))
				if msgs := refusedAt(t, &sc, tt.q, tt.vars, at); msgs != nil {
					t.Errorf("%s: refused at its measure %d: %q", c.what, c.n, msgs)
				}
				if c.n < 2 {
					continue // a limit of 0 means the default
				}
				c.set(&below, c.n-1)
				if msgs := refusedAt(t, &sc, tt.q, tt.vars, below); len(msgs) != 1 || !strings.Contains(msgs[0], c.what) && c.what != "nesting" {
					t.Errorf("%s: at %d: %q, want one refusal", c.what, c.n-1, msgs)
				}
			}
		})
	}
}

// exampleQuery is the playground's example (server.ExampleQuery, which this
// package cannot import): two comment lines, then the query.
const exampleQuery = `# Why does chronic inflammation lower testosterone?
# Press the run button.
{
  trace(from: "chronic inflammation", to: "testosterone", maxDepth: 4, limit: 5) {
    from { name }
    to { name }
    truncated
    paths {
      length
      netEffect
      confidence
      links {
        subject { name }
        effect
        object { name }
        evidence { quote section references { citation } }
      }
    }
  }
}
`

// FuzzGuard runs Guard on any document that parses: it must not panic, and
// whatever it lets through must validate in bounded work.
func FuzzGuard(f *testing.F) {
	for _, q := range []string{
		`{ stats { entities } }`,
		`{ a: stats { entities } ...F } fragment F on Query { ...F }`,
		`query($n: Int) { links(first: $n) { edges { node { id } } } }`,
		`{ entity(id: "lh") { outgoing(first: 500) { object { incoming(first: 500) { id } } } } }`,
		`mutation { addEvidence(link: "x", evidence: []) { id } }`,
		`subscription { __typename }`,
		`subscription S @skip(if: true) { stats { entities } } query Q { __typename }`,
		exampleQuery,
	} {
		f.Add(q)
	}
	sc, err := schema.New(curated(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if schema.CheckLength(q, schema.Limits{}) != nil {
			return
		}
		doc, err := parser.Parse(parser.ParseParams{Source: q})
		if err != nil {
			return
		}
		if schema.Guard(&sc, doc, map[string]any{"n": 3.0}, schema.Limits{}) == nil {
			graphql.ValidateDocument(&sc, doc, nil)
		}
	})
}

// TestConcurrentFirstUse runs the first queries of a new schema
// concurrently: graphql-go builds enum lookups lazily, and without
// warmEnums the race detector catches the writes.
func TestConcurrentFirstUse(t *testing.T) {
	sc, err := schema.New(curated(t))
	if err != nil {
		t.Fatal(err)
	}
	q := `query($k: EntityKind) { entities(kind: $k, first: 3) { edges { node { kind outgoing(first: 2) { effect } } } } }`
	doc, err := parser.Parse(parser.ParseParams{Source: q})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []string, 8)
	for range 8 {
		go func() {
			res := graphql.Execute(graphql.ExecuteParams{Schema: sc, AST: doc, Args: map[string]any{"k": "HORMONE"}, Context: t.Context()})
			var msgs []string
			for _, e := range res.Errors {
				msgs = append(msgs, e.Message)
			}
			done <- msgs
		}()
	}
	for range 8 {
		if msgs := <-done; len(msgs) > 0 {
			t.Error(msgs)
		}
	}
}

// BenchmarkGuardVersusValidation measures the guard and graphql-go's own
// validation on a document of 16,000 duplicate fields: the guard refuses
// it in linear time; validation alone takes seconds.
func BenchmarkGuardVersusValidation(b *testing.B) {
	sc, err := schema.New(curated(b))
	if err != nil {
		b.Fatal(err)
	}
	q := "{ stats { " + strings.Repeat("entities ", 16_000) + "} }"
	doc, err := parser.Parse(parser.ParseParams{Source: q})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("guard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if schema.Guard(&sc, doc, nil, schema.Limits{}) == nil {
				b.Fatal("not refused")
			}
		}
	})
	b.Run("graphql-go_validation", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			graphql.ValidateDocument(&sc, doc, nil)
		}
	})
}
