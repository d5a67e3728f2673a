// Package export writes a graph, or part of it, as files other tools open:
// N-Quads (loads into cayley unchanged), KGX TSV and JSON Lines (Biolink
// 4.x), JSON, pictures as Graphviz DOT, Mermaid and SVG, and networks for
// other tools as CX2, Cytoscape.js JSON, GraphML and signed SIF
// (docs/exchange.md).
//
// Every writer takes a *graph.Batch (Store.Records for the whole graph,
// Neighbourhood or FromTrace for a part) and writes it in a fixed order, so
// that the same graph always gives the same bytes:
//
//	b, err := store.Records(ctx)
//	...
//	err = export.NQuads(os.Stdout, b)
//
// Loading an N-Quads or KGX export into an empty store and exporting again
// gives the same output (the loaders package reads those formats).
//
// It owns the writers; it reads records (graph) and, for parts of a graph,
// a kg.Store. It must not import loaders (formats are shared through
// internal/format) nor any storage package.
package export
