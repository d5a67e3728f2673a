package graph

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
//   - on every store, every followPoll, in case a notification was lost.
//
// and compares the database's change mark with the snapshot's: when they
// differ, or the snapshot is marked stale (a write failed with the database
// unreachable), it reloads the snapshot from the database under Store.mu.
//
// The bound: a write committed through one server is seen by reads on
// another once that server has reloaded, which it starts at most about
// followPoll after the commit (on PostgreSQL: as soon as the notification
// arrives, milliseconds on a LAN) and which takes as long as reading the
// whole graph (see the README for figures). Reads during the reload see
// the previous snapshot, never a partial one.
const followPoll = time.Second

// follow is a running follower.
type follow struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func startFollow(s *Store) *follow {
	ctx, cancel := context.WithCancel(context.Background())
	f := &follow{cancel: cancel, done: make(chan struct{})}
	go f.run(ctx, s)
	return f
}

func (f *follow) stop() {
	f.cancel()
	<-f.done
}

func (f *follow) run(ctx context.Context, s *Store) {
	defer close(f.done)
	var notes <-chan *pq.Notification
	if s.sql.counter {
		l := pq.NewListener(s.spec.path, 50*time.Millisecond, followPoll, nil)
		listening := make(chan error, 1)
		go func() { listening <- l.Listen(changeChannel) }()
		notes = l.NotificationChannel()
		defer func() { l.Close(); <-listening }()
	}
	tick := time.NewTicker(followPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-notes:
			drain(notes) // one reload covers every change so far
		}
		s.syncFromDB(ctx)
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

// syncFromDB reloads the snapshot when the database changed since it was
// taken, or when it is marked stale.
func (s *Store) syncFromDB(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	m, err := s.sql.currentMark(ctx)
	if err != nil {
		s.sql.stale = true
		return err
	}
	if m == s.sql.mark && !s.sql.stale {
		return nil
	}
	return s.reloadLocked(ctx)
}

// Ping says whether the store's database answers: nil for memory and bolt,
// an error wrapping ErrUnavailable when a SQL database cannot be reached.
// Reads keep working from the snapshot either way; writes need it.
func (s *Store) Ping(ctx context.Context) error {
	if s.sql == nil {
		return nil
	}
	err := s.sql.db.PingContext(ctx)
	if err != nil && isUnavailable(err) && ctx.Err() == nil {
		err = s.sql.db.PingContext(ctx) // a connection killed by a restart
	}
	if err != nil && !isUnavailable(err) {
		return err
	}
	return classify(err)
}
