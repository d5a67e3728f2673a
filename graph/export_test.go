package graph

import (
	"context"
	"runtime"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
)

// FollowRecursive answers "what is downstream of from within depth links"
// with cayley's own path API over the store's quads (entity <-subject- link
// -object-> entity, repeated), for benchmarks to compare against.
func FollowRecursive(ctx context.Context, s *Store, from string, depth int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hop := path.StartMorphism().In(pSubject).Out(pObject)
	p := path.StartPath(s.qs, entityIRI(from)).FollowRecursive(hop, depth, nil)
	n := 0
	err := p.Iterate(ctx).EachValue(s.qs, func(quad.Value) error {
		n++
		return nil
	})
	return n, err
}

// IndexBytes is the heap the snapshot of a generated batch takes, built as
// after a write (without cayley): the records (Entity, Link and their
// strings) and, apart, the index built over them (rows, arrays, maps).
func IndexBytes(generate func() *Batch) (recordBytes, indexBytes int64) {
	before := Heap()
	var r records
	r.add(generate())
	mid := Heap()
	snap := newSnapshot(r)
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
func IndexedStore(b *Batch) *Store {
	var r records
	r.add(b)
	s := &Store{spec: storeSpec{backend: backendMemory}, closed: true}
	s.snap.Store(newSnapshot(r))
	return s
}
