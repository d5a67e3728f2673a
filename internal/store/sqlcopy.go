package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha1"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/internal/par"
)

// Loads into PostgreSQL through COPY.
//
// A write that adds many quads (Options.CopyMin) and removes none skips
// cayley's write step, one INSERT (batched: sqlwrite.go) per row with four
// foreign-key checks and six index insertions per quad. Its quads are
// hashed here as cayley hashes them (refs.HashOf), deduplicated,
// each distinct value counted with the references the distinct quads make
// to it, and streamed with COPY, all in one transaction of its own: the
// write lands whole or not at all like any other. What it stores is what
// cayley's postgres backend stores (the same rows, hashes and columns;
// horizon filled by its default, ts by the transaction's now()), so the database
// stays an ordinary cayley database. Two ways:
//
//   - Under the indexes (the table holds more than the load brings:
//     rebuildShare): values and quads are COPYed into temporary tables
//     (leydigkg_stage_nodes, leydigkg_stage_quads, dropped at commit), and
//     set-based statements move them: the staged quads already there are
//     found with one join (leydigkg_old_quads); each value goes into nodes
//     with its references less those of the quads already there, or adds
//     them to its row's count; then every staged quad that was not there,
//     ON CONFLICT DO NOTHING. Counts stay exact, where cayley counts a
//     reference for every quad it is handed, new or not.
//   - Rebuilding (the table holds less than the load): the load takes
//     nodes and quads for itself (LOCK TABLE ... ACCESS EXCLUSIVE: other
//     writers, and readers of the tables, wait until it commits), drops
//     quads' foreign keys and secondary indexes, writes, and recreates
//     them from their definitions as the catalog had them: one sort per
//     index, one anti-join per foreign key, as pg_restore does. Into empty
//     tables the load is COPYed into nodes and quads directly, and both
//     tables' primary keys are dropped and built after the rows too (the
//     rows are in their order, so each is one pass over sorted input);
//     otherwise it is staged and moved as above. DDL is transactional in
//     PostgreSQL: a failure leaves the indexes and constraints as they
//     were.
//
// COPY is binary and runs on pgx's connection (pgcopy.go). Values go in
// hash order, and so do the distinct quads (subject, predicate, object,
// label): spo_index, spo_unique and spol_unique are then built from a
// table already in their order, which PostgreSQL's sort checks for first.
//
// Either way the write's change-log entry (changelog.go) is recorded last,
// in the same transaction, so that followers apply the load rather than
// read the whole graph.
//
// What each of these bought, at 10^5 signed links (0.375 M quads) into an
// empty store, in server CPU per load, the index builds without parallel
// workers so that the backend's figures hold all of it (log_statement_stats;
// a busy 2-core machine, so the figures are high, but interleaved):
// quads in hash order, spo_index 0.31-0.38 s -> 0.22-0.23 s, spo_unique
// 0.20-0.24 -> 0.14-0.15, spol_unique 0.10-0.12 -> 0.08; binary COPY,
// nodes 0.31-0.34 -> 0.28 s and quads 0.55-0.58 -> 0.44 s, and the Go
// side's CPU for the whole load 3.35 -> 2.5-2.6 s (lib/pq had the client
// set the pace of both COPYs: 1.8-2.5 s of COPY for 1.0 s of server CPU);
// primary keys built after, both COPYs 0.80-0.82 -> 0.37-0.41 s, plus 0.16 s
// for the two keys (each index entry made by COPY was a WAL record of its own).
// All together: 4.3-4.7 s -> 3.2-3.4 s of server CPU, 3.7-3.9 -> 2.7-2.9 s
// of Go CPU.
//
// Measured and left alone: the index builds use the server's parallel
// maintenance workers (without them they took longer), and sort within
// maintenance_work_mem = 256MB (1GB made no difference); the commit is not
// made asynchronous (synchronous_commit), as it takes milliseconds and a
// load acknowledged must not be lost in a crash. TRUNCATE, then COPY
// FREEZE: no less CPU for the COPY or the index builds (0.45 s against
// 0.43-0.47 s for 375,000 quads), and frozen rows are visible to
// snapshots older than the load, which readers of the change counter
// must not see. What is left is the schema's own work: six index sorts
// over 20-byte bytea keys (ops_index, osp_index and pos_index, whose
// order no heap order gives, are 55-65% of the server's CPU) and four
// anti-joins for the foreign keys.
//
// CockroachDB keeps cayley's own write step: temporary tables, LOCK TABLE
// and the rebuilt constraints are PostgreSQL's.

