package loaders

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestJSONReader: each record of a JSON export comes back with the
// position of its opening brace, and each problem with the position of
// the key, value or byte at fault.
func TestJSONReader(t *testing.T) {
	doc := "{\n  \"sources\": [\n    {\"id\": \"s\", \"title\": \"S\"}\n  ],\n  \"entities\": [{\"id\": \"A\", \"name\": \"A\", \"kind\": \"GENE_PRODUCT\", \"synonyms\": null, \"xrefs\": []},\n\t{\"id\": \"B\", \"name\": \"B\", \"kind\": \"GENE_PRODUCT\"}],\n" +
		"  \"links\": [\n    {\n      \"id\": \"l\", \"subject\": \"A\", \"object\": \"B\", \"effect\": \"INCREASES\", \"predicate\": \"biolink:causes\", \"confidence\": 0.9,\n      \"evidence\": [{\"source\": \"s\", \"quote\": \"A raises B\", \"references\": []}]\n    }\n  ],\n  \"relations\": null\n}\n"
	tests := []struct {
		name, in string
		want     []string // each record's kind at file:line:col, or a problem
	}{
		{"export", doc, []string{"source f.json:3:5", "entity f.json:5:16", "entity f.json:6:2", "link f.json:8:5"}},
		{"byte-order mark", "\ufeff" + `{"sources":[{"id":"s","title":"S"}]}`, []string{"source f.json:1:13"}},
		{"empty file", "", nil},
		{"empty object", "{}", nil},
		{"unknown field at its key", "{\"entities\": [\n  {\"id\": \"A\",\n   \"colour\": \"red\"}]}", []string{`f.json:3:4: unknown field: "colour"`}},
		{"unknown evidence field", `{"links":[{"id":"l","evidence":[{"source":"s","quotes":"q"}]}]}`, []string{`f.json:1:47: unknown field: "quotes"`}},
		{"bad record, next one read", `{"entities":[{"id":"A","nmae":"A"},{"id":"B"}]}`, []string{`f.json:1:24: unknown field: "nmae"`, "entity f.json:1:36"}},
		{"wrong type at its key", "{\"references\": [{\"id\": \"r\",\n \"year\": \"1999\"}]}", []string{`f.json:2:2: wrong type: year: want int, not string`}},
		{"record not an object", `{"entities":[1]}`, []string{`f.json:1:14: wrong type: entities: want a record (an object)`}},
		{"list not a list", `{"links":{"id":"l"}}`, []string{`f.json:1:10: wrong type: links: want a list of records`}},
		{"unknown key", `{"nodes":[]}`, []string{`f.json:1:2: unknown field: "nodes"`}},
		{"repeated key", `{"sources":[],"sources":[]}`, []string{`f.json:1:15: duplicate id: key "sources" repeated`}},
		{"not an object", ` [{"id":"A"}]`, []string{`f.json:1:2: wrong type: want an object with keys sources, references, entities, links, relations`}},
		{"syntax error", "{\"entities\": [\n  {\"id\": \"A\" \"name\": \"A\"}]}", []string{`f.json:2:14: syntax error: invalid character '"' after object key:value pair`}},
		{"cut short", "{\"entities\": [\n  {\"id\": \"A\"", []string{`f.json:2:13: syntax error: unexpected end of JSON input`}},
		{"two documents", "{}\n{}", []string{`f.json:2:1: syntax error: one JSON document per file, found more after it`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewJSONReader("f.json", strings.NewReader(tc.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				var pe *ParseError
				if errors.As(err, &pe) {
					got = append(got, pe.Error())
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%s %s:%d:%d", recordKind(rec), rec.Pos.File, rec.Pos.Line, rec.Pos.Column))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func recordKind(r Record) string {
	switch {
	case r.Source != nil:
		return "source"
	case r.Reference != nil:
		return "reference"
	case r.Entity != nil:
		return "entity"
	case r.Link != nil:
		return "link"
	case r.Relation != nil:
		return "relation"
	}
	return "ignored " + r.Ignored
}
