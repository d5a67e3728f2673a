package data_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/leydigkg/leydigkg/graph"
)

// readTSV reads a decision file of curation/: its rows as maps by column.
func readTSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	raw, err := os.ReadFile("curation/" + name)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	cols := strings.Split(lines[0], "\t")
	var rows []map[string]string
	for n, line := range lines[1:] {
		cells := strings.Split(line, "\t")
		if len(cells) != len(cols) {
			t.Fatalf("curation/%s:%d: %d cells, want %d", name, n+2, len(cells), len(cols))
		}
		row := map[string]string{}
		for i, c := range cols {
			row[c] = cells[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// curatedIndex finds the batch's records by id and by old id.
type curatedIndex struct {
	links, linkAlias map[string]*graph.Link
	entities         map[string]*graph.Entity
	entityAlias      map[string]*graph.Entity
	relations        map[string]*graph.Relation
}

func indexBatch(b *graph.Batch) curatedIndex {
	x := curatedIndex{map[string]*graph.Link{}, map[string]*graph.Link{}, map[string]*graph.Entity{}, map[string]*graph.Entity{}, map[string]*graph.Relation{}}
	for i := range b.Links {
		l := &b.Links[i]
		x.links[l.ID] = l
		for _, a := range l.Aliases {
			x.linkAlias[a] = l
		}
	}
	for i := range b.Entities {
		e := &b.Entities[i]
		x.entities[e.ID] = e
		for _, a := range e.Aliases {
			x.entityAlias[a] = e
		}
	}
	for i := range b.Relations {
		x.relations[b.Relations[i].Key()] = &b.Relations[i]
	}
	return x
}

var (
	shortcutTag = regexp.MustCompile(`shortcut-of: ([a-z0-9_]+(?:>[a-z0-9_]+)+)`)
	mergeTag    = regexp.MustCompile(`(?:same-assertion-as|alias-of): ([a-z0-9_]+)`)
)

// TestDecisionsApplied checks the curated files against the biocurator's
// decisions of issue 15 (curation/README.md): each of the 171 reviewed
// links kept, fixed, inferred, merged, dropped or made a relation as its
// row says; the relations, merges, missing claims, new entities and
// entity fixes all in place.
func TestDecisionsApplied(t *testing.T) {
	x := indexBatch(curatedBatch(t))
	rows := readTSV(t, "links-review.tsv")
	if len(rows) != 171 {
		t.Fatalf("links-review.tsv has %d rows, want the 171 reviewed links", len(rows))
	}
	for _, r := range rows {
		id := r["link_id"]
		l, own := x.links[id]
		switch m := mergeTag.FindStringSubmatch(r["note"]); {
		case r["verdict"] == "structural":
			if own || x.linkAlias[id] != nil {
				t.Errorf("%s is part-of or is-a, but still a link", id)
			}
			from := 0
			for _, rel := range readTSV(t, "relations.tsv") {
				if strings.Contains(rel["note"], "from-link: "+id) && x.relations[rel["subject"]+" "+rel["predicate"]+" "+rel["object"]] != nil {
					from++
				}
			}
			if from != 1 {
				t.Errorf("%s: %d relations made from it, want 1", id, from)
			}
			continue
		case m != nil:
			if own || x.linkAlias[id] != x.links[m[1]] || x.links[m[1]] == nil {
				t.Errorf("%s should be an alias of %s", id, m[1])
				continue
			}
			l = x.links[m[1]]
		case !own:
			t.Errorf("%s (%s) is missing", id, r["verdict"])
			continue
		}
		if got := []string{l.Subject, l.Object, l.Predicate, string(l.Effect)}; !slices.Equal(got, []string{r["subject"], r["object"], r["predicate"], r["effect"]}) {
			t.Errorf("%s is %v, want %s %s %s %s", id, got, r["subject"], r["object"], r["predicate"], r["effect"])
		}
		levels := map[graph.KnowledgeLevel]int{}
		for _, ev := range l.Evidence {
			levels[ev.Level()]++
		}
		if own && r["knowledge_level"] == string(graph.LogicalEntailment) && levels[graph.KnowledgeAssertion] > 0 {
			t.Errorf("%s is the curator's inference, but has stated items", id)
		}
		for _, chain := range shortcutTag.FindAllStringSubmatch(r["note"], -1) {
			if want := strings.Split(chain[1], ">"); own && !slices.ContainsFunc(l.ShortcutOf, func(c []string) bool { return slices.Equal(c, want) }) {
				t.Errorf("%s does not mark itself a shortcut of %s", id, chain[1])
			}
		}
	}
	checkOtherDecisions(t, x)
}

func checkOtherDecisions(t *testing.T, x curatedIndex) {
	for _, r := range readTSV(t, "relations.tsv") {
		rel := x.relations[r["subject"]+" "+r["predicate"]+" "+r["object"]]
		if rel == nil || !slices.ContainsFunc(rel.Evidence, func(ev graph.Evidence) bool { return ev.Quote == r["quote"] }) {
			t.Errorf("relation %s %s %s with its quote is missing", r["subject"], r["predicate"], r["object"])
		}
	}
	for _, r := range readTSV(t, "merges.tsv") {
		if x.entities[r["old_id"]] != nil || x.entityAlias[r["old_id"]] != x.entities[r["kept_id"]] {
			t.Errorf("%s should be merged into %s, its id an alias", r["old_id"], r["kept_id"])
		}
	}
	for _, r := range readTSV(t, "entities-review.tsv") {
		e := x.entities[r["entity_id"]]
		var got any
		switch r["field"] {
		case "kind":
			got = string(e.Kind)
		case "name":
			got = e.Name
		case "description":
			got = e.Description
		case "synonyms":
			got = e.Synonyms
		case "xrefs":
			got = e.Xrefs
		}
		want := any(r["new"])
		if r["field"] == "synonyms" || r["field"] == "xrefs" {
			var list []string
			if err := json.Unmarshal([]byte(r["new"]), &list); err != nil {
				t.Fatal(err)
			}
			want = list
		}
		if g, w := strings.Trim(jsonOf(got), "[]"), strings.Trim(jsonOf(want), "[]"); g != w {
			t.Errorf("entity %s %s = %s, want %s", r["entity_id"], r["field"], g, w)
		}
	}
	var claims struct{ Links []graph.Link }
	var news struct{ Entities []graph.Entity }
	for name, v := range map[string]any{"missing-claims.yaml": &claims, "new-entities.yaml": &news} {
		raw, err := os.ReadFile("curation/" + name)
		if err == nil {
			err = yaml.Unmarshal(raw, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	notes := map[string]string{} // a missing claim's curation_note (shortcut marks)
	var raw struct {
		Links []struct {
			ID   string
			Note string `yaml:"curation_note"`
		}
	}
	if b, err := os.ReadFile("curation/missing-claims.yaml"); err != nil || yaml.Unmarshal(b, &raw) != nil {
		t.Fatal("curation/missing-claims.yaml")
	}
	for _, c := range raw.Links {
		notes[c.ID] = c.Note
	}
	for _, c := range claims.Links {
		l := x.links[c.ID]
		if l == nil || l.Key() != c.Key() || len(l.Evidence) != len(c.Evidence) {
			t.Errorf("missing claim %s is not in links.yaml as decided", c.ID)
			continue
		}
		for _, chain := range shortcutTag.FindAllStringSubmatch(notes[c.ID], -1) {
			if want := strings.Split(chain[1], ">"); !slices.ContainsFunc(l.ShortcutOf, func(c []string) bool { return slices.Equal(c, want) }) {
				t.Errorf("%s does not mark itself a shortcut of %s", c.ID, chain[1])
			}
		}
	}
	for _, e := range news.Entities {
		if x.entities[e.ID] == nil {
			t.Errorf("new entity %s is missing", e.ID)
		}
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
