package data_test

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// article is source-article.txt read for the statement tests: its lines,
// and the table row each table cell belongs to.
type article struct {
	lines []string
	rows  map[int]string // line index of a table cell -> its whole row
}

// The article's two tables, by header line, with their number of columns:
// a cell is read with its row (the row label names the subject).
var articleTables = map[string]int{
	"Required Input Cellular Process Essential Output":                                    3,
	"Intervention Primary Mechanism Effect on HPG Axis Impact on Leydig Cell Environment": 4,
}

func readArticle(t *testing.T) *article {
	t.Helper()
	raw, err := os.ReadFile("source-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	a := &article{lines: strings.Split(string(raw), "\n"), rows: map[int]string{}}
	for i, line := range a.lines {
		cols, ok := articleTables[strings.TrimSpace(line)]
		if !ok {
			continue
		}
		var cells []int
		for j := i + 1; j < len(a.lines); j++ {
			s := strings.TrimSpace(a.lines[j])
			if s == "Intermediate" || s == "Academic" {
				break
			}
			if s != "" {
				cells = append(cells, j)
			}
		}
		for k := 0; k+cols <= len(cells); k += cols {
			var row []string
			for _, c := range cells[k : k+cols] {
				row = append(row, strings.TrimSpace(a.lines[c]))
			}
			for _, c := range cells[k : k+cols] {
				a.rows[c] = strings.Join(row, " ")
			}
		}
	}
	return a
}

// anaphor marks a sentence that leans on the one before it.
var anaphor = regexp.MustCompile(`(?i)\b(it|its|they|their|them|this|these|those|consequently|in turn|the outcome)\b`)

// passage is the text a quote is read in: a table cell's whole row; else
// the quote, with up to three sentences before it in its paragraph while
// the earliest one read leans on the one before (a pronoun, "this",
// "consequently").
func (a *article) passage(quote string) (string, bool) {
	for i, line := range a.lines {
		k := strings.Index(line, quote)
		if k < 0 {
			continue
		}
		if row, ok := a.rows[i]; ok {
			return row, true
		}
		before := sentences(line[:k])
		p, cur := quote, quote
		for n := 0; n < 3 && len(before) > 0 && anaphor.MatchString(cur); n++ {
			cur = before[len(before)-1]
			before = before[:len(before)-1]
			p = cur + " " + p
		}
		return p, true
	}
	return "", false
}

// sentences splits text after ., !, ? or ” followed by a space.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 1; i < len(text); i++ {
		if text[i] == ' ' && (strings.ContainsRune(".!?", rune(text[i-1])) || strings.HasSuffix(text[:i], "”")) {
			if s := strings.TrimSpace(text[start:i]); s != "" {
				out = append(out, s)
			}
			start = i
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

var nameSeparators = regexp.MustCompile(`[\s\-‐]+`)

// normName folds case, curly apostrophes, hyphens and spaces.
func normName(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "’", "'")
	return strings.TrimSpace(nameSeparators.ReplaceAllString(s, " "))
}

// mentions reports whether text holds term as whole words.
func mentions(text, term string) bool {
	text, term = " "+normName(text)+" ", normName(term)
	for i := 0; ; {
		k := strings.Index(text[i:], term)
		if k < 0 {
			return false
		}
		k += i
		if !isWordByte(text[k-1]) && !isWordByte(text[k+len(term)]) {
			return true
		}
		i = k + 1
	}
}

func isWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// quoteNames reads testdata/quote-names.tsv: the checked words the article
// uses for an entity besides its name and synonyms.
func quoteNames(t *testing.T) map[string][]string {
	t.Helper()
	f, err := os.Open("testdata/quote-names.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, terms, ok := strings.Cut(line, "\t")
		if !ok || out[id] != nil {
			t.Fatalf("quote-names.tsv:%d: want one line per entity, id<TAB>term | term", n)
		}
		for _, term := range strings.Split(terms, "|") {
			out[id] = append(out[id], strings.TrimSpace(term))
		}
	}
	return out
}

// TestEvidenceStatesItsLink checks what every link rests on: each evidence
// item is either stated (knowledge_assertion) or the curator's inference
// (logical_entailment) with its reasoning written down. A link stated by
// the article has an item whose passage names both its subject and its
// object (by name, synonym or a word of testdata/quote-names.tsv), and no
// stated item names neither (a quote that only pads the link).
func TestEvidenceStatesItsLink(t *testing.T) {
	a := readArticle(t)
	b := curatedBatch(t)
	extra := quoteNames(t)
	ents := map[string]*graph.Entity{}
	for i := range b.Entities {
		ents[b.Entities[i].ID] = &b.Entities[i]
	}
	used := map[string]bool{}
	names := func(text, id string) bool {
		e := ents[id]
		for _, n := range append([]string{e.Name}, e.Synonyms...) {
			if mentions(text, n) {
				return true
			}
		}
		for _, n := range extra[id] {
			if mentions(text, n) {
				used[id+"\t"+n] = true
				return true
			}
		}
		return false
	}
	stated := 0
	for _, l := range b.Links {
		both, asserted := false, false
		for i, ev := range l.Evidence {
			switch ev.Level() {
			case graph.LogicalEntailment:
				if strings.TrimSpace(ev.Reasoning) == "" {
					t.Errorf("link %s evidence %d: an inference without its reasoning", l.ID, i)
				}
				continue
			case graph.KnowledgeAssertion:
			default:
				t.Errorf("link %s evidence %d: knowledge level %s; the article's evidence is stated or inferred", l.ID, i, ev.Level())
				continue
			}
			asserted = true
			p, ok := a.passage(ev.Quote)
			if !ok {
				t.Errorf("link %s evidence %d: quote not in the article", l.ID, i)
				continue
			}
			s, o := names(p, l.Subject), names(p, l.Object)
			both = both || s && o
			if !s && !o {
				t.Errorf("link %s evidence %d is stated but names neither %s nor %s: %q", l.ID, i, l.Subject, l.Object, p)
			}
		}
		if asserted && !both {
			t.Errorf("link %s: no stated quote names both %s and %s; fix the link, or mark the claim logical_entailment with its reasoning", l.ID, l.Subject, l.Object)
		}
		if both {
			stated++
		}
	}
	if stated < 100 {
		t.Errorf("only %d links stated by a quote", stated)
	}
	// The list holds only words in use, for entities that exist, beyond their names.
	for id, terms := range extra {
		e, ok := ents[id]
		if !ok {
			t.Errorf("quote-names.tsv: %s is not an entity", id)
			continue
		}
		for _, n := range terms {
			switch {
			case slices.ContainsFunc(append([]string{e.Name}, e.Synonyms...), func(s string) bool { return normName(s) == normName(n) }):
				t.Errorf("quote-names.tsv: %q is already a name or synonym of %s", n, id)
			case !used[id+"\t"+n]:
				t.Errorf("quote-names.tsv: %q (%s) names it in no stated quote; remove it", n, id)
			}
		}
	}
}

// The article's headings: its parts, and the headings within them.
var (
	articleParts    = []string{"Fundamentals", "Intermediate", "Academic", "References", "Reflection"}
	articleHeadings = []string{
		"The Command Center under Duress", "The Factory Floor Awaits Its Orders", "What Defines Leydig Cell Health?",
		"The Threshold of Irreversible Damage", "Clinical Protocols a Path to Systemic Restoration",
		"Testosterone Replacement Therapy a System Reset", "Peptide Therapy a Tool for Cellular Repair",
		"How Do Clinical Interventions Support Leydig Cell Health?",
		"Mitochondrial Dysfunction and the Steroidogenic Bottleneck",
		"Can Gene Expression Be Permanently Altered by Inflammation?",
		"The Final Blow Testicular Fibrosis and Cellular Isolation",
	}
)

// sectionsOf gives the sections ("Part / Heading", or "Part") under which
// quote occurs in the article.
func (a *article) sectionsOf(quote string) []string {
	var out []string
	part, heading := "", ""
	for _, line := range a.lines {
		s := strings.TrimSpace(line)
		switch {
		case slices.Contains(articleParts, s):
			part, heading = s, ""
			continue
		case slices.Contains(articleHeadings, s):
			heading = s
			continue
		}
		if strings.Contains(line, quote) {
			sec := part
			if heading != "" {
				sec += " / " + heading
			}
			out = append(out, sec)
		}
	}
	return out
}

// TestSectionsAreWhereQuotesAre checks each evidence item's section: the
// part and heading of the article under which its quote stands.
func TestSectionsAreWhereQuotesAre(t *testing.T) {
	a := readArticle(t)
	for _, h := range append(slices.Clone(articleParts), articleHeadings...) {
		if !slices.ContainsFunc(a.lines, func(l string) bool { return strings.TrimSpace(l) == h }) {
			t.Fatalf("%q is not a line of the article", h)
		}
	}
	b := curatedBatch(t)
	check := func(what string, evs []graph.Evidence) {
		for i, ev := range evs {
			if secs := a.sectionsOf(ev.Quote); !slices.Contains(secs, ev.Section) {
				t.Errorf("%s evidence %d: section %q, but the quote stands under %q", what, i, ev.Section, secs)
			}
		}
	}
	for _, l := range b.Links {
		check("link "+l.ID, l.Evidence)
	}
	for _, r := range b.Relations {
		check("relation "+r.Key(), r.Evidence)
	}
}
