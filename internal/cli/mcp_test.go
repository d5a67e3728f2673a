package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/leydigkg/leydigkg/internal/mcpserver"
)

// TestMCPStdio builds the real binary and talks to 'leydigkg mcp' as a
// desktop assistant does, with the SDK's client over CommandTransport: it
// lists the tools and the resources, then calls every tool as
// internal/mcpserver/testdata/calls.json says (the rows its in-process
// test runs too).
func TestMCPStdio(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "leydigkg")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/leydigkg")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b, err := os.ReadFile("../mcpserver/testdata/calls.json")
	if err != nil {
		t.Fatal(err)
	}
	var calls []struct {
		Tool string         `json:"tool"`
		Args map[string]any `json:"args"`
		Want []string       `json:"want"`
	}
	if err := json.Unmarshal(b, &calls); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	var stderr syncBuffer
	cmd := exec.Command(bin, "mcp")
	cmd.Stderr = &stderr
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect: %v\n%s", err, stderr.String())
	}
	defer func() {
		if err := cs.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if t.Failed() {
			t.Logf("leydigkg mcp stderr:\n%s", stderr.String())
		}
	}()
	if v := cs.InitializeResult().ServerInfo; v.Name != "leydigkg" {
		t.Errorf("server %+v", v)
	}
	list, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range list.Tools {
		names = append(names, tool.Name)
	}
	slices.Sort(names)
	if want := slices.Sorted(slices.Values(mcpserver.Tools)); !slices.Equal(names, want) {
		t.Errorf("tools %v, want %v", names, want)
	}
	res, err := cs.ListResources(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, r := range res.Resources {
		uris = append(uris, r.URI)
	}
	slices.Sort(uris)
	if want := []string{mcpserver.SchemaURI, mcpserver.SourcesURI}; !slices.Equal(uris, want) {
		t.Errorf("resources %v, want %v", uris, want)
	}
	sdl, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: mcpserver.SchemaURI})
	if err != nil || len(sdl.Contents) != 1 || !strings.Contains(sdl.Contents[0].Text, "type Query {") {
		t.Errorf("the SDL resource: %v", err)
	}
	called := map[string]bool{}
	for _, c := range calls {
		called[c.Tool] = true
		t.Run(c.Tool, func(t *testing.T) {
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: c.Tool, Arguments: c.Args})
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			for _, ct := range res.Content {
				if tc, ok := ct.(*mcp.TextContent); ok {
					text.WriteString(tc.Text)
				}
			}
			if res.IsError {
				t.Fatalf("%s failed: %s", c.Tool, text.String())
			}
			for _, w := range c.Want {
				if !strings.Contains(text.String(), w) {
					t.Errorf("%s answered\n%s\nwithout %q", c.Tool, text.String(), w)
				}
			}
			if m, ok := res.StructuredContent.(map[string]any); !ok || len(m) == 0 {
				t.Errorf("%s: no structured answer", c.Tool)
			}
		})
	}
	for _, name := range mcpserver.Tools {
		if !called[name] {
			t.Errorf("calls.json calls no %s", name)
		}
	}
}
