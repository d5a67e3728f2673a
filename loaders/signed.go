package loaders

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/leydigkg/leydigkg/graph"
)

// ErrSign is a sign word a signed edge list uses that means neither
// increase nor decrease.
var ErrSign = errors.New("unknown sign")

// SignedColumns says which columns of a signed edge list hold the source,
// the target and the sign: each a header name or a 1-based position ("" for
// the defaults below). Header says whether the first row is a header:
// "yes", "no", or "" to decide by looking (a first row whose sign is a sign
// word is data).
//
// Without names or positions, a header is searched for: source (or
// subject, from, regulator, tf, source_genesymbol), target (or object, to,
// target_genesymbol) and sign (or interaction, effect, mor, weight,
// regulation, direction); OmniPath's is_stimulation and is_inhibition
// columns give the sign too. A file without a header is read as source,
// sign, target when it has three columns (the SIF layout).
type SignedColumns struct {
	Source, Target, Sign string
	Header               string
	Comma                rune // field separator (--delimiter); default: a sep=X first line's, else the one the first line uses most of comma, tab and semicolon (a tab in a .tsv)
}

var (
	sourceNames = []string{"source", "subject", "from", "regulator", "tf", "source_genesymbol"}
	targetNames = []string{"target", "object", "to", "target_genesymbol"}
	signNames   = []string{"sign", "interaction", "effect", "mor", "weight", "regulation", "direction"}
)

// ParseSign reads a sign word: 1/-1, +/-, up/down, activation/inhibition,
// stimulation/inhibition, and their verbs (activates, inhibits, increases,
// decreases, up-regulates ..., down-regulates ... as SIGNOR writes them),
// or a non-zero number whose sign is the effect's (a weight, a mode of
// regulation).
func ParseSign(s string) (graph.Effect, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	switch w {
	case "1", "+1", "+", "up", "activation", "stimulation", "activates", "activate", "stimulates",
		"increases", "increase", "positive", "upregulates", "upregulation", "induces", "->":
		return graph.Increases, nil
	case "-1", "-", "down", "inhibition", "repression", "inhibits", "inhibit", "represses",
		"decreases", "decrease", "negative", "downregulates", "downregulation", "-|":
		return graph.Decreases, nil
	}
	switch {
	case strings.HasPrefix(w, "up-regulates"), strings.HasPrefix(w, "upregulates "):
		return graph.Increases, nil
	case strings.HasPrefix(w, "down-regulates"), strings.HasPrefix(w, "downregulates "):
		return graph.Decreases, nil
	}
	if f, err := strconv.ParseFloat(w, 64); err == nil && f == f {
		switch {
		case f > 0:
			return graph.Increases, nil
		case f < 0:
			return graph.Decreases, nil
		}
	}
	return "", fmt.Errorf("%w %q (want 1/-1, +/-, up/down, activation/inhibition, stimulation/inhibition, or a signed number)", ErrSign, s)
}

// unsignedWords are the sign words of edge lists that say a link has no
// sign (a zero weight, SIGNOR's "form complex" and "unknown", a binding):
// such a row is ignored and counted, not an error. Any number equal to 0
// is one too.
var unsignedWords = map[string]bool{
	"unknown": true, "binding": true, "bind": true, "binds": true,
	"form complex": true, "forms complex": true, "complex": true,
	"neutral": true, "unsigned": true, "none": true,
}

// unsigned reports whether a sign word says there is no sign, and the
// reason a row so signed is ignored.
func unsigned(s string) (string, bool) {
	w := strings.ToLower(strings.TrimSpace(s))
	if f, err := strconv.ParseFloat(w, 64); unsignedWords[w] || (err == nil && f == 0) {
		return fmt.Sprintf("no sign: %q", w), true
	}
	return "", false
}

