package loaders

import (
	"errors"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

// TestSpreadsheetFiles loads each reader's file with and without a UTF-8
// byte-order mark, and delimited files with each separator (sniffed, or
// named by a sep=X line): the same link, between entities whose ids and
// names carry no mark.
func TestSpreadsheetFiles(t *testing.T) {
	type end struct{ subj, obj string }
	const up, down = graph.Increases, graph.Decreases
	kgxNodes := "id\tcategory\tname\nHGNC:1\tbiolink:Gene\tTP53\nHGNC:2\tbiolink:Gene\tMDM2\n"
	kgxEdges := "subject\tpredicate\tobject\tobject_direction_qualifier\nHGNC:2\tbiolink:regulates\tHGNC:1\tdownregulated\n"
	for _, c := range []struct {
		name  string
		files []string // name, contents, ...: a mark is put before each
		opts  Options
		want  end
		eff   graph.Effect
		names map[string]string // entity id -> name
	}{
		{"signed comma", []string{"a.csv", "source,target,sign\nTP53,MDM2,1\n"}, Options{}, end{"TP53", "MDM2"}, up, nil},
		{"signed tab in a .tsv", []string{"a.tsv", "source\ttarget\tsign\nTP53\tMDM2\t-1\n"}, Options{}, end{"TP53", "MDM2"}, down, nil},
		{"signed tab in a .csv", []string{"a.csv", "source\ttarget\tsign\nTP53\tMDM2\t-1\n"}, Options{}, end{"TP53", "MDM2"}, down, nil},
		{"signed semicolon", []string{"a.csv", "source;target;sign\nTP53;MDM2;-1\n"}, Options{}, end{"TP53", "MDM2"}, down, nil},
		{"signed semicolon, quoted comma", []string{"a.csv", "\"source\";\"target, the gene\";sign\nTP53;MDM2;1\n"}, Options{Signed: SignedColumns{Target: "target, the gene"}}, end{"TP53", "MDM2"}, up, nil},
		{"signed sep=; line", []string{"a.csv", "sep=;\r\nsource;target;sign\r\nTP53;MDM2;1\r\n"}, Options{}, end{"TP53", "MDM2"}, up, nil},
		{"signed sep=, line with commas", []string{"a.csv", "sep=,\nsource,target,sign\nTP53,MDM2,1\n"}, Options{}, end{"TP53", "MDM2"}, up, nil},
		{"signed --delimiter overrides", []string{"a.csv", "source|target|sign\nTP53|MDM2|1\n"}, Options{Signed: SignedColumns{Comma: '|'}}, end{"TP53", "MDM2"}, up, nil},
		{"SIF without header", []string{"a.tsv", "TP53\t1\tMDM2\n"}, Options{}, end{"TP53", "MDM2"}, up, nil},
		{"SIF without header, semicolons", []string{"a.csv", "TP53;-1;MDM2\n"}, Options{}, end{"TP53", "MDM2"}, down, nil},
		{"SIF without header, commas", []string{"a.csv", "TP53,-1,MDM2\n"}, Options{}, end{"TP53", "MDM2"}, down, nil},
		{"KGX TSV", []string{"n.tsv", kgxNodes, "e.tsv", kgxEdges}, Options{}, end{"HGNC:2", "HGNC:1"}, down, map[string]string{"HGNC:1": "TP53"}},
		{"KGX CSV, commas", []string{"n.csv", strings.ReplaceAll(kgxNodes, "\t", ","), "e.csv", strings.ReplaceAll(kgxEdges, "\t", ",")}, Options{}, end{"HGNC:2", "HGNC:1"}, down, map[string]string{"HGNC:1": "TP53"}},
		{"KGX CSV, semicolons", []string{"n.csv", strings.ReplaceAll(kgxNodes, "\t", ";"), "e.csv", strings.ReplaceAll(kgxEdges, "\t", ";")}, Options{}, end{"HGNC:2", "HGNC:1"}, down, map[string]string{"HGNC:1": "TP53"}},
		{"KGX CSV, sep=; line", []string{"n.csv", "sep=;\n" + strings.ReplaceAll(kgxNodes, "\t", ";"), "e.csv", "sep=;\n" + strings.ReplaceAll(kgxEdges, "\t", ";")}, Options{}, end{"HGNC:2", "HGNC:1"}, down, map[string]string{"HGNC:1": "TP53"}},
		{"KGX CSV, tabs", []string{"n.csv", kgxNodes, "e.csv", kgxEdges}, Options{}, end{"HGNC:2", "HGNC:1"}, down, map[string]string{"HGNC:1": "TP53"}},
		{"KGX JSON Lines", []string{"n.jsonl", `{"id":"HGNC:1","name":"TP53"}` + "\n" + `{"id":"HGNC:2","name":"MDM2"}` + "\n", "e.jsonl", `{"subject":"HGNC:2","predicate":"biolink:regulates","object":"HGNC:1","object_direction_qualifier":"downregulated"}` + "\n"}, Options{}, end{"HGNC:2", "HGNC:1"}, down, map[string]string{"HGNC:1": "TP53"}},
		{"N-Quads", []string{"a.nq", "<http://purl.obolibrary.org/obo/CHEBI_1> <http://purl.obolibrary.org/obo/RO_0002213> <http://purl.obolibrary.org/obo/CHEBI_2> .\n<http://purl.obolibrary.org/obo/CHEBI_2> <http://www.w3.org/2000/01/rdf-schema#label> \"two\" .\n"}, Options{}, end{"CHEBI:1", "CHEBI:2"}, up, map[string]string{"CHEBI:2": "two"}},
		{"curated YAML", []string{"a.yaml", good}, Options{}, end{"gnrh", "lh"}, up, map[string]string{"lh": "luteinizing hormone"}},
	} {
		for _, mark := range []string{"", "\ufeff"} {
			t.Run(c.name+"/bom="+map[string]string{"": "no", "\ufeff": "yes"}[mark], func(t *testing.T) {
				s := open(t)
				files := slicesClone(c.files)
				for i := 1; i < len(files); i += 2 {
					files[i] = mark + files[i]
				}
				rep, err := loadStrings(s, c.opts, files...)
				if err != nil {
					t.Fatal(err)
				}
				b := records(t, s)
				if l := link(b, c.want.subj, c.want.obj); l == nil || l.Effect != c.eff {
					t.Errorf("%s -> %s = %+v, want %s; links %+v", c.want.subj, c.want.obj, l, c.eff, b.Links)
				}
				if len(b.Links) != 1 || rep.Ignored != 0 || rep.Unaccounted() != 0 {
					t.Errorf("%d links; report %s", len(b.Links), rep)
				}
				for _, e := range b.Entities {
					if strings.Contains(e.ID+e.Name, "\ufeff") {
						t.Errorf("entity %q %q carries the mark", e.ID, e.Name)
					}
				}
				for id, name := range c.names {
					if e := entity(b, id); e == nil || e.Name != name {
						t.Errorf("entity %s = %+v, want name %q", id, e, name)
					}
				}
			})
		}
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// TestSpreadsheetPositions: a problem after a byte-order mark or a sep=X
// line is still at the file's line and column.
func TestSpreadsheetPositions(t *testing.T) {
	for _, c := range []struct{ name, file, body, want string }{
		{"mark", "a.csv", "\ufeffsource,target,sign\nA,B,sideways\n", "a.csv:2:5: unknown sign"},
		{"sep line", "a.csv", "sep=;\nsource;target;sign\nA;B;sideways\n", "a.csv:3:5: unknown sign"},
		{"mark and sep line", "a.csv", "\ufeffsep=;\r\nsource;target;sign\r\nA;B;sideways\r\n", "a.csv:3:5: unknown sign"},
		{"KGX JSON Lines with a mark", "e.jsonl", "\ufeff{\"subject\":\"A\",\"predicate\":\"biolink:regulates\",\"object\":\"B\",\"object_direction_qualifier\":\"sideways\"}\n", "e.jsonl:1:61: invalid value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadStrings(open(t), Options{}, c.file, c.body)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %s", err, c.want)
			}
		})
	}
}

