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
)

// CheckBatch validates b on its own, as if it were written to an empty
// store. It finds every problem at once.
func CheckBatch(b *Batch) Problems {
	return Check(b, nothingStored{})
}

// Stored is what Check validates a batch against: the records a store
// holds, by id, and the entities a normalized label names.
type Stored interface {
	Source(id string) (*Source, bool)
	Reference(id string) (*Reference, bool)
	Entity(id string) (*Entity, bool)
	Link(id string) (*Link, bool)
	// Named lists the ids of the entities with a label (id, name or
	// synonym) whose Normalize is key.
	Named(key string) []string
}

type nothingStored struct{}

func (nothingStored) Source(string) (*Source, bool)       { return nil, false }
func (nothingStored) Reference(string) (*Reference, bool) { return nil, false }
func (nothingStored) Entity(string) (*Entity, bool)       { return nil, false }
func (nothingStored) Link(string) (*Link, bool)           { return nil, false }
func (nothingStored) Named(string) []string               { return nil }

// Check validates b against what snap already holds. A record whose id is
// already in the store must be identical to the stored one (loading the same
// file twice is harmless); a different record under the same id is a conflict.
func Check(b *Batch, snap Stored) Problems {
	var ps Problems
	add := func(record string, i int, field string, err error) {
		ps = append(ps, Problem{Record: record, Index: i, Field: field, Err: err})
	}
	checkID := func(record string, i int, id string, seen map[string]int) {
		switch {
		case id == "":
			add(record, i, "id", fmt.Errorf("%w: id", ErrMissingField))
		case !idPattern.MatchString(id):
			add(record, i, "id", fmt.Errorf("%w: id %q must match %s", ErrInvalidValue, id, idPattern))
		default:
			if j, dup := seen[id]; dup {
				add(record, i, "id", fmt.Errorf("%w: %s %q is also %s #%d", ErrDuplicateID, record, id, record, j))
			} else {
				seen[id] = i
			}
		}
	}

	// Every text must be UTF-8: stores that keep strings as protocol
	// buffers (bolt, SQL) refuse anything else mid-write.
	text := func(record string, i int, field string, vals ...string) {
		for _, v := range vals {
			if !utf8.ValidString(v) {
				add(record, i, field, fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidValue, field))
				return
			}
		}
	}
	for i, x := range b.Sources {
		text("source", i, "title", x.Title)
	}
	for i, x := range b.References {
		text("reference", i, "citation", x.Citation, x.Title, x.Journal)
		text("reference", i, "authors", x.Authors...)
	}
	for i, x := range b.Entities {
		text("entity", i, "name", x.Name, x.Description)
		text("entity", i, "synonyms", x.Synonyms...)
		text("entity", i, "xrefs", x.Xrefs...)
		text("entity", i, "categories", x.Categories...)
	}
	for i, x := range b.Links {
		text("link", i, "mechanism", x.Mechanism, x.KnowledgeSource)
		text("link", i, "publications", x.Publications...)
		for j, ev := range x.Evidence {
			text("link", i, fmt.Sprintf("evidence[%d].quote", j), ev.Quote, ev.Section)
		}
	}

	sources := map[string]int{}
	for i := range b.Sources {
		src := &b.Sources[i]
		checkID("source", i, src.ID, sources)
		if strings.TrimSpace(src.Title) == "" {
			add("source", i, "title", fmt.Errorf("%w: title", ErrMissingField))
		}
		if old, ok := snap.Source(src.ID); ok && *old != *src {
			add("source", i, "id", fmt.Errorf("%w: source %q is stored with other content", ErrConflict, src.ID))
		}
	}
	refs := map[string]int{}
	for i := range b.References {
		r := &b.References[i]
		checkID("reference", i, r.ID, refs)
		if strings.TrimSpace(r.Citation) == "" {
			add("reference", i, "citation", fmt.Errorf("%w: citation", ErrMissingField))
		}
		for j, a := range r.Authors {
			if strings.TrimSpace(a) == "" || strings.Contains(a, AuthorSeparator) {
				add("reference", i, fmt.Sprintf("authors[%d]", j), fmt.Errorf("%w: author %q (empty, or contains %q)", ErrInvalidValue, a, AuthorSeparator))
			}
		}
		if r.Year != 0 && (r.Year < 1000 || r.Year > 9999) {
			add("reference", i, "year", fmt.Errorf("%w: year %d", ErrInvalidValue, r.Year))
		}
		if old, ok := snap.Reference(r.ID); ok && !sameReference(old, r) {
			add("reference", i, "id", fmt.Errorf("%w: reference %q is stored with other content", ErrConflict, r.ID))
		}
	}

	entities := map[string]int{}
	names := map[string]string{} // normalized name or synonym -> entity id, for this batch
	for i := range b.Entities {
		e := &b.Entities[i]
		checkID("entity", i, e.ID, entities)
		if strings.TrimSpace(e.Name) == "" {
			add("entity", i, "name", fmt.Errorf("%w: name", ErrMissingField))
		}
		if e.Kind == "" {
			add("entity", i, "kind", fmt.Errorf("%w: kind", ErrMissingField))
		} else if !e.Kind.Valid() {
			add("entity", i, "kind", fmt.Errorf("%w: kind %q (want one of %v)", ErrInvalidValue, e.Kind, Kinds))
		}
		for j, c := range e.Categories {
			if !curiePattern.MatchString(c) {
				add("entity", i, fmt.Sprintf("categories[%d]", j), fmt.Errorf("%w: category %q is not a CURIE (biolink:Gene)", ErrInvalidValue, c))
			}
		}
		for j, x := range e.Xrefs {
			if !curiePattern.MatchString(x) {
				add("entity", i, fmt.Sprintf("xrefs[%d]", j), fmt.Errorf("%w: xref %q is not a CURIE (PREFIX:local)", ErrInvalidValue, x))
			}
		}
		old, stored := snap.Entity(e.ID)
		if stored && !sameEntity(old, e) {
			add("entity", i, "id", fmt.Errorf("%w: entity %q is stored with other content", ErrConflict, e.ID))
		}
		// Ids, names and synonyms must each point at one entity only, or a
		// name in a query could mean two things.
		labels := append([]string{e.ID, e.Name}, e.Synonyms...)
		for j, n := range labels {
			field := "id"
			switch {
			case j == 1:
				field = "name"
			case j > 1:
				field = fmt.Sprintf("synonyms[%d]", j-2)
			}
			k := Normalize(n)
			if k == "" {
				if j > 1 {
					add("entity", i, field, fmt.Errorf("%w: empty synonym", ErrInvalidValue))
				}
				continue
			}
			if other, ok := names[k]; ok && other != e.ID {
				add("entity", i, field, fmt.Errorf("%w: %q is also a name of %q", ErrNameClash, n, other))
				continue
			}
			names[k] = e.ID
			for _, other := range snap.Named(k) {
				if other != e.ID {
					add("entity", i, field, fmt.Errorf("%w: %q is also a name of %q", ErrNameClash, n, other))
				}
			}
		}
	}
	hasEntity := func(id string) bool {
		if _, ok := entities[id]; ok {
			return true
		}
		_, ok := snap.Entity(id)
		return ok
	}

	links := map[string]int{}
	for i := range b.Links {
		l := &b.Links[i]
		checkID("link", i, l.ID, links)
		for _, end := range []struct{ field, id string }{{"subject", l.Subject}, {"object", l.Object}} {
			switch {
			case end.id == "":
				add("link", i, end.field, fmt.Errorf("%w: %s", ErrMissingField, end.field))
			case !hasEntity(end.id):
				add("link", i, end.field, fmt.Errorf("%w %q", ErrUnknownEntity, end.id))
			}
		}
		if l.Subject != "" && l.Subject == l.Object {
			add("link", i, "object", fmt.Errorf("%w: a link from %q to itself", ErrInvalidValue, l.Object))
		}
		if l.Effect == "" {
			add("link", i, "effect", fmt.Errorf("%w: effect", ErrMissingField))
		} else if !l.Effect.Valid() {
			add("link", i, "effect", fmt.Errorf("%w: effect %q (want INCREASES or DECREASES)", ErrInvalidValue, l.Effect))
		}
		if l.Predicate == "" {
			add("link", i, "predicate", fmt.Errorf("%w: predicate", ErrMissingField))
		} else if err := CheckPredicate(l.Predicate, l.Effect); err != nil {
			add("link", i, "predicate", err)
		}
		if math.IsNaN(l.Confidence) || l.Confidence < 0 || l.Confidence > 1 {
			add("link", i, "confidence", fmt.Errorf("%w: confidence %v is not in 0..1", ErrInvalidValue, l.Confidence))
		}
		if !l.Provenanced() {
			add("link", i, "evidence", fmt.Errorf("%w: a link needs at least one quote, a publication or a knowledge source", ErrMissingEvidence))
		}
		for j, p := range l.Publications {
			if !curiePattern.MatchString(p) {
				add("link", i, fmt.Sprintf("publications[%d]", j), fmt.Errorf("%w: publication %q is not a CURIE (PMID:123)", ErrInvalidValue, p))
			}
		}
		for j, ev := range l.Evidence {
			f := fmt.Sprintf("evidence[%d]", j)
			if strings.TrimSpace(ev.Quote) == "" {
				add("link", i, f+".quote", fmt.Errorf("%w", ErrEmptyQuote))
			}
			if ev.Source == "" {
				add("link", i, f+".source", fmt.Errorf("%w: source", ErrMissingField))
			} else if _, ok := sources[ev.Source]; !ok && !has(snap.Source(ev.Source)) {
				add("link", i, f+".source", fmt.Errorf("%w %q", ErrUnknownSource, ev.Source))
			}
			for k, r := range ev.References {
				if _, ok := refs[r]; !ok && !has(snap.Reference(r)) {
					add("link", i, fmt.Sprintf("%s.references[%d]", f, k), fmt.Errorf("%w %q", ErrUnknownReference, r))
				}
				if slices.Index(ev.References, r) < k {
					add("link", i, fmt.Sprintf("%s.references[%d]", f, k), fmt.Errorf("%w: reference %q listed twice", ErrDuplicateID, r))
				}
			}
		}
		if old, ok := snap.Link(l.ID); ok && !sameLink(old, l) {
			add("link", i, "id", fmt.Errorf("%w: link %q is stored with other content", ErrConflict, l.ID))
		}
	}
	return ps
}

