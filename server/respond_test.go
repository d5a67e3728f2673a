package server

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/graphql-go/graphql/gqlerrors"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/schema"
)

// TestAppendResponseAsEncodingJSON: a response holding a bulk answer is
// written byte for byte as encoding/json writes the same response.
func TestAppendResponseAsEncodingJSON(t *testing.T) {
	cols := schema.ReachColumns{Res: &graph.ReachResult{
		Of: &graph.Entity{ID: "n1"}, Upstream: true, Total: 2,
		Reached: []graph.Reached{
			{Entity: &graph.Entity{ID: "a<b>", Name: "x & \"y\"\n", Kind: graph.Kind("HORMONE")}, Distance: 1, Effects: []graph.Effect{graph.Increases}, Confidence: 0.899},
			{Entity: &graph.Entity{ID: "é", Name: "\u2028"}, Distance: 2, Effects: []graph.Effect{graph.Increases, graph.Decreases}, Confidence: 1e-7},
		},
	}}
	data := map[string]any{
		"upstream": map[string]any{"columns": cols, "total": 2, "of": map[string]any{"id": "n1", "name": "<b>"}},
		"list":     []any{1.5, "s", nil, true, map[string]any{"z": 1, "a": []string{"q"}}},
		"nothing":  nil,
	}
	errs := []gqlerrors.FormattedError{errorOf(schema.CodeNotFound, `no entity "x" <here>`)}
	ext := map[string]any{"notes": []any{"a note"}}
	for _, tc := range []struct {
		name string
		errs []gqlerrors.FormattedError
		ext  map[string]any
	}{{"data only", nil, nil}, {"with errors", errs, nil}, {"with extensions", nil, ext}, {"all", errs, ext}} {
		t.Run(tc.name, func(t *testing.T) {
			if !holdsAppender(data) {
				t.Fatal("holdsAppender missed the columns")
			}
			got, err := appendResponse(nil, data, tc.errs, tc.ext)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(struct {
				Data       any                        `json:"data"`
				Errors     []gqlerrors.FormattedError `json:"errors,omitempty"`
				Extensions map[string]any             `json:"extensions,omitempty"`
			}{data, tc.errs, tc.ext}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("got\n%s\nwant\n%s", got, want.Bytes())
			}
		})
	}
	if holdsAppender(map[string]any{"a": []any{map[string]any{"b": 1}}}) {
		t.Error("holdsAppender found one in a tree without any")
	}
}
