package mcpserver_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/mcpserver"
	"github.com/leydigkg/leydigkg/kg"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// connect serves the curated graph in-process and returns a client
// session of the SDK's own client, over its in-memory transports.
func connect(t *testing.T) *mcp.ClientSession {
	t.Helper()
	return connectWith(t, mcpserver.Options{Version: "test"})
}

func connectWith(t *testing.T, o mcpserver.Options) *mcp.ClientSession {
	t.Helper()
	store, err := data.Open(context.Background(), "memory")
	if err != nil {
		t.Fatal(err)
	}
	return connectStore(t, store, o)
}

func connectStore(t *testing.T, store *kg.Store, o mcpserver.Options) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { store.Close() })
	st, ct := mcp.NewInMemoryTransports()
	ss, err := mcpserver.New(store, o).Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// TestToolsInProcess lists the tools and calls each with the SDK's own
// client, in-process.
func TestToolsInProcess(t *testing.T) {
	checkTools(t, connect(t))
}

func TestTraceGolden(t *testing.T) {
	cs := connect(t)
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "trace",
		Arguments: map[string]any{"from": "chronic inflammation", "to": "testosterone", "maxDepth": 4, "limit": 5}})
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("trace failed: %s", text(res))
	}
	structured, err := json.MarshalIndent(res.StructuredContent, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got := text(res) + "\n---\n" + string(structured) + "\n"
	golden := filepath.Join("testdata", "trace.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("trace answer differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
}

// TestRefusals: bad arguments and arguments over the API's limits come
// back as tool errors, not as answers, and never run the query.
func TestRefusals(t *testing.T) {
	cs := connect(t)
	long := strings.Repeat("x", mcpserver.DefaultMaxNameLength+1)
	for _, tc := range []struct {
		name, tool string
		args       map[string]any
		want       string
	}{
		{"depth over the maximum", "trace", map[string]any{"from": "chronic inflammation", "to": "testosterone", "maxDepth": 99}, "maxDepth"},
		{"name too long", "trace", map[string]any{"from": long, "to": "testosterone"}, "longer than"},
		{"too many avoided", "trace", map[string]any{"from": "a", "to": "b", "avoid": slices.Repeat([]string{"a"}, mcpserver.MaxListArgument+1)}, "items"},
		{"unknown effect", "trace", map[string]any{"from": "chronic inflammation", "to": "testosterone", "netEffect": "SIDEWAYS"}, "effect"},
		{"first over the maximum", "downstream", map[string]any{"of": "testosterone", "first": 501}, "first"},
		{"unknown entity", "upstream", map[string]any{"of": "no such thing at all"}, "no such thing"},
		{"missing goal", "interventions", map[string]any{"target": "testosterone"}, "goal"},
		{"unknown loop kind", "loops", map[string]any{"kind": "ROUND"}, "kind"},
		{"unknown link", "link_evidence", map[string]any{"id": "nope"}, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tc.tool, Arguments: tc.args})
			if err != nil {
				t.Fatal(err)
			}
			if !res.IsError || !strings.Contains(text(res), tc.want) {
				t.Errorf("%s %v: want an error naming %q, got (error %v) %s", tc.tool, tc.args, tc.want, res.IsError, text(res))
			}
		})
	}
}

// TestDeadline: a call stops at Options.Timeout (serve's --timeout) and
// says so.
func TestDeadline(t *testing.T) {
	cs := connectWith(t, mcpserver.Options{Timeout: time.Nanosecond})
	for _, tc := range []struct {
		tool string
		args map[string]any
	}{
		{"trace", map[string]any{"from": "chronic inflammation", "to": "testosterone"}},
		{"downstream", map[string]any{"of": "chronic inflammation"}},
		{"loops", map[string]any{}},
		{"interventions", map[string]any{"target": "testosterone", "goal": "INCREASES"}},
	} {
		t.Run(tc.tool, func(t *testing.T) {
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tc.tool, Arguments: tc.args})
			if err != nil {
				t.Fatal(err)
			}
			if !res.IsError || !strings.Contains(text(res), "deadline") {
				t.Errorf("%s past its deadline answered (error %v) %s", tc.tool, res.IsError, text(res))
			}
		})
	}
}

func TestSourcesResource(t *testing.T) {
	cs := connect(t)
	res, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: mcpserver.SourcesURI})
	if err != nil {
		t.Fatal(err)
	}
	var srcs []struct {
		ID    string `json:"id"`
		Links int    `json:"links"`
	}
	if len(res.Contents) != 1 || json.Unmarshal([]byte(res.Contents[0].Text), &srcs) != nil || len(srcs) == 0 {
		t.Fatalf("sources resource: %+v", res.Contents)
	}
	for _, s := range srcs {
		if s.ID == "" {
			t.Errorf("a source without an id: %+v", srcs)
		}
	}
}

// TestResources: the sources always, the SDL when given.
func TestResources(t *testing.T) {
	const sdl = "type Query { meta: String }\n"
	for _, tc := range []struct {
		name string
		o    mcpserver.Options
		want []string
	}{
		{"without an SDL", mcpserver.Options{}, []string{mcpserver.SourcesURI}},
		{"with an SDL", mcpserver.Options{SDL: sdl}, []string{mcpserver.SchemaURI, mcpserver.SourcesURI}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := connectWith(t, tc.o)
			res, err := cs.ListResources(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var uris []string
			for _, r := range res.Resources {
				uris = append(uris, r.URI)
			}
			slices.Sort(uris)
			if !slices.Equal(uris, tc.want) {
				t.Errorf("resources %v, want %v", uris, tc.want)
			}
			if tc.o.SDL != "" {
				r, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: mcpserver.SchemaURI})
				if err != nil || len(r.Contents) != 1 || r.Contents[0].Text != sdl {
					t.Errorf("schema resource: %+v, %v", r, err)
				}
			}
		})
	}
}

