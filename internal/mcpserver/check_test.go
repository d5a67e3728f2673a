package mcpserver_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/leydigkg/leydigkg/internal/mcpserver"
)

// call is one row of testdata/calls.json: a call of a tool on the curated
// graph and what its text answer must say. The stdio test of internal/cli
// runs the same rows against the binary.
type call struct {
	Tool string         `json:"tool"`
	Args map[string]any `json:"args"`
	Want []string       `json:"want"`
}

// checkTools lists the tools over cs, then calls each as calls.json says:
// every tool answers, with text quoting what it must and a structured
// answer.
func checkTools(t *testing.T, cs *mcp.ClientSession) {
	t.Helper()
	ctx := context.Background()
	b, err := os.ReadFile("testdata/calls.json")
	if err != nil {
		t.Fatal(err)
	}
	var calls []call
	if err := json.Unmarshal(b, &calls); err != nil {
		t.Fatal(err)
	}
	list, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range list.Tools {
		names = append(names, tool.Name)
		if tool.InputSchema == nil || tool.OutputSchema == nil || tool.Annotations == nil || !tool.Annotations.ReadOnlyHint {
			t.Errorf("%s: want input and output schemas and a read-only hint, got %+v", tool.Name, tool)
		}
	}
	slices.Sort(names)
	want := slices.Sorted(slices.Values(mcpserver.Tools))
	if !slices.Equal(names, want) {
		t.Errorf("tools %v, want %v", names, want)
	}
	called := map[string]bool{}
	for _, c := range calls {
		called[c.Tool] = true
		t.Run(c.Tool, func(t *testing.T) {
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: c.Tool, Arguments: c.Args})
			if err != nil {
				t.Fatal(err)
			}
			got := text(res)
			if res.IsError {
				t.Fatalf("%s failed: %s", c.Tool, got)
			}
			for _, w := range c.Want {
				if !strings.Contains(got, w) {
					t.Errorf("%s answered\n%s\nwithout %q", c.Tool, got, w)
				}
			}
			if m, ok := res.StructuredContent.(map[string]any); !ok || len(m) == 0 {
				t.Errorf("%s: no structured answer: %#v", c.Tool, res.StructuredContent)
			}
		})
	}
	for _, name := range mcpserver.Tools {
		if !called[name] {
			t.Errorf("testdata/calls.json calls no %s", name)
		}
	}
}
