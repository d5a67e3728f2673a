package server_test

import (
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/schema"
	"github.com/leydigkg/leydigkg/server"
)

// TestMutationDocumentsAreAtomic sends documents of several mutation
// fields: when one fails nothing of the others is written (data null, the
// field's error and NOT_APPLIED); when all succeed all are written, and
// later fields see what earlier ones wrote.
func TestMutationDocumentsAreAtomic(t *testing.T) {
	const newEntity = `a: addEntity(entity: {id: "atomic_x", name: "Atomic X", kind: MOLECULE}) { id }`
	const newLink = `addLink(link: {id: "atomic_x_increases_lh", subject: "atomic_x", object: "luteinizing_hormone", effect: INCREASES,
		predicate: "biolink:regulates", evidence: [{quote: "Atomic X raises LH.", source: "article"}]})`
	tests := []struct {
		name    string
		doc     string
		codes   []string // in order; nil: no error
		written bool     // atomic_x stored afterwards
		want    string   // in the response
	}{
		{"second field fails", `mutation { ` + newEntity + ` b: removeLink(id: "no_such_link") }`,
			[]string{schema.CodeNotFound, schema.CodeNotApplied}, false, `"data":null`},
		{"second field invalid", `mutation { ` + newEntity + ` b: addLink(link: {id: "l", subject: "atomic_x", object: "no_such", effect: INCREASES, predicate: "biolink:regulates", evidence: [{quote: "q", source: "article"}]}) { id } }`,
			[]string{schema.CodeBadUserInput, schema.CodeNotApplied}, false, `"data":null`},
		{"first field fails", `mutation { b: removeLink(id: "no_such_link") ` + newEntity + ` }`,
			[]string{schema.CodeNotFound, schema.CodeNotApplied}, false, `"data":null`},
		{"a link to the entity the first field adds", `mutation { ` + newEntity + ` b: ` + newLink + ` { id subject { outgoing { id } } } }`,
			nil, true, `"outgoing":[{"id":"atomic_x_increases_lh"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newServer(t, func(c *server.Config) { c.Tokens = []string{testToken} })
			before := query(t, ts, `{ stats { entities links } }`)
			r := post(t, ts, testToken, tt.doc, nil)
			codes := r.codes(t)
			if r.status != 200 || strings.Join(codes, ",") != strings.Join(tt.codes, ",") || !strings.Contains(string(r.body), tt.want) {
				t.Errorf("got %d %s; want codes %v and %s", r.status, r.body, tt.codes, tt.want)
			}
			got := query(t, ts, `{ entity(id: "atomic_x") { id } }`)
			if stored := strings.Contains(got, `"id":"atomic_x"`); stored != tt.written {
				t.Errorf("atomic_x stored: %v, want %v", stored, tt.written)
			}
			if after := query(t, ts, `{ stats { entities links } }`); !tt.written && after != before {
				t.Errorf("a refused document changed the store: %s -> %s", before, after)
			}
		})
	}
}
