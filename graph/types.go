package graph

import (
	"fmt"
	"strings"
	"unicode"
)

// Kind is what sort of thing an entity is.
type Kind string

// The entity kinds.
const (
	Hormone     Kind = "HORMONE"
	Cell        Kind = "CELL"
	Process     Kind = "PROCESS"
	Therapy     Kind = "THERAPY"
	GeneProduct Kind = "GENE_PRODUCT"
	Molecule    Kind = "MOLECULE"
	Anatomy     Kind = "ANATOMY"
	Condition   Kind = "CONDITION"
)

// Kinds lists every kind, in the order the API documents them.
var Kinds = []Kind{Hormone, Cell, Process, Therapy, GeneProduct, Molecule, Anatomy, Condition}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Effect is the sign of a causal link: what the subject does to the
// object's amount, activity or survival.
type Effect string

// The two effects.
const (
	Increases Effect = "INCREASES"
	Decreases Effect = "DECREASES"
)

// Valid reports whether e is Increases or Decreases.
func (e Effect) Valid() bool { return e == Increases || e == Decreases }

// Sign is +1 for Increases and -1 for Decreases.
func (e Effect) Sign() int {
	if e == Decreases {
		return -1
	}
	return 1
}

// Times composes two effects along a chain: the product of their signs.
func (e Effect) Times(f Effect) Effect {
	if e.Sign()*f.Sign() < 0 {
		return Decreases
	}
	return Increases
}

// ParseEffect accepts the enum names in any case.
func ParseEffect(s string) (Effect, error) {
	e := Effect(strings.ToUpper(strings.TrimSpace(s)))
	if !e.Valid() {
		return "", fmt.Errorf("%w: effect %q (want INCREASES or DECREASES)", ErrInvalidValue, s)
	}
	return e, nil
}

// Entity is a node of the graph: a hormone, cell, process, therapy, gene
// product, molecule, anatomical structure or condition.
type Entity struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Kind        Kind     `json:"kind"`
	Description string   `json:"description,omitempty"`
	Synonyms    []string `json:"synonyms"` // abbreviations and other names, as people write them
	Xrefs       []string `json:"xrefs"`    // ontology CURIEs, e.g. CHEBI:17347
	// Categories are the Biolink classes a KGX file gave the entity, e.g.
	// biolink:Gene; empty for curated entities, whose Kind says enough.
	Categories []string `json:"categories,omitempty"`
	// Aliases are old ids of the entity (ids merged into it): each finds
	// it exactly as its id does, so that saved queries still work.
	Aliases []string `json:"aliases,omitempty"`
}

// Link is an assertion: a signed causal claim, Subject changes Object in
// the direction Effect. It is stored once (see AssertionKey), with the
// evidence of every source that states it.
type Link struct {
	ID string `json:"id"`
	// Aliases are the other ids files gave this assertion: it is found by
	// each of them.
	Aliases    []string   `json:"aliases,omitempty"`
	Subject    string     `json:"subject"` // entity id
	Object     string     `json:"object"`  // entity id
	Effect     Effect     `json:"effect"`
	Predicate  string     `json:"predicate"` // Biolink 4.x CURIE, e.g. biolink:regulates
	Mechanism  string     `json:"mechanism,omitempty"`
	Confidence float64    `json:"confidence"` // 0..1
	Evidence   []Evidence `json:"evidence"`
	// ShortcutOf are the chains of entity ids (the first the link's
	// subject, the last its object) that the link summarises: a loop or
	// chain through the link and one through such a chain are variants of
	// one answer.
	ShortcutOf [][]string `json:"shortcutOf,omitempty"`
	// InheritedFrom is set on a link a query made, never stored: the hop
	// a member (Subject) takes from its class, this entity id, whose link
	// InheritedLink it restates (TraceQuery.Inherit).
	InheritedFrom string `json:"inheritedFrom,omitempty"`
	InheritedLink string `json:"inheritedLink,omitempty"`
}

// Inherited reports whether l is a hop a member takes from its class.
func (l *Link) Inherited() bool { return l.InheritedFrom != "" }

// Provenanced reports whether l says where it comes from: an evidence
// item. Every stored link must.
func (l *Link) Provenanced() bool { return len(l.Evidence) > 0 }

// Source is where evidence comes from: a document, a database, a file, a
// lab's results.
type Source struct {
	// ID is an infores: CURIE for a public resource the Biolink
	// information-resource registry names, else a local id.
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"` // what it is, so that users see what a link rests on
	URL         string `json:"url,omitempty"`
	Version     string `json:"version,omitempty"` // a release or a date
	License     string `json:"license,omitempty"` // an SPDX id where there is one, e.g. CC-BY-4.0
}

// SourceUse counts what rests on a source.
type SourceUse struct {
	Links    int `json:"links"`    // assertions with at least one evidence item of the source
	Evidence int `json:"evidence"` // its evidence items
}

// Reference is a publication a source cites. Citation, Authors, Title,
// Journal, Year, Volume and Pages are what the publication's own record
// says (where a curator checked it); AsCited is the reference exactly as
// the source prints it, when that differs.
type Reference struct {
	ID       string   `json:"id"`
	Citation string   `json:"citation"`
	Authors  []string `json:"authors"`
	Title    string   `json:"title,omitempty"`
	Journal  string   `json:"journal,omitempty"`
	Year     int      `json:"year,omitempty"`
	AsCited  string   `json:"asCited,omitempty"`
	Volume   string   `json:"volume,omitempty"`
	Pages    string   `json:"pages,omitempty"`
	DOI      string   `json:"doi,omitempty"`  // e.g. 10.1007/s43032-020-00325-4, without doi: or https://doi.org/
	PMID     string   `json:"pmid,omitempty"` // digits only
	Note     string   `json:"note,omitempty"` // a curator's note: what differs between the two, where it was read
}

// The non-causal predicates of a Relation.
const (
	PartOf     = "biolink:part_of"
	SubclassOf = "biolink:subclass_of"
)

// RelationPredicates are the predicates a Relation may have.
var RelationPredicates = []string{PartOf, SubclassOf}

// Relation is a structural, non-causal statement between two entities:
// Subject is part of Object (PartOf), or a kind of it (SubclassOf). It is
// never a step of a causal chain; a query may reason along SubclassOf
// when asked to (a member takes its class's causal links).
type Relation struct {
	Subject   string     `json:"subject"`   // entity id
	Predicate string     `json:"predicate"` // PartOf or SubclassOf
	Object    string     `json:"object"`    // entity id
	Note      string     `json:"note,omitempty"`
	Evidence  []Evidence `json:"evidence"`
}

// Key names r: one relation per subject, predicate and object.
func (r *Relation) Key() string { return r.Subject + " " + r.Predicate + " " + r.Object }

// Batch is a set of records written together: all of it or none of it.
type Batch struct {
	Sources    []Source
	References []Reference
	Entities   []Entity
	Links      []Link
	Relations  []Relation
}

// Len is the number of records in the batch.
func (b *Batch) Len() int {
	return len(b.Sources) + len(b.References) + len(b.Entities) + len(b.Links) + len(b.Relations)
}

// Stats counts what a store holds.
type Stats struct {
	Entities   int
	Links      int
	References int
	Sources    int
	ByKind     map[Kind]int
	ByEffect   map[Effect]int
	Relations  int // part-of and subclass-of relations
}

// Normalize folds case and drops spaces, underscores and hyphens, so that
// "Chronic inflammation", "chronic_inflammation" and "chronic-inflammation"
// name the same entity.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '_' || r == '-' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
