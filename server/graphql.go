package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/location"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"

	"github.com/leydigkg/leydigkg/schema"
)

// Media types of GraphQL over HTTP.
const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// params is one GraphQL-over-HTTP request.
type params struct {
	Query         string
	OperationName string
	Variables     map[string]any
	Extensions    map[string]any
}

// graphqlHandler serves GraphQL over HTTP as the GraphQL-over-HTTP spec
// says: GET for queries, POST with JSON, application/graphql-response+json
// or application/json answers with the status codes the spec asks for.
// graphql-go/handler does none of that (see the package doc); this keeps
// graphql-go's parser, validator and executor and does the HTTP part.
type graphqlHandler struct {
	schema graphql.Schema
	cfg    Config
	auth   *auth
	docs   *docCache
}

// outcome is what became of one request, for the metrics and the log.
type outcome struct {
	operation string // operation name, or "" for an anonymous one
	kind      string // query, mutation, subscription; "" before parsing
	result    string // one of the outcome labels below
	codes     []string
}

// The outcome labels of leydigkg_graphql_requests_total and of the access
// log, all listed in the README: the request ran (ok), ran with field
// errors (field_error), was not run (request_error: unreadable, invalid or
// over a limit), was refused its writes (refused: no or a wrong token, a
// read-only server), ran out of time (timeout), or its handler panicked
// (internal_error).
const (
	outcomeOK           = "ok"
	outcomeFieldError   = "field_error"
	outcomeRequestError = "request_error"
	outcomeRefused      = "refused"
	outcomeTimeout      = "timeout"
	outcomeInternal     = "internal_error"
)

var outcomeLabels = []string{outcomeOK, outcomeFieldError, outcomeRequestError, outcomeRefused, outcomeTimeout, outcomeInternal}

func (h *graphqlHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A browser opening /graphql wants the playground.
	if r.Method == http.MethodGet && !r.URL.Query().Has("query") && strings.Contains(r.Header.Get("Accept"), "text/html") {
		http.Redirect(w, r, "/", http.StatusFound)
		return
	}
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		h.fail(w, r, mediaJSON, http.StatusNotAcceptable, "", "Accept must allow "+mediaGraphQLResponse+" or "+mediaJSON)
		return
	}
	var p params
	var status int
	var err error
	switch r.Method {
	case http.MethodGet:
		p, err = fromQuery(r)
		status = http.StatusBadRequest
	case http.MethodPost:
		p, status, err = h.fromBody(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		h.fail(w, r, media, http.StatusMethodNotAllowed, "", "GraphQL is served over GET (queries) and POST")
		return
	}
	if err != nil {
		h.fail(w, r, media, status, schema.CodeBadUserInput, err.Error())
		return
	}
	h.serve(w, r, media, p)
}

// requestError is the status a request error gets: 400 for
// application/graphql-response+json, and 200 for application/json, where
// the spec asks for 200 for every well-formed request.
func requestError(media string) int {
	if media == mediaJSON {
		return http.StatusOK
	}
	return http.StatusBadRequest
}

