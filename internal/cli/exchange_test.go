package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exchangeCounts reads an export in an exchange format and gives its
// node and edge counts (for sif: lines, and 0 nodes).
func exchangeCounts(t *testing.T, format, out string) (nodes, edges int) {
	t.Helper()
	switch format {
	case "cx2":
		var doc []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc) != 7 {
			t.Fatalf("cx2: %v, %d aspects\n%.300s", err, len(doc), out)
		}
		for i, name := range []string{"CXVersion", "metaData", "attributeDeclarations", "networkAttributes", "nodes", "edges", "status"} {
			if i > 0 && doc[i][name] == nil {
				t.Errorf("cx2: aspect %d is not %s", i, name)
			}
		}
		var ns, es []json.RawMessage
		if json.Unmarshal(doc[4]["nodes"], &ns) != nil || json.Unmarshal(doc[5]["edges"], &es) != nil {
			t.Fatal("cx2: nodes or edges is not an array")
		}
		return len(ns), len(es)
	case "cytoscape":
		var doc struct {
			Elements struct{ Nodes, Edges []json.RawMessage }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("cytoscape: %v", err)
		}
		return len(doc.Elements.Nodes), len(doc.Elements.Edges)
	case "graphml":
		var doc struct {
			Graph struct {
				Nodes []struct{} `xml:"node"`
				Edges []struct{} `xml:"edge"`
			} `xml:"graph"`
		}
		if err := xml.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("graphml: %v", err)
		}
		return len(doc.Graph.Nodes), len(doc.Graph.Edges)
	case "sif":
		return 0, strings.Count(out, "\n")
	}
	t.Fatalf("format %s", format)
	return 0, 0
}

// TestExportExchange exports the whole graph, a neighbourhood and a trace
// in each exchange format, through the CLI, and wants as many nodes and
// edges as the JSON export of the same part has entities and links (for
// SIF: a line per distinct subject, sign and object). trace --format
// writes what export --from --to does, and --out writes a file.
func TestExportExchange(t *testing.T) {
	for _, scope := range []struct {
		name string
		args []string
	}{
		{"whole", nil},
		{"around", []string{"--around", "LH", "--depth", "2"}},
		{"trace", []string{"--from", "chronic inflammation", "--to", "testosterone"}},
	} {
		code, out, errs := run(t, append([]string{"export", "--format", "json"}, scope.args...)...)
		if code != 0 {
			t.Fatalf("%s: export --format json: %s", scope.name, errs)
		}
		var doc struct {
			Entities []struct{ ID string }
			Links    []struct{ Subject, Object, Effect string }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		signed := map[string]bool{}
		for _, l := range doc.Links {
			signed[l.Subject+l.Effect+l.Object] = true
		}
		for _, format := range []string{"cx2", "cytoscape", "graphml", "sif"} {
			t.Run(scope.name+"/"+format, func(t *testing.T) {
				code, out, errs := run(t, append([]string{"export", "--format", format}, scope.args...)...)
				if code != 0 {
					t.Fatalf("export --format %s: %d %s", format, code, errs)
				}
				nodes, edges := exchangeCounts(t, format, out)
				wantNodes, wantEdges := len(doc.Entities), len(doc.Links)
				if format == "sif" {
					wantNodes, wantEdges = 0, len(signed)
				}
				if nodes != wantNodes || edges != wantEdges {
					t.Errorf("%d nodes, %d edges; want %d, %d", nodes, edges, wantNodes, wantEdges)
				}
				if scope.name == "trace" {
					code, traced, errs := run(t, "trace", "--format", format, "chronic inflammation", "testosterone")
					if code != 0 || traced != out {
						t.Errorf("trace --format %s differs from export --from --to (%d %s)", format, code, errs)
					}
				}
			})
		}
	}
	file := filepath.Join(t.TempDir(), "lh.cx2")
	if code, _, errs := run(t, "export", "--format", "cx2", "--around", "LH", "--out", file); code != 0 {
		t.Fatalf("--out: %s", errs)
	}
	b, err := os.ReadFile(file)
	if err != nil || !strings.HasPrefix(string(b), "[") || !strings.Contains(string(b), `"CXVersion": "2.0"`) {
		t.Errorf("%s: %v %.100s", file, err, b)
	}
	if code, _, errs := run(t, "trace", "--format", "xlsx", "LH", "testosterone"); code != 2 || !strings.Contains(errs, "cx2, cytoscape, graphml or sif") {
		t.Errorf("trace --format xlsx: %d %s", code, errs)
	}
}
