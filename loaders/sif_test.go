package loaders

import (
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestSIFExtension: a .sif file (source, 1/-1, target, as export --format
// sif and CARNIVAL's prior-knowledge networks write it) is read as a
// signed edge list by its extension, gzipped or not, with or without a
// byte-order mark, and a word that is no sign is refused at its position.
func TestSIFExtension(t *testing.T) {
	for _, c := range []struct {
		name, file, body string
		err              string // a part of the error; "" for none
	}{
		{"tabs", "net.sif", "TNF\t-1\tIL6\nIL6\t1\tSTAT3\n", ""},
		{"upper case", "NET.SIF", "TNF\t-1\tIL6\nIL6\t1\tSTAT3\n", ""},
		{"a byte-order mark", "net.sif", "\ufeffTNF\t-1\tIL6\nIL6\t1\tSTAT3\n", ""},
		{"an interaction that is no sign", "net.sif", "TNF\t-1\tIL6\nIL6\tpp\tSTAT3\n", "net.sif:2:5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if f, err := FormatOf(c.file); err != nil || f != FormatSigned {
				t.Fatalf("FormatOf(%s) = %q, %v; want %s", c.file, f, err, FormatSigned)
			}
			s := open(t)
			_, err := loadStrings(s, Options{}, c.file, c.body)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one at %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b := records(t, s)
			if l := link(b, "TNF", "IL6"); l == nil || l.Effect != graph.Decreases {
				t.Errorf("TNF → IL6 = %+v, want DECREASES", l)
			}
			if l := link(b, "IL6", "STAT3"); l == nil || l.Effect != graph.Increases {
				t.Errorf("IL6 → STAT3 = %+v, want INCREASES", l)
			}
		})
	}
}
