package graph

import (
	"fmt"
	"slices"
	"strings"
)

// checkAliases checks entities' old ids: each a well-formed id, named by
// one entity only, and the id of no entity (an alias finds its entity as
// its id does, so it must not be ambiguous).
func (c *checker) checkAliases() {
	for i := range c.b.Entities {
		e := &c.b.Entities[i]
		for j, a := range e.Aliases {
			f := fmt.Sprintf("aliases[%d]", j)
			switch {
			case !idPattern.MatchString(a):
				c.add(EntityRecord, i, f, fmt.Errorf("%w: alias %q must match %s", ErrInvalidValue, a, idPattern))
			case a == e.ID:
				c.add(EntityRecord, i, f, fmt.Errorf("%w: alias %q is the entity's own id", ErrInvalidValue, a))
			case slices.Index(e.Aliases, a) < j:
				c.add(EntityRecord, i, f, fmt.Errorf("%w: alias %q listed twice", ErrDuplicateID, a))
			default:
				c.alias(i, f, e, a)
			}
		}
	}
	for i := range c.b.Entities { // an entity whose id a stored entity has as an old id
		e := &c.b.Entities[i]
		if other, ok := c.snap.Alias(e.ID); ok && other.ID != e.ID {
			c.add(EntityRecord, i, "id", fmt.Errorf("%w: id %q is an alias of stored entity %q", ErrConflict, e.ID, other.ID))
		}
	}
}

// alias checks one alias a of entity e (batch index i) against the
// batch's other entities and the store.
func (c *checker) alias(i int, field string, e *Entity, a string) {
	if _, ok := c.entities[a]; ok {
		c.add(EntityRecord, i, field, fmt.Errorf("%w: alias %q is the id of entity #%d", ErrDuplicateID, a, c.entities[a]))
		return
	}
	if _, ok := c.snap.Entity(a); ok {
		c.add(EntityRecord, i, field, fmt.Errorf("%w: alias %q is the id of a stored entity", ErrConflict, a))
		return
	}
	if k, ok := c.aliases[a]; ok {
		c.add(EntityRecord, i, field, fmt.Errorf("%w: alias %q is also an alias of entity #%d", ErrDuplicateID, a, k))
		return
	}
	if other, ok := c.snap.Alias(a); ok && other.ID != e.ID {
		c.add(EntityRecord, i, field, fmt.Errorf("%w: alias %q is an alias of stored entity %q", ErrConflict, a, other.ID))
		return
	}
	c.aliases[a] = i
}

// checkLinkAliases checks the other ids a link is found by (a curated
// file's aliases: ids of links merged into it): well-formed, not its own,
// and naming no other assertion of the batch or the store.
func (c *checker) checkLinkAliases() {
	for i := range c.b.Links {
		l := &c.b.Links[i]
		for j, a := range l.Aliases {
			f := fmt.Sprintf("aliases[%d]", j)
			switch {
			case !idPattern.MatchString(a):
				c.add(LinkRecord, i, f, fmt.Errorf("%w: alias %q must match %s", ErrInvalidValue, a, idPattern))
			case a == l.ID:
				c.add(LinkRecord, i, f, fmt.Errorf("%w: alias %q is the link's own id", ErrInvalidValue, a))
			case c.linkKeys[a] != (AssertionKey{}) && c.linkKeys[a] != l.Key():
				c.add(LinkRecord, i, f, fmt.Errorf("%w: alias %q is the id of link #%d, another assertion", ErrDuplicateID, a, c.links[a]))
			default:
				if old, ok := c.snap.Link(a); ok && old.Key() != l.Key() {
					c.add(LinkRecord, i, f, fmt.Errorf("%w: alias %q names a stored link of another assertion (%s %s %s)", ErrConflict, a, old.Subject, old.Effect, old.Object))
				}
			}
		}
	}
}