type signedReader struct {
	file        string
	cr          *csv.Reader
	cap         *recordCap
	opts        Options
	src         int // column indexes
	dst         int
	sign        int // -1 when the sign comes from OmniPath's flags
	stim        int
	inhib       int
	width       int // columns a row needs
	first       []string
	source      string
	done        bool
	lastErrLine int
	signor      *signorCols   // SIGNOR's TSV (layouts.go)
	omnipath    *omnipathCols // OmniPath's columns, with the flags
	pending     []Record      // records of a row read, yet to return
}

func (s *signedReader) next() Record {
	r := s.pending[0]
	s.pending = s.pending[1:]
	return r
}

// NewSignedReader reads a signed edge list (CSV or TSV, by opts.Signed).
func NewSignedReader(name string, r io.Reader, opts Options) (RecordReader, error) {
	opts = opts.withDefaults()
	cols := opts.Signed
	r, comma := delimited(name, r, cols.Comma)
	rc := newRecordCap(r, opts.Limits.Line)
	cr := csv.NewReader(rc)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	cr.Comment = '#'
	s := &signedReader{file: name, cr: cr, cap: rc, opts: opts, sign: -1, stim: -1, inhib: -1, source: opts.sourceFor(name)}
	row, err := cr.Read()
	if rc.over {
		return nil, rc.err(name)
	}
	if errors.Is(err, io.EOF) {
		s.done = true
		return s, nil
	}
	if err != nil {
		return nil, csvError(s.file, err)
	}
	if err := s.layout(row); err != nil {
		return nil, err
	}
	return s, nil
}

// layout works out the columns from the first row, keeping that row as
// data when it is not a header.
func (s *signedReader) layout(row []string) error {
	cols := s.opts.Signed
	pos := func(v string) (int, bool) {
		n, err := strconv.Atoi(v)
		return n - 1, err == nil && n >= 1
	}
	named := func(v string) bool { _, isPos := pos(v); return v != "" && !isPos }
	header := cols.Header == "yes"
	if cols.Header == "" {
		header = named(cols.Source) || named(cols.Target) || named(cols.Sign)
		if !header {
			// Look: a header names a column we know; data has a sign word.
			for _, f := range row {
				f = strings.ToLower(strings.TrimSpace(f))
				if slices.Contains(sourceNames, f) || slices.Contains(targetNames, f) || slices.Contains(signNames, f) {
					header = true
				}
			}
		}
	}
	line, _ := s.cr.FieldPos(0)
	at := Position{File: s.file, Line: line, Column: 1}
	find := func(what, given string, defaults []string) (int, error) {
		if i, ok := pos(given); ok {
			return i, nil
		}
		if !header {
			return -1, at.errorf(ErrMissingField, "%s column %q: the file has no header; give a position (1, 2, ...)", what, given)
		}
		names := defaults
		if given != "" {
			names = []string{strings.ToLower(given)}
		}
		for i, f := range row {
			if slices.Contains(names, strings.ToLower(strings.TrimSpace(f))) {
				return i, nil
			}
		}
		return -1, at.errorf(ErrMissingField, "no %s column (looked for %s in the header %q)", what, strings.Join(names, ", "), row)
	}
	var err error
	if cols.Header != "no" && cols.Source == "" && cols.Target == "" && cols.Sign == "" {
		if s.signor = signorLayout(row); s.signor != nil {
			s.width = s.signor.width()
			return nil
		}
	}
	switch {
	case !header && cols.Source == "" && cols.Target == "" && cols.Sign == "":
		if len(row) != 3 {
			return at.errorf(ErrMissingField, "a file without a header needs --columns SOURCE,TARGET,SIGN unless it has 3 columns (source, sign, target)")
		}
		s.src, s.sign, s.dst = 0, 1, 2
	default:
		if s.src, err = find("source", cols.Source, sourceNames); err != nil {
			return err
		}
		if s.dst, err = find("target", cols.Target, targetNames); err != nil {
			return err
		}
		if s.sign, err = find("sign", cols.Sign, signNames); err != nil {
			// OmniPath: is_stimulation / is_inhibition.
			st := slices.Index(row, "is_stimulation")
			in := slices.Index(row, "is_inhibition")
			if !header || cols.Sign != "" || st < 0 || in < 0 {
				return err
			}
			s.sign, s.stim, s.inhib = -1, st, in
			s.omnipath = &omnipathCols{directed: slices.Index(row, "is_directed"), sources: slices.Index(row, "sources"), refs: slices.Index(row, "references"),
				consStim: slices.Index(row, "consensus_stimulation"), consInhib: slices.Index(row, "consensus_inhibition")}
		}
	}
	s.width = max(s.src, s.dst, s.sign, s.stim, s.inhib) + 1
	if !header {
		s.first = row
	}
	return nil
}

