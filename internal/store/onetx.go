package store

import (
	"context"

	hkv "github.com/hidal-go/hidalgo/kv"
)

// oneTx is the KV of a bolt quad store, through which several of cayley's
// ApplyDeltas can share one bolt transaction: within run, every
// transaction cayley opens is the one run opened, and neither commits nor
// rolls back; run commits it once at the end, or rolls it back. The DB
// uses it from one goroutine at a time (the Store serializes every use of
// its DB).
type oneTx struct {
	hkv.KV
	tx hkv.Tx // within run, the transaction every Tx call returns
}

func (o *oneTx) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	if o.tx != nil {
		return shared{o.tx}, nil
	}
	return o.KV.Tx(ctx, rw)
}

func (o *oneTx) View(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.View(ctx, o, fn)
}

func (o *oneTx) Update(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.Update(ctx, o, fn)
}

// run calls fn with one read-write transaction for all of cayley's writes
// and commits it when fn succeeds. Once fn fails, the caller must reopen
// the quad store: cayley's caches may hold what was rolled back.
func (o *oneTx) run(ctx context.Context, fn func() error) error {
	tx, err := o.KV.Tx(ctx, true)
	if err != nil {
		return err
	}
	o.tx = tx
	defer func() {
		o.tx = nil
		tx.Close() // after a commit, a no-op
	}()
	if err := fn(); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// shared is run's transaction as cayley sees it: committing and closing it
// are left to run.
type shared struct{ hkv.Tx }

func (shared) Commit(ctx context.Context) error { return nil }
func (shared) Close() error                     { return nil }
