package graph

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

var (
	// Ids are CURIEs, slugs or IRIs (an N-Quads file's own nodes).
	idPattern    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:/#~%+=?&@-]*$`)
	curiePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*:[^\s|]+$`)
	doiPattern   = regexp.MustCompile(`^10\.[0-9]{4,9}/\S+$`)
	pmidPattern  = regexp.MustCompile(`^[1-9][0-9]{0,9}$`)
)

// CheckBatch validates b on its own, as if it were written to an empty
// store. It finds every problem at once.
func CheckBatch(b *Batch) Problems {
	return Check(b, nothingStored{})
}

// Stored is what Check validates a batch against: the records a store
// holds, by id, and its assertions.
type Stored interface {
	Source(id string) (*Source, bool)
	Reference(id string) (*Reference, bool)
	Entity(id string) (*Entity, bool)
	Link(id string) (*Link, bool) // by id or alias
	// Assertion is the stored link with this AssertionKey.
	Assertion(key AssertionKey) (*Link, bool)
	// Alias is the stored entity that has id among its Aliases.
	Alias(id string) (*Entity, bool)
	// Relation is the stored relation with this Relation.Key.
	Relation(key string) (*Relation, bool)
}

type nothingStored struct{}

func (nothingStored) Source(string) (*Source, bool)        { return nil, false }
func (nothingStored) Reference(string) (*Reference, bool)  { return nil, false }
func (nothingStored) Entity(string) (*Entity, bool)        { return nil, false }
func (nothingStored) Link(string) (*Link, bool)            { return nil, false }
func (nothingStored) Assertion(AssertionKey) (*Link, bool) { return nil, false }
func (nothingStored) Alias(string) (*Entity, bool)         { return nil, false }
func (nothingStored) Relation(string) (*Relation, bool)    { return nil, false }

// Check validates b against what snap already holds. A record whose id is
// already in the store must be identical to the stored one (loading the same
// file twice is harmless); a different record under the same id is a conflict.
// It finds every problem at once: first text that is not UTF-8 anywhere,
// then each kind of record in turn.
func Check(b *Batch, snap Stored) Problems {
	c := &checker{b: b, snap: snap,
		sources: map[string]int{}, refs: map[string]int{}, entities: map[string]int{}, links: map[string]int{},
		assertions: map[AssertionKey]*Link{}, linkKeys: map[string]AssertionKey{}, aliases: map[string]int{},
	}
	c.text()
	c.checkSources()
	c.checkReferences()
	c.checkEntities()
	c.checkAliases()
	c.checkLinks()
	c.checkLinkAliases()
	c.checkRelations()
	return c.ps
}

// checker gathers the problems of one batch. The maps hold the ids of
// the batch's records seen so far, by kind, and their indexes.
type checker struct {
	b    *Batch
	snap Stored
	ps   Problems

	sources, refs, entities, links map[string]int
	// The batch's assertions so far: each key's first link, and the
	// assertion key each link id names.
	assertions map[AssertionKey]*Link
	linkKeys   map[string]AssertionKey
	aliases    map[string]int // an entity alias of the batch -> its entity's index
}

func (c *checker) add(record RecordKind, i int, field string, err error) {
	c.ps = append(c.ps, Problem{Record: record, Index: i, Field: field, Err: err})
}

// id checks a record's id, and that the batch holds no other record of its
// kind with that id.
func (c *checker) id(record RecordKind, i int, id string, seen map[string]int) {
	switch {
	case id == "":
		c.add(record, i, "id", fmt.Errorf("%w: id", ErrMissingField))
	case !idPattern.MatchString(id):
		c.add(record, i, "id", fmt.Errorf("%w: id %q must match %s", ErrInvalidValue, id, idPattern))
	default:
		if j, dup := seen[id]; dup {
			c.add(record, i, "id", fmt.Errorf("%w: %s %q is also %s #%d", ErrDuplicateID, record, id, record, j))
		} else {
			seen[id] = i
		}
	}
}

// curies checks that each of vals is a CURIE; what names the field.
func (c *checker) curies(record RecordKind, i int, field, what, example string, vals []string) {
	for j, v := range vals {
		if !curiePattern.MatchString(v) {
			c.add(record, i, fmt.Sprintf("%s[%d]", field, j), fmt.Errorf("%w: %s %q is not a CURIE (%s)", ErrInvalidValue, what, v, example))
		}
	}
}

// text checks that every text is UTF-8: stores that keep strings as
// protocol buffers (bolt, SQL) refuse anything else mid-write.
func (c *checker) text() {
	utf := func(record RecordKind, i int, field string, vals ...string) {
		for _, v := range vals {
			if !utf8.ValidString(v) {
				c.add(record, i, field, fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidValue, field))
				return
			}
		}
	}
	for i, x := range c.b.Sources {
		utf(SourceRecord, i, "title", x.Title)
	}
	for i, x := range c.b.References {
		utf(ReferenceRecord, i, "citation", x.Citation, x.Title, x.Journal, x.AsCited, x.Volume, x.Pages, x.DOI, x.PMID, x.Note)
		utf(ReferenceRecord, i, "authors", x.Authors...)
	}
	for i, x := range c.b.Entities {
		utf(EntityRecord, i, "name", x.Name, x.Description)
		utf(EntityRecord, i, "synonyms", x.Synonyms...)
		utf(EntityRecord, i, "xrefs", x.Xrefs...)
		utf(EntityRecord, i, "categories", x.Categories...)
		utf(EntityRecord, i, "aliases", x.Aliases...)
	}
	for i, x := range c.b.Relations {
		utf(RelationRecord, i, "note", x.Note)
		for j, ev := range x.Evidence {
			utf(RelationRecord, i, fmt.Sprintf("evidence[%d].quote", j), ev.Quote, ev.Section, ev.Reasoning, ev.Key, ev.At)
			utf(RelationRecord, i, fmt.Sprintf("evidence[%d].publications", j), ev.Publications...)
		}
	}
	for i, x := range c.b.Links {
		utf(LinkRecord, i, "mechanism", x.Mechanism)
		for j, ev := range x.Evidence {
			if !validUTF8(ev.Quote, ev.Section, ev.Reasoning, ev.Key, ev.At) || !validUTF8(ev.Publications...) { // named only when wrong
				utf(LinkRecord, i, fmt.Sprintf("evidence[%d].quote", j), ev.Quote, ev.Section, ev.Reasoning, ev.Key, ev.At)
				utf(LinkRecord, i, fmt.Sprintf("evidence[%d].publications", j), ev.Publications...)
			}
			if ev.HasContext() && (!validUTF8(ev.Taxon, ev.Mechanism) || !validUTF8(ev.CellTypes...) || !validUTF8(ev.Tissues...) || !validUTF8(ev.Aggregators...)) {
				utf(LinkRecord, i, fmt.Sprintf("evidence[%d].taxon", j), ev.Taxon)
				utf(LinkRecord, i, fmt.Sprintf("evidence[%d].mechanism", j), ev.Mechanism)
				utf(LinkRecord, i, fmt.Sprintf("evidence[%d].cellTypes", j), ev.CellTypes...)
				utf(LinkRecord, i, fmt.Sprintf("evidence[%d].tissues", j), ev.Tissues...)
				utf(LinkRecord, i, fmt.Sprintf("evidence[%d].aggregators", j), ev.Aggregators...)
			}
		}
	}
}

func (c *checker) checkSources() {
	for i := range c.b.Sources {
		src := &c.b.Sources[i]
		c.id(SourceRecord, i, src.ID, c.sources)
		if strings.TrimSpace(src.Title) == "" {
			c.add(SourceRecord, i, "title", fmt.Errorf("%w: title", ErrMissingField))
		}
		if old, ok := c.snap.Source(src.ID); ok && *old != *src {
			c.add(SourceRecord, i, "id", fmt.Errorf("%w: source %q is stored with other content", ErrConflict, src.ID))
		}
	}
}

func (c *checker) checkReferences() {
	for i := range c.b.References {
		r := &c.b.References[i]
		c.id(ReferenceRecord, i, r.ID, c.refs)
		if strings.TrimSpace(r.Citation) == "" {
			c.add(ReferenceRecord, i, "citation", fmt.Errorf("%w: citation", ErrMissingField))
		}
		for j, a := range r.Authors {
			if strings.TrimSpace(a) == "" || strings.Contains(a, AuthorSeparator) {
				c.add(ReferenceRecord, i, fmt.Sprintf("authors[%d]", j), fmt.Errorf("%w: author %q (empty, or contains %q)", ErrInvalidValue, a, AuthorSeparator))
			}
		}
		if r.Year != 0 && (r.Year < 1000 || r.Year > 9999) {
			c.add(ReferenceRecord, i, "year", fmt.Errorf("%w: year %d", ErrInvalidValue, r.Year))
		}
		if r.DOI != "" && !doiPattern.MatchString(r.DOI) {
			c.add(ReferenceRecord, i, "doi", fmt.Errorf("%w: doi %q (want the bare DOI, 10.NNNN/…, without doi: or https://doi.org/)", ErrInvalidValue, r.DOI))
		}
		if r.PMID != "" && !pmidPattern.MatchString(r.PMID) {
			c.add(ReferenceRecord, i, "pmid", fmt.Errorf("%w: pmid %q (want digits only, without PMID:)", ErrInvalidValue, r.PMID))
		}
		if old, ok := c.snap.Reference(r.ID); ok && !sameReference(old, r) {
			c.add(ReferenceRecord, i, "id", fmt.Errorf("%w: reference %q is stored with other content", ErrConflict, r.ID))
		}
	}
}

func (c *checker) checkEntities() {
	for i := range c.b.Entities {
		e := &c.b.Entities[i]
		c.id(EntityRecord, i, e.ID, c.entities)
		if strings.TrimSpace(e.Name) == "" {
			c.add(EntityRecord, i, "name", fmt.Errorf("%w: name", ErrMissingField))
		}
		if e.Kind == "" {
			c.add(EntityRecord, i, "kind", fmt.Errorf("%w: kind", ErrMissingField))
		} else if !e.Kind.Valid() {
			c.add(EntityRecord, i, "kind", fmt.Errorf("%w: kind %q (want one of %v)", ErrInvalidValue, e.Kind, Kinds))
		}
		c.curies(EntityRecord, i, "categories", "category", "biolink:Gene", e.Categories)
		c.curies(EntityRecord, i, "xrefs", "xref", "PREFIX:local", e.Xrefs)
		if old, ok := c.snap.Entity(e.ID); ok && !sameEntity(old, e) {
			c.add(EntityRecord, i, "id", fmt.Errorf("%w: entity %q is stored with other content", ErrConflict, e.ID))
		}
		c.labels(i, e)
	}
}

// labels checks an entity's name and synonyms. Several entities may share
// one (orthologs, a gene and its disease): a label names an entity, it does
// not identify it.
func (c *checker) labels(i int, e *Entity) {
	for j, n := range e.Synonyms {
		if Normalize(n) == "" {
			c.add(EntityRecord, i, fmt.Sprintf("synonyms[%d]", j), fmt.Errorf("%w: empty synonym", ErrInvalidValue))
		}
	}
}

func (c *checker) checkLinks() {
	for i := range c.b.Links {
		l := &c.b.Links[i]
		c.linkID(i, l)
		c.ends(i, l)
		if l.Effect == "" {
			c.add(LinkRecord, i, "effect", fmt.Errorf("%w: effect", ErrMissingField))
		} else if !l.Effect.Valid() {
			c.add(LinkRecord, i, "effect", fmt.Errorf("%w: effect %q (want INCREASES or DECREASES)", ErrInvalidValue, l.Effect))
		}
		if l.Predicate == "" {
			c.add(LinkRecord, i, "predicate", fmt.Errorf("%w: predicate", ErrMissingField))
		} else if err := CheckPredicate(l.Predicate, l.Effect); err != nil {
			c.add(LinkRecord, i, "predicate", err)
		}
		if math.IsNaN(l.Confidence) || l.Confidence < 0 || l.Confidence > 1 {
			c.add(LinkRecord, i, "confidence", fmt.Errorf("%w: confidence %v is not in 0..1", ErrInvalidValue, l.Confidence))
		}
		if !l.Provenanced() {
			c.add(LinkRecord, i, "evidence", fmt.Errorf("%w: a link needs at least one evidence item", ErrMissingEvidence))
		}
		c.evidence(LinkRecord, i, l.Evidence)
		c.shortcuts(i, l)
		c.sameAssertion(i, l)
	}
}

// linkID checks a link's id. Links of one batch may share an id when they
// state the same assertion (they are merged), not otherwise.
func (c *checker) linkID(i int, l *Link) {
	switch {
	case l.ID == "":
		c.add(LinkRecord, i, "id", fmt.Errorf("%w: id", ErrMissingField))
		return
	case !idPattern.MatchString(l.ID):
		c.add(LinkRecord, i, "id", fmt.Errorf("%w: id %q must match %s", ErrInvalidValue, l.ID, idPattern))
		return
	}
	key := l.Key()
	if k, dup := c.linkKeys[l.ID]; dup && k != key {
		c.add(LinkRecord, i, "id", fmt.Errorf("%w: link %q is also link #%d, another assertion", ErrDuplicateID, l.ID, c.links[l.ID]))
		return
	}
	if _, seen := c.linkKeys[l.ID]; !seen {
		c.linkKeys[l.ID], c.links[l.ID] = key, i
	}
}

// sameAssertion checks a link against what is stored and what the batch
// said before: its id may not name another assertion, and an evidence item
// may repeat one already there only with the same content.
func (c *checker) sameAssertion(i int, l *Link) {
	key := l.Key()
	if old, ok := c.snap.Link(l.ID); ok && old.Key() != key {
		c.add(LinkRecord, i, "id", fmt.Errorf("%w: link %q is stored as another assertion (%s %s %s)", ErrConflict, l.ID, old.Subject, old.Effect, old.Object))
	}
	var known []*Link
	if old, ok := c.snap.Assertion(key); ok {
		known = append(known, old)
	}
	if prev, ok := c.assertions[key]; ok {
		known = append(known, prev)
	} else {
		c.assertions[key] = l
	}
	for j := range l.Evidence {
		for _, k := range known {
			if clash := evidenceClash(k, &l.Evidence[j]); clash != "" {
				c.add(LinkRecord, i, fmt.Sprintf("evidence[%d]", j), fmt.Errorf("%w: evidence %s of link %q is stored with other content", ErrConflict, clash, k.ID))
			}
		}
	}
}

// evidenceClash names the evidence key of e when l holds an item with that
// key and other content; "" otherwise.
func evidenceClash(l *Link, e *Evidence) string {
	key := EvidenceKey(e)
	for i := range l.Evidence {
		if EvidenceKey(&l.Evidence[i]) == key && !sameEvidence(&l.Evidence[i], e) {
			return key
		}
	}
	return ""
}

// ends checks a link's subject and object: given, and known (in the batch
// or the store). They may be one entity: autoregulation, a factor acting on
// its own gene, is ordinary biology (traversals never step along such a
// link; loops report it as a loop of length 1).
func (c *checker) ends(i int, l *Link) {
	for _, end := range []struct{ field, id string }{{"subject", l.Subject}, {"object", l.Object}} {
		switch {
		case end.id == "":
			c.add(LinkRecord, i, end.field, fmt.Errorf("%w: %s", ErrMissingField, end.field))
		case !c.hasEntity(end.id):
			c.add(LinkRecord, i, end.field, c.unknownEntity(end.id))
		}
	}
}

// unknownEntity is the error for an id no entity has: an old id (an
// alias) says which id to use instead.
func (c *checker) unknownEntity(id string) error {
	if j, ok := c.aliases[id]; ok {
		return fmt.Errorf("%w %q: it is an alias of %q, use that id", ErrUnknownEntity, id, c.b.Entities[j].ID)
	}
	if e, ok := c.snap.Alias(id); ok {
		return fmt.Errorf("%w %q: it is an alias of %q, use that id", ErrUnknownEntity, id, e.ID)
	}
	return fmt.Errorf("%w %q", ErrUnknownEntity, id)
}

func (c *checker) hasEntity(id string) bool {
	if _, ok := c.entities[id]; ok {
		return true
	}
	_, ok := c.snap.Entity(id)
	return ok
}

// evidence checks the evidence items of a link or relation: a quote, a
// known source, known references, each listed once.
func (c *checker) evidence(record RecordKind, i int, evs []Evidence) {
	var keys map[string]int // only a record of several items can repeat one
	if len(evs) > 1 {
		keys = make(map[string]int, len(evs))
	}
	for j := range evs {
		ev := &evs[j]
		// The field's name is built only for a problem: a load checks
		// every row.
		f := func(suffix string) string { return fmt.Sprintf("evidence[%d]%s", j, suffix) }
		if keys != nil {
			if k, dup := keys[EvidenceKey(ev)]; dup {
				c.add(record, i, f(""), fmt.Errorf("%w: evidence[%d] repeats evidence[%d] (the same source and key, quote or place)", ErrDuplicateID, j, k))
			} else {
				keys[EvidenceKey(ev)] = j
			}
		}
		if ev.KnowledgeLevel != "" && !ev.KnowledgeLevel.Valid() {
			c.add(record, i, f(".knowledge_level"), fmt.Errorf("%w: knowledge level %q (want one of %v)", ErrInvalidValue, ev.KnowledgeLevel, KnowledgeLevels))
		}
		if ev.AgentType != "" && !ev.AgentType.Valid() {
			c.add(record, i, f(".agent_type"), fmt.Errorf("%w: agent type %q (want one of %v)", ErrInvalidValue, ev.AgentType, AgentTypes))
		}
		// A curator's reading of a quote says why; a bare item (a file's
		// word for the claim, as a KGX edge gives it) has nowhere to.
		if ev.KnowledgeLevel == LogicalEntailment && strings.TrimSpace(ev.Reasoning) == "" && strings.TrimSpace(ev.Quote) != "" {
			c.add(record, i, f(".reasoning"), fmt.Errorf("%w: an inferred claim (logical_entailment) needs its reasoning", ErrMissingField))
		}
		if len(ev.Publications) > 0 {
			c.curies(record, i, f(".publications"), "publication", "PMID:123", ev.Publications)
		}
		if ev.HasContext() {
			c.context(i, ev, f)
		}
		// An item without a quote is a row of a database or file: it must
		// say which (Key or At) or cite publications.
		if strings.TrimSpace(ev.Quote) == "" && ev.Key == "" && ev.At == "" && len(ev.Publications) == 0 {
			c.add(record, i, f(".quote"), fmt.Errorf("%w", ErrEmptyQuote))
		}
		if ev.Source == "" {
			c.add(record, i, f(".source"), fmt.Errorf("%w: source", ErrMissingField))
		} else if _, ok := c.sources[ev.Source]; !ok && !has(c.snap.Source(ev.Source)) {
			c.add(record, i, f(".source"), fmt.Errorf("%w %q", ErrUnknownSource, ev.Source))
		}
		for k, r := range ev.References {
			if _, ok := c.refs[r]; !ok && !has(c.snap.Reference(r)) {
				c.add(record, i, f(fmt.Sprintf(".references[%d]", k)), fmt.Errorf("%w %q", ErrUnknownReference, r))
			}
			if slices.Index(ev.References, r) < k {
				c.add(record, i, f(fmt.Sprintf(".references[%d]", k)), fmt.Errorf("%w: reference %q listed twice", ErrDuplicateID, r))
			}
		}
	}
}

// context checks an item's context: the taxon an NCBITaxon CURIE,
// aggregators CURIEs, a finite score.
func (c *checker) context(i int, ev *Evidence, f func(string) string) {
	if ev.Taxon != "" && !strings.HasPrefix(ev.Taxon, "NCBITaxon:") {
		c.add(LinkRecord, i, f(".taxon"), fmt.Errorf("%w: taxon %q is not an NCBITaxon CURIE (NCBITaxon:9606)", ErrInvalidValue, ev.Taxon))
	}
	if len(ev.Aggregators) > 0 {
		c.curies(LinkRecord, i, f(".aggregators"), "aggregator", "infores:signor", ev.Aggregators)
	}
	if ev.Score != nil && (math.IsNaN(*ev.Score) || math.IsInf(*ev.Score, 0)) {
		c.add(LinkRecord, i, f(".score"), fmt.Errorf("%w: score %v is not a finite number", ErrInvalidValue, *ev.Score))
	}
}

// Same reports whether e and o have the same content (synonyms, xrefs
// and categories compared as sets): storing o where e is stored changes
// nothing.
func (e *Entity) Same(o *Entity) bool { return sameEntity(e, o) }

func sameEntity(a, b *Entity) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Kind == b.Kind && a.Description == b.Description &&
		sameSet(a.Synonyms, b.Synonyms) && sameSet(a.Xrefs, b.Xrefs) && sameSet(a.Categories, b.Categories) &&
		sameSet(a.Aliases, b.Aliases)
}

func sameReference(a, b *Reference) bool {
	return a.ID == b.ID && a.Citation == b.Citation && slices.Equal(a.Authors, b.Authors) &&
		a.Title == b.Title && a.Journal == b.Journal && a.Year == b.Year &&
		a.AsCited == b.AsCited && a.Volume == b.Volume && a.Pages == b.Pages && a.DOI == b.DOI && a.PMID == b.PMID && a.Note == b.Note
}

// SameRelation reports whether r and o say the same (evidence compared
// item by item, in order).
func SameRelation(r, o *Relation) bool {
	return r.Key() == o.Key() && r.Note == o.Note && slices.EqualFunc(r.Evidence, o.Evidence, func(x, y Evidence) bool { return sameEvidence(&x, &y) })
}

func sameEvidence(x, y *Evidence) bool {
	return x.Key == y.Key && x.Source == y.Source && x.Level() == y.Level() && x.Agent() == y.Agent() &&
		x.Quote == y.Quote && x.Section == y.Section && x.Reasoning == y.Reasoning &&
		sameSet(x.References, y.References) && sameSet(x.Publications, y.Publications) && sameContext(x, y)
}

func sameContext(x, y *Evidence) bool {
	return x.Negated == y.Negated && x.Taxon == y.Taxon && x.Mechanism == y.Mechanism &&
		sameSet(x.CellTypes, y.CellTypes) && sameSet(x.Tissues, y.Tissues) && sameSet(x.Aggregators, y.Aggregators) &&
		samePtr(x.Direct, y.Direct) && samePtr(x.Score, y.Score)
}

func samePtr[T comparable](a, b *T) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func has[T any](_ T, ok bool) bool { return ok }

func validUTF8(vals ...string) bool {
	for _, v := range vals {
		if !utf8.ValidString(v) {
			return false
		}
	}
	return true
}

// AuthorSeparator may not occur in an author's name: stores and exports
// join a reference's authors with it.
const AuthorSeparator = "; "
