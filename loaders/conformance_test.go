package loaders

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// w3cTest is one entry of the W3C N-Quads suite's manifest.
type w3cTest struct {
	name, file string
	positive   bool
}

// w3cManifest reads the tests of testdata/w3c-nquads/manifest.ttl: each
// entry's mf:name, mf:action and whether it must load.
func w3cManifest(t *testing.T) []w3cTest {
	t.Helper()
	ttl := readFile(t, "testdata/w3c-nquads/manifest.ttl")
	entry := regexp.MustCompile(`(?s)<#([^>]+)>\s+(?:a|rdf:type)\s+rdft:TestNQuads(Positive|Negative)Syntax\s*;.*?mf:action\s+<([^>]+)>`)
	var tests []w3cTest
	for _, m := range entry.FindAllStringSubmatch(ttl, -1) {
		tests = append(tests, w3cTest{name: m[1], file: m[3], positive: m[2] == "Positive"})
	}
	return tests
}

// TestW3CNQuads runs the W3C RDF 1.1 N-Quads syntax suite (with its
// N-Triples tests): every positive test loads, every negative one is
// refused with a file:line:col.
func TestW3CNQuads(t *testing.T) {
	tests := w3cManifest(t)
	var pos, neg int
	for _, tc := range tests {
		if tc.positive {
			pos++
		} else {
			neg++
		}
	}
	if pos != 53 || neg != 34 {
		t.Fatalf("manifest gives %d positive and %d negative tests, want 53 and 34", pos, neg)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/w3c-nquads", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, errs := readAll(t, tc.file, string(data))
			switch {
			case tc.positive && len(errs) > 0:
				t.Errorf("valid %s refused: %v\n%s", tc.file, errs, data)
			case !tc.positive && len(errs) == 0:
				t.Errorf("invalid %s accepted\n%s", tc.file, data)
			case !tc.positive:
				for _, err := range errs {
					var pe *ParseError
					if !errors.As(err, &pe) || pe.File != tc.file || pe.Line < 1 || pe.Column < 1 ||
						!strings.HasPrefix(err.Error(), tc.file+":") {
						t.Errorf("%s: error %q has no file:line:col", tc.file, err)
					}
				}
			}
		})
	}
}

// readAll reads an N-Quads file with a fresh reader and returns its
// records and problems.
func readAll(t testing.TB, name, data string) ([]Record, []error) {
	t.Helper()
	rr, err := NewNQuadsReader(name, strings.NewReader(data), Options{})
	if err != nil {
		return nil, []error{err}
	}
	var recs []Record
	var errs []error
	for {
		r, err := rr.Read()
		if errors.Is(err, io.EOF) {
			return recs, errs
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, r)
	}
}
