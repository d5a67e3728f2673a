// Package store keeps a graph in cayley: the backends (cayley's memstore,
// bolt through go.etcd.io/bbolt, PostgreSQL and CockroachDB through
// cayley's SQL stores), bulk loads into a fresh store, batched SQL writes,
// change marks, the change log and the follower that sees other servers'
// writes.
//
// It stores quads in the layout of package layout and knows nothing of
// the index or the queries; kg.Store owns a DB and serializes its use. It
// is the only package that imports cayley's graph packages, bbolt or a SQL
// driver (tests of cayley compatibility aside).
package store
