package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	cayley "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/leydigkg/leydigkg/graph"
)

// PostgreSQL and CockroachDB stores.
//
// cayley's SQL backends (graph/sql/postgres over lib/pq, graph/sql/cockroach
// over pgx) keep quads in two tables, nodes (one row per distinct value,
// keyed by its hash) and quads (four hashes), and write each batch of
// deltas in one database transaction: a write lands whole or not at all.
// Their only caches are content-addressed (hash -> value, filled by reads),
// so unlike the KV backends a rolled-back batch leaves nothing stale behind
// and the quad store need not be reopened after a failed write.
//
// Next to cayley's tables the store keeps a change counter, so that several
// servers on one database can tell when another one wrote (see follow.go):
//
//	leydigkg_changes(version)  bumped once by every transaction that touches
//	                           quads, by a BEFORE ... FOR EACH STATEMENT
//	                           trigger, which also NOTIFYs leydigkg_changes.
//
// CockroachDB has neither LISTEN/NOTIFY nor (before v24.3) triggers, so
// there the "version" is a fingerprint of the quads table, (row count,
// highest horizon), which any committed insert or delete changes.

// changeChannel is the NOTIFY channel of the change counter.
const changeChannel = "leydigkg_changes"

// pgChangeDDL creates the change counter and its trigger. It is run under an
// advisory lock, so servers starting together do not race.
var pgChangeDDL = []string{
	`CREATE TABLE IF NOT EXISTS leydigkg_changes (
	one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
	version BIGINT NOT NULL,
	txid BIGINT)`,
	`INSERT INTO leydigkg_changes (one, version) VALUES (TRUE, 0) ON CONFLICT DO NOTHING`,
	`CREATE OR REPLACE FUNCTION leydigkg_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE leydigkg_changes SET version = version + 1, txid = txid_current()
		WHERE txid IS DISTINCT FROM txid_current();
	PERFORM pg_notify('` + changeChannel + `', '');
	RETURN NULL;
END $$`,
	pgLogDDL,
	`DROP TRIGGER IF EXISTS leydigkg_bump ON quads`,
	// BEFORE, so that a writer takes the counter's row lock before it has
	// inserted any quad: two writers then queue on the counter instead of
	// deadlocking on each other's quads.
	`CREATE TRIGGER leydigkg_bump BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON quads
	FOR EACH STATEMENT EXECUTE FUNCTION leydigkg_bump()`,
}

// advisoryKey names the advisory lock taken while creating the schema.
const advisoryKey int64 = 0x6c6579646967 // "leydig"

// changeMark is a point in the database's history of changes: the change
// counter (PostgreSQL), or the quads table's fingerprint (CockroachDB).
type changeMark struct{ a, b int64 }

// sqlDB is the DB's own connection to a SQL store, for change marks,
// change notifications and reading every quad in one query.
type sqlDB struct {
	spec    storeSpec
	db      *sql.DB
	copyDB  *sql.DB // PostgreSQL: pgx's connections, for COPY loads (pgcopy.go)
	counter bool    // PostgreSQL: a change counter bumped once per transaction

	// Guarded by the owner's lock (see DB).
	mark  changeMark // the database's mark as of the snapshot
	stale bool       // the snapshot may be behind the database
}

// driverOf names the database/sql driver cayley's backend registers.
func driverOf(sp storeSpec) string {
	if sp.backend == backendCockroach {
		return "pgx"
	}
	return "postgres"
}

// cayleyOptions are the options cayley's SQL quad store is opened with. No
// idle connections are kept in cayley's pool: every write dials afresh, so a
// write after the database restarted never meets a connection the restart
// killed. (Writes are few and large; a dial is a millisecond on loopback.)
func cayleyOptions(sp storeSpec) cayley.Options {
	if !sp.isSQL() {
		return nil
	}
	return cayley.Options{"maxopenconnections": 4, "maxidleconnections": 0}
}

