package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	cayley "github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/lib/pq"
)

// cayleyPostgres is cayley's postgres backend with one change: its write
// step (Registration.RunTx, the hook cayley's SQL backends are built from)
// inserts values and quads many rows per statement instead of one
// statement, and so one round trip, per row. Tables, indexes, queries and
// the transaction around a write are cayley's: a database written this way
// is an ordinary cayley "postgres" database, and the other way round.
//
// BenchmarkPostgresWrite measures both on loopback (figures in
// docs/performance.md): 2,000 links (34,000 quads) in one
// transaction took 8.0 s through cayley's own RunTx and 3.05 s through
// this one; most of what is left is PostgreSQL's foreign-key checks.
const cayleyPostgres = "leydigkg-postgres"

// rowsPerInsert bounds the rows of one INSERT (PostgreSQL takes at most
// 65535 parameters in a statement; a value row has up to 5, a quad row 4).
const rowsPerInsert = 1000

// Registering is how cayley learns a backend; it keeps them in a package
// table filled by init functions, its own included.
func init() {
	csql.Register(cayleyPostgres, csql.Registration{
		Driver:             "postgres",
		HashType:           `BYTEA`,
		BytesType:          `BYTEA`,
		HorizonType:        `BIGSERIAL`,
		TimeType:           `timestamp with time zone`,
		QueryDialect:       postgres.QueryDialect,
		ConditionalIndexes: true,
		FillFactor:         true,
		Error:              postgres.ConvError,
		Estimated: func(table string) string {
			return "SELECT reltuples::BIGINT AS estimate FROM pg_class WHERE relname='" + table + "';"
		},
		RunTx: runTxBatched,
	})
}

// runTxBatched inserts new values (or adds to their reference counts) and
// new quads, as cayley's postgres.RunTx does, in multi-row statements.
func runTxBatched(tx *sql.Tx, nodes []graphlog.NodeUpdate, quads []graphlog.QuadUpdate, opts cayley.IgnoreOpts) error {
	// Values, grouped by the columns their type fills. cayley hands each
	// value over once (its reference count summed), sorted by hash, so one
	// statement never updates a row twice and writers lock rows in order.
	type group struct {
		cols []string
		rows [][]any
	}
	var order []csql.ValueType
	groups := map[csql.ValueType]*group{}
	for _, n := range nodes {
		if n.RefInc < 0 {
			return fmt.Errorf("unexpected node update with %d references", n.RefInc)
		}
		key, values, err := csql.NodeValues(csql.NodeHash{ValueHash: n.Hash}, n.Val)
		if err != nil {
			return err
		}
		g := groups[key]
		if g == nil {
			g = &group{cols: append([]string{"refs", "hash"}, key.Columns()...)}
			groups[key] = g
			order = append(order, key)
		}
		g.rows = append(g.rows, append([]any{n.RefInc}, values...))
	}
	for _, key := range order {
		g := groups[key]
		for rows := range chunks(g.rows, rowsPerInsert) {
			q := `INSERT INTO nodes(` + strings.Join(g.cols, ", ") + `) VALUES ` + placeholders(len(rows), len(g.cols)) +
				` ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs`
			if _, err := tx.Exec(q, flatten(rows)...); err != nil {
				return err
			}
		}
	}

	end := ""
	if opts.IgnoreDup {
		end = ` ON CONFLICT DO NOTHING`
	}
	rows := make([][]any, 0, len(quads))
	for _, d := range quads {
		if d.Del {
			return errors.New("unexpected quad delete")
		}
		row := make([]any, 0, 4)
		for _, h := range d.Quad.Dirs() {
			row = append(row, csql.NodeHash{ValueHash: h}.SQLValue())
		}
		rows = append(rows, row)
	}
	for part := range chunks(rows, rowsPerInsert) {
		q := `INSERT INTO quads(subject_hash, predicate_hash, object_hash, label_hash, ts) VALUES ` +
			placeholdersWith(len(part), 4, "now()") + end
		if _, err := tx.Exec(q, flatten(part)...); err != nil {
			var pe *pq.Error
			if errors.As(err, &pe) && pe.Code == "23505" {
				return &cayley.DeltaError{Err: cayley.ErrQuadExists}
			}
			return err
		}
	}
	// Last, as the values and quads a write adds go first: the counter's
	// trigger on quads (or, for a write that only removes, this) takes the
	// counter's row before any quad changes.
	return logEntry(context.Background(), tx)
}

// chunks yields s in pieces of at most n.
func chunks[T any](s []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}

func flatten(rows [][]any) []any {
	var out []any
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// placeholders is "($1, $2), ($3, $4)" for 2 rows of 2 columns.
func placeholders(rows, cols int) string { return placeholdersWith(rows, cols, "") }

// placeholdersWith is placeholders with extra appended to every row.
func placeholdersWith(rows, cols int, extra string) string {
	var b strings.Builder
	n := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			n++
		}
		if extra != "" {
			b.WriteString(", ")
			b.WriteString(extra)
		}
		b.WriteByte(')')
	}
	return b.String()
}
