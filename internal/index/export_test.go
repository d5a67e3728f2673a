package index

import "github.com/leydigkg/leydigkg/graph"

// NewPlain is New keeping every link whole, as it was given: what compact
// links must answer exactly like.
func NewPlain(r Records, beliefs graph.BeliefTable) *Snapshot { return build(r, beliefs, true) }

// CompactLinks counts the live links s holds as columns.
func (s *Snapshot) CompactLinks() int {
	n := 0
	for li := range s.linkOrder.all() {
		if s.lfull[li] == nil {
			n++
		}
	}
	return n
}
