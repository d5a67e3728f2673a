package kg

import (
	"context"
	"encoding/json"

	"github.com/leydigkg/leydigkg/internal/index"
)

// Replicas by deltas. A write to a store that keeps a change log
// (PostgreSQL, see internal/store/changelog.go) records what it changed,
// as the deltas its own snapshot took (JSON), in its transaction; other
// servers on the database apply those deltas to their snapshots instead of
// reading the whole graph.

// logMax bounds the records of a logged write: a larger one (a load) is not
// logged, and followers read the whole graph after it, about as fast as
// they would apply it.
const logMax = 5_000

// logEntry encodes deltas for the change log; nil for a write too large.
func logEntry(deltas []index.Delta) []byte {
	n := 0
	for _, d := range deltas {
		n += d.Size()
	}
	if n > logMax {
		return nil
	}
	b, err := json.Marshal(deltas)
	if err != nil {
		return nil // not logged: followers read the whole graph
	}
	return b
}

// followLogLocked applies the change log's entries since the snapshot, and
// says whether it could (else the snapshot must be read again).
func (s *Store) followLogLocked(ctx context.Context) bool {
	entries, ok, err := s.db.Changes(ctx)
	if err != nil || !ok {
		return false
	}
	return s.applyLogLocked(entries)
}

// applyLogLocked applies entries of the change log, oldest first, to the
// snapshot in one step, and says whether it could (else the snapshot must
// be read again).
func (s *Store) applyLogLocked(entries [][]byte) bool {
	next := s.snap.Load()
	var all []index.Delta
	for _, e := range entries {
		var deltas []index.Delta
		if err := json.Unmarshal(e, &deltas); err != nil {
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
