package loaders

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/graph"
)

const signorHeader = "ENTITYA\tTYPEA\tIDA\tDATABASEA\tENTITYB\tTYPEB\tIDB\tDATABASEB\tEFFECT\tMECHANISM\tRESIDUE\tSEQUENCE\tTAX_ID\tCELL_DATA\tTISSUE_DATA\tMODULATOR_COMPLEX\tTARGET_COMPLEX\tMODIFICATIONA\tMODASEQ\tMODIFICATIONB\tMODBSEQ\tPMID\tDIRECT\tNOTES\tANNOTATOR\tSENTENCE\tSIGNOR_ID\n"

// signorLine is a SIGNOR row: A's and B's name, id and database, EFFECT,
// PMID, SENTENCE and SIGNOR_ID.
func signorLine(a, ida, dba, b, idb, dbb, effect, pmid, sentence, key string) string {
	return strings.Join([]string{a, "protein", ida, dba, b, "protein", idb, dbb, effect, "", "", "", "9606", "", "", "", "", "", "", "", "", pmid, "t", "", "", sentence, key}, "\t") + "\n"
}

// TestSIGNOREffects reads a SIGNOR row per EFFECT word: its sign, or the
// reason it is ignored, or the error.
func TestSIGNOREffects(t *testing.T) {
	for _, c := range []struct {
		effect string
		want   graph.Effect
		ignore string
	}{
		{"up-regulates", graph.Increases, ""},
		{"up-regulates activity", graph.Increases, ""},
		{"up-regulates quantity", graph.Increases, ""},
		{"up-regulates quantity by expression", graph.Increases, ""},
		{"up-regulates quantity by stabilization", graph.Increases, ""},
		{"down-regulates", graph.Decreases, ""},
		{"down-regulates activity", graph.Decreases, ""},
		{"down-regulates quantity", graph.Decreases, ""},
		{"down-regulates quantity by destabilization", graph.Decreases, ""},
		{"down-regulates quantity by repression", graph.Decreases, ""},
		{"form complex", "", `no sign: "form complex"`},
		{"unknown", "", `no sign: "unknown"`},
		{"binding", "", `no sign: "binding"`},
		{"sideways", "", ""}, // an error
	} {
		t.Run(c.effect, func(t *testing.T) {
			body := signorHeader + signorLine("MDM2", "Q00987", "UNIPROT", "TP53", "P04637", "UNIPROT", c.effect, "123", "MDM2 ubiquitinates p53", "SIGNOR-1")
			r, err := NewSignedReader("signor.tsv", strings.NewReader(body), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var link *graph.Link
			var ignored string
			for {
				rec, err := r.Read()
				if err != nil {
					if c.want == "" && c.ignore == "" && err.Error() != "EOF" {
						if !strings.Contains(err.Error(), "signor.tsv:2:") || !strings.Contains(err.Error(), "unknown sign") {
							t.Errorf("error %v, want an unknown sign at line 2", err)
						}
						return
					}
					if err.Error() != "EOF" {
						t.Fatal(err)
					}
					break
				}
				if rec.Link != nil {
					link = rec.Link
				}
				if rec.Ignored != "" {
					ignored = rec.Ignored
				}
			}
			switch {
			case c.want == "" && c.ignore == "":
				t.Fatalf("no error for %q", c.effect)
			case c.ignore != "":
				if link != nil || ignored != c.ignore {
					t.Errorf("link %+v, ignored %q; want ignored for %q", link, ignored, c.ignore)
				}
			case link == nil || link.Effect != c.want || link.Subject != "UniProtKB:Q00987" || link.Object != "UniProtKB:P04637":
				t.Errorf("link %+v, want UniProtKB:Q00987 %s UniProtKB:P04637", link, c.want)
			}
		})
	}
}

// TestSIGNORCURIEs gives each SIGNOR database its CURIE prefix; another
// database is ignored with its reason.
func TestSIGNORCURIEs(t *testing.T) {
	for _, c := range []struct{ db, id, want, ignore string }{
		{"UNIPROT", "P04637", "UniProtKB:P04637", ""},
		{"uniprot", "P04637", "UniProtKB:P04637", ""},
		{"CHEBI", "CHEBI:15996", "CHEBI:15996", ""},
		{"CHEBI", "15996", "CHEBI:15996", ""},
		{"PUBCHEM", "5282374", "PUBCHEM.COMPOUND:5282374", ""},
		{"SIGNOR", "SIGNOR-C1", "SIGNOR:SIGNOR-C1", ""},
		{"SIGNOR", "SIGNOR-PF1", "SIGNOR:SIGNOR-PF1", ""},
		{"DRUGBANK", "DB00065", "DRUGBANK:DB00065", ""},
		{"miRBase", "MIMAT0000062", "", `SIGNOR database "miRBase": no known CURIE prefix`},
	} {
		t.Run(c.db+"/"+c.id, func(t *testing.T) {
			got, why := signorCURIE(c.db, c.id)
			if got != c.want || why != c.ignore {
				t.Errorf("signorCURIE(%q, %q) = %q, %q; want %q, %q", c.db, c.id, got, why, c.want, c.ignore)
			}
		})
	}
}

// TestSIGNORLoad loads SIGNOR's TSV, found by its header: CURIE ends named
// by ENTITYA/B, each row an evidence item of infores:signor with its key,
// publication and quote, unsigned rows counted.
func TestSIGNORLoad(t *testing.T) {
	s := open(t)
	body := signorHeader +
		signorLine("MDM2", "Q00987", "UNIPROT", "TP53", "P04637", "UNIPROT", "down-regulates quantity by destabilization", "11123", "MDM2 degrades p53", "SIGNOR-1") +
		signorLine("MDM2", "Q00987", "UNIPROT", "TP53", "P04637", "UNIPROT", "form complex", "11124", "they bind", "SIGNOR-2") +
		signorLine("AKT", "SIGNOR-PF24", "SIGNOR", "MDM2", "Q00987", "UNIPROT", "up-regulates activity", "Other", "", "SIGNOR-3") +
		signorLine("let-7", "MIMAT0000062", "miRBase", "TP53", "P04637", "UNIPROT", "down-regulates", "1", "", "SIGNOR-4")
	rep, err := loadStrings(s, Options{}, "all_data.tsv", body)
	if err != nil {
		t.Fatal(err)
	}
	b := records(t, s)
	l := link(b, "UniProtKB:Q00987", "UniProtKB:P04637")
	if l == nil || l.Effect != graph.Decreases || len(l.Evidence) != 1 {
		t.Fatalf("MDM2 -> TP53 = %+v", l)
	}
	ev := l.Evidence[0]
	if ev.Source != "infores:signor" || ev.Key != "SIGNOR-1" || ev.Quote != "MDM2 degrades p53" ||
		!slices.Equal(ev.Publications, []string{"PMID:11123"}) || ev.KnowledgeLevel != graph.KnowledgeAssertion || ev.AgentType != graph.ManualAgent {
		t.Errorf("evidence %+v", ev)
	}
	if l := link(b, "SIGNOR:SIGNOR-PF24", "UniProtKB:Q00987"); l == nil || l.Effect != graph.Increases || len(l.Evidence[0].Publications) != 0 {
		t.Errorf("AKT -> MDM2 = %+v (PMID Other is no publication)", l)
	}
	for id, name := range map[string]string{"UniProtKB:Q00987": "MDM2", "UniProtKB:P04637": "TP53", "SIGNOR:SIGNOR-PF24": "AKT"} {
		if e := entity(b, id); e == nil || e.Name != name {
			t.Errorf("entity %s = %+v, want %q", id, e, name)
		}
	}
	if len(b.Links) != 2 || rep.Ignored != 2 || rep.IgnoredBy[`no sign: "form complex"`] != 1 ||
		rep.IgnoredBy[`SIGNOR database "miRBase": no known CURIE prefix`] != 1 || rep.Rows != 4 || rep.Unaccounted() != 0 {
		t.Errorf("%d links; report %s", len(b.Links), rep)
	}
	if src, err := s.Source(context.Background(), "infores:signor"); err != nil || src.ID != "infores:signor" {
		t.Errorf("source infores:signor: %v, %v", src, err)
	}
}

// TestOmniPathFlags reads an OmniPath row per flag combination, with and
// without consensus columns, and its resources and references as evidence
// items (resource names mapped to infores ids where the registry has one).
func TestOmniPathFlags(t *testing.T) {
	const noSign = "no sign: is_stimulation and is_inhibition both or neither"
	for _, c := range []struct {
		name, directed, stim, inhib string
		cStim, cInhib               string // consensus_stimulation, consensus_inhibition; "-" for no such columns
		want                        graph.Effect
		ignore                      string
	}{
		{"directed stimulation", "1", "1", "0", "1", "0", graph.Increases, ""},
		{"directed inhibition", "1", "0", "1", "0", "1", graph.Decreases, ""},
		{"directed both, no consensus columns", "1", "1", "1", "-", "-", "", noSign},
		{"directed both, consensus tie", "1", "1", "1", "1", "1", "", noSign + ", and no consensus"},
		{"directed both, consensus stimulation", "1", "1", "1", "1", "0", graph.Increases, ""},
		{"directed both, consensus inhibition", "1", "1", "1", "0", "1", graph.Decreases, ""},
		{"stimulation, consensus neither: the flag", "1", "1", "0", "0", "0", graph.Increases, ""},
		{"stimulation, consensus inhibition: the consensus", "1", "1", "0", "0", "1", graph.Decreases, ""},
		{"directed neither", "1", "0", "0", "0", "0", "", noSign + ", and no consensus"},
		{"directed neither, no consensus columns", "1", "0", "0", "-", "-", "", noSign},
		{"undirected stimulation", "0", "1", "0", "1", "0", "", "no direction: is_directed is not 1"},
		{"undirected inhibition", "0", "0", "1", "0", "1", "", "no direction: is_directed is not 1"},
		{"undirected neither", "0", "0", "0", "0", "0", "", "no direction: is_directed is not 1"},
		{"True/False words", "True", "True", "False", "True", "False", graph.Increases, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			head := []string{"source", "target", "is_directed", "is_stimulation", "is_inhibition", "consensus_direction", "consensus_stimulation", "consensus_inhibition", "sources", "references"}
			row := []string{"P04637", "Q00987", c.directed, c.stim, c.inhib, "1", c.cStim, c.cInhib,
				"SIGNOR;SPIKE;KEGG", "SIGNOR:11123;SPIKE:222;SIGNOR:11124;HPRD:333;444"}
			if c.cStim == "-" {
				head, row = slices.Delete(head, 6, 8), slices.Delete(row, 6, 8)
			}
			body := strings.Join(head, "\t") + "\n" + strings.Join(row, "\t") + "\n"
			s := open(t)
			rep, err := loadStrings(s, Options{}, "omnipath.tsv", body)
			if err != nil {
				t.Fatal(err)
			}
			b := records(t, s)
			l := link(b, "P04637", "Q00987")
			if c.ignore != "" {
				if l != nil || rep.IgnoredBy[c.ignore] != 1 || rep.Unaccounted() != 0 {
					t.Errorf("link %+v; report %s; want ignored for %q", l, rep, c.ignore)
				}
				return
			}
			if l == nil || l.Effect != c.want {
				t.Fatalf("link %+v, want %s", l, c.want)
			}
			got := map[string][]string{}
			for _, ev := range l.Evidence {
				got[ev.Source] = ev.Publications
			}
			want := map[string][]string{"infores:signor": {"PMID:11123", "PMID:11124"}, "SPIKE": {"PMID:222"}, "HPRD": {"PMID:333"},
				"infores:kegg": nil, "omnipath.tsv": {"PMID:444"}}
			if len(got) != len(want) {
				t.Errorf("evidence %+v, want items of %v", l.Evidence, want)
			}
			for src, pubs := range want {
				if !slices.Equal(got[src], pubs) {
					t.Errorf("item of %s: publications %v, want %v", src, got[src], pubs)
				}
			}
		})
	}
}

