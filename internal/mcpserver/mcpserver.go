package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/leydigkg/leydigkg/graph"
)

// Store is what the tools ask of a knowledge graph; *kg.Store has it.
type Store interface {
	Entity(ctx context.Context, id string) (*graph.Entity, error)
	Link(ctx context.Context, id string) (*graph.Link, error)
	Source(ctx context.Context, id string) (*graph.Source, error)
	Reference(ctx context.Context, id string) (*graph.Reference, error)
	Sources(ctx context.Context) []*graph.Source
	SourceUse(ctx context.Context, id string) graph.SourceUse
	Search(ctx context.Context, text string, kinds []graph.Kind, first int, f graph.Filter) ([]graph.SearchHit, error)
	Trace(ctx context.Context, q graph.TraceQuery) (*graph.TraceResult, error)
	Downstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error)
	Upstream(ctx context.Context, q graph.ReachQuery) (*graph.ReachResult, error)
	Loops(ctx context.Context, q graph.LoopQuery) (*graph.LoopResult, error)
	Interventions(ctx context.Context, q graph.InterventionQuery) (*graph.InterventionResult, error)
	Knockout(ctx context.Context, q graph.KnockoutQuery) (*graph.KnockoutResult, error)
}

// Defaults of Options: those of the GraphQL API (server.DefaultRequestTimeout
// and schema.DefaultMaxNameLength).
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxNameLength = 512
	// MaxListArgument bounds via, avoid, remove, kinds and sources.
	MaxListArgument = 200
)

// Options tune New; zero fields take the defaults.
type Options struct {
	Version       string        // reported to clients; "" means "dev"
	Timeout       time.Duration // deadline of one tool call
	MaxNameLength int           // longest string argument, in bytes; -1: no limit
	// SDL is the GraphQL schema's SDL; when given, it is the resource
	// SchemaURI, for an assistant that writes GraphQL queries.
	SDL string
}

// Tools lists the tools' names, in the order New adds them.
var Tools = []string{"find_entities", "trace", "downstream", "upstream", "loops", "interventions", "knockout", "link_evidence"}

// The resources: the sources of the evidence, and the GraphQL schema's
// SDL (when Options.SDL gives it).
const (
	SourcesURI = "leydigkg://sources"
	SchemaURI  = "leydigkg://schema.graphql"
)

// New returns an MCP server answering from store.
func New(store Store, o Options) *mcp.Server {
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxNameLength == 0 {
		o.MaxNameLength = DefaultMaxNameLength
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "leydigkg", Title: "leydigkg causal knowledge graph", Version: o.Version},
		&mcp.ServerOptions{Instructions: instructions})
	t := &tools{store: store, o: o}
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true}
	add := func(name, title, desc string) *mcp.Tool {
		return &mcp.Tool{Name: name, Title: title, Description: desc, Annotations: readOnly}
	}
	mcp.AddTool(s, add("find_entities", "Find entities",
		"Find entities (hormones, cells, processes, therapies, gene products, molecules, anatomy, conditions) by name, synonym, xref CURIE or words, best match first. Use it to learn the names the other tools accept."),
		call(t, t.find))
	mcp.AddTool(s, add("trace", "Trace causal chains",
		fmt.Sprintf("The causal chains from one entity to another (at most maxDepth links, default %d, at most %d), shortest first, each hop with its effect (INCREASES/DECREASES), confidence and a quote of its evidence; the net effect of each chain. When none is found, says why.", graph.DefaultTraceDepth, graph.MaxTraceDepth)),
		call(t, t.trace))
	mcp.AddTool(s, add("downstream", "What an entity affects",
		fmt.Sprintf("Every entity an entity affects within maxDepth links (default %d, at most %d), nearest first, with the net effect(s) and an example chain.", graph.DefaultReachDepth, graph.MaxReachDepth)),
		call(t, t.downstream))
	mcp.AddTool(s, add("upstream", "What affects an entity",
		fmt.Sprintf("Every entity that affects an entity within maxDepth links (default %d, at most %d), nearest first, with the net effect(s) and an example chain.", graph.DefaultReachDepth, graph.MaxReachDepth)),
		call(t, t.upstream))
	mcp.AddTool(s, add("loops", "Feedback loops",
		"Signed feedback cycles: REINFORCING (an even number of DECREASES links: vicious circles) and BALANCING (negative feedback), through one entity or anywhere, shortest first."),
		call(t, t.loops))
	mcp.AddTool(s, add("interventions", "Therapies that move a target",
		"The THERAPY entities whose chains move a target in the goal direction (INCREASES or DECREASES), each with its best chain, the chains by which it works against the goal and the conditions it raises; then those that only move it the wrong way."),
		call(t, t.interventions))
	mcp.AddTool(s, add("knockout", "Knock entities out",
		"Knock entities out (for this question only): which chains from -> to survive, which break, and the cut points every surviving chain passes through."),
		call(t, t.knockout))
	mcp.AddTool(s, add("link_evidence", "A link's evidence",
		"One causal link (an id from a chain's hops) with all its evidence: quotes, sections, sources and the publications they cite, where and how each source observed it (taxon, cell types, tissues, mechanism), and which items deny the link (negated)."),
		call(t, t.linkEvidence))
	s.AddResource(&mcp.Resource{URI: SourcesURI, Name: "sources", Title: "Sources of the evidence",
		Description: "Every source the evidence comes from, with its licence and how many links and evidence items rest on it.",
		MIMEType:    "application/json"}, t.sources)
	if o.SDL != "" {
		s.AddResource(&mcp.Resource{URI: SchemaURI, Name: "schema.graphql", Title: "The GraphQL schema",
			Description: "The GraphQL API's schema as SDL, with every type, field and argument documented.",
			MIMEType:    "application/graphql"}, func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: SchemaURI, MIMEType: "application/graphql", Text: o.SDL}}}, nil
		})
	}
	return s
}

