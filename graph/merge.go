package graph

import "slices"

// Merge adds what in says to old, the stored link of the same assertion
// (AssertionKey): the evidence items old lacks (by EvidenceKey), in's id as
// an alias when it is not old's, a mechanism when old has none, and the
// shortcut chains old lacks. It returns the merged link and how many evidence items it
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
		if have[k] || Subsumed(old, &in.Evidence[i]) {
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
	for _, chain := range in.ShortcutOf {
		if !slices.ContainsFunc(merged.ShortcutOf, func(c []string) bool { return slices.Equal(c, chain) }) {
			merged.ShortcutOf = append(slices.Clone(merged.ShortcutOf), chain)
			changed = true
		}
	}
	return merged, added, changed
}

// Subsumed says whether e, a bare item (no quote, section, reasoning or
// references, and no key but one that names l itself, ID or ID@SOURCE:
// a source's word for the claim, perhaps with publications, knowledge
// level and agent type, as a KGX edge of an export gives it),
// says nothing that l's items of its source do not: l has items of that
// source, they name every publication of e, and one of them has e's
// knowledge level and one e's agent type (or e gives none). Loading an
// export back into its store then adds nothing.
func Subsumed(l *Link, e *Evidence) bool { return subsumed(l.ID, l.Evidence, e) }

// subsumed is Subsumed for the record id and evidence items evs.
func subsumed(id string, evs []Evidence, e *Evidence) bool {
	if e.Key != "" && e.Key != id && e.Key != id+"@"+e.Source || e.Quote != "" || e.Section != "" || e.Reasoning != "" || len(e.References) > 0 {
		return false
	}
	var pubs []string
	level, agent, any := e.KnowledgeLevel == "", e.AgentType == "", false
	for i := range evs {
		o := &evs[i]
		if o.Source != e.Source {
			continue
		}
		any = true
		pubs = append(pubs, o.Publications...)
		level = level || o.Level() == e.Level()
		agent = agent || o.Agent() == e.Agent()
	}
	if !any || !level || !agent {
		return false
	}
	for _, p := range e.Publications {
		if !slices.Contains(pubs, p) {
			return false
		}
	}
	return true
}

// MergeRelation adds what in says to old, the stored relation of the same
// Key: the evidence items old lacks (by EvidenceKey, bare items of a
// source old has already, as an export's KGX edge gives them, left out,
// as Merge does for links), and a note when old has none.
func MergeRelation(old, in *Relation) (merged Relation, added int, changed bool) {
	merged = *old
	have := make(map[string]bool, len(old.Evidence))
	for i := range old.Evidence {
		have[EvidenceKey(&old.Evidence[i])] = true
	}
	for i := range in.Evidence {
		k := EvidenceKey(&in.Evidence[i])
		if have[k] || subsumed(old.Key(), old.Evidence, &in.Evidence[i]) {
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
	if merged.Note == "" && in.Note != "" {
		merged.Note, changed = in.Note, true
	}
	return merged, added, changed
}
