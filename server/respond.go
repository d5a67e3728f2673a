package server

import (
	"bytes"
	"encoding/json"
	"slices"
	"sync"

	"github.com/graphql-go/graphql/gqlerrors"

	"github.com/leydigkg/leydigkg/internal/jsonw"
	"github.com/leydigkg/leydigkg/schema"
)

// Writing responses.
//
// A response is written into a buffer first, so that a failure to encode
// it is still a clean 500 and the length is known. Buffers are reused:
// a bulk answer of 10^4 entities is a megabyte, allocated and collected
// again on every request otherwise. A data tree that holds a bulk answer
// (schema.JSONAppender: the columns of downstream and upstream) is written
// by appendValue, which lets that answer append itself; encoding/json
// would call its MarshalJSON, then scan and compact the megabyte again.

// maxKeptBuffer is the largest buffer kept for reuse; larger ones, from
// rare huge answers, are left to the collector.
const maxKeptBuffer = 16 << 20

var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func getBuffer() *[]byte { b := buffers.Get().(*[]byte); *b = (*b)[:0]; return b }

func putBuffer(b *[]byte) {
	if cap(*b) <= maxKeptBuffer {
		buffers.Put(b)
	}
}

// appendJSON appends v as encoding/json writes it, without HTML escaping
// (JSON, not HTML: quotes keep their < > &) and without the newline an
// Encoder adds.
func appendJSON(dst []byte, v any) ([]byte, error) {
	w := appender{dst}
	enc := json.NewEncoder(&w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst, err
	}
	return bytes.TrimSuffix(w.b, []byte("\n")), nil
}

// appender is an io.Writer that appends to a byte slice.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) { a.b = append(a.b, p...); return len(p), nil }

// holdsAppender reports whether a result tree holds a JSONAppender.
func holdsAppender(v any) bool {
	switch v := v.(type) {
	case schema.JSONAppender:
		return true
	case map[string]any:
		for _, x := range v {
			if holdsAppender(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if holdsAppender(x) {
				return true
			}
		}
	}
	return false
}

// appendValue appends a result tree as encoding/json would (a map's keys
// in sorted order), letting a JSONAppender write itself.
func appendValue(dst []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case schema.JSONAppender:
		return v.AppendJSON(dst), nil
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(jsonw.String(dst, k), ':')
			var err error
			if dst, err = appendValue(dst, v[k]); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case []any:
		dst = append(dst, '[')
		for i, x := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValue(dst, x); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	}
	return appendJSON(dst, v)
}

// appendResponse writes what writeWith's body struct does, field by
// field: data, then errors and extensions when there are any.
func appendResponse(dst []byte, data any, errs []gqlerrors.FormattedError, ext map[string]any) ([]byte, error) {
	dst = append(dst, `{"data":`...)
	var err error
	if dst, err = appendValue(dst, data); err != nil {
		return dst, err
	}
	if len(errs) > 0 {
		dst = append(dst, `,"errors":`...)
		if dst, err = appendJSON(dst, errs); err != nil {
			return dst, err
		}
	}
	if len(ext) > 0 {
		dst = append(dst, `,"extensions":`...)
		if dst, err = appendJSON(dst, ext); err != nil {
			return dst, err
		}
	}
	return append(dst, '}', '\n'), nil
}
