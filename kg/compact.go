package kg

import (
	"sync"

	"github.com/leydigkg/leydigkg/internal/index"
)

// Compaction.
//
// A write changes the snapshot by what it wrote (index.Snapshot.With),
// which leaves the snapshot's overlays a little larger each time. Once they
// hold compactAfter records, the snapshot is built afresh in the
// background, from the records of the one current then; when that is done,
// the writes made meanwhile are applied to it again and it takes the
// current one's place. Readers see one or the other, which answer alike.
//
// A build takes time in proportion to the graph (seconds of CPU at 10⁶
// links), while a write costs the same whatever the overlays hold
// (internal/index/overlay.go): so the bound grows with the graph, an
// eighth of its records, and the builds cost the same per record written
// on any graph, rather than a build every few thousand records at 10⁶
// links taking a core from the writes and queries beside it.

// compactAfter is the least number of records written since the last full
// build that make the store build the snapshot afresh.
const compactAfter = 4096

// compactBound is how many records written since the last full build make
// the store build snap afresh: an eighth of its records, at least
// compactAfter.
func compactBound(snap *index.Snapshot) int {
	st := snap.Stats()
	return max(compactAfter, (st.Entities+st.Links)/8)
}

// compaction is the state of the background build. Guarded by Store.mu.
type compaction struct {
	running bool
	since   []index.Delta // the writes made since the running build's base
	gen     int           // bumped by every full build: a build of an older base is dropped
	wg      sync.WaitGroup
	after   int    // what a test sets; 0: compactBound
	built   func() // tests: called once a build is done, before it takes the lock
	builds  int    // builds that took the current snapshot's place
}

// advanceLocked makes next, the current snapshot changed by deltas, the
// current one, and starts a compaction when its overlays have grown.
func (s *Store) advanceLocked(next *index.Snapshot, deltas []index.Delta) {
	s.snap.Store(next)
	c := &s.compact
	if c.running {
		c.since = append(c.since, deltas...)
		return
	}
	after := c.after
	if after == 0 {
		after = compactBound(next)
	}
	if next.Changed() >= after {
		s.compactLocked(next)
	}
}

// rebuiltLocked makes snap, built in full, the current snapshot: a
// compaction running is overtaken.
func (s *Store) rebuiltLocked(snap *index.Snapshot) {
	s.snap.Store(snap)
	s.compact.gen++
	s.compact.since = nil
}

// compactLocked builds base afresh in the background.
func (s *Store) compactLocked(base *index.Snapshot) {
	c := &s.compact
	c.running, c.since = true, nil
	gen := c.gen
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		fresh := base.Compact()
		if c.built != nil {
			c.built()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		c.running = false
		if s.closed || gen != c.gen {
			return
		}
		for _, d := range c.since {
			fresh = fresh.With(d)
		}
		c.since = nil
		c.builds++
		s.snap.Store(fresh)
	}()
}

// compactNow starts building the snapshot afresh, as the background
// compaction does, once the one running (if any) is done, and returns a
// func that waits for it: for tests.
func (s *Store) compactNow() (wait func()) {
	s.compact.wg.Wait()
	s.mu.Lock()
	s.compactLocked(s.snap.Load())
	s.mu.Unlock()
	return s.compact.wg.Wait
}