func (h *graphqlHandler) serve(w http.ResponseWriter, r *http.Request, media string, p params) {
	out := outcomeOf(r.Context())
	if errs := schema.CheckLength(p.Query, h.cfg.Limits); errs != nil {
		h.refuse(w, r, media, requestError(media), errs)
		return
	}
	doc := h.docs.get(p.Query)
	cached := doc != nil
	if !cached {
		src := source.NewSource(&source.Source{Body: []byte(p.Query), Name: "GraphQL request"})
		var err error
		if doc, err = parser.Parse(parser.ParseParams{Source: src}); err != nil {
			h.refuse(w, r, media, requestError(media), []gqlerrors.FormattedError{schema.FormatError(err)})
			return
		}
	}
	op := operation(doc, p.OperationName)
	if op != nil {
		out.kind = op.Operation
		if op.Name != nil {
			out.operation = op.Name.Value
		}
	}
	if op != nil && !h.supports(op.Operation) {
		// graphql-go's guard and executor assume the root type exists; a
		// subscription once reached a nil pointer in the guard (a 500).
		// An operation type the server does not offer is refused with 400,
		// whatever the response's media type.
		h.refuse(w, r, media, http.StatusBadRequest, []gqlerrors.FormattedError{errorOf(schema.CodeValidationFailed,
			"this server does not support "+op.Operation+"s: it answers queries (GET or POST)"+h.mutationsNote())})
		return
	}
	if op != nil && op.Operation != ast.OperationTypeQuery && r.Method == http.MethodGet {
		w.Header().Set("Allow", "POST")
		h.fail(w, r, media, http.StatusMethodNotAllowed, schema.CodeBadUserInput, "a "+op.Operation+" must be sent with POST")
		return
	}
	if errs := schema.Guard(&h.schema, doc, p.Variables, h.cfg.Limits); errs != nil {
		h.refuse(w, r, media, requestError(media), errs)
		return
	}
	if !cached {
		if errs := validate(&h.schema, doc); errs != nil {
			h.refuse(w, r, media, requestError(media), errs)
			return
		}
		h.docs.put(p.Query, doc)
	}
	ctx := r.Context()
	if op != nil && op.Operation == ast.OperationTypeMutation {
		if status, err := h.auth.check(r); err != nil {
			if status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="leydigkg"`)
			}
			h.refuse(w, r, media, status, []gqlerrors.FormattedError{errorOf(err.code, err.msg)})
			return
		}
		ctx = schema.WithWrites(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.RequestTimeout)
	defer cancel()
	ctx = schema.WithNotes(ctx)
	execute := func(ctx context.Context) *graphql.Result {
		return graphql.Execute(graphql.ExecuteParams{
			Schema:        h.schema,
			AST:           doc,
			OperationName: p.OperationName,
			Args:          p.Variables,
			Context:       schema.WithBudget(ctx, h.cfg.MaxListItems),
		})
	}
	var res *graphql.Result
	var notApplied, commitErr error
	if u, ok := h.cfg.Store.(updater); ok && op != nil && op.Operation == ast.OperationTypeMutation {
		// All the fields of a mutation document are written in one
		// transaction, and only when every one of them succeeded.
		commitErr = u.Update(ctx, func(ctx context.Context) error {
			res = execute(ctx)
			if len(res.Errors) > 0 {
				return errNotApplied
			}
			return nil
		})
		if errors.Is(commitErr, errNotApplied) {
			notApplied, commitErr = commitErr, nil
		}
	} else {
		res = execute(ctx)
	}
	if res == nil { // Update refused to start: the store is closed
		res = &graphql.Result{}
	}
	errs := make([]gqlerrors.FormattedError, len(res.Errors))
	for i, e := range res.Errors {
		errs[i] = formatted(e)
	}
	if commitErr != nil && ctx.Err() == nil {
		errs = append(errs, schema.FormatError(commitErr))
		res.Data = nil
	}
	if notApplied != nil && othersSucceeded(op, errs) {
		errs = append(errs, errorOf(schema.CodeNotApplied, "nothing of this mutation was written: the fields of a mutation document are applied together or not at all, and one failed"))
	}
	if ctx.Err() != nil && r.Context().Err() == nil {
		// graphql-go returns when the deadline passes; resolvers check ctx
		// and stop. What they had done is dropped.
		errs = []gqlerrors.FormattedError{errorOf(schema.CodeTimeout, fmt.Sprintf("the request took longer than %s and was stopped", h.cfg.RequestTimeout))}
		out.result = outcomeTimeout
		status := http.StatusServiceUnavailable
		if media == mediaJSON {
			status = http.StatusOK
		}
		h.write(w, r, media, status, errs, false, nil)
		return
	}
	// graphql-go reports errors met before execution (an unknown operation,
	// variables that do not fit their types) with no path and no data: those
	// are request errors. Field errors have a path, and data is then present,
	// if null.
	if res.Data == nil && len(errs) > 0 && !hasPath(errs) {
		for i := range errs {
			errs[i].Extensions = map[string]any{"code": schema.CodeBadUserInput}
		}
		h.refuse(w, r, media, requestError(media), errs)
		return
	}
	out.result = outcomeOK
	if len(errs) > 0 {
		out.result = outcomeFieldError
	}
	data := res.Data
	if notApplied != nil || commitErr != nil {
		data = nil // what the fields answered was not written
	}
	h.writeWith(w, r, media, http.StatusOK, errs, true, data, schema.Notes(ctx))
}

// updater is a store that applies several writes as one transaction: the
// writes made with the context fn gets (kg.Store.Update).
type updater interface {
	Update(ctx context.Context, fn func(ctx context.Context) error) error
}

var errNotApplied = errors.New("a field of the mutation failed")

// othersSucceeded reports whether op selects a field that no error in errs
// names: one whose write succeeded and was then not applied.
func othersSucceeded(op *ast.OperationDefinition, errs []gqlerrors.FormattedError) bool {
	failed := map[string]bool{}
	for _, e := range errs {
		if len(e.Path) > 0 {
			if k, ok := e.Path[0].(string); ok {
				failed[k] = true
			}
		}
	}
	for _, sel := range op.SelectionSet.Selections {
		f, ok := sel.(*ast.Field)
		if !ok {
			return true // a fragment: it may hold any field
		}
		key := f.Name.Value
		if f.Alias != nil {
			key = f.Alias.Value
		}
		if !failed[key] {
			return true
		}
	}
	return false
}

// supports reports whether the schema has a root type for an operation
// type: subscriptions never, mutations when the store can write.
func (h *graphqlHandler) supports(operation string) bool {
	switch operation {
	case ast.OperationTypeQuery:
		return h.schema.QueryType() != nil
	case ast.OperationTypeMutation:
		return h.schema.MutationType() != nil
	}
	return false
}

func (h *graphqlHandler) mutationsNote() string {
	if h.schema.MutationType() != nil {
		return " and mutations (POST)"
	}
	return ""
}

// validate runs graphql-go's validation rules. They have panicked on
// documents its parser accepts (a variable with no type); such a panic is a
// validation failure of the request, not a server error.
func validate(s *graphql.Schema, doc *ast.Document) (errs []gqlerrors.FormattedError) {
	defer func() {
		if p := recover(); p != nil {
			errs = []gqlerrors.FormattedError{errorOf(schema.CodeValidationFailed, fmt.Sprintf("the document could not be validated: %v", p))}
		}
	}()
	v := graphql.ValidateDocument(s, doc, nil)
	if v.IsValid {
		return nil
	}
	errs = make([]gqlerrors.FormattedError, len(v.Errors))
	for i, e := range v.Errors {
		errs[i] = schema.FormatError(e)
	}
	return errs
}

// formatted gives a resolver's error its code, keeping the path and
// locations graphql-go found.
func formatted(e gqlerrors.FormattedError) gqlerrors.FormattedError {
	if e.Extensions != nil {
		return e
	}
	orig := e.OriginalError()
	if orig == nil {
		orig = errors.New(e.Message)
	}
	e.Extensions = schema.FormatError(orig).Extensions
	return e
}

func hasPath(errs []gqlerrors.FormattedError) bool {
	for _, e := range errs {
		if len(e.Path) > 0 {
			return true
		}
	}
	return false
}

// operation finds the operation that will run, or nil.
func operation(doc *ast.Document, name string) *ast.OperationDefinition {
	var found *ast.OperationDefinition
	for _, d := range doc.Definitions {
		op, ok := d.(*ast.OperationDefinition)
		if !ok {
			continue
		}
		if name == "" {
			if found != nil {
				return nil
			}
			found = op
		} else if op.Name != nil && op.Name.Value == name {
			return op
		}
	}
	return found
}

// refuse answers a request error: no data entry.
func (h *graphqlHandler) refuse(w http.ResponseWriter, r *http.Request, media string, status int, errs []gqlerrors.FormattedError) {
	out := outcomeOf(r.Context())
	if out.result == "" {
		out.result = outcomeRequestError
		if status == http.StatusUnauthorized || status == http.StatusForbidden {
			out.result = outcomeRefused
		}
	}
	h.write(w, r, media, status, errs, false, nil)
}

// fail answers a request that is not GraphQL over HTTP at all.
func (h *graphqlHandler) fail(w http.ResponseWriter, r *http.Request, media string, status int, code, msg string) {
	if code == "" {
		code = schema.CodeBadUserInput
	}
	h.refuse(w, r, media, status, []gqlerrors.FormattedError{errorOf(code, msg)})
}

// errorOf is a GraphQL error with a code and no location.
func errorOf(code, msg string) gqlerrors.FormattedError {
	return gqlerrors.FormattedError{
		Message:    msg,
		Locations:  []location.SourceLocation{},
		Extensions: map[string]any{"code": code},
	}
}

func (h *graphqlHandler) write(w http.ResponseWriter, r *http.Request, media string, status int, errs []gqlerrors.FormattedError, withData bool, data any) {
	h.writeWith(w, r, media, status, errs, withData, data, nil)
}

// writeWith is write with the response's top-level extensions (nil: none).
func (h *graphqlHandler) writeWith(w http.ResponseWriter, r *http.Request, media string, status int, errs []gqlerrors.FormattedError, withData bool, data any, ext map[string]any) {
	out := outcomeOf(r.Context())
	for _, e := range errs {
		if c, ok := e.Extensions["code"].(string); ok {
			out.codes = append(out.codes, c)
		}
	}
	var body any
	if withData {
		body = struct {
			Data       any                        `json:"data"`
			Errors     []gqlerrors.FormattedError `json:"errors,omitempty"`
			Extensions map[string]any             `json:"extensions,omitempty"`
		}{data, errs, ext}
	} else {
		body = struct {
			Errors []gqlerrors.FormattedError `json:"errors"`
		}{errs}
	}
	buf := getBuffer()
	defer putBuffer(buf)
	var err error
	if withData && holdsAppender(data) {
		*buf, err = appendResponse(*buf, data, errs, ext)
	} else {
		*buf, err = appendJSON(*buf, body)
		*buf = append(*buf, '\n')
	}
	if err != nil {
		status = http.StatusInternalServerError
		*buf = fmt.Appendf((*buf)[:0], `{"errors":[{"message":"encoding the response failed","extensions":{"code":%q}}]}`, schema.CodeInternal)
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(*buf)))
	w.WriteHeader(status)
	w.Write(*buf)
}

// negotiate picks the response media type from an Accept header: the
// acceptable type of highest q, application/graphql-response+json on a tie;
// application/json when the header is missing or allows anything (clients
// from before the spec).
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	type cand struct {
		media string
		q     float64
		pos   int
	}
	var cands []cand
	for i, part := range strings.Split(accept, ",") {
		mt, ps, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := ps["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if q <= 0 {
			continue
		}
		switch mt {
		case mediaGraphQLResponse, mediaJSON:
			cands = append(cands, cand{mt, q, i})
		case "*/*", "application/*":
			cands = append(cands, cand{mediaJSON, q - 1e-9, i}) // a named type wins a tie
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].q != cands[b].q {
			return cands[a].q > cands[b].q
		}
		return cands[a].media == mediaGraphQLResponse && cands[b].media != mediaGraphQLResponse
	})
	return cands[0].media, true
}

// fromQuery reads the parameters of a GET request.
func fromQuery(r *http.Request) (params, error) {
	q := r.URL.Query()
	p := params{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if !q.Has("query") || p.Query == "" {
		return p, errors.New("the query parameter is missing")
	}
	for _, x := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		if v := q.Get(x.name); v != "" {
			if err := decodeObject([]byte(v), x.dst); err != nil {
				return p, fmt.Errorf("%s: %w", x.name, err)
			}
		}
	}
	return p, nil
}

// fromBody reads the parameters of a POST request: a JSON object, no
// longer than Config.MaxBodyBytes. Other content types are refused (415):
// a browser may send text/plain across origins without asking, so reading
// it as JSON would let any web page run mutations with a user's cookies or
// network position.
func (h *graphqlHandler) fromBody(w http.ResponseWriter, r *http.Request) (params, int, error) {
	var p params
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON {
		return p, http.StatusUnsupportedMediaType, fmt.Errorf("the body must be %s, not %q", mediaJSON, r.Header.Get("Content-Type"))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return p, http.StatusRequestEntityTooLarge, fmt.Errorf("the body is longer than %d bytes", h.cfg.MaxBodyBytes)
		}
		return p, http.StatusBadRequest, fmt.Errorf("reading the body: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return p, http.StatusBadRequest, errors.New("the body is not a JSON object")
	}
	str := func(name string, dst *string, required bool) error {
		v, ok := raw[name]
		if !ok || string(v) == "null" {
			if required {
				return fmt.Errorf("the %s parameter is missing", name)
			}
			return nil
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return fmt.Errorf("the %s parameter must be a string", name)
		}
		return nil
	}
	if err := str("query", &p.Query, true); err != nil {
		return p, http.StatusBadRequest, err
	}
	if err := str("operationName", &p.OperationName, false); err != nil {
		return p, http.StatusBadRequest, err
	}
	for _, x := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		if v, ok := raw[x.name]; ok {
			if err := decodeObject(v, x.dst); err != nil {
				return p, http.StatusBadRequest, fmt.Errorf("%s: %w", x.name, err)
			}
		}
	}
	return p, 0, nil
}

// decodeObject decodes a JSON object (or null) into dst.
func decodeObject(b []byte, dst *map[string]any) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return errors.New("must be a JSON object")
	}
	return nil
}