// DefaultCopyMin is the fewest added quads that a PostgreSQL write sends
// through COPY (Options.CopyMin). Smaller writes (a mutation, a few
// links) keep the batched INSERTs of sqlwrite.go: no temporary tables, no
// ANALYZE, no lock on whole tables.
const DefaultCopyMin = 5_000

// A COPY load drops quads' foreign keys, and checks them again once it is
// in, when the table holds fewer than foreignKeyShare times the quads it
// adds; its secondary indexes, and builds them again, below indexShare
// times. Timed statement by statement at 10^5 links in batches of 10^4
// (about 10^5 quads a batch, on a shared 2-core machine): building the six
// indexes and checking the four keys took 13-19 µs a quad of the whole
// table; inserting under the indexes 50-100 µs a new quad, and under the
// foreign keys too (an index probe and a row lock in nodes per reference)
// 180-240 µs.
const (
	foreignKeyShare = 8
	indexShare      = 4
)

// useCopy says whether a write of add and remove goes through copyWrite.
func (d *DB) useCopy(add, remove []quad.Quad) bool {
	return d.spec.cayley == cayleyPostgres && d.sql.copyDB != nil && !d.opts.StockSQLWriter && d.opts.CopyMin > 0 &&
		len(add) >= d.opts.CopyMin && len(remove) == 0
}

