// Package mcpserver answers AI assistants over the Model Context Protocol
// (MCP), with the official Go SDK: read-only tools that find entities,
// trace chains, walk downstream and upstream, find loops, interventions and
// knockouts and show a link's evidence, each with a JSON-schema'd input, a
// structured output and a short text answer quoting the evidence; the
// sources list as a resource, and the GraphQL SDL when it is given one.
//
//	srv := mcpserver.New(store, mcpserver.Options{})
//	srv.Run(ctx, &mcp.StdioTransport{})                   // leydigkg mcp
//	h, err := mcpserver.Handler(srv, maxBody, corsOrigins) // /mcp on serve
//
// It calls the same domain queries the GraphQL resolvers call (through the
// Store interface, which *kg.Store has), under the same limits: the
// domain's depth and page bounds, the work budgets, the API's name length
// and a deadline per call.
//
// It must not import the storage packages, kg, loaders, server or the
// command line: they import it.
package mcpserver
