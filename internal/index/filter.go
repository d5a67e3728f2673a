package index

import (
	"slices"

	"github.com/leydigkg/leydigkg/graph"
)

// linkFilter decides, for one query, which links its graph.Filter keeps.
// Each link is decided once, when a traversal first meets it.
type linkFilter struct {
	s     *Snapshot
	f     graph.Filter
	state []uint8 // per link: 0 not decided, 1 kept, 2 left out
	// evidence is set when the filter looks at evidence items (sources,
	// levels, licences); nil, only MinBelief applies, to a link's belief.
	evidence func(*graph.Evidence) bool
}

// filter returns the linkFilter of f, nil for a filter that keeps
// everything.
func (s *Snapshot) filter(f graph.Filter) (*linkFilter, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	if f.IsZero() {
		return nil, nil
	}
	lf := &linkFilter{s: s, f: f, state: make([]uint8, len(s.links))}
	if len(f.Sources.Allow) > 0 || len(f.Sources.Deny) > 0 || len(f.KnowledgeLevels) > 0 || len(f.Licenses) > 0 {
		lf.evidence = func(e *graph.Evidence) bool {
			if len(f.Sources.Allow) > 0 && !slices.Contains(f.Sources.Allow, e.Source) || slices.Contains(f.Sources.Deny, e.Source) {
				return false
			}
			if len(f.KnowledgeLevels) > 0 && !slices.Contains(f.KnowledgeLevels, e.Level()) {
				return false
			}
			if len(f.Licenses) > 0 {
				src := s.sources[e.Source]
				if src == nil || !slices.Contains(f.Licenses, src.License) {
					return false
				}
			}
			return true
		}
	}
	return lf, nil
}

// ok reports whether the filter keeps link li: some of its evidence is
// kept, and the belief of what is kept reaches MinBelief.
func (lf *linkFilter) ok(li int32) bool {
	switch lf.state[li] {
	case 1:
		return true
	case 2:
		return false
	}
	keep := lf.keepLink(lf.s.links[li])
	lf.state[li] = 2
	if keep {
		lf.state[li] = 1
	}
	return keep
}

func (lf *linkFilter) keepLink(l *graph.Link) bool {
	if lf.evidence == nil {
		return l.Confidence >= lf.f.MinBelief
	}
	if !slices.ContainsFunc(l.Evidence, func(e graph.Evidence) bool { return lf.evidence(&e) }) {
		return false
	}
	return lf.f.MinBelief == 0 || lf.s.beliefs.Belief(l.Evidence, lf.evidence).Score >= lf.f.MinBelief
}

// pass reports whether w's filter keeps link li (every link, without one).
func (w *work) pass(li int32) bool { return w.keep == nil || w.keep.ok(li) }