// TestUnsignedWords: an edge list's row whose sign word says there is no
// sign is ignored and counted with its reason; a word nobody knows stays an
// error at its position.
func TestUnsignedWords(t *testing.T) {
	for _, c := range []struct {
		word   string
		ignore string // the reason, "" for an error
	}{
		{"0", `no sign: "0"`},
		{"0.0", `no sign: "0.0"`},
		{"unknown", `no sign: "unknown"`},
		{"Unknown", `no sign: "unknown"`},
		{"binding", `no sign: "binding"`},
		{"form complex", `no sign: "form complex"`},
		{"forms complex", `no sign: "forms complex"`},
		{"neutral", `no sign: "neutral"`},
		{"sideways", ""},
		{"", ""},
	} {
		t.Run(c.word, func(t *testing.T) {
			body := "source,target,sign\nA,B,1\nC,D," + c.word + "\n"
			rep, err := loadStrings(open(t), Options{}, "a.csv", body)
			if c.ignore == "" {
				var pe *ParseError
				if !errors.As(err, &pe) || !errors.Is(err, ErrSign) || pe.Line != 3 || pe.Column != 5 {
					t.Fatalf("got %v, want an unknown sign at a.csv:3:5", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rep.Ignored != 1 || rep.IgnoredBy[c.ignore] != 1 || rep.NewAssertions != 1 || rep.Unaccounted() != 0 {
				t.Errorf("report %s; want 1 ignored for %q", rep, c.ignore)
			}
		})
	}
}

// TestParseDelimiter: --delimiter takes the separators a sep=X line may
// name, as themselves or as words, and nothing else.
func TestParseDelimiter(t *testing.T) {
	for in, want := range map[string]rune{",": ',', ";": ';', "|": '|', "\t": '\t', `\t`: '\t', "tab": '\t', "TAB": '\t', "comma": ',', "semicolon": ';', "pipe": '|'} {
		if got, err := ParseDelimiter(in); err != nil || got != want {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", ":", ";;", "colon", `"`, "\n", "a"} {
		if got, err := ParseDelimiter(in); !errors.Is(err, ErrInvalidValue) {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want an invalid value", in, got, err)
		}
	}
}
