package loaders

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// Errors a loader reports, besides the graph package's validation errors
// (graph.ErrUnknownEntity and the rest, re-exported here for convenience).
var (
	ErrSyntax       = errors.New("syntax error")
	ErrUnknownField = errors.New("unknown field")
	ErrType         = errors.New("wrong type")
	ErrFormat       = errors.New("unknown format")

	ErrUnknownEntity    = graph.ErrUnknownEntity
	ErrUnknownReference = graph.ErrUnknownReference
	ErrUnknownSource    = graph.ErrUnknownSource
	ErrDuplicateID      = graph.ErrDuplicateID
	ErrInvalidValue     = graph.ErrInvalidValue
	ErrMissingField     = graph.ErrMissingField
	ErrMissingEvidence  = graph.ErrMissingEvidence
	ErrEmptyQuote       = graph.ErrEmptyQuote
)

// ParseError is a problem at a position in a file, printed as
// file:line:col: message, like the Go compiler's.
type ParseError struct {
	File   string
	Line   int // 1-based
	Column int // 1-based
	Err    error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ErrorList is every problem found in a set of files, in file order. It is
// an error when not empty; errors.Is looks through all of them.
type ErrorList []*ParseError

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap gives errors.Is and errors.As every problem.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Sort orders the list by file, line and column.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *ParseError) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
}

// Err returns l as an error, or nil when l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
