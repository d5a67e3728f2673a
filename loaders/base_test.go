package loaders

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
)

// TestNQuadsBase: relative IRIs resolve against Options.Base (--base), as
// RFC 3986 says; without a base they are refused with their position.
func TestNQuadsBase(t *testing.T) {
	const ro = "<http://purl.obolibrary.org/obo/RO_0002213>"
	tests := []struct {
		name, base, line string
		subject, object  string // ids, "" for an error
		wantErr          string
	}{
		{"no base", "", "<a> " + ro + " <b> .", "", "", "x.nq:1:1: syntax error: invalid N-Quad: relative IRI <a>"},
		{"path", "http://ex.org/kg/", "<a> " + ro + " <b> .", "http://ex.org/kg/a", "http://ex.org/kg/b", ""},
		{"fragment", "http://ex.org/kg", "<#a> " + ro + " <#b> .", "http://ex.org/kg#a", "http://ex.org/kg#b", ""},
		{"dot-dot", "http://ex.org/kg/x/", "<../a> " + ro + " </b> .", "http://ex.org/kg/a", "http://ex.org/b", ""},
		{"absolute stays", "http://ex.org/", "<urn:x:a> " + ro + " <http://other.org/b> .", "urn:x:a", "http://other.org/b", ""},
		{"relative predicate", "http://ex.org/", "<http://ex.org/a> <p> <http://ex.org/b> .", "", "", ""}, // an unmapped predicate: read, ignored
		{"relative datatype", "http://ex.org/", "<http://ex.org/a> <http://ex.org/p> \"x\"^^<dt> .", "", "", ""},
		{"base not absolute", "kg/", "<a> " + ro + " <b> .", "", "", "base IRI \"kg/\" is not absolute"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rr, err := NewNQuadsReader("x.nq", strings.NewReader(tc.line+"\n"), Options{Base: tc.base})
			var errs []error
			var links [][2]string
			if err != nil {
				errs = append(errs, err)
			} else {
				for {
					r, err := rr.Read()
					if err != nil {
						if !errors.Is(err, io.EOF) {
							errs = append(errs, err)
							continue
						}
						break
					}
					if r.Link != nil {
						links = append(links, [2]string{r.Link.Subject, r.Link.Object})
					}
				}
			}
			switch {
			case tc.wantErr != "":
				if len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.wantErr) {
					t.Errorf("errors %v, want %q", errs, tc.wantErr)
				}
			case len(errs) > 0:
				t.Errorf("errors %v", errs)
			case tc.subject != "" && (len(links) != 1 || links[0] != [2]string{tc.subject, tc.object}):
				t.Errorf("links %v, want %s -> %s", links, tc.subject, tc.object)
			}
		})
	}
	if err := CheckBase("http://ex.org/"); err != nil {
		t.Error(err)
	}
	if _, err := parseStrictBase("<http://a> <http://p> <b> .", nil); !errors.Is(err, quad.ErrInvalid) {
		t.Errorf("a relative IRI without a base: %v", err)
	}
}