func (s *signedReader) Read() (Record, error) {
	if len(s.pending) > 0 {
		return s.next(), nil
	}
	if s.done {
		return Record{}, io.EOF
	}
	var row []string
	line, col := func(i int) int { l, _ := s.cr.FieldPos(i); return l }, func(i int) int { _, c := s.cr.FieldPos(i); return c }
	if s.first != nil {
		row, s.first = s.first, nil
	} else {
		var err error
		s.cap.reset()
		row, err = s.cr.Read()
		if s.cap.over {
			s.done = true // the rest of the record is not read: nor is the file's
			return Record{}, s.cap.err(s.file)
		}
		if errors.Is(err, io.EOF) {
			s.done = true
			return Record{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if pe.Line <= s.lastErrLine || errors.Is(pe.Err, csv.ErrQuote) {
					s.done = true // an unterminated quote swallows the rest
				}
				s.lastErrLine = pe.Line
			}
			return Record{}, csvError(s.file, err)
		}
	}
	at := func(i int) Position {
		if i >= len(row) {
			i = len(row) - 1
		}
		return Position{File: s.file, Line: line(i), Column: col(i)}
	}
	if len(row) < s.width {
		return Record{}, at(len(row)-1).errorf(ErrMissingField, "row has %d column(s), want at least %d", len(row), s.width)
	}
	if s.signor != nil {
		return s.signorRow(row, at)
	}
	var effect graph.Effect
	if s.sign >= 0 {
		if why, ok := unsigned(row[s.sign]); ok {
			return Record{Pos: at(s.sign), Ignored: why}, nil
		}
		e, err := ParseSign(row[s.sign])
		if err != nil {
			return Record{}, at(s.sign).wrap(err)
		}
		effect = e
	} else {
		if d := s.omnipath.directed; d >= 0 && d < len(row) && !isTrue(strings.TrimSpace(row[d])) {
			return Record{Pos: at(d), Ignored: "no direction: is_directed is not 1"}, nil
		}
		e, ok := s.omnipathSign(row)
		if !ok {
			why := "no sign: is_stimulation and is_inhibition both or neither"
			if s.omnipath.consStim >= 0 && s.omnipath.consInhib >= 0 {
				why += ", and no consensus"
			}
			return Record{Pos: at(s.stim), Ignored: why}, nil
		}
		effect = e
	}
	subj, obj := strings.TrimSpace(row[s.src]), strings.TrimSpace(row[s.dst])
	switch {
	case subj == "":
		return Record{}, at(s.src).errorf(ErrMissingField, "empty source")
	case obj == "":
		return Record{}, at(s.dst).errorf(ErrMissingField, "empty target")
	}
	evidence := []graph.Evidence{{Source: s.source, KnowledgeLevel: s.opts.KnowledgeLevel, AgentType: s.opts.AgentType}}
	if s.omnipath != nil {
		evidence = s.omnipathEvidence(row, subj, obj)
	}
	return Record{
		Pos:    at(s.src),
		ByName: true,
		Link: &graph.Link{
			Subject:   subj,
			Object:    obj,
			Effect:    effect,
			Predicate: "biolink:regulates",
			// One evidence item of the file: a row that repeats another is
			// the same item (graph.EvidenceKey).
			Evidence: evidence,
		},
	}, nil
}

func isTrue(s string) bool { return s == "1" || strings.EqualFold(s, "true") }
