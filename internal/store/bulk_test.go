package store

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// TestBulkAdoptDurable: a bolt bulk load writes without fsyncs, and the
// file it adopts is made durable: the handle syncs every later write, and
// the file's freelist is written.
func TestBulkAdoptDurable(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "db")
	d := mustOpenDB(t, "bolt:"+dir, Options{})
	b, err := d.NewBulk(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !b.bolt.NoSync || !b.bolt.NoFreelistSync {
		t.Error("the bulk load's bolt file is written with fsyncs")
	}
	for _, q := range layout.QuadsOf(gen.Generate(gen.Config{Edges: 50, Seed: 1})) {
		b.Write(q)
	}
	if err := b.End(); err != nil {
		t.Fatal(err)
	}
	bolt := b.bolt
	if err := d.Adopt(b); err != nil {
		t.Fatal(err)
	}
	if bolt.NoSync || bolt.NoGrowSync || bolt.NoFreelistSync {
		t.Error("the adopted bolt handle does not fsync its writes")
	}
	if !boltFreelistSynced(t, filepath.Join(dir, "indexes.bolt")) {
		t.Error("the adopted bolt file has no freelist written")
	}
	if d.Adopted() != 1 {
		t.Errorf("Adopted = %d, want 1", d.Adopted())
	}
}

// boltFreelistSynced reports whether a bolt file's current meta page points
// at a freelist, as a bbolt file written with NoFreelistSync does not.
// (A meta page: a 16-byte page header, then magic, version, page size and
// flags as uint32, the root bucket's page and sequence, the freelist's
// page, the high-water page and the transaction id as uint64.)
func boltFreelistSynced(t *testing.T, file string) bool {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	meta := func(off int) (freelist, txid uint64) {
		m := data[off+16:]
		return binary.LittleEndian.Uint64(m[32:]), binary.LittleEndian.Uint64(m[48:])
	}
	pageSize := int(binary.LittleEndian.Uint32(data[16+8:]))
	f0, tx0 := meta(0)
	f1, tx1 := meta(pageSize)
	if tx1 > tx0 {
		f0 = f1
	}
	return f0 != ^uint64(0)
}

// TestBulkKeepsFileMode: the file a bulk load adopts has the mode of the
// store's file it replaces, whether it started empty or as a copy.
func TestBulkKeepsFileMode(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		mode os.FileMode
		copy bool
	}{{"empty, 0644", 0o644, false}, {"a copy, 0644", 0o644, true}, {"a copy, 0640", 0o640, true}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			d := mustOpenDB(t, "bolt:"+dir, Options{})
			file := filepath.Join(dir, "indexes.bolt")
			if tc.copy {
				mustWrite(t, d, gen.Generate(gen.Config{Edges: 5, Seed: 2}))
			}
			if err := os.Chmod(file, tc.mode); err != nil {
				t.Fatal(err)
			}
			b, err := d.NewBulk(ctx, tc.copy)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range layout.QuadsOf(gen.Generate(gen.Config{Edges: 20, Seed: 3})) {
				b.Write(q)
			}
			if err := b.End(); err != nil {
				t.Fatal(err)
			}
			if err := d.Adopt(b); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tc.mode {
				t.Errorf("mode %v after the bulk load, want %v", got, tc.mode)
			}
		})
	}
}