// shortcuts checks the chains a link summarises: each starts at its
// subject, ends at its object, passes at least one entity between, and
// names known entities, none twice.
func (c *checker) shortcuts(i int, l *Link) {
	for j, chain := range l.ShortcutOf {
		f := fmt.Sprintf("shortcut_of[%d]", j)
		switch {
		case len(chain) < 3:
			c.add(LinkRecord, i, f, fmt.Errorf("%w: a chain the link summarises has at least 3 entities (subject, one between, object), not %d", ErrInvalidValue, len(chain)))
			continue
		case chain[0] != l.Subject || chain[len(chain)-1] != l.Object:
			c.add(LinkRecord, i, f, fmt.Errorf("%w: chain %s must start at the link's subject %q and end at its object %q", ErrInvalidValue, strings.Join(chain, ">"), l.Subject, l.Object))
		}
		for k, id := range chain {
			ff := fmt.Sprintf("%s[%d]", f, k)
			switch {
			case id == "":
				c.add(LinkRecord, i, ff, fmt.Errorf("%w: entity id", ErrMissingField))
			case !c.hasEntity(id):
				c.add(LinkRecord, i, ff, c.unknownEntity(id))
			case slices.Index(chain, id) < k:
				c.add(LinkRecord, i, ff, fmt.Errorf("%w: chain %s passes %q twice", ErrInvalidValue, strings.Join(chain, ">"), id))
			}
		}
	}
}

// checkRelations checks part-of and subclass-of relations: a known
// predicate between two known entities, evidence as a link's. A relation
// stated twice (in the batch, or stored) is one, with the evidence of
// both, as an assertion is: an evidence item may repeat one already there
// only with the same content, and two notes must agree.
func (c *checker) checkRelations() {
	seen := map[string]*Relation{}
	for i := range c.b.Relations {
		r := &c.b.Relations[i]
		switch {
		case r.Predicate == "":
			c.add(RelationRecord, i, "predicate", fmt.Errorf("%w: predicate", ErrMissingField))
		case !slices.Contains(RelationPredicates, r.Predicate):
			c.add(RelationRecord, i, "predicate", fmt.Errorf("%w: %q is not a structural predicate (want one of %v); a causal claim is a link", ErrPredicate, r.Predicate, RelationPredicates))
		}
		for _, end := range []struct{ field, id string }{{"subject", r.Subject}, {"object", r.Object}} {
			switch {
			case end.id == "":
				c.add(RelationRecord, i, end.field, fmt.Errorf("%w: %s", ErrMissingField, end.field))
			case !c.hasEntity(end.id):
				c.add(RelationRecord, i, end.field, c.unknownEntity(end.id))
			}
		}
		if r.Subject != "" && r.Subject == r.Object {
			c.add(RelationRecord, i, "object", fmt.Errorf("%w: %q %s itself", ErrInvalidValue, r.Subject, r.Predicate))
		}
		if len(r.Evidence) == 0 {
			c.add(RelationRecord, i, "evidence", fmt.Errorf("%w: a relation needs at least one evidence item", ErrMissingEvidence))
		}
		c.evidence(RelationRecord, i, r.Evidence)
		var known []*Relation
		if old, ok := c.snap.Relation(r.Key()); ok {
			known = append(known, old)
		}
		if prev, ok := seen[r.Key()]; ok {
			known = append(known, prev)
		} else {
			seen[r.Key()] = r
		}
		c.sameRelation(i, r, known)
	}
}

// sameRelation checks r against the relations of its key already known.
func (c *checker) sameRelation(i int, r *Relation, known []*Relation) {
	for _, k := range known {
		if k.Note != "" && r.Note != "" && k.Note != r.Note {
			c.add(RelationRecord, i, "note", fmt.Errorf("%w: relation %s is stated with another note", ErrConflict, r.Key()))
		}
		for j := range r.Evidence {
			for m := range k.Evidence {
				if EvidenceKey(&k.Evidence[m]) == EvidenceKey(&r.Evidence[j]) && !sameEvidence(&k.Evidence[m], &r.Evidence[j]) {
					c.add(RelationRecord, i, fmt.Sprintf("evidence[%d]", j), fmt.Errorf("%w: evidence %s of relation %s is stated with other content", ErrConflict, EvidenceKey(&r.Evidence[j]), r.Key()))
				}
			}
		}
	}
}
