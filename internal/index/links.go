package index

import (
	"slices"
	"strconv"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// Links as columns.
//
// Most links of a large graph are rows of an imported network: one
// evidence item that names its source, knowledge level, agent and the row
// it came from (file:line), and nothing else. Held as a graph.Link with its
// evidence item, such a link costs over 500 bytes, and no two rows share
// one (each names its own line). A snapshot keeps them as columns instead:
// the id, and a compactLink of small numbers (strings shared by many rows,
// interned; the line as a number), beside the entity numbers, effect and
// confidence the traversals read already; link makes the graph.Link again
// when a query returns it. Any other link (curated, with quotes, several
// items, context, aliases, shortcuts) is kept whole, as a copy of the link
// given (appendLink says why).
//
// Everything a query sees is the same either way: the differential test
// (TestCompactMatchesPlain) holds the two to that. A compact link is made
// afresh for each answer, so no two answers share it: callers may keep it.

// compactLink is what a compact link holds beyond its id, ends, effect
// and confidence: its predicate and its evidence item's fields.
type compactLink struct {
	pred, src, file uint32 // interned: the predicate, source id, and the file of At
	line            uint32 // At's line
	level, agent    uint8  // KnowledgeLevel and AgentType: 1 + index in graph's lists, 0 for ""
	flags           uint8
}

const (
	noAt      uint8 = 1 << iota // At is ""
	emptyRefs                   // References is empty but not nil
)

// interns numbers strings shared by many links: predicates, source ids,
// files. Numbers only grow along a chain of writes (as link indexes do).
type interns struct {
	strs  []string
	idx   omap[string, uint32]
	fresh bool // New is building idx: numbers go in its base
	// The last strings numbered, and their numbers: a network's rows
	// share one predicate, source and file, which New numbered three
	// times a link by hashing them.
	last  [4]string
	lastN [4]uint32
	nlast int // how many of last are set
}

// number is x's number, a new one for a string not seen before.
func (in *interns) number(x string) uint32 {
	for i := range in.nlast {
		if in.last[i] == x {
			return in.lastN[i]
		}
	}
	n := in.lookup(x)
	copy(in.last[1:], in.last[:])
	copy(in.lastN[1:], in.lastN[:])
	in.last[0], in.lastN[0] = x, n
	in.nlast = min(in.nlast+1, len(in.last))
	return n
}

// lookup is number without the last strings.
func (in *interns) lookup(x string) uint32 {
	if n, ok := in.idx.get(x); ok {
		return n
	}
	n := uint32(len(in.strs))
	in.strs = append(in.strs, x)
	if in.fresh {
		in.idx.base[x] = n
		in.idx.n++
	} else {
		in.idx.set(x, n)
	}
	return n
}

// compactable reports whether l has the compact shape: two stored ends
// (sub >= 0), a valid effect, no aliases, mechanism or shortcuts, and one
// evidence item with no more than a plain item of a network row (see
// plainItem). Slices that a compact link cannot tell from nil must be
// nil. f are the item's fields as a compact link holds them.
func compactable(l *graph.Link, sub int32) (f itemFields, ok bool) {
	if sub < 0 || !l.Effect.Valid() || l.Aliases != nil || l.Mechanism != "" || l.ShortcutOf != nil ||
		l.InheritedFrom != "" || l.InheritedLink != "" || len(l.Evidence) != 1 {
		return f, false
	}
	e := &l.Evidence[0]
	if e.Key != "" || e.Quote != "" || e.Section != "" || e.Reasoning != "" || len(e.References) > 0 || e.Publications != nil ||
		e.Negated || e.Taxon != "" || e.CellTypes != nil || e.Tissues != nil || e.Mechanism != "" || e.Direct != nil ||
		e.Aggregators != nil || e.Score != nil {
		return f, false
	}
	return plainItem(e.KnowledgeLevel, e.AgentType, e.At)
}

// itemFields are an evidence item's knowledge level, agent type and At as
// a compact link holds them: the first two as 1 + their index in graph's
// lists (0 for ""), At as its file and line.
type itemFields struct {
	file         string
	line         uint32
	level, agent uint8
	hasAt        bool // At is not ""
}

// plainItem is an item's level, agent and At as a compact link holds
// them; ok is false when it cannot (a level or agent not in graph's lists,
// an At plainAt refuses).
func plainItem(level graph.KnowledgeLevel, agent graph.AgentType, at string) (f itemFields, ok bool) {
	li, ai := slices.Index(graph.KnowledgeLevels, level), slices.Index(graph.AgentTypes, agent)
	if li < 0 && level != "" || ai < 0 && agent != "" {
		return f, false
	}
	file, line, ok := plainAt(at)
	return itemFields{file: file, line: line, level: uint8(li + 1), agent: uint8(ai + 1), hasAt: at != ""}, ok
}

// levelOf, agentOf and at give back what plainItem took: an item's
// knowledge level, agent type and At.
func levelOf(n uint8) graph.KnowledgeLevel {
	if n == 0 {
		return ""
	}
	return graph.KnowledgeLevels[n-1]
}

func agentOf(n uint8) graph.AgentType {
	if n == 0 {
		return ""
	}
	return graph.AgentTypes[n-1]
}

func (f *itemFields) at() string {
	if !f.hasAt {
		return ""
	}
	return f.file + ":" + strconv.FormatUint(uint64(f.line), 10)
}

// plainAt splits At into its file and line, where it is file:line with the
// line as strconv writes it (no sign, no leading zero), so that the two
// make At again.
func plainAt(at string) (file string, line uint32, ok bool) {
	i := strings.LastIndexByte(at, ':')
	if i < 0 {
		return "", 0, at == ""
	}
	digits := at[i+1:]
	n, err := strconv.ParseUint(digits, 10, 32) // digits only, in base 10
	if err != nil || len(digits) > 1 && digits[0] == '0' {
		return "", 0, false
	}
	return at[:i], uint32(n), true
}

// appendLink adds l as the next link index, with its subject node number
// sub: compact where it can be, else kept whole.
func (s *Snapshot) appendLink(l *graph.Link, sub int32) {
	s.lid = append(s.lid, l.ID)
	f, ok := compactable(l, sub)
	if s.plain || !ok {
		// A copy of its own: records often come in one array (a batch's,
		// copied by Records.Add or DeltaOf), which a pointer into it would
		// keep whole, compact links and all.
		c := *l
		s.lfull = append(s.lfull, &c)
		s.lcomp = append(s.lcomp, compactLink{})
		return
	}
	c := s.compact(l.Predicate, l.Evidence[0].Source, &f)
	if l.Evidence[0].References != nil {
		c.flags |= emptyRefs
	}
	s.lfull = append(s.lfull, nil)
	s.lcomp = append(s.lcomp, c)
}

// compact is the compactLink of a link of predicate pred whose one item
// is of source src and has fields f.
func (s *Snapshot) compact(pred, src string, f *itemFields) compactLink {
	c := compactLink{pred: s.strs.number(pred), src: s.strs.number(src), level: f.level, agent: f.agent}
	if f.hasAt {
		c.file, c.line = s.strs.number(f.file), f.line
	} else {
		c.flags |= noAt
	}
	return c
}

// link is link li: the link as given, or made from its columns.
func (s *Snapshot) link(li int32) *graph.Link {
	if l := s.lfull[li]; l != nil {
		return l
	}
	c := &s.lcomp[li]
	e := graph.Evidence{Source: s.strs.strs[c.src], KnowledgeLevel: levelOf(c.level), AgentType: agentOf(c.agent)}
	if c.flags&noAt == 0 {
		f := itemFields{file: s.strs.strs[c.file], line: c.line, hasAt: true}
		e.At = f.at()
	}
	if c.flags&emptyRefs != 0 {
		e.References = []string{}
	}
	return &graph.Link{ID: s.lid[li], Subject: s.entities[s.lsubj[li]].ID, Object: s.entities[s.lobj[li]].ID,
		Effect: effectOf(s.lneg[li]), Predicate: s.strs.strs[c.pred], Confidence: s.lconf[li], Evidence: []graph.Evidence{e}}
}

// links is the number of link indexes (live or not).
func (s *Snapshot) links() int { return len(s.lid) }

// linkEffect, linkPredicate, linkAliases and shortcutOf read one field of
// link li without making it.
func (s *Snapshot) linkEffect(li int32) graph.Effect {
	if l := s.lfull[li]; l != nil {
		return l.Effect
	}
	return effectOf(s.lneg[li])
}

func (s *Snapshot) linkPredicate(li int32) string {
	if l := s.lfull[li]; l != nil {
		return l.Predicate
	}
	return s.strs.strs[s.lcomp[li].pred]
}

func (s *Snapshot) linkAliases(li int32) []string {
	if l := s.lfull[li]; l != nil {
		return l.Aliases
	}
	return nil
}

func (s *Snapshot) shortcutOf(li int32) [][]string {
	if l := s.lfull[li]; l != nil {
		return l.ShortcutOf
	}
	return nil
}
