package schema

import (
	"context"
	"errors"
	"strings"

	"github.com/graphql-go/graphql/gqlerrors"

	"github.com/leydigkg/leydigkg/graph"
)

// Error codes in a GraphQL error's extensions.code.
const (
	CodeNotFound         = "NOT_FOUND"
	CodeBadUserInput     = "BAD_USER_INPUT"
	CodeInternal         = "INTERNAL_SERVER_ERROR"
	CodeTimeout          = "TIMEOUT"
	CodeUnavailable      = "UNAVAILABLE" // the database is down or unreachable: retry later
	CodeParseFailed      = "GRAPHQL_PARSE_FAILED"
	CodeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
	// CodeNotApplied marks a mutation document of which nothing was
	// written because one of its fields failed: the fields of a document
	// are applied together or not at all.
	CodeNotApplied = "NOT_APPLIED"
	// CodeAmbiguous marks a name several entities share: it names none of
	// them. extensions.candidates lists them ({id, name, kind}); ask again
	// by id.
	CodeAmbiguous = "AMBIGUOUS"
)

// Error is a resolver error with a code. graphql-go keeps extensions only
// when the error a resolver returns is itself an ExtendedError (it does not
// unwrap), so resolvers return *Error, built by codedError.
type Error struct {
	Code string
	err  error
}

func (e *Error) Error() string { return e.err.Error() }
func (e *Error) Unwrap() error { return e.err }

// Extensions implements gqlerrors.ExtendedError: the code, for an
// ambiguous name its candidates, and for a name nothing has the near ones
// (didYouMean), each as {id, name, kind}.
func (e *Error) Extensions() map[string]any {
	ext := map[string]any{"code": e.Code}
	var amb *graph.AmbiguousError
	if errors.As(e.err, &amb) {
		ext["candidates"] = candidates(amb.Candidates)
	}
	var nf *graph.NotFoundError
	if errors.As(e.err, &nf) && len(nf.Candidates) > 0 {
		ext["didYouMean"] = candidates(nf.Candidates)
	}
	return ext
}

// CodeOf maps a domain error to its code: the one place that does.
func CodeOf(err error) string {
	switch {
	case errors.Is(err, graph.ErrUnavailable):
		return CodeUnavailable
	case errors.Is(err, graph.ErrNotFound):
		return CodeNotFound
	case errors.Is(err, graph.ErrAmbiguous):
		return CodeAmbiguous
	case errors.Is(err, graph.ErrBadArgument), errors.Is(err, graph.ErrInvalidValue):
		return CodeBadUserInput
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return CodeTimeout
	case errors.Is(err, graph.ErrConflict):
		return CodeBadUserInput
	}
	return CodeInternal
}

// codedError wraps err for a resolver to return.
func codedError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeOf(err), err: err}
}

// FormatError gives every error in a response an extensions.code: the
// resolver's, or GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED for a
// document graphql-go refused before running it. It suits
// handler.Config.FormatErrorFn.
func FormatError(err error) gqlerrors.FormattedError {
	f := gqlerrors.FormatError(err)
	if f.Extensions != nil {
		return f
	}
	var ge *gqlerrors.Error
	if errors.As(err, &ge) && ge.OriginalError != nil {
		if _, ok := ge.OriginalError.(gqlerrors.ExtendedError); !ok {
			f.Extensions = codedError(ge.OriginalError).(*Error).Extensions()
			return f
		}
	}
	code := CodeValidationFailed
	if strings.HasPrefix(f.Message, "Syntax Error") {
		code = CodeParseFailed
	}
	f.Extensions = map[string]any{"code": code}
	return f
}
