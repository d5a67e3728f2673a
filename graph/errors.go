package graph

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the package returns wraps one of these, so
// callers (and the GraphQL layer, which maps them to extensions.code) can use
// errors.Is.
var (
	ErrNotFound         = errors.New("not found")
	ErrAmbiguous        = errors.New("ambiguous name")
	ErrBadArgument      = errors.New("bad argument")
	ErrInvalidValue     = errors.New("invalid value")
	ErrMissingField     = errors.New("missing field")
	ErrDuplicateID      = errors.New("duplicate id")
	ErrConflict         = errors.New("conflicts with the store")
	ErrUnknownEntity    = errors.New("unknown entity")
	ErrUnknownReference = errors.New("unknown reference")
	ErrUnknownSource    = errors.New("unknown source")
	ErrMissingEvidence  = errors.New("missing evidence")
	ErrEmptyQuote       = errors.New("empty quote")
	ErrPredicate        = errors.New("bad predicate")
	ErrClosed           = errors.New("store is closed")
	ErrBusy             = errors.New("store is busy")
	ErrUnavailable      = errors.New("store unavailable")                  // the database cannot be reached now; retry later
	ErrOldLayout        = errors.New("store written by an older leydigkg") // upgrade it first (leydigkg upgrade)
)

// A RecordKind names a kind of record of a Batch.
type RecordKind string

// The kinds of record, as problems and data files name them.
const (
	SourceRecord    RecordKind = "source"
	ReferenceRecord RecordKind = "reference"
	EntityRecord    RecordKind = "entity"
	LinkRecord      RecordKind = "link"
	RelationRecord  RecordKind = "relation"
)

// Problem is one thing wrong with a Batch: which record, which field, what.
type Problem struct {
	Record RecordKind
	Index  int    // position of the record in its Batch slice
	Field  string // field name as in the data files, e.g. "object" or "evidence[1].quote"
	Err    error
}

func (p Problem) Error() string {
	return fmt.Sprintf("%s #%d: %s: %v", p.Record, p.Index, p.Field, p.Err)
}

func (p Problem) Unwrap() error { return p.Err }

// Problems is every problem found in a Batch; it is an error when not empty.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is see every problem's cause.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errs
}

// NotFoundError is a name no entity has, with the entities whose names
// are a few edits from it, nearest first (none when nothing is near). It
// wraps ErrNotFound.
type NotFoundError struct {
	Ref        string
	Candidates []*Entity
}

func (e *NotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: no entity %q", ErrNotFound, e.Ref)
	if len(e.Candidates) == 0 {
		return b.String()
	}
	b.WriteString(" (did you mean ")
	for i, c := range e.Candidates {
		if i > 0 {
			b.WriteString(", ")
		}
		if c.Name == c.ID || c.Name == "" {
			fmt.Fprintf(&b, "%q", c.ID)
		} else {
			fmt.Fprintf(&b, "%q (%s)", c.Name, c.ID)
		}
	}
	b.WriteString("?)")
	return b.String()
}

func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// AmbiguousError is a name that several entities share: it names none of
// them, and the caller must ask by id. It wraps ErrAmbiguous.
type AmbiguousError struct {
	Ref        string
	Candidates []*Entity // by id
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %q names %d entities: ", ErrAmbiguous, e.Ref, len(e.Candidates))
	for i, c := range e.Candidates {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%s, %s)", c.ID, c.Name, c.Kind)
	}
	b.WriteString("; ask by id")
	return b.String()
}

func (e *AmbiguousError) Unwrap() error { return ErrAmbiguous }
