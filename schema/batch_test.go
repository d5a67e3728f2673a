package schema_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/schema"
)

// ids makes n entity names, every one of the curated graph.
func ids(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = []string{"testosterone", "LH", "GnRH"}[i%3]
	}
	return out
}

// TestBatchLimits checks that the batch and set-to-set fields refuse lists
// longer than their caps with LIMIT_EXCEEDED, before any work, and that
// the cost guard counts the lists' lengths: a query that passes with few
// items is refused with many.
func TestBatchLimits(t *testing.T) {
	h := newHandler(t, curated(t))
	pairs := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"from": "GnRH", "to": "testosterone"}
		}
		return out
	}
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		code  string // "" when it must pass
		msg   string
	}{
		{"entitiesByIds at the cap", `query($ids: [ID!]!) { entitiesByIds(ids: $ids) { id } }`, map[string]any{"ids": ids(schema.MaxBatch)}, "", ""},
		{"entitiesByIds over the cap", `query($ids: [ID!]!) { entitiesByIds(ids: $ids) { id } }`, map[string]any{"ids": ids(schema.MaxBatch + 1)}, schema.CodeLimitExceeded, fmt.Sprintf("at most %d", schema.MaxBatch)},
		{"traces over the cap", `query($p: [TracePair!]!) { traces(pairs: $p, maxDepth: 1, limit: 1) { from } }`, map[string]any{"p": pairs(schema.MaxBatch + 1)}, schema.CodeLimitExceeded, fmt.Sprintf("at most %d", schema.MaxBatch)},
		{"paths from over the cap", `query($f: [ID!]!) { paths(from: $f, to: ["testosterone"], maxDepth: 1, limit: 1) { truncated } }`, map[string]any{"f": ids(graph.MaxPathEnds + 1)}, schema.CodeLimitExceeded, fmt.Sprintf("at most %d", graph.MaxPathEnds)},
		{"paths to over the cap", `query($t: [ID!]!) { paths(from: ["chronic inflammation"], to: $t, maxDepth: 1, limit: 1) { truncated } }`, map[string]any{"t": ids(graph.MaxPathEnds + 1)}, schema.CodeLimitExceeded, fmt.Sprintf("at most %d", graph.MaxPathEnds)},
		// pairs x 8 x 100 x 5 (trace { paths { links { evidence { quote } } } }): 2 pairs cost 8,001, 90 pairs 360,001, over the default 100,000.
		{"traces: few pairs pass the guard", `query($p: [TracePair!]!) { traces(pairs: $p, maxDepth: 8, limit: 100) { trace { paths { links { evidence { quote } } } } } }`, map[string]any{"p": pairs(2)}, "", ""},
		{"traces: many pairs cost too much", `query($p: [TracePair!]!) { traces(pairs: $p, maxDepth: 8, limit: 100) { trace { paths { links { evidence { quote } } } } } }`, map[string]any{"p": pairs(90)}, schema.CodeLimitExceeded, "estimated cost"},
		{"paths: 10 by 10 pass the guard", `query($f: [ID!]!, $t: [ID!]!) { paths(from: $f, to: $t, maxDepth: 3, limit: 5) { paths { links { id } } } }`, map[string]any{"f": []any{"chronic inflammation"}, "t": []any{"testosterone"}}, "", ""},
		{"paths: many by many cost too much", `query($f: [ID!]!, $t: [ID!]!) { paths(from: $f, to: $t, maxDepth: 8, limit: 100) { paths { links { id } } } }`, map[string]any{"f": ids(20), "t": ids(20)}, schema.CodeLimitExceeded, "estimated cost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, h, tt.query, tt.vars)
			errs, _ := resp["errors"].([]any)
			if tt.code == "" {
				if len(errs) != 0 {
					t.Fatalf("refused: %.300v", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("want one error, got %.300v", resp)
			}
			e := errs[0].(map[string]any)
			ext, _ := e["extensions"].(map[string]any)
			if ext["code"] != tt.code || !strings.Contains(e["message"].(string), tt.msg) {
				t.Errorf("error %v, want code %s and a message with %q", e, tt.code, tt.msg)
			}
		})
	}
}
