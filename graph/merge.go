package graph

import "slices"

// Merge adds what in says to old, the stored link of the same assertion
// (AssertionKey): the evidence items old lacks (by EvidenceKey), in's id as
// an alias when it is not old's, and a mechanism when old has none. It returns the merged link and how many evidence items it
// added; changed is false when in adds nothing. It assumes Check found no
// clash (an item of old's with the same key and other content).
func Merge(old, in *Link) (merged Link, added int, changed bool) {
	merged = *old
	have := make(map[string]bool, len(old.Evidence))
	for i := range old.Evidence {
		have[EvidenceKey(&old.Evidence[i])] = true
	}
	for i := range in.Evidence {
		k := EvidenceKey(&in.Evidence[i])
		if have[k] {
			continue
		}
		have[k] = true
		if added == 0 {
			merged.Evidence = slices.Clone(old.Evidence)
		}
		merged.Evidence = append(merged.Evidence, in.Evidence[i])
		added++
	}
	changed = added > 0
	if in.ID != old.ID && !slices.Contains(old.Aliases, in.ID) {
		merged.Aliases = append(slices.Clone(old.Aliases), in.ID)
		changed = true
	}
	for _, a := range in.Aliases {
		if a != merged.ID && !slices.Contains(merged.Aliases, a) {
			merged.Aliases = append(slices.Clone(merged.Aliases), a)
			changed = true
		}
	}
	if merged.Mechanism == "" && in.Mechanism != "" {
		merged.Mechanism, changed = in.Mechanism, true
	}
	return merged, added, changed
}
