package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leydigkg/leydigkg/schema"
)

// outcomeKey and requestIDKey are the context keys of a request's outcome
// record and of its id.
type (
	outcomeKey   struct{}
	requestIDKey struct{}
)

// RequestID returns the id the server gave the request of ctx: the
// client's X-Request-Id when it is a plain token, or a random one. Every
// handler of New, and so every Store method a request calls, gets a
// context that carries it: a Store can log it next to its own lines, and
// the client finds it in the X-Request-Id response header and in the
// extensions.requestId of an INTERNAL_SERVER_ERROR.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// outcomeOf returns the request's outcome record, filled in by the GraphQL
// handler and read by the access log and the metrics.
func outcomeOf(ctx context.Context) *outcome {
	if o, ok := ctx.Value(outcomeKey{}).(*outcome); ok {
		return o
	}
	return &outcome{}
}

var clientRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recorder remembers a response's status and size.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe is the outermost layer: request id, panic recovery, access log
// and metrics. The access log has the request id, method, path, status,
// size, duration and GraphQL operation; never a header's value, so never a
// token.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !clientRequestID.MatchString(id) {
			id = newRequestID()
		}
		out := &outcome{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey{}, id), outcomeKey{}, out)
		w.Header().Set("X-Request-Id", id)
		rec := &recorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(ctx, "panic", "request_id", id, "panic", p, "stack", string(debug.Stack()))
				if rec.status == 0 {
					internalError(rec, id)
				}
				out.codes = append(out.codes, schema.CodeInternal)
				out.result = outcomeInternal
			}
			d := time.Since(start)
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			route := routeOf(r.URL.Path)
			s.metrics.http.WithLabelValues(route, strconv.Itoa(status)).Inc()
			attrs := []slog.Attr{
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", d),
				slog.String("remote", r.RemoteAddr),
			}
			if route == "graphql" {
				s.metrics.observe(out, d)
				attrs = append(attrs, slog.String("operation", out.operation), slog.String("kind", out.kind), slog.String("outcome", out.result))
				if len(out.codes) > 0 {
					attrs = append(attrs, slog.String("codes", strings.Join(out.codes, ",")))
				}
			}
			level := slog.LevelInfo
			if route == "probe" {
				level = slog.LevelDebug
			}
			s.log.LogAttrs(ctx, level, "request", attrs...)
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}

// internalError answers a request whose handler panicked: a GraphQL
// response, labelled as the JSON it is, with the request id to quote.
func internalError(w http.ResponseWriter, id string) {
	body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{
		"message":    "internal server error",
		"extensions": map[string]any{"code": schema.CodeInternal, "requestId": id},
	}}})
	w.Header().Set("Content-Type", mediaJSON+"; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(append(body, '\n'))
}

// routeOf names the handler of a path, for a metric label.
func routeOf(path string) string {
	switch {
	case path == "/graphql":
		return "graphql"
	case path == "/mcp":
		return "mcp"
	case path == "/healthz" || path == "/readyz" || path == "/metrics":
		return "probe"
	default:
		return "playground"
	}
}

// cors lets the listed origins call the API from a browser. With no list
// no CORS header is ever sent, so browsers keep other origins out; "*"
// allows any origin (without credentials).
func cors(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	all := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		allowed := origin != "" && (all || slices.Contains(origins, origin))
		w.Header().Add("Vary", "Origin")
		if allowed {
			if all {
				w.Header().Set("Access-Control-Allow-Origin", "*")
			} else {
				w.Header().Set("Access-Control-Allow-Origin", origin)
			}
			w.Header().Set("Access-Control-Expose-Headers", "X-Request-Id")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if allowed {
				w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
				w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, X-Request-Id")
				w.Header().Set("Access-Control-Max-Age", "600")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
