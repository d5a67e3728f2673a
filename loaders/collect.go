package loaders

import (
	"fmt"
	"hash/maphash"
	"reflect"
)

// collector keeps the records a load reads, within its Limits, and counts
// the rows: a record that repeats one already kept is counted, not kept;
// an ignored record is counted by reason; a record with a text longer than Limits.Text is a problem; and
// problems past Limits.Problems are counted, not kept.
type collector struct {
	lim      Limits
	recs     []Record
	seen     map[uint64][]int // a record's hash -> indexes in recs
	seed     maphash.Seed
	repeated int
	ignored  map[string]int // by reason
	rows     int            // rows read: records (but implicit ones), repeats, ignored, problems
	badRows  int            // rows that were problems
	bad      problemList
}

func newCollector(lim Limits) *collector {
	return &collector{lim: lim, seen: map[uint64][]int{}, ignored: map[string]int{}, seed: maphash.MakeSeed(), bad: problemList{max: lim.Problems}}
}

func (c *collector) add(r Record) {
	if !r.Implicit {
		c.rows++
	}
	if r.Ignored != "" {
		c.ignored[r.Ignored]++
		return
	}
	if pe := c.oversized(&r); pe != nil {
		c.bad.add(pe)
		c.badRows++
		return
	}
	h := c.hash(&r)
	for _, i := range c.seen[h] {
		if sameRecord(&c.recs[i], &r) {
			if !r.Implicit {
				c.repeated++
			}
			return
		}
	}
	c.seen[h] = append(c.seen[h], len(c.recs))
	c.recs = append(c.recs, r)
}

// hash hashes what tells records apart most often; sameRecord decides.
func (c *collector) hash(r *Record) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	r.texts(func(_, s string) bool {
		h.WriteString(s)
		h.WriteByte(0)
		return true
	})
	return h.Sum64()
}

// sameRecord reports whether two records say the same, wherever they
// stand.
func sameRecord(a, b *Record) bool {
	return a.ByName == b.ByName && a.Implicit == b.Implicit && a.own == b.own &&
		reflect.DeepEqual(a.Entity, b.Entity) && reflect.DeepEqual(a.Link, b.Link) &&
		reflect.DeepEqual(a.Source, b.Source) && reflect.DeepEqual(a.Reference, b.Reference) && reflect.DeepEqual(a.Relation, b.Relation)
}

// oversized reports a text of r longer than Limits.Text, at its field.
func (c *collector) oversized(r *Record) *ParseError {
	var pe *ParseError
	r.texts(func(field, s string) bool {
		if len(s) <= c.lim.Text {
			return true
		}
		at := r.Pos
		if r.Locate != nil {
			if p, ok := r.Locate(field); ok {
				at = p
			}
		}
		pe = tooLarge(at, field, int64(c.lim.Text), "max-text")
		return false
	})
	return pe
}

// texts calls yield with every text of r and the name of its field, as
// graph.Problem names fields, until yield returns false. A kind and an
// effect are not texts: graph checks them against short lists.
func (r *Record) texts(yield func(field, s string) bool) {
	list := func(field string, l []string) bool {
		for i, s := range l {
			if !yield(fmt.Sprintf("%s[%d]", field, i), s) {
				return false
			}
		}
		return true
	}
	switch {
	case r.Entity != nil:
		e := r.Entity
		_ = yield("id", e.ID) && yield("name", e.Name) && yield("description", e.Description) &&
			list("synonyms", e.Synonyms) && list("xrefs", e.Xrefs) && list("categories", e.Categories) && list("aliases", e.Aliases)
	case r.Link != nil:
		l := r.Link
		ok := yield("id", l.ID) && yield("subject", l.Subject) && yield("object", l.Object) && yield("predicate", l.Predicate) && yield("mechanism", l.Mechanism)
		for i, ev := range l.Evidence {
			f := fmt.Sprintf("evidence[%d]", i)
			ok = ok && yield(f+".quote", ev.Quote) && yield(f+".section", ev.Section) && yield(f+".source", ev.Source) &&
				yield(f+".reasoning", ev.Reasoning) &&
				list(f+".references", ev.References) && list(f+".publications", ev.Publications)
		}
	case r.Source != nil:
		x := r.Source
		_ = yield("id", x.ID) && yield("title", x.Title) && yield("description", x.Description) && yield("url", x.URL) &&
			yield("version", x.Version) && yield("license", x.License)
	case r.Reference != nil:
		x := r.Reference
		_ = yield("id", x.ID) && yield("citation", x.Citation) && yield("title", x.Title) && yield("journal", x.Journal) &&
			list("authors", x.Authors) && yield("as_cited", x.AsCited) && yield("note", x.Note)
	case r.Relation != nil:
		x := r.Relation
		ok := yield("subject", x.Subject) && yield("predicate", x.Predicate) && yield("object", x.Object) && yield("note", x.Note)
		for i, ev := range x.Evidence {
			f := fmt.Sprintf("evidence[%d]", i)
			ok = ok && yield(f+".quote", ev.Quote) && yield(f+".section", ev.Section) && yield(f+".source", ev.Source) &&
				yield(f+".reasoning", ev.Reasoning) && list(f+".references", ev.References) && list(f+".publications", ev.Publications)
		}
	}
}
