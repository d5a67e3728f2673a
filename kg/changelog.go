package kg

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"

	"github.com/leydigkg/leydigkg/internal/index"
)

// Replicas by deltas. A write to a store that keeps a change log
// (PostgreSQL, see internal/store/changelog.go) records what it changed,
// as the deltas its own snapshot took (JSON), in its transaction; other
// servers on the database apply those deltas to their snapshots instead of
// reading the whole graph.
//
// A load's entry is large (some 250 bytes a record, 26 MB for 10^5
// generated links), but applying it still costs a follower a fraction of
// reading the whole graph, even into an empty one (10^5 links: 0.6 s to
// decode and 0.2-0.8 s to apply, against 3.2-3.4 s to reload): entries of
// more than logMax records are compressed, and encoded while the write
// runs. Past logLoadMax records (an entry of some 60 MB), the entry says
// to reload instead (reloadEntry): the log keeps a few loads, not its
// whole length of them (store.MaxLogEntry bounds an entry, largeLogKeep
// how long a large one is kept).

// logMax is the most records of an entry written as plain JSON; larger
// ones are compressed.
const logMax = 5_000

// logLoadMax is the most records of a write logged as its deltas; a
// larger one is logged as reloadEntry. A variable for tests.
var logLoadMax = 250_000

// reloadEntry is the entry of a write too large to log: followers read the
// whole graph. (JSON, but not the array of deltas an entry otherwise is:
// a leydigkg that does not know it reloads too.)
var reloadEntry = []byte(`{"reload":"a write too large to log"}`)

// logEntryOf returns the entry of deltas for the change log, encoding it
// meanwhile when it is large.
func logEntryOf(deltas []index.Delta) func() []byte {
	n := 0
	for _, d := range deltas {
		n += d.Size()
	}
	switch {
	case n > logLoadMax:
		return func() []byte { return reloadEntry }
	case n <= logMax:
		b := logEntry(deltas, false)
		return func() []byte { return b }
	}
	done := make(chan []byte, 1)
	go func() { done <- logEntry(deltas, true) }()
	return func() []byte { return <-done }
}

// logEntry encodes deltas, compressed or not; nil if it cannot.
func logEntry(deltas []index.Delta, compress bool) []byte {
	if !compress {
		b, err := json.Marshal(deltas)
		if err != nil {
			return nil // not logged: followers read the whole graph
		}
		return b
	}
	var buf bytes.Buffer
	z, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	w := bufio.NewWriterSize(z, 1<<16)
	if json.NewEncoder(w).Encode(deltas) != nil || w.Flush() != nil || z.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

// decodeEntry is the deltas of an entry; false for a reload entry, or one
// it cannot read.
func decodeEntry(e []byte) ([]index.Delta, bool) {
	var r io.Reader = bytes.NewReader(e)
	if len(e) >= 2 && e[0] == 0x1f && e[1] == 0x8b { // gzip
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, false
		}
		r = bufio.NewReaderSize(z, 1<<16)
	}
	var deltas []index.Delta
	if err := json.NewDecoder(r).Decode(&deltas); err != nil {
		return nil, false // reloadEntry too: an object, not an array
	}
	return deltas, true
}

// followLogLocked applies the change log's entries since the snapshot, and
// says whether it could (else the snapshot must be read again).
func (s *Store) followLogLocked(ctx context.Context) bool {
	entries, ok, err := s.db.Changes(ctx)
	if err != nil || !ok {
		return false
	}
	next := s.snap.Load()
	var all []index.Delta
	for _, e := range entries {
		deltas, ok := decodeEntry(e)
		if !ok {
			return false
		}
		for _, d := range deltas {
			for _, l := range d.Links { // scored by this store's beliefs
				s.score(l)
			}
			next = next.With(d)
		}
		all = append(all, deltas...)
	}
	s.advanceLocked(next, all)
	return true
}
