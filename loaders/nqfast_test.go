package loaders

import (
	"reflect"
	"testing"
)

var quadLines = []string{
	`<urn:leydigkg:link:a_b> <rdf:type> <urn:leydigkg:Link> .`,
	`<urn:leydigkg:link:a_b> <urn:leydigkg:confidence> "0.8"^^<http://www.w3.org/2001/XMLSchema#double> .`,
	`<urn:leydigkg:link:a_b#evidence-0> <urn:leydigkg:position> "0"^^<http://www.w3.org/2001/XMLSchema#integer> .`,
	`<urn:leydigkg:entity:tnf> <urn:leydigkg:name> "tumour necrosis factor α" .`,
	`<http://ex.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "chat"@fr-CA .`,
	`_:b0 <http://ex.org/p> _:b-1 <http://ex.org/graph> .`,
	`<http://ex.org/a> <http://ex.org/p> "x"^^<http://ex.org/unknown-type> .`,
	`<http://ex.org/a> <http://ex.org/p> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .`,
	`<http://ex.org/a>	<http://ex.org/p>	<http://ex.org/o>	.   `,
	`<http://ex.org/a> <http://ex.org/p> "" .`,
	// Not plain: handed to the strict parser.
	`<http://ex.org/a> <http://ex.org/p> "esc\"aped" .`,
	`<http://ex.org/a> <http://ex.org/p> "tab\there" .`,
	`<http://ex.org/a><http://ex.org/p><http://ex.org/o>.`,
	`<http://ex.org/a> <http://ex.org/p> <http://ex.org/o> . # comment`,
	`<http://ex.org/a> <http://ex.org/p> "x"@ .`,
	`<http://ex.org/a b> <http://ex.org/p> <http://ex.org/o> .`,
	`<http://ex.org/a> "p" <http://ex.org/o> .`,
	`<http://ex.org/a> <http://ex.org/p> .`,
	`<http://ex.org/a> <http://ex.org/p> <http://ex.org/o> <http://ex.org/g> <http://ex.org/x> .`,
	`<http://ex.org/\u0041> <http://ex.org/p> <http://ex.org/o> .`,
	`<http://ex.org/a> <http://ex.org/p> "\U80000000" .`, // cayley's parser panicked on it
	`<p> <http://ex.org/p> <http://ex.org/o> .`,          // relative IRIs
	`<http://ex.org/a> <http://ex.org/p> "x"^^<dt> .`,
	`_::a <http://ex.org/p> <http://ex.org/o> .`,
	`_:a.b. <http://ex.org/p> _:c.d<http://ex.org/g>.`,
	"\ufeff<http://ex.org/a> <http://ex.org/p> <http://ex.org/o> .",
	`<http://ex.org/a> <http://ex.org/p> "a\u00e9\U0001F600\t" .`,
}

// TestQuadParser: on every plain line, the fast path gives what the
// strict parser (nqstrict.go) does.
func TestQuadParser(t *testing.T) {
	plain := 0
	for _, line := range quadLines {
		var p quadParser
		if _, ok := p.plain(line); ok {
			plain++
		}
		checkQuadParser(t, &p, line)
	}
	if plain != 10 {
		t.Errorf("%d plain lines, want 10", plain)
	}
}

func checkQuadParser(t *testing.T, p *quadParser, line string) {
	t.Helper()
	got, gerr := p.parse(line)
	want, werr := parseStrict(line)
	if (gerr != nil) != (werr != nil) || gerr != nil && gerr.Error() != werr.Error() {
		t.Fatalf("%q: error %v, the strict parser's %v", line, gerr, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %#v\nwant %#v", line, got, want)
	}
}

func FuzzQuadParser(f *testing.F) {
	for _, l := range quadLines {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		var p quadParser
		checkQuadParser(t, &p, line)
		checkQuadParser(t, &p, line) // again, with the caches filled
	})
}