// TestOmniPathAggregator: a file loaded as an infores source (here Pathway
// Commons, which also gathers other resources' interactions) aggregates
// the resources' items.
func TestOmniPathAggregator(t *testing.T) {
	body := "source\ttarget\tis_directed\tis_stimulation\tis_inhibition\tsources\treferences\nP04637\tQ00987\t1\t1\t0\tSIGNOR;SPIKE\t\n"
	s := open(t)
	if _, err := loadStrings(s, Options{Source: graph.Source{ID: "infores:pathway-commons", Title: "Pathway Commons"}}, "omnipath.tsv", body); err != nil {
		t.Fatal(err)
	}
	l := link(records(t, s), "P04637", "Q00987")
	if l == nil {
		t.Fatal("no link")
	}
	for _, ev := range l.Evidence {
		want := []string{"infores:pathway-commons"}
		if ev.Source == "infores:pathway-commons" {
			want = nil // a source does not aggregate itself
		}
		if !slices.Equal(ev.Aggregators, want) {
			t.Errorf("%s: aggregators %v, want %v", ev.Source, ev.Aggregators, want)
		}
	}
}

// signorRow is a SIGNOR row of MDM2 down-regulating TP53 with the given
// columns set.
func signorRow(cols map[string]string) string {
	head := strings.Split(strings.TrimSuffix(signorHeader, "\n"), "\t")
	row := strings.Split(strings.TrimSuffix(signorLine("MDM2", "Q00987", "UNIPROT", "TP53", "P04637", "UNIPROT", "down-regulates", "123", "s", "SIGNOR-1"), "\n"), "\t")
	for k, v := range cols {
		row[slices.Index(head, k)] = v
	}
	return strings.Join(row, "\t") + "\n"
}

