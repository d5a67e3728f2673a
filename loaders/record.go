package loaders

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/leydigkg/leydigkg/graph"
)

// Position is where a record or a field stands in a file.
type Position struct {
	File         string
	Line, Column int
}

func (p Position) errorf(err error, format string, args ...any) *ParseError {
	return &ParseError{File: p.File, Line: p.Line, Column: p.Column, Err: fmt.Errorf("%w: "+format, append([]any{err}, args...)...)}
}

func (p Position) wrap(err error) *ParseError {
	return &ParseError{File: p.File, Line: p.Line, Column: p.Column, Err: err}
}

// Record is one record a reader found, with its position. Exactly one of
// Entity, Link, Source, Reference and Relation is set, unless Ignored is.
type Record struct {
	Pos       Position
	Entity    *graph.Entity
	Link      *graph.Link
	Source    *graph.Source
	Reference *graph.Reference
	Relation  *graph.Relation

	// ByName is set when Link.Subject and Link.Object are what a person
	// wrote (a symbol, a name): they are resolved against the batch and
	// the store, and an entity is created for a name that matches none.
	ByName bool
	// Implicit is set for an entity made up from its mentions (an N-Quads
	// node): it is left out when the store already has its id, or when no
	// loaded link ends at it.
	Implicit bool
	// Ignored, when set, is why the record is a statement outside what
	// the graph holds (a non-causal KGX edge, an N-Quads predicate with no
	// mapping, a row with no sign): it is counted by reason, not loaded,
	// and not an error.
	Ignored string
	// Locate finds a field's position (curated YAML knows every field's);
	// nil means Pos for every field.
	Locate func(field string) (Position, bool)

	// own is set for a record decoded from quads in the store's own
	// layout, which a bulk load has already written.
	own bool
	// complete is set for a record that says every field itself (an
	// export's JSON): an evidence item without At had none, and is not
	// given its row's.
	complete bool
	// made is set for a record the load made up, read from no row: an
	// entity for a name nothing had, a source evidence names.
	made bool
}

// RecordReader streams the records of one file, like quad.Reader streams
// quads: Read returns io.EOF after the last record. A bad record comes
// back as a *ParseError with its position, and reading may go on; any
// other error ends the file.
type RecordReader interface {
	Read() (Record, error)
}

// sliceReader yields records read up front (formats that need the whole
// file before they know a record, like N-Quads and curated YAML): the
// problems, the records, then as many ignored records as it counted, by
// reason.
type sliceReader struct {
	recs    []Record
	errs    ErrorList
	ignored map[string]int
}

func (s *sliceReader) Read() (Record, error) {
	switch {
	case len(s.errs) > 0:
		e := s.errs[0]
		s.errs = s.errs[1:]
		return Record{}, e
	case len(s.recs) > 0:
		r := s.recs[0]
		s.recs = s.recs[1:]
		return r, nil
	case len(s.ignored) > 0:
		why := slices.Min(slices.Collect(maps.Keys(s.ignored)))
		if s.ignored[why]--; s.ignored[why] <= 0 {
			delete(s.ignored, why)
		}
		return Record{Ignored: why}, nil
	}
	return Record{}, io.EOF
}