// openSQL connects to the database and creates what is missing: cayley's
// tables and the change counter.
func openSQL(ctx context.Context, sp storeSpec) (*sqlDB, error) {
	db, err := sql.Open(driverOf(sp), sp.path)
	if err != nil {
		return nil, fmt.Errorf("%w: store %s: %w", graph.ErrBadArgument, sp, err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(2)
	db.SetConnMaxIdleTime(time.Minute)
	d := &sqlDB{spec: sp, db: db, counter: sp.backend == backendPostgres}
	if sp.backend == backendPostgres {
		// No idle connections kept, as in cayley's pool: COPY loads are
		// few and large, and each dials afresh.
		switch d.copyDB, err = openCopyDB(sp.path); {
		case errors.Is(err, errNoCopy):
		case err != nil:
			db.Close()
			return nil, fmt.Errorf("%w: store %s: %w", graph.ErrBadArgument, sp, err)
		default:
			d.copyDB.SetMaxIdleConns(0)
		}
	}
	if err := d.initSchema(ctx); err != nil {
		d.close()
		return nil, fmt.Errorf("open %s: %w", sp, classify(err))
	}
	return d, nil
}

func (d *sqlDB) initSchema(ctx context.Context) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if d.counter {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, advisoryKey); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, advisoryKey)
	}
	// cayley's Init logs an error when the tables exist: ask first.
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT to_regclass('quads') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		if err := cayley.InitQuadStore(d.spec.cayley, d.spec.path, cayleyOptions(d.spec)); err != nil && !errors.Is(err, cayley.ErrDatabaseExists) {
			return err
		}
	}
	if !d.counter {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range pgChangeDDL {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create change counter: %w", err)
		}
	}
	return tx.Commit()
}

func (d *sqlDB) close() error {
	if d.copyDB != nil {
		d.copyDB.Close()
	}
	return d.db.Close()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// markOf reads the database's current change mark.
func (d *sqlDB) markOf(ctx context.Context, q querier) (changeMark, error) {
	var m changeMark
	var err error
	if d.counter {
		err = q.QueryRowContext(ctx, `SELECT version FROM leydigkg_changes`).Scan(&m.a)
	} else {
		err = q.QueryRowContext(ctx, `SELECT count(*), coalesce(max(horizon), 0) FROM quads`).Scan(&m.a, &m.b)
	}
	return m, err
}

// currentMark reads the change mark, once more on a fresh connection if the
// first try met a connection killed by a database restart.
func (d *sqlDB) currentMark(ctx context.Context) (changeMark, error) {
	m, err := d.markOf(ctx, d.db)
	if err != nil && isUnavailable(err) && ctx.Err() == nil {
		m, err = d.markOf(ctx, d.db)
	}
	return m, classify(err)
}

// readAll streams every quad to fn from one consistent view of the
// database, and returns the change mark of that view. Values are read in one
// query and quads in another, instead of cayley's one query per value.
func (d *sqlDB) readAll(ctx context.Context, fn func(quad.Quad) error) (changeMark, error) {
	m, err := d.readAllOnce(ctx, fn)
	if err != nil && isUnavailable(err) && ctx.Err() == nil {
		m, err = d.readAllOnce(ctx, fn) // a connection killed by a restart
	}
	return m, classify(err)
}

func (d *sqlDB) readAllOnce(ctx context.Context, fn func(quad.Quad) error) (changeMark, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if d.counter {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for all statements
	}
	tx, err := d.db.BeginTx(ctx, opts)
	if err != nil {
		return changeMark{}, err
	}
	defer tx.Rollback()
	m, err := d.markOf(ctx, tx)
	if err != nil {
		return changeMark{}, err
	}
	values, err := readValues(ctx, tx)
	if err != nil {
		return changeMark{}, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT subject_hash, predicate_hash, object_hash, label_hash FROM quads`)
	if err != nil {
		return changeMark{}, err
	}
	defer rows.Close()
	var h [4][]byte
	for rows.Next() {
		if err := rows.Scan(&h[0], &h[1], &h[2], &h[3]); err != nil {
			return changeMark{}, err
		}
		var q quad.Quad
		for i, p := range []*quad.Value{&q.Subject, &q.Predicate, &q.Object, &q.Label} {
			if h[i] == nil {
				continue
			}
			v, ok := values[string(h[i])]
			if !ok {
				return changeMark{}, fmt.Errorf("quad refers to value %x, which is not in nodes", h[i])
			}
			*p = v
		}
		if err := fn(q); err != nil {
			return changeMark{}, err
		}
	}
	if err := rows.Err(); err != nil {
		return changeMark{}, err
	}
	return m, tx.Commit()
}

// readValues reads the nodes table: hash -> value, decoded as cayley's
// sql.QuadStore.NameOf decodes a row.
func readValues(ctx context.Context, q querier) (map[string]quad.Value, error) {
	rows, err := q.QueryContext(ctx, `SELECT hash, value, value_string, datatype, language, iri, bnode,
	value_int, value_bool, value_float, value_time FROM nodes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	values := make(map[string]quad.Value)
	for rows.Next() {
		var (
			hash, data     []byte
			str, typ, lang sql.NullString
			iri, bnode, vb sql.NullBool
			vint           sql.NullInt64
			vfloat         sql.NullFloat64
			vtime          sql.NullTime
		)
		if err := rows.Scan(&hash, &data, &str, &typ, &lang, &iri, &bnode, &vint, &vb, &vfloat, &vtime); err != nil {
			return nil, err
		}
		var v quad.Value
		switch {
		case str.Valid && iri.Bool:
			v = quad.IRI(str.String)
		case str.Valid && bnode.Bool:
			v = quad.BNode(str.String)
		case str.Valid && lang.Valid:
			v = quad.LangString{Value: quad.String(unescapeNull(str.String)), Lang: lang.String}
		case str.Valid && typ.Valid:
			v = quad.TypedString{Value: quad.String(unescapeNull(str.String)), Type: quad.IRI(typ.String)}
		case str.Valid:
			v = quad.String(unescapeNull(str.String))
		case vint.Valid:
			v = quad.Int(vint.Int64)
		case vb.Valid:
			v = quad.Bool(vb.Bool)
		case vfloat.Valid:
			v = quad.Float(vfloat.Float64)
		case vtime.Valid:
			v = quad.Time(vtime.Time.UTC())
		default:
			if v, err = pquads.UnmarshalValue(data); err != nil {
				return nil, fmt.Errorf("value %x: %w", hash, err)
			}
		}
		values[string(hash)] = v
	}
	return values, rows.Err()
}

// unescapeNull undoes cayley's escaping of NUL bytes in SQL text.
func unescapeNull(s string) string { return strings.ReplaceAll(s, `\x00`, "\x00") }

// classify marks errors that mean "the database cannot be reached now" with
// ErrUnavailable.
func classify(err error) error {
	if err == nil || errors.Is(err, graph.ErrUnavailable) || !isUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", graph.ErrUnavailable, err)
}

// isUnavailable says whether err is the database being down, restarting,
// unreachable or refusing connections, rather than refusing the statement.
func isUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		code := st.SQLState()
		// 08: connection exception; 57P01-03: admin/crash shutdown, cannot
		// connect now; 53300: too many connections.
		return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03" || code == "53300"
	}
	// lib/pq reports a server going away in plain errors.
	msg := err.Error()
	return strings.Contains(msg, "bad connection") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "the database system is") || strings.Contains(msg, "failed to connect")
}

