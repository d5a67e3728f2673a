package store

import (
	"context"
	"fmt"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"
)

// logBucket is where cayley's KV quad store keeps every value and quad it
// holds (graph/kv's logIndex): a proto.Primitive under each id, big-endian.
// A value's primitive carries it pquads-encoded; a quad's names its four
// values by id (0: none). A removed quad stays, marked Deleted; a value
// no quad uses any more is removed.
var logBucket = []byte("log")

// logQuads streams every quad of a bolt store in one read transaction and
// one pass over the log, in id order. cayley's all-quads iterator walks
// the same log, but then reads each quad again, and each of its four
// values, with a transaction and a B-tree search of its own: reading a
// 10^5-link store that way was most of the time of an export and of a
// bolt store's open.
func logQuads(ctx context.Context, db *bbolt.DB, fn func(quad.Quad) error) error {
	return db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(logBucket)
		if b == nil {
			return nil // a store cayley never wrote to
		}
		values := make(map[uint64]quad.Value)
		var later []*cproto.Primitive // quads met before a value of theirs (never, as cayley writes)
		var p cproto.Primitive
		c := b.Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := proto.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("cayley log entry %x: %w", k, err)
			}
			switch {
			case p.IsNode():
				val, err := pquads.UnmarshalValue(p.Value)
				if err != nil {
					return fmt.Errorf("cayley log entry %x: %w", k, err)
				}
				values[p.ID] = val
			case p.Deleted:
			default:
				q, ok := quadOf(&p, values)
				if !ok {
					later = append(later, proto.Clone(&p).(*cproto.Primitive))
					continue
				}
				if err := fn(q); err != nil {
					return err
				}
			}
		}
		for _, p := range later {
			q, ok := quadOf(p, values)
			if !ok {
				return fmt.Errorf("cayley log: quad %d names a value the log does not hold", p.ID)
			}
			if err := fn(q); err != nil {
				return err
			}
		}
		return nil
	})
}

// quadOf is the quad a primitive names, if every value it names is known.
func quadOf(p *cproto.Primitive, values map[uint64]quad.Value) (quad.Quad, bool) {
	var q quad.Quad
	for _, d := range quad.Directions {
		id := p.GetDirection(d)
		if id == 0 {
			continue
		}
		v, ok := values[id]
		if !ok {
			return q, false
		}
		q.Set(d, v)
	}
	return q, true
}
