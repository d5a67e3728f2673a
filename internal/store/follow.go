package store

import (
	"context"
	"time"

	"github.com/lib/pq"
)

// Following other servers' writes.
//
// Several servers may share one SQL database. Each keeps its own snapshot
// for reads, so each must learn when another one wrote. A follower, started
// by Open for SQL stores, wakes up
//
//   - on PostgreSQL, on every NOTIFY leydigkg_changes (sent by the change
//     counter's trigger when a writing transaction commits) and whenever
//     its LISTEN connection comes back after the database went away;
//   - on every store, every FollowPoll, in case a notification was lost.
//
// and compares the database's change mark with the snapshot's: when they
// differ, or the snapshot is marked stale (a write failed with the database
// unreachable), its owner brings the snapshot up to date under its lock:
// by the change log's entries of the writes it missed (changelog.go, on
// PostgreSQL), or, when the log does not have them all, by reading the
// whole graph again.
//
// The bound: a write committed through one server is seen by reads on
// another once that server has applied it, which it starts at most about
// FollowPoll after the commit (on PostgreSQL: as soon as the notification
// arrives, milliseconds on a LAN) and which takes as long as applying the
// write's own changes when the log has them (independent of the graph's
// size), else as long as reading the whole graph (see docs/serving.md for
// figures). Reads meanwhile see the previous snapshot, never a partial one.

// FollowPoll is how often a follower looks for changes it was not told of.
const FollowPoll = time.Second

// Follow starts a follower for a SQL store, which calls sync (the owner's
// Changed, then Changes or a reload) on every change notification and every
// FollowPoll; stop ends it and waits for it. On memory and bolt it does
// nothing: nobody else writes there.
func (d *DB) Follow(sync func(ctx context.Context)) (stop func()) {
	if d.sql == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go d.follow(ctx, done, sync)
	return func() {
		cancel()
		<-done
	}
}

func (d *DB) follow(ctx context.Context, done chan struct{}, sync func(context.Context)) {
	defer close(done)
	var notes <-chan *pq.Notification
	if d.sql.counter {
		l := pq.NewListener(d.spec.path, 50*time.Millisecond, FollowPoll, nil)
		listening := make(chan error, 1)
		go func() { listening <- l.Listen(changeChannel) }()
		notes = l.NotificationChannel()
		defer func() { l.Close(); <-listening }()
	}
	tick := time.NewTicker(FollowPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-notes:
			drain(notes) // one reload covers every change so far
		}
		sync(ctx)
	}
}

func drain(c <-chan *pq.Notification) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// Changed says whether the database changed since the last ReadAll, or
// the owner's view is marked stale (a write failed with the database
// unreachable): then the owner must read it again. Always false on memory
// and bolt.
func (d *DB) Changed(ctx context.Context) (bool, error) {
	if d.sql == nil {
		return false, nil
	}
	m, err := d.sql.currentMark(ctx)
	if err != nil {
		d.sql.stale = true
		return false, err
	}
	return m != d.sql.mark || d.sql.stale, nil
}

// Ping says whether the store's database answers: nil for memory and bolt,
// an error wrapping ErrUnavailable when a SQL database cannot be reached.
// Reads keep working from the snapshot either way; writes need it.
func (d *DB) Ping(ctx context.Context) error {
	if d.sql == nil {
		return nil
	}
	err := d.sql.db.PingContext(ctx)
	if err != nil && isUnavailable(err) && ctx.Err() == nil {
		err = d.sql.db.PingContext(ctx) // a connection killed by a restart
	}
	if err != nil && !isUnavailable(err) {
		return err
	}
	return classify(err)
}
