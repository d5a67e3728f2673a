package kg

import (
	"context"
	"runtime"

	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/internal/index"
	"github.com/leydigkg/leydigkg/internal/store"
)

// CayleyWalker answers questions with cayley's own path API over the
// store's quads (a memstore of them, for a memory store), for benchmarks
// to compare against.
func CayleyWalker(ctx context.Context, s *Store) (*store.Walker, error) {
	return s.db.Walker(func(add func(quad.Quad)) error {
		return s.Quads(ctx, func(q quad.Quad) error { add(q); return nil })
	})
}

// IndexBytes is the heap the snapshot of a generated batch takes, built as
// after a write (without cayley): the records (Entity, Link and their
// strings) and, apart, the index built over them (rows, arrays, maps).
func IndexBytes(generate func() *graph.Batch) (recordBytes, indexBytes int64) {
	before := Heap()
	var r index.Records
	r.Add(generate())
	mid := Heap()
	snap := index.New(r, nil)
	after := Heap()
	runtime.KeepAlive(snap)
	return mid - before, after - mid
}

// Heap is the live heap after a full collection.
func Heap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// IndexedStore is a read-only Store holding only the snapshot of b, built
// as after a write, without cayley: for traversal benchmarks at sizes where
// loading cayley's memstore takes minutes and gigabytes. Traversals read
// only the snapshot, so they run exactly as on a loaded Store.
func IndexedStore(b *graph.Batch) *Store {
	var r index.Records
	r.Add(b)
	s := &Store{closed: true}
	s.snap.Store(index.New(r, nil))
	return s
}

// MemoryStoreOf is a memory store holding b, its snapshot built in full as
// a reload builds it (an Apply of a large b would take it through deltas).
func MemoryStoreOf(ctx context.Context, b *graph.Batch) (*Store, error) {
	s, err := Open(ctx, "memory:")
	if err != nil {
		return nil, err
	}
	var r index.Records
	r.Add(b)
	for _, l := range r.Links {
		s.score(l)
	}
	s.mu.Lock()
	s.rebuiltLocked(index.New(r, s.beliefs))
	s.mu.Unlock()
	return s, nil
}

// ApplyLogged applies b to s as a follower applies another server's write
// of b: its change log entry, decoded, scored and applied to the snapshot.
func ApplyLogged(s *Store, b *graph.Batch) bool {
	entry := logEntryOf([]index.Delta{index.DeltaOf(b)})()
	s.mu.Lock()
	defer s.mu.Unlock()
	return entry != nil && s.applyLogLocked([][]byte{entry})
}