// copyWrite adds qs through COPY and set-based inserts, in one
// transaction.
func (d *sqlDB) copyWrite(ctx context.Context, qs []quad.Quad) error {
	st, err := prepareCopy(qs)
	if err != nil {
		return err
	}
	// database/sql rolls a transaction back from a goroutine of its own
	// when the transaction's context ends: the transaction and the COPY
	// run without ctx's cancellation, the statements with it, and
	// copyRows asks ctx between rows. The connection, dialled afresh, is
	// made under ctx (a server that never answers would hold the load
	// past it); the *sql.Conn does not watch ctx once made.
	bg := context.WithoutCancel(ctx)
	conn, err := d.copyDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(bg, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	err = copyTx(ctx, pgTx{tx, conn}, st)
	if cerr := ctx.Err(); cerr != nil {
		// Cancelled: whatever failed, the context is why; nothing is committed.
		if err != nil && !errors.Is(err, cerr) {
			return fmt.Errorf("%w: %w", cerr, err)
		}
		return cerr
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

func copyTx(ctx context.Context, tx pgTx, st *copyLoad) error {
	// Hashes for the anti-join and the reference counts, and sorts for
	// the index builds, in memory rather than on disk.
	for _, q := range []string{`SET LOCAL work_mem = '64MB'`, `SET LOCAL maintenance_work_mem = '256MB'`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	n := len(st.quads)
	var existing int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM quads LIMIT $1) q`, n*foreignKeyShare).Scan(&existing)
	if err != nil {
		return err
	}
	if existing >= n*foreignKeyShare {
		err = st.stageAndMove(ctx, tx)
	} else {
		err = rebuilding(ctx, tx.Tx, existing < n*indexShare, func(empty bool) error {
			if empty {
				return st.copyInto(ctx, tx, "nodes", "quads", true)
			}
			return st.stageAndMove(ctx, tx)
		})
	}
	if err != nil {
		return err
	}
	// Last, as in runTxBatched: the quads' trigger has taken the counter.
	return logEntry(ctx, tx.Tx)
}

// copyLoad is a load hashed as cayley hashes it: each distinct value once
// with the number of references the distinct quads make to it, in hash
// order, and the distinct quads.
type copyLoad struct {
	values []copyValue
	quads  []refs.QuadHash
}

type copyValue struct {
	hash refs.ValueHash
	val  quad.Value
	refs int64
}

func prepareCopy(qs []quad.Quad) (*copyLoad, error) {
	if len(qs) > math.MaxInt32/4 { // each value's occurrence is numbered in an int32
		return nil, fmt.Errorf("a write of %d quads is more than one COPY load takes (%d)", len(qs), math.MaxInt32/4)
	}
	// Each place of a value in a quad as an occurrence (-1: none); a value
	// repeated within a few quads (a link's node, its predicates and its
	// source) is one occurrence, found by recentValues.
	places := make([][4]int32, len(qs))
	occ := make([]occurrence, 0, len(qs)+len(qs)/2) // some 1.5 a quad, of a generated graph
	var recent recentValues
	for i, q := range qs {
		for d, dir := range quad.Directions {
			v := q.Get(dir)
			if v == nil {
				places[i][d] = -1
				continue
			}
			o, ok := recent.find(d, v)
			if !ok {
				o = int32(len(occ))
				occ = append(occ, occurrence{v: v})
				recent.add(d, v, o)
			}
			places[i][d] = o
		}
	}
	// Hash every occurrence, on every core, and order them by hash: the
	// values are then the distinct hashes in order, each with its first
	// occurrence's value, in hash order, which nodes' primary key takes
	// as appends to its last page rather than inserts all over the tree.
	// No map of values: at 10^5 links one took most of the time, a look
	// into a table of megabytes a cache miss each.
	par.Shares(len(occ), 4096, func(lo, hi int) {
		var buf []byte
		for i := lo; i < hi; i++ {
			occ[i].hash, buf = hashOf(occ[i].v, buf)
		}
	})
	order := hashOrder(occ)
	st := &copyLoad{}
	rank := make([]uint32, len(occ)) // each occurrence's value, counted from 1
	for k, o := range order {
		if k == 0 || occ[o].hash != occ[order[k-1]].hash {
			st.values = append(st.values, copyValue{hash: occ[o].hash, val: occ[o].v})
		}
		rank[o] = uint32(len(st.values))
	}
	// The quads in the order of their values' hashes (subject, predicate,
	// object, label; no label first), the order of spo_index and the
	// unique indexes, which PostgreSQL then builds from a heap already in
	// order (its sort checks for sorted input first); each quad as two
	// words, subject and predicate, then object and label, to sort and
	// deduplicate (as cayley's unique indexes would).
	packed := make([][2]uint64, len(places))
	for i, q := range places {
		var r [4]uint64
		for d, o := range q {
			if o >= 0 {
				r[d] = uint64(rank[o])
			}
		}
		packed[i] = [2]uint64{r[0]<<32 | r[1], r[2]<<32 | r[3]}
	}
	packed = bySubject(packed, len(st.values))
	packed = slices.Compact(packed)
	st.quads = make([]refs.QuadHash, len(packed))
	for i, q := range packed {
		for d, r := range [4]uint64{q[0] >> 32, q[0] & math.MaxUint32, q[1] >> 32, q[1] & math.MaxUint32} {
			if r > 0 {
				v := &st.values[r-1]
				v.refs++
				st.quads[i].Set(quad.Directions[d], v.hash)
			}
		}
	}
	return st, nil
}

// hashOf is cayley's hash of v (refs.HashOf: the SHA-1 of its N-Quads
// form), an IRI's without an allocation, in buf, which it returns for the
// next.
func hashOf(v quad.Value, buf []byte) (refs.ValueHash, []byte) {
	iri, ok := v.(quad.IRI)
	if !ok {
		return refs.HashOf(v), buf
	}
	buf = append(append(append(buf[:0], '<'), iri...), '>') // quad.IRI's String
	return sha1.Sum(buf), buf
}

// hashOrder is the numbers of the occurrences in the order of their
// hashes, and for one hash in their own order. The sort is of plain
// integers (a closure's comparisons took three times as long): each the
// hash's leading bits over the occurrence's number; a run of equal leading
// bits whose hashes differ is then put in the order of the whole hashes.
func hashOrder(occ []occurrence) []int32 {
	shift := bits.Len(uint(len(occ)))
	number := uint64(1)<<shift - 1
	words := make([]uint64, len(occ))
	for i := range occ {
		words[i] = binary.BigEndian.Uint64(occ[i].hash[:8])&^number | uint64(i)
	}
	slices.Sort(words)
	order := make([]int32, len(words))
	for i, w := range words {
		order[i] = int32(w & number)
	}
	for lo := 0; lo < len(words); {
		hi, same := lo+1, true
		for ; hi < len(words) && words[hi]&^number == words[lo]&^number; hi++ {
			same = same && occ[order[hi]].hash == occ[order[lo]].hash
		}
		if !same {
			slices.SortFunc(order[lo:hi], func(a, b int32) int {
				return cmp.Or(bytes.Compare(occ[a].hash[:], occ[b].hash[:]), cmp.Compare(a, b))
			})
		}
		lo = hi
	}
	return order
}

// bySubject sorts quads, each as two words of the ranks of its values
// (subject and predicate, object and label), values ranks 1 to n: by
// counting the quads of each subject, then each subject's few by the rest.
func bySubject(quads [][2]uint64, n int) [][2]uint64 {
	at := make([]int32, n+2) // where each subject's quads start, then where the next goes
	for _, q := range quads {
		at[q[0]>>32+1]++
	}
	for r := 1; r < len(at); r++ {
		at[r] += at[r-1]
	}
	out := make([][2]uint64, len(quads))
	for _, q := range quads {
		s := q[0] >> 32
		out[at[s]] = q
		at[s]++
	}
	lo := 0
	for s := range n + 1 { // at[s] is now where subject s's quads end
		hi := int(at[s])
		if hi-lo > 1 {
			slices.SortFunc(out[lo:hi], func(a, b [2]uint64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		}
		lo = hi
	}
	return out
}

// An occurrence is a value where a quad has it (or several quads near
// each other), and its hash.
type occurrence struct {
	v    quad.Value
	hash refs.ValueHash
}

// recentValues are the last few values in each direction of the quads,
// and their occurrences.
type recentValues struct {
	rings [4][ringSize]recentValue
	next  [4]int
}

// ringSize is how many recent values of each direction recentValues keeps.
const ringSize = 4

type recentValue struct {
	v  quad.Value
	at int32
}

// find is the occurrence of v when it is one of the last values of
// direction d, or the last value of any direction (a link's node is the
// label of its edge, then the subject of its fields).
func (r *recentValues) find(d int, v quad.Value) (int32, bool) {
	for i := range r.rings[d] {
		if x := &r.rings[d][i]; x.v != nil && sameValue(v, x.v) {
			return x.at, true
		}
	}
	for e := range r.rings {
		if e == d {
			continue
		}
		if x := &r.rings[e][(r.next[e]+ringSize-1)%ringSize]; x.v != nil && sameValue(v, x.v) {
			return x.at, true
		}
	}
	return 0, false
}

// add makes v, at occurrence at, the latest value of direction d.
func (r *recentValues) add(d int, v quad.Value, at int32) {
	r.rings[d][r.next[d]] = recentValue{v, at}
	r.next[d] = (r.next[d] + 1) % ringSize
}

// sameValue says whether a and b are the same value, cheaply: the kinds
// of value a link's quads repeat, compared by content; others only when
// they are the same interface value.
func sameValue(a, b quad.Value) bool {
	switch a := a.(type) {
	case quad.IRI:
		b, ok := b.(quad.IRI)
		return ok && a == b
	case quad.String:
		b, ok := b.(quad.String)
		return ok && a == b
	}
	return false
}

// nodeColumns are the columns of cayley's nodes table, and of
// leydigkg_stage_nodes.
var nodeColumns = []string{"refs", "hash", "value", "value_string", "datatype", "language", "iri", "bnode",
	"value_int", "value_bool", "value_float", "value_time"}

var quadColumns = []string{"subject_hash", "predicate_hash", "object_hash", "label_hash"}

// copyInto COPYs the values into the table nodes (or one of its shape)
// and the quads into quads; stamped, each quad with the ts cayley's writer
// gives it, the transaction's now().
func (st *copyLoad) copyInto(ctx context.Context, tx pgTx, nodes, quads string, stamped bool) error {
	err := copyRows(ctx, tx, nodes, nodeColumns, len(st.values), func(b []byte, i int) ([]byte, error) {
		return appendNodeRow(b, st.values[i])
	})
	if err != nil {
		return err
	}
	if !stamped {
		return copyRows(ctx, tx, quads, quadColumns, len(st.quads), func(b []byte, i int) ([]byte, error) {
			return appendQuadRow(b, st.quads[i], nil), nil
		})
	}
	var now time.Time // ts is a timestamp without time zone: the server's wall clock, read as UTC
	if err := tx.QueryRowContext(ctx, `SELECT now()::timestamp`).Scan(&now); err != nil {
		return err
	}
	ts, err := appendField(nil, now.UTC())
	if err != nil {
		return err
	}
	return copyRows(ctx, tx, quads, append(quadColumns[:4:4], "ts"), len(st.quads), func(b []byte, i int) ([]byte, error) {
		return appendQuadRow(b, st.quads[i], ts), nil
	})
}

// appendNodeRow appends v as a row of nodeColumns, spread over the
// columns as cayley's NodeValues spreads it.
func appendNodeRow(b []byte, v copyValue) ([]byte, error) {
	typ, values, err := csql.NodeValues(csql.NodeHash{ValueHash: v.hash}, v.val)
	if err != nil {
		return b, err
	}
	if v.refs > math.MaxInt32 {
		return b, fmt.Errorf("%d references to one value: more than cayley's nodes.refs holds", v.refs)
	}
	var row [12]any
	row[0], row[1] = int32(v.refs), values[0]
	for i, col := range typ.Columns() {
		j := slices.Index(nodeColumns, col)
		if j < 0 {
			return b, fmt.Errorf("cayley's nodes column %q is not staged", col)
		}
		row[j] = values[1+i]
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(nodeColumns)))
	for _, x := range row[:len(nodeColumns)] {
		if b, err = appendField(b, x); err != nil {
			return b, err
		}
	}
	return b, nil
}

// stageAndMove COPYs the load into staging tables and moves what is new
// of it into cayley's tables.
func (st *copyLoad) stageAndMove(ctx context.Context, tx pgTx) error {
	for _, q := range []string{
		`CREATE TEMP TABLE leydigkg_stage_nodes ON COMMIT DROP AS
		SELECT ` + strings.Join(nodeColumns, ", ") + ` FROM nodes WITH NO DATA`,
		`CREATE TEMP TABLE leydigkg_stage_quads ON COMMIT DROP AS
		SELECT ` + strings.Join(quadColumns, ", ") + ` FROM quads WITH NO DATA`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if err := st.copyInto(ctx, tx, "leydigkg_stage_nodes", "leydigkg_stage_quads", false); err != nil {
		return err
	}
	return moveStaged(ctx, tx.Tx)
}

// moveStaged moves the staged quads that are new, and the values they
// refer to, into cayley's tables: the staged reference counts, less those
// of the staged quads that are there already.
func moveStaged(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		// Temporary tables are never analyzed on their own: without
		// statistics the planner guesses a few rows and picks nested loops.
		`ANALYZE leydigkg_stage_nodes, leydigkg_stage_quads`,
		`CREATE TEMP TABLE leydigkg_old_quads ON COMMIT DROP AS
		SELECT s.* FROM leydigkg_stage_quads s JOIN quads q
			ON q.subject_hash = s.subject_hash AND q.predicate_hash = s.predicate_hash AND q.object_hash = s.object_hash
			AND (q.label_hash = s.label_hash OR (q.label_hash IS NULL AND s.label_hash IS NULL))`,
		`ANALYZE leydigkg_old_quads`,
		`INSERT INTO nodes (` + strings.Join(nodeColumns, ", ") + `)
		SELECT n.refs - coalesce(o.refs, 0), ` + strings.Join(nodeColumns[1:], ", ") + `
		FROM leydigkg_stage_nodes n LEFT JOIN (SELECT h, count(*) AS refs FROM (
				SELECT subject_hash FROM leydigkg_old_quads
				UNION ALL SELECT predicate_hash FROM leydigkg_old_quads
				UNION ALL SELECT object_hash FROM leydigkg_old_quads
				UNION ALL SELECT label_hash FROM leydigkg_old_quads WHERE label_hash IS NOT NULL
			) AS used(h) GROUP BY h) o ON o.h = n.hash
		WHERE n.refs > coalesce(o.refs, 0)
		ORDER BY n.hash
		ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs`,
		// Always run, even with nothing new: its trigger bumps the change
		// counter, as cayley's INSERTs of existing quads do.
		`INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts)
		SELECT s.subject_hash, s.predicate_hash, s.object_hash, s.label_hash, now() FROM leydigkg_stage_quads s
		WHERE NOT EXISTS (SELECT 1 FROM leydigkg_old_quads o
			WHERE o.subject_hash = s.subject_hash AND o.predicate_hash = s.predicate_hash AND o.object_hash = s.object_hash
			AND o.label_hash IS NOT DISTINCT FROM s.label_hash)
		ON CONFLICT DO NOTHING`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// rebuilding runs fn with the nodes and quads tables locked and quads
// without its foreign keys and, when indexes is set, its secondary indexes
// (all but the primary key), then recreates them as they were. fn is told
// whether both tables are empty and the indexes are gone: then the
// primary keys of both are gone too.
func rebuilding(ctx context.Context, tx *sql.Tx, indexes bool, fn func(empty bool) error) error {
	// In the order other writers take them: nodes, then quads.
	if _, err := tx.ExecContext(ctx, `LOCK TABLE nodes, quads IN ACCESS EXCLUSIVE MODE`); err != nil {
		return err
	}
	var empty bool
	if err := tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM quads) AND NOT EXISTS (SELECT 1 FROM nodes)`).Scan(&empty); err != nil {
		return err
	}
	type def struct{ table, name, sql string }
	read := func(q string, args ...any) ([]def, error) {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []def
		for rows.Next() {
			var d def
			if err := rows.Scan(&d.table, &d.name, &d.sql); err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		return out, rows.Err()
	}
	fks, err := read(`SELECT 'quads', quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = 'quads'::regclass AND contype = 'f' ORDER BY conname`)
	if err != nil {
		return err
	}
	ixs, err := read(`SELECT 'quads', indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
		WHERE $1 AND indrelid = 'quads'::regclass AND NOT indisprimary
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)
		ORDER BY 1`, indexes)
	if err != nil {
		return err
	}
	// Into empty tables, the primary keys go too (unless another table
	// refers to one of them): COPY then makes no index entry,
	// and no WAL record, a row, and each key is built by one sort of rows
	// already in its order, values by hash and quads by horizon.
	pks, err := read(`SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
		WHERE $1 AND conrelid IN ('nodes'::regclass, 'quads'::regclass) AND contype = 'p'
		AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f'
			AND (f.confrelid = 'quads'::regclass OR f.confrelid = 'nodes'::regclass AND f.conrelid <> 'quads'::regclass))
		ORDER BY 1`, empty && indexes)
	if err != nil {
		return err
	}
	var drop []string
	for _, fk := range fks {
		drop = append(drop, `ALTER TABLE quads DROP CONSTRAINT `+fk.name)
	}
	for _, ix := range ixs {
		drop = append(drop, `DROP INDEX `+ix.name)
	}
	for _, pk := range pks {
		drop = append(drop, `ALTER TABLE `+pk.table+` DROP CONSTRAINT `+pk.name)
	}
	for _, q := range drop {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if err := fn(empty && indexes); err != nil {
		return err
	}
	var create []string
	for _, pk := range pks {
		create = append(create, `ALTER TABLE `+pk.table+` ADD CONSTRAINT `+pk.name+` `+pk.sql)
	}
	for _, ix := range ixs {
		create = append(create, ix.sql)
	}
	for _, fk := range fks {
		create = append(create, `ALTER TABLE quads ADD CONSTRAINT `+fk.name+` `+fk.sql)
	}
	for _, q := range create {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
