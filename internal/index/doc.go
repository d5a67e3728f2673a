// Package index is leydigkg's query engine: an immutable, indexed snapshot
// of a graph's records and every read over it: resolving names, listing and
// paging, search, and the traversals (trace, downstream and upstream, loops,
// interventions, knockout).
//
// A Snapshot is built from records (New) and never changes; a store builds
// the next one after each write and swaps it in, so readers need no locks.
// Every traversal takes a context and a work budget and stops when either
// runs out.
//
// It owns no storage: it must not import cayley, bbolt or any SQL driver,
// only the domain types of package graph. Its tests build snapshots
// directly from records.
package index