// Same reports whether e and o have the same content (synonyms, xrefs
// and categories compared as sets): storing o where e is stored changes
// nothing.
func (e *Entity) Same(o *Entity) bool { return sameEntity(e, o) }

func sameEntity(a, b *Entity) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Kind == b.Kind && a.Description == b.Description &&
		sameSet(a.Synonyms, b.Synonyms) && sameSet(a.Xrefs, b.Xrefs) && sameSet(a.Categories, b.Categories)
}

func sameReference(a, b *Reference) bool {
	return a.ID == b.ID && a.Citation == b.Citation && slices.Equal(a.Authors, b.Authors) &&
		a.Title == b.Title && a.Journal == b.Journal && a.Year == b.Year
}

func sameLink(a, b *Link) bool {
	if a.ID != b.ID || a.Subject != b.Subject || a.Object != b.Object || a.Effect != b.Effect ||
		a.Predicate != b.Predicate || a.Mechanism != b.Mechanism || a.Confidence != b.Confidence ||
		len(a.Evidence) != len(b.Evidence) || a.KnowledgeSource != b.KnowledgeSource || !sameSet(a.Publications, b.Publications) {
		return false
	}
	for i := range a.Evidence {
		x, y := a.Evidence[i], b.Evidence[i]
		if x.Quote != y.Quote || x.Section != y.Section || x.Source != y.Source || !sameSet(x.References, y.References) {
			return false
		}
	}
	return true
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(slices.Compact(x), slices.Compact(y))
}

func has[T any](_ T, ok bool) bool { return ok }

// AuthorSeparator may not occur in an author's name: stores and exports
// join a reference's authors with it.
const AuthorSeparator = "; "
