package graph

import (
	"slices"
	"strings"
)

// Merge adds what in says to old, the stored link of the same assertion
// (AssertionKey): the evidence items old lacks (by EvidenceKey), in's id as
// an alias when it is not old's, a mechanism when old has none, and the
// shortcut chains old lacks. It returns the merged link and how many evidence items it
// added; changed is false when in adds nothing. It assumes Check found no
// clash (an item of old's with the same key and other content).
func Merge(old, in *Link) (merged Link, added int, changed bool) {
	merged = *old
	merged.Evidence, added = mergeEvidence(old.ID, old.Evidence, in.Evidence)
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

// mergeEvidence is old with the items of in it lacks (by EvidenceKey, and
// not Subsumed by old's items of the record id), and how many it added;
// old itself when it adds none (else a copy: old is a stored record's).
func mergeEvidence(id string, old, in []Evidence) (merged []Evidence, added int) {
	merged = old
	have := make(map[string]bool, len(old))
	for i := range old {
		have[EvidenceKey(&old[i])] = true
	}
	for i := range in {
		k := EvidenceKey(&in[i])
		if have[k] || subsumed(id, old, &in[i]) {
			continue
		}
		have[k] = true
		if added == 0 {
			merged = slices.Clone(old)
		}
		merged = append(merged, in[i])
		added++
	}
	return merged, added
}

// Subsumed says whether e, a bare item (no quote, section, reasoning or
// references, and no key but one that names l itself, ID or ID@SOURCE:
// a source's word for the claim, perhaps with publications, knowledge
// level and agent type, as a KGX edge of an export gives it),
// says nothing that l's items of its source do not: l has items of that
// source, they name every publication of e, and one of them has e's
// knowledge level and one e's agent type (or e gives none). Loading an
// export back into its store then adds nothing.
//
// Context counts the same way: the items of e's source with e's negation
// must name every aggregator, cell type and tissue of e, and one of them
// each of e's taxon, mechanism, directness and score (an export's edge
// gathers its source's items, see export.KGX).
func Subsumed(l *Link, e *Evidence) bool { return subsumed(l.ID, l.Evidence, e) }

// subsumed is Subsumed for the record id and evidence items evs.
func subsumed(id string, evs []Evidence, e *Evidence) bool {
	if !exportKey(id, e) || e.Quote != "" || e.Section != "" || e.Reasoning != "" || len(e.References) > 0 {
		return false
	}
	var lists [4][]string // publications, aggregators, cells, tissues of the source's items
	level, agent, any := e.KnowledgeLevel == "", e.AgentType == "", false
	taxon, mech, direct, score := e.Taxon == "", e.Mechanism == "", e.Direct == nil, e.Score == nil
	for i := range evs {
		o := &evs[i]
		if o.Source != e.Source || o.Negated != e.Negated {
			continue
		}
		any = true
		for k, x := range [4][]string{o.Publications, o.Aggregators, o.CellTypes, o.Tissues} {
			lists[k] = append(lists[k], x...)
		}
		level = level || o.Level() == e.Level()
		agent = agent || o.Agent() == e.Agent()
		taxon = taxon || o.Taxon == e.Taxon
		mech = mech || o.Mechanism == e.Mechanism
		direct = direct || samePtr(o.Direct, e.Direct)
		score = score || samePtr(o.Score, e.Score)
	}
	if !any || !level || !agent || !taxon || !mech || !direct || !score {
		return false
	}
	for k, x := range [4][]string{e.Publications, e.Aggregators, e.CellTypes, e.Tissues} {
		for _, p := range x {
			if !slices.Contains(lists[k], p) {
				return false
			}
		}
	}
	return true
}

// exportKey reports whether e's key is none, or one an export gives an
// edge of the record id: id, ID@SOURCE, or ID@SOURCE@N (a source's further group
// of items, see export.KGX).
func exportKey(id string, e *Evidence) bool {
	if e.Key == "" || e.Key == id {
		return true
	}
	rest, ok := strings.CutPrefix(e.Key, id+"@"+e.Source)
	if !ok {
		return false
	}
	n, ok := strings.CutPrefix(rest, "@")
	return rest == "" || ok && n != "" && strings.Trim(n, "0123456789") == ""
}

// MergeRelation adds what in says to old, the stored relation of the same
// Key: the evidence items old lacks (by EvidenceKey, bare items of a
// source old has already, as an export's KGX edge gives them, left out,
// as Merge does for links), and a note when old has none.
func MergeRelation(old, in *Relation) (merged Relation, added int, changed bool) {
	merged = *old
	merged.Evidence, added = mergeEvidence(old.Key(), old.Evidence, in.Evidence)
	changed = added > 0
	if merged.Note == "" && in.Note != "" {
		merged.Note, changed = in.Note, true
	}
	return merged, added, changed
}
