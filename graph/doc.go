// Package graph is leydigkg's domain: the records of a causal knowledge
// graph (Entity, Link and its Evidence, Reference, Source, and Batch, a set
// of them to write), the rules they obey (validation with Check and
// CheckBatch, predicates and their signs, the Biolink categories of the
// kinds, the confidence rule), the errors, and the questions one may ask
// and their answers (TraceQuery and TraceResult, PathsQuery and
// PathsResult for set-to-set chains, ReachQuery, LoopQuery,
// InterventionQuery, KnockoutQuery, pages and search hits).
//
// It holds types and rules only: it imports no storage and no other package
// of this module. Package kg opens a store of these records and answers the
// queries:
//
//	store, err := kg.Open(ctx, "memory")
//	...
//	res, err := store.Trace(ctx, graph.TraceQuery{From: "chronic inflammation", To: "testosterone"})
//
// Errors wrap the package's sentinels (ErrNotFound, ErrBadArgument,
// ErrUnknownEntity, ...), so callers can use errors.Is.
package graph