// reload reads every quad into add and remembers the change mark of what it
// read. Called under the owner's lock.
func (d *sqlDB) reload(ctx context.Context, add func(quad.Quad)) error {
	m, err := d.readAll(ctx, func(q quad.Quad) error { add(q); return nil })
	if err != nil {
		d.stale = true
		return err
	}
	d.mark, d.stale = m, false
	return nil
}

// failed records a write that failed with err, and says whether the
// database was unreachable. Then nothing is reloaded now (it would fail
// too): the snapshot is marked stale, and the follower reloads as soon as
// the database answers again, which also settles a commit whose outcome the
// lost connection left unknown. Called under the owner's lock.
func (d *sqlDB) failed(err error) bool {
	if !isUnavailable(err) {
		return false
	}
	d.stale = true
	return true
}

// wrote is called after a successful write, and says whether it was the
// only change since the snapshot, so that the next snapshot may be built
// from this one. On PostgreSQL the counter then moved by exactly one; on
// CockroachDB (a fingerprint, not a counter) it cannot tell, and says no.
// Called under the owner's lock.
func (d *sqlDB) wrote(ctx context.Context) bool {
	if !d.counter {
		return false
	}
	m, err := d.currentMark(context.WithoutCancel(ctx))
	if err != nil {
		d.stale = true
		return false
	}
	if d.stale || m.a != d.mark.a+1 {
		return false
	}
	d.mark = m
	return true
}
