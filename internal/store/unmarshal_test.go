package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// TestUnmarshalValue: the reader's value decoding gives exactly what
// pquads gives, value or error, for every kind of value cayley stores and
// for records of the shapes its fast path reads that protobuf-go reads
// otherwise (a repeated field, trailing bytes, invalid UTF-8, a tag
// written long).
func TestUnmarshalValue(t *testing.T) {
	var records [][]byte
	for _, v := range []quad.Value{
		quad.IRI("urn:leydigkg:entity:TNF"), quad.IRI(""), quad.String("net.csv:2"), quad.String(""), quad.String("héllo ☃"),
		quad.BNode("b1"), quad.TypedString{Value: "true", Type: "xsd:boolean"}, quad.LangString{Value: "x", Lang: "en"},
		quad.Int(-3), quad.Float(0.5), quad.Bool(true), quad.Time(time.Unix(1e9, 0).UTC()),
	} {
		b, err := proto.Marshal(pquads.MakeValue(v))
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, b)
	}
	field := func(num protowire.Number, s string) []byte {
		return protowire.AppendString(protowire.AppendTag(nil, num, protowire.BytesType), s)
	}
	longTag := []byte{0x9a, 0x00} // field 3, bytes, in two bytes
	records = append(records,
		field(1, "<urn:raw>"), // pquads' raw, which cayley no longer writes
		append(field(pquadsIRI, "urn:a"), field(pquadsIRI, "urn:b")...), // the last one wins
		append(field(pquadsStr, "a"), field(pquadsIRI, "urn:b")...),     // oneof: the last one set wins
		append(field(pquadsIRI, "urn:a"), 0x08, 0x01),                   // trailing bytes: an unknown field
		field(pquadsIRI, "\xff\xfe"),                                    // invalid UTF-8: an error
		field(pquadsStr, "bad \xc3"),
		append(longTag, protowire.AppendString(nil, "urn:long")...),
		field(pquadsIRI, "urn:a")[:4], // cut short
		nil,
	)
	for i, b := range records {
		got, gerr := unmarshalValue(b)
		want, werr := pquads.UnmarshalValue(b)
		if !reflect.DeepEqual(got, want) || (gerr == nil) != (werr == nil) {
			t.Errorf("record %d %q: unmarshalValue = %#v, %v; pquads: %#v, %v", i, b, got, gerr, want, werr)
		}
	}
}
