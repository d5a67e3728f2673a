package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/leydigkg/leydigkg/server"
)

const mcpInitialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

// TestMCPOrigins: /mcp answers a client that is no browser, and a page
// of its own origin or of a --cors-origins one, but refuses a browser's
// request from another origin (a page must not call the tools with its
// visitor's network position), a DNS-rebound name on loopback, and
// bodies over --max-body.
func TestMCPOrigins(t *testing.T) {
	const lab = "https://lab.example"
	srv := newServer(t, func(c *server.Config) { c.CORSOrigins = []string{lab}; c.MaxBodyBytes = 4096 })
	for _, tc := range []struct {
		name    string
		headers map[string]string
		body    string
		want    int
	}{
		{"no origin (a desktop client, curl)", nil, mcpInitialize, http.StatusOK},
		{"its own origin", map[string]string{"Origin": srv.URL}, mcpInitialize, http.StatusOK},
		{"a --cors-origins origin", map[string]string{"Origin": lab, "Sec-Fetch-Site": "cross-site"}, mcpInitialize, http.StatusOK},
		{"a foreign origin", map[string]string{"Origin": "https://evil.example"}, mcpInitialize, http.StatusForbidden},
		{"a foreign origin, as a browser says", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, mcpInitialize, http.StatusForbidden},
		{"a rebound DNS name on loopback", map[string]string{"Host": "rebind.example"}, mcpInitialize, http.StatusForbidden},
		{"a body over --max-body", nil, mcpInitialize[:len(mcpInitialize)-1] + `,"pad":"` + strings.Repeat("x", 5000) + `"}`, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest("POST", srv.URL+"/mcp", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			if h := tc.headers["Host"]; h != "" {
				req.Host = h
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}

// TestMCPOverHTTP calls trace with the SDK's streamable HTTP client, no
// token: the tools are read-only.
func TestMCPOverHTTP(t *testing.T) {
	srv := newServer(t, nil)
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).
		Connect(ctx, &mcp.StreamableClientTransport{Endpoint: srv.URL + "/mcp"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "trace", Arguments: map[string]any{"from": "chronic inflammation", "to": "testosterone", "maxDepth": 2}})
	if err != nil {
		t.Fatal(err)
	}
	text := res.Content[0].(*mcp.TextContent).Text
	if res.IsError || !strings.Contains(text, "chronic inflammation -DECREASES-> Leydig cell -INCREASES-> testosterone") {
		t.Errorf("trace over /mcp: %s", text)
	}
}
