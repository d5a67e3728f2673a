package store

import (
	"context"
	"database/sql"
	"sync"

	"github.com/cayleygraph/quad"
)

// The change log (PostgreSQL).
//
// Beside the change counter the store keeps the last few transactions'
// changes, so that a follower can apply what another server wrote instead
// of reading the whole graph again:
//
//	leydigkg_log(version, entry)  the entry a write was given (its owner's
//	                              encoding of what it changed), under the
//	                              counter's version of its transaction
//
// The entry is written in the write's own transaction, so it is there
// exactly when the write is. A follower whose view is at version v reads
// the entries after v up to the counter; when one is missing (a write made
// without an entry: by an older leydigkg, through cayley alone, or too
// large to log) or the log no longer reaches back to v, it reads the whole
// graph (ReadAll), as before. Each write drops the entries older than
// Options.LogKeep transactions. CockroachDB has no counter, and no log:
// followers there read the whole graph.

// DefaultLogKeep is how many transactions the change log keeps.
const DefaultLogKeep = 256

// MaxLogEntry bounds an entry: a larger write is not logged, and its
// followers read the whole graph.
const MaxLogEntry = 64 << 20

// Entries over largeEntry bytes (a load's) are kept for the last
// largeLogKeep transactions only, so that the log stays some tens of
// megabytes rather than LogKeep times a load: a follower further behind
// than that reads the whole graph.
const (
	largeEntry   = 1 << 20
	largeLogKeep = 16
)

// pgLogDDL creates the change log; it is run with pgChangeDDL.
var pgLogDDL = `CREATE TABLE IF NOT EXISTS leydigkg_log (
	version BIGINT PRIMARY KEY,
	entry BYTEA NOT NULL)`

// logSlot hands a write's entry to the write step (runTxBatched, or a
// COPY load's transaction), which cayley calls within the write's
// transaction with nothing of the write's but the transaction. Every write
// through them holds mu, so an entry is written by its own write's
// transaction only.
var logSlot struct {
	mu    sync.Mutex
	entry func() []byte
	keep  int
}

// Logs says whether the store keeps a change log, so that the entries
// given to WriteLogged are worth making.
func (d *DB) Logs() bool {
	return d.sql != nil && d.sql.counter && d.spec.cayley == cayleyPostgres
}

// WriteLogged is Write, which on a store that Logs also records the entry
// that entry returns in the change log, in the write's transaction. entry
// is called once, as the write is about to commit, so that the owner may
// encode it while the write runs; entry nil, or returning nil or more than
// MaxLogEntry bytes: the write is not logged, and followers read the whole
// graph.
func (d *DB) WriteLogged(ctx context.Context, add, remove []quad.Quad, entry func() []byte) (stale bool, err error) {
	if d.spec.cayley != cayleyPostgres || d.sql == nil {
		return d.write(ctx, add, remove)
	}
	logSlot.mu.Lock()
	defer logSlot.mu.Unlock()
	if !d.Logs() {
		entry = nil
	}
	logSlot.entry, logSlot.keep = entry, d.opts.LogKeep
	defer func() { logSlot.entry = nil }()
	return d.write(ctx, add, remove)
}

// logEntry writes the entry of the write whose transaction tx is, if it
// has one: it moves the change counter (as the trigger on quads does, once
// per transaction) and records the entry under the new version.
func logEntry(ctx context.Context, tx *sql.Tx) error {
	if logSlot.entry == nil {
		return nil
	}
	entry := logSlot.entry()
	if entry == nil || len(entry) > MaxLogEntry {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE leydigkg_changes SET version = version + 1, txid = txid_current()
		WHERE txid IS DISTINCT FROM txid_current()`); err != nil {
		return err
	}
	var v int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO leydigkg_log (version, entry) SELECT version, $1 FROM leydigkg_changes RETURNING version`,
		entry).Scan(&v); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM leydigkg_log WHERE version <= $1 OR (version <= $2 AND octet_length(entry) > $3)`,
		v-int64(logSlot.keep), v-largeLogKeep, largeEntry)
	return err
}

// Changes returns the change log's entries of the writes made since the
// owner's view of the store (its last ReadAll or Changes), oldest first,
// and moves the view past them. ok is false when the log cannot bring the
// view up to date: then the owner must ReadAll. Called under the owner's
// lock.
func (d *DB) Changes(ctx context.Context) (entries [][]byte, ok bool, err error) {
	if !d.Logs() || d.sql.stale {
		return nil, false, nil
	}
	entries, ok, err = d.sql.changes(ctx, d.opts.LogKeep)
	return entries, ok, classify(err)
}

func (d *sqlDB) changes(ctx context.Context, keep int) ([][]byte, bool, error) {
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	m, err := d.markOf(ctx, tx)
	if err != nil || m.a == d.mark.a {
		return nil, err == nil, err
	}
	if m.a < d.mark.a || m.a-d.mark.a > int64(keep) {
		return nil, false, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT version, entry FROM leydigkg_log WHERE version > $1 AND version <= $2 ORDER BY version`,
		d.mark.a, m.a)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var entries [][]byte
	next := d.mark.a + 1
	for rows.Next() {
		var v int64
		var e []byte
		if err := rows.Scan(&v, &e); err != nil {
			return nil, false, err
		}
		if v != next {
			return nil, false, nil // a write without an entry
		}
		entries = append(entries, e)
		next++
	}
	if err := rows.Err(); err != nil || next != m.a+1 {
		return nil, false, err
	}
	if err := tx.Commit(); err != nil {
		return nil, false, err
	}
	d.mark = m
	return entries, true, nil
}
