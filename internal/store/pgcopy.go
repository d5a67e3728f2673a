package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
)

// COPY in PostgreSQL's binary format, written here and sent through
// pgx's connection (pgconn.CopyFrom), rather than lib/pq's text COPY.
// lib/pq takes a row at a time through database/sql (a dozen allocations
// a row) and spells each hash as 40 hex digits that the server decodes:
// at 10^5 signed links the client, not the server, set the pace of both
// COPYs. Binary rows are built in a buffer with no allocation per quad,
// and the server reads each hash as its 20 bytes (the quads' COPY took
// 31% less server CPU from a file: 0.35 s against 0.51 s for 375,000
// quads). pgx is linked already, as the driver of cayley's CockroachDB
// backend.

// libpqOnly are lib/pq's DSN settings that pgx would send to the server
// as run-time parameters (lib/pq's isDriverSetting, less those pgx reads).
var libpqOnly = []string{"binary_parameters", "disable_prepared_binary_result", "fallback_application_name", "sslinline"}

// errNoCopy says a DSN cannot be opened by pgx as lib/pq opens it.
var errNoCopy = errors.New("no COPY connection for this DSN")

// openCopyDB opens the pool of pgx connections COPY loads run on. A
// statement whose context ends is cancelled on the server (a cancel
// request, as lib/pq sends), not only given up by the client: pgx's
// default drops the connection, and the server goes on with the statement
// (an index build, a key check, holding the load's locks) until it next
// reads from the connection.
//
// The DSN is lib/pq's too: its settings that only shape lib/pq's own
// work are not sent to the server (which refuses parameters it does not
// know), fallback_application_name is applied as libpq applies it, and a
// DSN whose certificates are inline (sslinline, which pgx does not read)
// gets no COPY pool: its loads keep the batched writes (errNoCopy).
func openCopyDB(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	rp := cfg.RuntimeParams
	if rp["sslinline"] != "" {
		return nil, errNoCopy
	}
	if app, ok := rp["fallback_application_name"]; ok {
		if _, set := rp["application_name"]; !set {
			rp["application_name"] = app
		}
	}
	for _, k := range libpqOnly {
		delete(rp, k)
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 5 * time.Second}
	}
	return stdlib.OpenDB(*cfg), nil
}

// pgTx is a COPY load's transaction and the connection it runs on.
type pgTx struct {
	*sql.Tx
	conn *sql.Conn
}

// copyCheck is how many rows a COPY sends between looks at its context.
const copyCheck = 1024

// copyChunk is about how many bytes a COPY builds before it sends them.
const copyChunk = 64 << 10

// copyRows COPYs n rows, each appended to a buffer by row in binary COPY
// format, into table.
func copyRows(ctx context.Context, tx pgTx, table string, cols []string, n int, row func(b []byte, i int) ([]byte, error)) error {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	q := "COPY " + pgx.Identifier{table}.Sanitize() + " (" + strings.Join(quoted, ", ") + ") FROM STDIN BINARY"
	s := &copyStream{ctx: ctx, n: n, row: row, buf: append(make([]byte, 0, copyChunk+4096), copyHeader...)}
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("COPY needs pgx's connection, not %T", dc)
		}
		// Not cancelled by ctx, which s looks at between rows: the COPY
		// then fails, and the transaction with it.
		_, err := c.Conn().PgConn().CopyFrom(context.WithoutCancel(ctx), s, q)
		if s.err != nil {
			return s.err // why the COPY was abandoned, rather than the server's word for it
		}
		return err
	})
}

// copyHeader opens binary COPY data: the signature, no flags, no
// extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// copyStream is COPY data, made a chunk of rows at a time as it is read.
type copyStream struct {
	ctx      context.Context
	n, next  int
	row      func([]byte, int) ([]byte, error)
	buf      []byte
	off      int
	finished bool  // the trailer is in buf
	err      error // what ended the data early
}

func (s *copyStream) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.off == len(s.buf) {
		if s.finished {
			return 0, io.EOF
		}
		if s.err = s.fill(); s.err != nil {
			return 0, s.err
		}
	}
	k := copy(p, s.buf[s.off:])
	s.off += k
	return k, nil
}

// fill makes the next chunk of rows, and the trailer after the last.
func (s *copyStream) fill() error {
	s.buf, s.off = s.buf[:0], 0
	for len(s.buf) < copyChunk && s.next < s.n {
		if s.next%copyCheck == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		var err error
		if s.buf, err = s.row(s.buf, s.next); err != nil {
			return err
		}
		s.next++
	}
	if s.next == s.n {
		s.buf = binary.BigEndian.AppendUint16(s.buf, 0xffff) // -1 fields: the end
		s.finished = true
	}
	return nil
}

// appendQuadRow appends q as a row of quadColumns, and of ts when ts (a
// field in binary format) is given.
func appendQuadRow(b []byte, q refs.QuadHash, ts []byte) []byte {
	n := len(quadColumns)
	if ts != nil {
		n++
	}
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	for _, vh := range q.Dirs() {
		if !vh.Valid() {
			b = binary.BigEndian.AppendUint32(b, math.MaxUint32) // -1: NULL
			continue
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(vh)))
		b = append(b, vh[:]...)
	}
	return append(b, ts...)
}

// pgEpoch is where PostgreSQL's timestamps count from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

// appendField appends x in the binary format of its column: int32 INT,
// int64 BIGINT, float64 double precision, bool BOOLEAN, string TEXT,
// []byte BYTEA, time.Time timestamp with time zone; nil NULL.
func appendField(b []byte, x any) ([]byte, error) {
	be := binary.BigEndian
	switch x := x.(type) {
	case nil:
		return be.AppendUint32(b, math.MaxUint32), nil
	case int32:
		return be.AppendUint32(be.AppendUint32(b, 4), uint32(x)), nil
	case int64:
		return be.AppendUint64(be.AppendUint32(b, 8), uint64(x)), nil
	case float64:
		return be.AppendUint64(be.AppendUint32(b, 8), math.Float64bits(x)), nil
	case bool:
		v := byte(0)
		if x {
			v = 1
		}
		return append(be.AppendUint32(b, 1), v), nil
	case string:
		return append(be.AppendUint32(b, uint32(len(x))), x...), nil
	case []byte:
		return append(be.AppendUint32(b, uint32(len(x))), x...), nil
	case time.Time:
		us, err := pgMicros(x)
		return be.AppendUint64(be.AppendUint32(b, 8), uint64(us)), err
	}
	return b, fmt.Errorf("no binary COPY format for a %T", x)
}

// pgMicros is t in PostgreSQL's microseconds since 2000, rounded as the
// server rounds the nanoseconds lib/pq spells out in text (rint of the
// fraction of a second times 10^6).
func pgMicros(t time.Time) (int64, error) {
	if y := t.Year(); y < -4712 || y > 294276 {
		return 0, fmt.Errorf("time %v out of PostgreSQL's range", t)
	}
	frac := math.RoundToEven(float64(t.Nanosecond()) / 1e9 * 1e6)
	return (t.Unix()-pgEpoch)*1_000_000 + int64(frac), nil
}
