package schema_test

import (
	"context"
	"testing"

	"github.com/leydigkg/leydigkg/export"
	"github.com/leydigkg/leydigkg/graph"
)

// TestExchangeFields asks a trace for its cx2, cytoscape, graphml and sif
// fields, on the result and on each chain, and wants what the export
// package writes for the same trace (the CLI's export --from --to).
func TestExchangeFields(t *testing.T) {
	s := curated(t)
	h := newHandler(t, s)
	resp := post(t, h, `{ trace(from: "chronic inflammation", to: "testosterone", maxDepth: 2, limit: 2) {
		cx2 cytoscape graphml sif paths { cx2 cytoscape graphml sif } } }`, nil)
	if resp["errors"] != nil {
		t.Fatalf("errors: %v", resp["errors"])
	}
	res, err := s.Trace(context.Background(), graph.TraceQuery{From: "chronic inflammation", To: "testosterone", MaxDepth: 2, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	trace := resp["data"].(map[string]any)["trace"].(map[string]any)
	paths := trace["paths"].([]any)
	if len(paths) != len(res.Paths) || len(paths) == 0 {
		t.Fatalf("%d chains, want %d", len(paths), len(res.Paths))
	}
	for _, format := range []string{"cx2", "cytoscape", "graphml", "sif"} {
		want, err := export.TracePicture(res).Exchange(format)
		if err != nil {
			t.Fatal(err)
		}
		if trace[format] != want {
			t.Errorf("trace { %s } is not the export's:\n%.300v", format, trace[format])
		}
		for i, p := range paths {
			want, _ := export.PathPicture(res.Paths[i]).Exchange(format)
			if got := p.(map[string]any)[format]; got != want || want == "" {
				t.Errorf("paths[%d] { %s } is not the export's:\n%.300v", i, format, got)
			}
		}
	}
}