func text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// TestLoopsDistinct: with distinct, the loops through testosterone come
// grouped, each distinct loop with the variants that differ from it only
// by shortcut links; fewer answers than without.
func TestLoopsDistinct(t *testing.T) {
	cs := connect(t)
	count := func(distinct bool) (int, int) {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "loops",
			Arguments: map[string]any{"through": "testosterone", "first": 100, "distinct": distinct}})
		if err != nil || res.IsError {
			t.Fatalf("loops: %v %s", err, text(res))
		}
		var out struct {
			Loops []struct {
				Variants []json.RawMessage `json:"variants"`
			} `json:"loops"`
		}
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		variants := 0
		for _, l := range out.Loops {
			variants += len(l.Variants)
		}
		return len(out.Loops), variants
	}
	all, none := count(false)
	distinct, variants := count(true)
	if none != 0 || distinct >= all || distinct+variants != all {
		t.Errorf("%d loops (%d variants); distinct: %d loops with %d variants", all, none, distinct, variants)
	}
}

// TestTraceDistinct: with distinct, the chains from GnRH to testosterone
// come grouped, each with the variants that differ from it only by
// shortcut links; fewer answers than without, none lost.
func TestTraceDistinct(t *testing.T) {
	cs := connect(t)
	count := func(distinct bool) (int, int, string) {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "trace",
			Arguments: map[string]any{"from": "gnrh", "to": "testosterone", "limit": 100, "distinct": distinct}})
		if err != nil || res.IsError {
			t.Fatalf("trace: %v %s", err, text(res))
		}
		var out struct {
			Chains []struct {
				Variants []json.RawMessage `json:"variants"`
			} `json:"chains"`
		}
		b, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		variants := 0
		for _, c := range out.Chains {
			variants += len(c.Variants)
		}
		return len(out.Chains), variants, text(res)
	}
	all, none, _ := count(false)
	distinct, variants, txt := count(true)
	if none != 0 || distinct >= all || distinct+variants != all {
		t.Errorf("%d chains (%d variants); distinct: %d chains with %d variants", all, none, distinct, variants)
	}
	if !strings.Contains(txt, "variant(s) that differ only by shortcut links") {
		t.Errorf("the text does not say the variants:\n%s", txt)
	}
}

// TestLinkEvidenceDenials: link_evidence says which items deny the link
// and gives each item's context, so that an assistant quoting the
// evidence does not cite a denial as support.
func TestLinkEvidenceDenials(t *testing.T) {
	ctx := context.Background()
	store, err := kg.Open(ctx, "memory")
	if err != nil {
		t.Fatal(err)
	}
	direct := true
	if _, err := store.Apply(ctx, &graph.Batch{
		Sources:  []graph.Source{{ID: "signor", Title: "SIGNOR"}, {ID: "lab", Title: "Our lab"}},
		Entities: []graph.Entity{{ID: "a", Name: "A", Kind: graph.GeneProduct}, {ID: "b", Name: "B", Kind: graph.GeneProduct}},
		Links: []graph.Link{{ID: "a_b", Subject: "a", Object: "b", Effect: graph.Increases, Predicate: "biolink:regulates", Evidence: []graph.Evidence{
			{Source: "signor", Key: "SIGNOR-1", Taxon: "NCBITaxon:9606", CellTypes: []string{"BTO:0000567"}, Mechanism: "phosphorylation", Direct: &direct, At: "signor.tsv:2"},
			{Source: "lab", Key: "run-7", Negated: true, At: "lab.tsv:5"},
		}}},
	}); err != nil {
		t.Fatal(err)
	}
	cs := connectStore(t, store, mcpserver.Options{Version: "test"})
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "link_evidence", Arguments: map[string]any{"id": "a_b"}})
	if err != nil || res.IsError {
		t.Fatalf("link_evidence: %v %s", err, text(res))
	}
	var out struct {
		Evidence []struct {
			Source    string   `json:"source"`
			Negated   bool     `json:"negated"`
			Taxon     string   `json:"taxon"`
			CellTypes []string `json:"cellTypes"`
			Mechanism string   `json:"mechanism"`
			Direct    *bool    `json:"direct"`
			At        string   `json:"at"`
		} `json:"evidence"`
	}
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Evidence) != 2 {
		t.Fatalf("%d items: %s", len(out.Evidence), b)
	}
	for _, e := range out.Evidence {
		want := e.Source == "lab"
		if e.Negated != want {
			t.Errorf("item of %s: negated %v, want %v", e.Source, e.Negated, want)
		}
	}
	if e := out.Evidence[0]; e.Taxon != "NCBITaxon:9606" || !slices.Equal(e.CellTypes, []string{"BTO:0000567"}) || e.Mechanism != "phosphorylation" ||
		e.Direct == nil || !*e.Direct || e.At != "signor.tsv:2" {
		t.Errorf("context lost: %s", b)
	}
	if txt := text(res); !strings.Contains(txt, "1 of them denying it") || !strings.Contains(txt, "- lab (denies it)") {
		t.Errorf("the text does not say which item denies the link:\n%s", txt)
	}
}
