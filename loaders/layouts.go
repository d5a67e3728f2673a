package loaders

import (
	"fmt"
	"slices"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// Layouts of public resources a signed edge list reader knows by their
// header, with the evidence their rows carry.

// SIGNOR's own TSV (ENTITYA, TYPEA, IDA, DATABASEA, ENTITYB, ..., EFFECT,
// ..., PMID, ..., SENTENCE, SIGNOR_ID): each row is an evidence item of
// infores:signor, known by SIGNOR_ID, with PMID as its publication and
// SENTENCE as its quote, stated by hand (knowledge_assertion,
// manual_agent), and TAX_ID, CELL_DATA, TISSUE_DATA, MECHANISM and DIRECT
// as its context (signorContext). The ends are CURIEs of their DATABASE (signorPrefixes),
// named by ENTITYA and ENTITYB; EFFECT gives the sign (ParseSign:
// up-regulates ..., down-regulates ...), and "form complex", "unknown"
// and other unsigned words leave the row ignored and counted.
var signorColumns = []string{"ENTITYA", "IDA", "DATABASEA", "ENTITYB", "IDB", "DATABASEB", "EFFECT"}

// signorPrefixes give the CURIE prefix (Biolink's prefix map) of a SIGNOR
// DATABASE; a row of any other database is ignored and counted, not given
// a made-up prefix. SIGNOR's own complexes, families, phenotypes and
// stimuli (SIGNOR-C1, SIGNOR-PF1, ...) are SIGNOR:SIGNOR-C1, as the
// Translator's SIGNOR ingest writes them.
var signorPrefixes = map[string]string{
	"UNIPROT":  "UniProtKB",
	"CHEBI":    "CHEBI",
	"PUBCHEM":  "PUBCHEM.COMPOUND",
	"SIGNOR":   "SIGNOR",
	"DRUGBANK": "DRUGBANK",
}

// signorKinds give an entity's kind by SIGNOR's TYPE; others get
// Options.Kind.
var signorKinds = map[string]graph.Kind{
	"protein": graph.GeneProduct, "complex": graph.GeneProduct, "proteinfamily": graph.GeneProduct,
	"fusion protein": graph.GeneProduct, "chemical": graph.Molecule, "smallmolecule": graph.Molecule,
	"phenotype": graph.Process,
}

const signorSource = "infores:signor"

type signorCols struct {
	nameA, typeA, idA, dbA, nameB, typeB, idB, dbB, effect, pmid, sentence, key int
	mechanism, taxon, cells, tissues, direct                                    int
}

// signorLayout finds SIGNOR's columns in a header row, or returns nil.
func signorLayout(row []string) *signorCols {
	idx := func(name string) int { return slices.Index(row, name) }
	for _, c := range signorColumns {
		if idx(c) < 0 {
			return nil
		}
	}
	return &signorCols{nameA: idx("ENTITYA"), typeA: idx("TYPEA"), idA: idx("IDA"), dbA: idx("DATABASEA"),
		nameB: idx("ENTITYB"), typeB: idx("TYPEB"), idB: idx("IDB"), dbB: idx("DATABASEB"),
		effect: idx("EFFECT"), pmid: idx("PMID"), sentence: idx("SENTENCE"), key: idx("SIGNOR_ID"),
		mechanism: idx("MECHANISM"), taxon: idx("TAX_ID"), cells: idx("CELL_DATA"), tissues: idx("TISSUE_DATA"), direct: idx("DIRECT")}
}

// signorContext gives a SIGNOR row's item its context: TAX_ID as an
// NCBITaxon CURIE (SIGNOR writes -1 where no organism applies, as for a
// chemical: no taxon), CELL_DATA and TISSUE_DATA as SIGNOR gives them
// (BTO ids, several joined by ";"), MECHANISM, and DIRECT (YES/NO, or t/f
// in older releases; other values leave it unknown).
func signorContext(ev *graph.Evidence, get func(int) string, c *signorCols) {
	if t := get(c.taxon); isPMID(t) { // digits: -1 and empty are no taxon
		ev.Taxon = "NCBITaxon:" + t
	}
	ev.CellTypes, ev.Tissues = splitIDs(get(c.cells)), splitIDs(get(c.tissues))
	ev.Mechanism = get(c.mechanism)
	switch strings.ToLower(get(c.direct)) {
	case "yes", "t", "true":
		ev.Direct = new(bool)
		*ev.Direct = true
	case "no", "f", "false":
		ev.Direct = new(bool)
	}
}

// splitIDs splits a list of ids joined by ";" (or "|"), dropping blanks
// and repeats.
func splitIDs(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' }) {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func (c *signorCols) width() int {
	return max(c.nameA, c.typeA, c.idA, c.dbA, c.nameB, c.typeB, c.idB, c.dbB, c.effect) + 1
}

// signorCURIE gives an id of database db as a CURIE, and a reason to
// ignore the row when there is none.
func signorCURIE(db, id string) (string, string) {
	prefix, ok := signorPrefixes[strings.ToUpper(db)]
	if !ok {
		return "", fmt.Sprintf("SIGNOR database %q: no known CURIE prefix", db)
	}
	local := id
	if p, rest, ok := strings.Cut(id, ":"); ok && (strings.EqualFold(p, prefix) || strings.EqualFold(p, db)) {
		local = rest // CHEBI:15996 is written whole
	}
	return prefix + ":" + local, ""
}

// signorRow reads a row of SIGNOR's TSV: the ends as implicit entities,
// then the link (s.pending), or an ignored record.
func (s *signedReader) signorRow(row []string, at func(int) Position) (Record, error) {
	c := s.signor
	get := func(i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	if why, ok := unsigned(get(c.effect)); ok {
		return Record{Pos: at(c.effect), Ignored: why}, nil
	}
	effect, err := ParseSign(get(c.effect))
	if err != nil {
		return Record{}, at(c.effect).wrap(err)
	}
	var ends [2]string
	for i, e := range []struct{ name, typ, id, db int }{{c.nameA, c.typeA, c.idA, c.dbA}, {c.nameB, c.typeB, c.idB, c.dbB}} {
		if get(e.id) == "" {
			return Record{}, at(e.id).errorf(ErrMissingField, "empty %s", []string{"IDA", "IDB"}[i])
		}
		id, why := signorCURIE(get(e.db), get(e.id))
		if why != "" {
			return Record{Pos: at(e.db), Ignored: why}, nil
		}
		ends[i] = id
		kind, ok := signorKinds[strings.ToLower(get(e.typ))]
		if !ok {
			kind = s.opts.Kind
		}
		name := get(e.name)
		if name == "" {
			name = id
		}
		s.pending = append(s.pending, Record{Pos: at(e.id), Implicit: true, Entity: &graph.Entity{ID: id, Name: name, Kind: kind}})
	}
	ev := graph.Evidence{Source: signorSource, Key: get(c.key), Quote: get(c.sentence),
		KnowledgeLevel: graph.KnowledgeAssertion, AgentType: graph.ManualAgent}
	if p := get(c.pmid); isPMID(p) {
		ev.Publications = []string{"PMID:" + p}
	}
	signorContext(&ev, get, c)
	s.pending = append(s.pending, Record{Pos: at(c.idA), ByName: true, Link: &graph.Link{
		Subject: ends[0], Object: ends[1], Effect: effect, Predicate: "biolink:regulates", Evidence: []graph.Evidence{ev},
	}})
	return s.next(), nil
}

func isPMID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// OmniPath interactions (source, target, is_directed, is_stimulation,
// is_inhibition, consensus_*, sources, references): a directed row with a
// sign (omnipathSign) is a link, with an evidence item of each resource its
// sources list: the resource's infores id where the Biolink registry has
// one (omnipathInfores), else its name as OmniPath writes it; a reference
// RESOURCE:PMID is a publication of that resource's item, a bare PMID one
// of the file's item. When the file's source is an infores id, it is each
// item's aggregator. An undirected row, or one without a sign, is ignored
// and counted.
type omnipathCols struct{ directed, sources, refs, consStim, consInhib int }

// omnipathSign is a row's sign. is_stimulation and is_inhibition say that
// at least one resource states that sign, so both may be 1; the
// consensus_stimulation and consensus_inhibition columns, where the file
// has them, say which sign most resources state. The consensus decides
// when it names one sign (even against the flags); when it is a tie (both
// or neither) or absent, the flags decide if they name one sign; else the
// row has no sign (ok false).
func (s *signedReader) omnipathSign(row []string) (graph.Effect, bool) {
	flag := func(i int) bool { return i >= 0 && i < len(row) && isTrue(strings.TrimSpace(row[i])) }
	one := func(stim, inhib bool) (graph.Effect, bool) {
		switch {
		case stim && !inhib:
			return graph.Increases, true
		case inhib && !stim:
			return graph.Decreases, true
		}
		return "", false
	}
	if c := s.omnipath; c.consStim >= 0 && c.consInhib >= 0 {
		if e, ok := one(flag(c.consStim), flag(c.consInhib)); ok {
			return e, true
		}
	}
	return one(flag(s.stim), flag(s.inhib))
}

// omnipathInfores maps OmniPath resource names to the infores ids of the
// Biolink information-resource registry (infores_catalog.yaml, checked
// 2026-12): only names with an entry there; HPRD, SPIKE, DIP, TRRUST,
// DoRothEA, CollecTRI, SignaLink and OmniPath itself have none, and keep
// their names. A secondary resource (Reactome_SIGNOR, "via") keeps its
// name too.
var omnipathInfores = map[string]string{
	"signor": "infores:signor", "biogrid": "infores:biogrid", "intact": "infores:intact", "kegg": "infores:kegg",
	"reactome": "infores:reactome", "guide2pharma": "infores:gtopdb", "phosphosite": "infores:psite-plus",
	"innatedb": "infores:innatedb", "huri": "infores:huri", "drugbank": "infores:drugbank", "chembl": "infores:chembl",
}

// omnipathSource is the source id of an OmniPath resource name.
func omnipathSource(name string) string {
	if id, ok := omnipathInfores[strings.ToLower(name)]; ok {
		return id
	}
	return name
}

func (s *signedReader) omnipathEvidence(row []string, subj, obj string) []graph.Evidence {
	get := func(i int) string {
		if i < 0 || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	key := subj + " " + obj
	items := map[string]*graph.Evidence{}
	var order []string
	var aggs []string
	if strings.HasPrefix(s.source, "infores:") {
		aggs = []string{s.source}
	}
	item := func(src string) *graph.Evidence {
		if items[src] == nil {
			items[src] = &graph.Evidence{Source: src, Key: key, KnowledgeLevel: s.opts.KnowledgeLevel, AgentType: s.opts.AgentType}
			if src != s.source {
				items[src].Aggregators = aggs
			}
			order = append(order, src)
		}
		return items[src]
	}
	for _, src := range strings.Split(get(s.omnipath.sources), ";") {
		if src = strings.TrimSpace(src); src != "" {
			item(omnipathSource(src))
		}
	}
	for _, ref := range strings.Split(get(s.omnipath.refs), ";") {
		ref = strings.TrimSpace(ref)
		src, pmid, ok := strings.Cut(ref, ":")
		if ok {
			src = omnipathSource(src)
		} else {
			src, pmid = s.source, ref
		}
		if isPMID(pmid) {
			it := item(src)
			if !slices.Contains(it.Publications, "PMID:"+pmid) {
				it.Publications = append(it.Publications, "PMID:"+pmid)
			}
		}
	}
	if len(order) == 0 {
		item(s.source)
	}
	out := make([]graph.Evidence, 0, len(order))
	for _, src := range order {
		slices.Sort(items[src].Publications)
		out = append(out, *items[src])
	}
	return out
}