// TestSIGNORContext keeps a row's TAX_ID, CELL_DATA, TISSUE_DATA,
// MECHANISM and DIRECT on its evidence item, through the store.
func TestSIGNORContext(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		name           string
		cols           map[string]string
		taxon, mech    string
		cells, tissues []string
		direct         *bool
	}{
		{"human, one cell, one tissue", map[string]string{"TAX_ID": "9606", "CELL_DATA": "BTO:0000567", "TISSUE_DATA": "BTO:0000142", "MECHANISM": "ubiquitination", "DIRECT": "YES"},
			"NCBITaxon:9606", "ubiquitination", []string{"BTO:0000567"}, []string{"BTO:0000142"}, &yes},
		{"mouse, several cells", map[string]string{"TAX_ID": "10090", "CELL_DATA": "BTO:0000007;BTO:0000568", "DIRECT": "f"},
			"NCBITaxon:10090", "", []string{"BTO:0000007", "BTO:0000568"}, nil, &no},
		{"no organism (-1), DIRECT t", map[string]string{"TAX_ID": "-1", "DIRECT": "t"}, "", "", nil, nil, &yes},
		{"nothing", map[string]string{"TAX_ID": "", "DIRECT": ""}, "", "", nil, nil, nil},
		{"DIRECT of another word", map[string]string{"TAX_ID": "", "DIRECT": "maybe"}, "", "", nil, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			if _, err := loadStrings(s, Options{}, "signor.tsv", signorHeader+signorRow(c.cols)); err != nil {
				t.Fatal(err)
			}
			l := link(records(t, s), "UniProtKB:Q00987", "UniProtKB:P04637")
			if l == nil || len(l.Evidence) != 1 {
				t.Fatalf("link %+v", l)
			}
			ev := l.Evidence[0]
			if ev.Taxon != c.taxon || ev.Mechanism != c.mech || !slices.Equal(ev.CellTypes, c.cells) || !slices.Equal(ev.Tissues, c.tissues) ||
				(ev.Direct == nil) != (c.direct == nil) || ev.Direct != nil && *ev.Direct != *c.direct {
				t.Errorf("item %+v (direct %v), want taxon %q mechanism %q cells %v tissues %v direct %v", ev, ev.Direct, c.taxon, c.mech, c.cells, c.tissues, c.direct)
			}
		})
	}
}
