package export

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
)

// TestNQuadsAsCayleysWriter: NQuads, which formats each line itself,
// writes byte for byte what cayley's N-Quads writer writes for the same
// quads sorted by their N-Quad strings (as NQuads once did), on a
// generated graph whose names and quotes need escaping.
func TestNQuadsAsCayleysWriter(t *testing.T) {
	b := gen.Generate(gen.Config{Edges: 300, Seed: 5})
	b.Entities[1].Name = "tab\\there \"quoted\"\nnew line\r, back\\slash, é"
	b.Entities[2].Description = "<b>not a tag</b> & more"
	b.Links[3].Mechanism = "a\tb"
	var got bytes.Buffer
	if err := NQuads(&got, b); err != nil {
		t.Fatal(err)
	}
	qs := layout.QuadsOf(b)
	for i := range qs {
		qs[i] = layout.Absolute(qs[i])
	}
	slices.SortFunc(qs, func(x, y quad.Quad) int { return strings.Compare(x.NQuad(), y.NQuad()) })
	var want bytes.Buffer
	w := nquads.NewWriter(&want)
	if _, err := w.WriteQuads(qs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("NQuads differs from cayley's writer (%d bytes, want %d)", got.Len(), want.Len())
	}
}

// TestAppendTerm: each kind of value is written as its String method
// writes it.
func TestAppendTerm(t *testing.T) {
	for _, v := range []quad.Value{
		quad.IRI("http://x/a"), quad.BNode("b1"), quad.String("q\"\\\n\r\t é"),
		quad.TypedString{Value: "0.5", Type: "http://www.w3.org/2001/XMLSchema#decimal"},
		quad.LangString{Value: "hé\"", Lang: "fr"}, quad.Int(3), quad.Bool(true),
	} {
		if got := string(appendTerm(nil, v)); got != v.String() {
			t.Errorf("appendTerm(%#v) = %s, want %s", v, got, v.String())
		}
	}
}
