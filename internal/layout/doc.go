// Package layout is how leydigkg's records are written as RDF quads, and
// read back: every record a node under urn:leydigkg:, a link a node of its
// own with its evidence items hanging off it (see quads.go). Stores write
// it (package store), the N-Quads export writes it and the N-Quads loader
// reads it.
//
// It imports only the domain types, the index's Records and cayley's quad
// values; no store.
package layout