const instructions = `leydigkg is a causal biomedical knowledge graph (Leydig cells, testosterone and what acts on them). ` +
	`Every link is signed (INCREASES or DECREASES) and carries evidence. Use find_entities to learn names, ` +
	`trace to explain how one entity changes another, downstream/upstream for neighbourhoods, and ` +
	`link_evidence to quote a hop's sources. Names, synonyms and xref CURIEs are accepted wherever an entity is asked for.`

// Handler serves srv over MCP's streamable HTTP transport, stateless (one
// answer per POST, so no session outlives its request), with bodies up to
// maxBody bytes. A browser's request from another origin is refused (403)
// unless that origin is one of origins (the API's CORS list; "*" trusts
// none more): a web page must not drive the tools with its visitor's
// network position.
func Handler(srv *mcp.Server, maxBody int64, origins []string) (http.Handler, error) {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv },
		&mcp.StreamableHTTPOptions{Stateless: true, JSONResponse: true, MaxRequestBodyBytes: maxBody})
	cop := http.NewCrossOriginProtection()
	for _, o := range origins {
		if o == "*" {
			continue
		}
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("mcp: %w", err)
		}
	}
	return cop.Handler(h), nil
}

type tools struct {
	store Store
	o     Options
}

// call wraps a tool: a deadline, the name length check, and the text
// answer beside the structured one.
func call[In any, Out any](t *tools, f func(context.Context, In) (Out, string, error)) mcp.ToolHandlerFor[In, Out] {
	return func(ctx context.Context, _ *mcp.CallToolRequest, in In) (*mcp.CallToolResult, Out, error) {
		var zero Out
		if err := t.checkNames(in); err != nil {
			return nil, zero, err
		}
		ctx, cancel := context.WithTimeout(ctx, t.o.Timeout)
		defer cancel()
		out, text, err := f(ctx, in)
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w: the question ran past its %s deadline; ask for less (maxDepth, limit, first)", err, t.o.Timeout)
		}
		if err != nil {
			return nil, zero, err
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, out, nil
	}
}

// checkNames refuses string arguments longer than the API allows, and
// lists longer than MaxListArgument.
func (t *tools) checkNames(in any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, v := range m {
		vs := []any{v}
		if l, ok := v.([]any); ok {
			if len(l) > MaxListArgument {
				return fmt.Errorf("%w: %s has %d items, more than %d", graph.ErrBadArgument, k, len(l), MaxListArgument)
			}
			vs = l
		}
		for _, x := range vs {
			if s, ok := x.(string); ok && t.o.MaxNameLength >= 0 && len(s) > t.o.MaxNameLength {
				return fmt.Errorf("%w: %s is longer than %d bytes", graph.ErrBadArgument, k, t.o.MaxNameLength)
			}
		}
	}
	return nil
}

// Filter leaves evidence out: a researcher's choice of what to trust.
type Filter struct {
	Sources   []string `json:"sources,omitempty" jsonschema:"keep only evidence of these sources (ids such as infores:signor)"`
	MinBelief float64  `json:"minBelief,omitempty" jsonschema:"leave out links whose belief is below this (0..1)"`
}

func (f Filter) graph() graph.Filter {
	var g graph.Filter
	g.Sources.Allow, g.MinBelief = f.Sources, f.MinBelief
	return g
}

func effect(s string) (graph.Effect, error) {
	if s == "" {
		return "", nil
	}
	return graph.ParseEffect(s)
}

func order(s string) (graph.Order, error) {
	o := graph.Order(strings.ToUpper(s))
	return o, o.Check()
}
