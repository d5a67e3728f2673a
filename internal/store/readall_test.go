package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
)

// TestReadAllConsumerPanics: when add panics, ReadAll's reading goroutine
// ends (it would block on its channel, holding the store's read
// transaction) and the store can be read and written again.
func TestReadAllConsumerPanics(t *testing.T) {
	ctx := context.Background()
	db := openBolt(t, filepath.Join(t.TempDir(), "db"))
	defer db.Close()
	var qs []quad.Quad
	for i := range 24_000 { // more than ReadAll queues ahead of its consumer (five chunks)
		qs = append(qs, quad.Make(quad.IRI(fmt.Sprint("urn:s", i)), quad.IRI("urn:p"), quad.String(fmt.Sprint(i)), nil))
	}
	if _, err := db.Write(ctx, qs, nil); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	func() {
		defer func() { _ = recover() }()
		_ = db.ReadAll(ctx, func(quad.Quad) { panic("the consumer fails") })
	}()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after ReadAll's consumer panicked, %d before", n, before)
	}
	n := 0
	if err := db.ReadAll(ctx, func(quad.Quad) { n++ }); err != nil || n != len(qs) {
		t.Fatalf("read %d quads (%v) after, want %d", n, err, len(qs))
	}
}
