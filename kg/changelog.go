package kg

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"

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
// decode and 0.2 s to index afresh, 0.8 s onto a graph, against 3.2-3.4 s
// to reload; a follower caught up in 1.2-1.9 s against 3.7-5.1 s on a
// loaded machine): entries of
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
	return sync.OnceValue(func() []byte { return <-done })
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
	if writeDeltas(w, deltas) != nil || w.Flush() != nil || z.Close() != nil {
		return nil
	}
	return buf.Bytes()
}

// writeDeltas writes deltas as json.Marshal does (but for white space),
// a record at a time: json.Encoder builds a value's whole text before it
// writes it, and the entry of a load of 10⁵ links is 26 MB of it, grown
// by doubling (0.6 s of a 5.5 s load went to clearing that buffer).
func writeDeltas(w *bufio.Writer, deltas []index.Delta) error {
	if deltas == nil {
		_, err := w.WriteString("null")
		return err
	}
	enc := json.NewEncoder(w)
	w.WriteByte('[')
	for i := range deltas {
		d := &deltas[i]
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('{')
		err := errors.Join(
			writeList(w, enc, "Sources", d.Sources, false),
			writeList(w, enc, "References", d.References, true),
			writeList(w, enc, "Entities", d.Entities, true),
			writeList(w, enc, "Links", d.Links, true),
			writeList(w, enc, "RemoveEntities", d.RemoveEntities, true),
			writeList(w, enc, "RemoveLinks", d.RemoveLinks, true),
			writeList(w, enc, "Relations", d.Relations, true),
			writeList(w, enc, "RemoveRelations", d.RemoveRelations, true))
		if err != nil {
			return err
		}
		w.WriteByte('}')
	}
	return w.WriteByte(']')
}

// writeList writes one field of a Delta: "name":null for a nil list.
func writeList[T any](w *bufio.Writer, enc *json.Encoder, name string, xs []T, comma bool) error {
	if comma {
		w.WriteByte(',')
	}
	w.WriteString(`"` + name + `":`)
	if xs == nil {
		_, err := w.WriteString("null")
		return err
	}
	w.WriteByte('[')
	for i := range xs {
		if i > 0 {
			w.WriteByte(',')
		}
		if err := enc.Encode(xs[i]); err != nil {
			return err
		}
	}
	return w.WriteByte(']')
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
	return s.applyLogLocked(entries)
}

// applyLogLocked applies entries of the change log, oldest first, to the
// snapshot in one step, and says whether it could (else the snapshot must
// be read again).
func (s *Store) applyLogLocked(entries [][]byte) bool {
	next := s.snap.Load()
	var all []index.Delta
	rebuilt := false
	for _, e := range entries {
		deltas, ok := decodeEntry(e)
		if !ok {
			return false
		}
		for _, d := range deltas {
			for _, l := range d.Links { // scored by this store's beliefs
				s.score(l)
			}
			if isEmpty(next) && len(d.RemoveEntities)+len(d.RemoveLinks)+len(d.RemoveRelations) == 0 {
				// The first load into an empty graph: indexed afresh, as
				// its writer did (0.2 s rather than 0.8 s at 10^5 links).
				// The decoded records are this store's own.
				next = index.New(index.Records{Sources: d.Sources, References: d.References, Entities: d.Entities,
					Links: d.Links, Relations: d.Relations}, s.beliefs)
				rebuilt = true
				continue
			}
			next = next.With(d)
		}
		all = append(all, deltas...)
	}
	if rebuilt {
		s.rebuiltLocked(next)
		return true
	}
	s.advanceLocked(next, all)
	return true
}

// isEmpty says whether snap holds no records.
func isEmpty(snap *index.Snapshot) bool {
	st := snap.Stats()
	return st.Entities+st.Links+st.References+st.Sources+st.Relations == 0
}
