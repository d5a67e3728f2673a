// Package graph is leydigkg's knowledge-graph store: the domain types
// (Entity, Link, Evidence, Reference, Source), kept as quads in cayley, and
// the queries over them, causal tracing among them.
//
// A Store opens an in-memory cayley store or a bolt file, validates every
// Batch before writing it in one transaction, and answers reads from an
// immutable index rebuilt from cayley after each write, so it is safe for
// concurrent readers and writers:
//
//	store, err := graph.Open(ctx, "bolt:/var/lib/leydigkg") // or "memory"
//	...
//	res, err := store.Trace(ctx, graph.TraceQuery{From: "chronic inflammation", To: "testosterone"})
//	for _, p := range res.Paths {
//		fmt.Println(p.NetEffect, p.Confidence, len(p.Links))
//	}
//
// Errors wrap the package's sentinels (ErrNotFound, ErrBadArgument,
// ErrUnknownEntity, ...), so callers can use errors.Is.
package graph
