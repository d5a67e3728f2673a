package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/server"
)

// Names are forgiving everywhere a name is taken: entity(id:) stays null
// for a name nothing has, with the near ones in the response's
// extensions.didYouMean; a NOT_FOUND error lists them in its own
// extensions; search finds typos; mutations take names for a link's ends.
func TestForgivingNames(t *testing.T) {
	ts := newServer(t, func(c *server.Config) { c.Tokens = []string{testToken} })
	for _, tc := range []struct {
		name, q string
		want    []string // in the response body
		not     []string // not in it
	}{
		{"entity null with didYouMean", `{ entity(id: "testosteron") { id } }`,
			[]string{`"data":{"entity":null}`, `"extensions":{"didYouMean":[{"candidates":[{"id":"testosterone","kind":"HORMONE","name":"testosterone"}],"ref":"testosteron"}]}`}, nil},
		{"a word typo of a multi-word name", `{ entity(id: "inflamation") { id } }`,
			[]string{`"entity":null`, `"ref":"inflamation"`, `"id":"chronic_inflammation"`}, nil},
		{"nothing near: null, no extensions", `{ entity(id: "qqqqqqqqqq") { id } }`,
			[]string{`"entity":null`}, []string{"extensions"}},
		{"a found entity has no extensions", `{ entity(id: "LH") { id } }`,
			[]string{`"id":"luteinizing_hormone"`}, []string{"extensions", "didYouMean"}},
		{"NOT_FOUND lists candidates by name and id", `{ trace(from: "inflamation", to: "testosterone") { truncated } }`,
			[]string{`"code":"NOT_FOUND"`, `"didYouMean":[{"id":"chronic_inflammation","kind":"PROCESS","name":"chronic inflammation"}`,
				`did you mean \"chronic inflammation\" (chronic_inflammation)`}, nil},
		{"a batch item's NOT_FOUND has didYouMean", `{ entitiesByIds(ids: ["testosteron"]) { error { code didYouMean { id } } } }`,
			[]string{`"error":{"code":"NOT_FOUND","didYouMean":[{"id":"testosterone"}]}`}, nil},
		{"search finds a typo", `{ search(text: "inflamation") { entity { id } } }`,
			[]string{`"id":"chronic_inflammation"`}, nil},
		{"search finds a typo inside a name", `{ search(text: "oxidtive") { entity { id } } }`,
			[]string{`"id":"oxidative_stress"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := query(t, ts, tc.q)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("no %s in %s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("%s in %s", w, got)
				}
			}
		})
	}

	// A link's ends by name and by synonym.
	byName := map[string]any{}
	for k, v := range link {
		byName[k] = v
	}
	byName["id"], byName["subject"], byName["object"] = "lh_increases_leydig_cell_test", "luteinizing hormone", "Leydig cells"
	r := post(t, ts, testToken, addLink, map[string]any{"l": byName})
	var res struct {
		Data struct {
			AddLink struct {
				Subject, Object struct{ ID string }
			}
		}
		Errors []any
	}
	if err := json.Unmarshal(r.body, &res); err != nil || len(res.Errors) > 0 {
		t.Fatalf("addLink by names: %v %s", err, r.body)
	}
	if s, o := res.Data.AddLink.Subject.ID, res.Data.AddLink.Object.ID; s != "luteinizing_hormone" || o != "leydig_cell" {
		t.Errorf("addLink by names: subject %s, object %s; want luteinizing_hormone, leydig_cell", s, o)
	}
}
