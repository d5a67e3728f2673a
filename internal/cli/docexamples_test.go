package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leydigkg/leydigkg/data"
	"github.com/leydigkg/leydigkg/server"
)

// A docBlock is a fenced code block of a documentation page.
type docBlock struct {
	file, lang string
	line       int // of the opening fence
	text       string
}

var fence = regexp.MustCompile("(?ms)^```([a-z]*)\n(.*?)^```")

func docBlocks(t *testing.T, langs ...string) []docBlock {
	t.Helper()
	var blocks []docBlock
	for _, f := range docFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range fence.FindAllSubmatchIndex(b, -1) {
			lang := string(b[m[2]:m[3]])
			for _, l := range langs {
				if lang == l {
					blocks = append(blocks, docBlock{
						file: strings.TrimPrefix(f, "../../"), lang: lang,
						line: 1 + bytes.Count(b[:m[0]], []byte("\n")),
						text: string(b[m[4]:m[5]]),
					})
				}
			}
		}
	}
	return blocks
}

// shellWords splits one shell command line as sh would, for the simple
// lines documentation holds: quotes, backslash escapes, a comment from an
// unquoted '#' that starts a word. A word that was quoted anywhere is
// marked with a leading \x00 so that globs and redirections are left alone.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	in, quoted := false, false
	flush := func() {
		if in {
			s := w.String()
			if quoted {
				s = "\x00" + s
			}
			words = append(words, s)
		}
		w.Reset()
		in, quoted = false, false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !in:
			return words
		case c == '\'':
			in, quoted = true, true
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				j = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			in, quoted = true, true
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`+"`", line[i+1]) >= 0 {
					i++
				}
				w.WriteByte(line[i])
			}
		case c == '\\' && i+1 < len(line):
			in = true
			i++
			w.WriteByte(line[i])
		default:
			in = true
			w.WriteByte(c)
		}
	}
	flush()
	return words
}

// shellCommands are the command lines of a sh block: continuation lines
// joined, each line cut at '&&', parenthesised groups opened.
func shellCommands(block string) []string {
	var cmds []string
	for _, line := range strings.Split(strings.ReplaceAll(block, "\\\n", " "), "\n") {
		for _, c := range strings.Split(line, "&&") {
			c = strings.TrimSpace(strings.Trim(strings.TrimSpace(c), "()"))
			if c != "" && !strings.HasPrefix(c, "#") {
				cmds = append(cmds, c)
			}
		}
	}
	return cmds
}

// notRun are the commands in sh blocks other than leydigkg's, each with
// why this test does not run it. A command that is neither leydigkg's nor
// here fails the test: add it, with a reason, or make it a leydigkg one.
var notRun = []struct{ prefix, why string }{
	{"go test", "the test suite itself; .ci/run runs `go test -race ./...`"},
	{"curl ", "its -d body is POSTed to a test server by TestDocGraphQLExamples"},
	{"python3 ", "the Python examples run against a real server in scripts/python-examples.sh (CI)"},
	{"export LEYDIGKG_", "a shell variable for the commands after it"},
	{"umask ", "shell; the token file it makes is made by this test"},
	{"openssl rand", "the token file it makes is made by this test"},
	{"cd ", "the npm build of the playground, rebuilt and compared by .ci/run"},
	{"npm ", "the npm build of the playground, rebuilt and compared by .ci/run"},
	{"git add", "version control"},
	{"benchstat ", "an external tool comparing benchmark runs"},
}

// longRunning commands are run with -h appended: their flags parse, and
// nothing is served or dialled. serve runs until stopped; a postgres: or
// cockroach: store needs a database this test does not have.
func longRunning(args []string) string {
	if args[0] == "serve" || args[0] == "mcp" {
		return args[0] + " runs until stopped"
	}
	for _, a := range args {
		if strings.HasPrefix(a, "postgres") || strings.HasPrefix(a, "cockroach") {
			return "a PostgreSQL/CockroachDB store needs a database"
		}
	}
	return ""
}

// docFixtures are the files the documentation's commands assume, made in
// the directory they run in: mine.yaml (the user's file of the tests), a
// token file, data/ (the repository's), and the KGX nodes.tsv and
// edges.tsv.gz of the load transcript in docs/formats.md.
func docFixtures(t *testing.T, dir string) {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("subject\tpredicate\tobject\tqualified_predicate\tobject_direction_qualifier\tprimary_knowledge_source\n" +
		"ex:a\tbiolink:regulates\tex:c\tbiolink:causes\tincreased\tinfores:lab\n" +
		"ex:b\tbiolink:regulates\tex:c\tbiolink:causes\tdecreased\tinfores:lab\n" +
		"ex:a\tbiolink:interacts_with\tex:b\t\t\tinfores:lab\n"))
	zw.Close()
	for name, content := range map[string]string{
		"mine.yaml": userFile,
		"token":     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
		"nodes.tsv": "id\tcategory\tname\nex:a\tbiolink:MolecularEntity\tCompound A\n" +
			"ex:b\tbiolink:MolecularEntity\tCompound B\nex:c\tbiolink:Protein\tProtein C\n",
		"edges.tsv.gz": gz.String(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	abs, err := filepath.Abs("../../data")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(abs, filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
}

// docRun runs one documented command line in dir as the shell would
// (quotes, globs, a stdout redirection) through Main. ok is false for a
// command that is not leydigkg's (the caller reports it).
func docRun(t *testing.T, where, dir, cmd string) (ran bool, code int, stdout, stderr string) {
	t.Helper()
	words := shellWords(cmd)
	var args []string
	switch {
	case len(words) > 0 && words[0] == "leydigkg":
		args = words[1:]
	case len(words) > 2 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/leydigkg":
		args = words[3:]
	default:
		return false, 0, "", ""
	}
	var out string
	var expanded []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == ">" && i+1 < len(args):
			out = strings.TrimPrefix(args[i+1], "\x00")
			i++
		case strings.HasPrefix(a, "\x00"):
			expanded = append(expanded, a[1:])
		case strings.ContainsAny(a, "*?["):
			m, _ := filepath.Glob(filepath.Join(dir, a))
			if len(m) == 0 {
				t.Errorf("%s: %s: %s matches nothing", where, cmd, a)
			}
			for _, p := range m {
				rel, _ := filepath.Rel(dir, p)
				expanded = append(expanded, rel)
			}
		default:
			expanded = append(expanded, a)
		}
	}
	args = expanded
	if len(args) == 0 {
		t.Errorf("%s: %s: no subcommand", where, cmd)
		return true, 2, "", ""
	}
	if why := longRunning(args); why != "" {
		t.Logf("%s: flags only (-h): %s: %s", where, cmd, why)
		args = append(args, "-h")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	var o, e bytes.Buffer
	code = Main(context.Background(), args, &o, &e)
	if err := os.Chdir(wd); err != nil {
		t.Fatal(err)
	}
	if code == 0 && out != "" {
		p := filepath.Join(dir, out)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, o.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return true, code, o.String(), e.String()
}

var durationText = regexp.MustCompile(`[0-9]+(\\\.[0-9]+)?[µnm]?s\b`)

// transcriptLine is the pattern of one output line of a "$ command"
// transcript: "..." stands for any text, a duration for any duration.
func transcriptLine(line string) *regexp.Regexp {
	q := regexp.QuoteMeta(line)
	q = strings.ReplaceAll(q, `\.\.\.`, ".*")
	q = durationText.ReplaceAllString(q, `[0-9.]+[µnm]?s`)
	return regexp.MustCompile("^" + q + "$")
}

// TestDocCommands runs every leydigkg command of the README, docs/*.md and
// data/README.md through Main, in order, each page in a fresh directory
// holding the files the pages assume (docFixtures), with stdout
// redirections written there; each must exit 0:
//   - every command line of a sh/bash block; serve, mcp and database stores
//     are only parsed (-h, see longRunning); other programs' commands are
//     listed in notRun with a reason;
//   - every text block that starts with "$ command" (a transcript): its
//     other lines must appear in order among the lines the command prints
//     (stderr, then stdout), "..." standing for any text and durations for
//     any; a line "..." alone is skipped;
//   - every command a synopsis (a text block of "leydigkg CMD ..." lines)
//     names has help (leydigkg help CMD).
func TestDocCommands(t *testing.T) {
	blocks := docBlocks(t, "sh", "bash", "text")
	dirs := map[string]string{}
	ran := 0
	for _, b := range blocks {
		dir, ok := dirs[b.file]
		if !ok {
			dir = t.TempDir()
			docFixtures(t, dir)
			dirs[b.file] = dir
		}
		where := fmt.Sprintf("%s:%d", b.file, b.line)
		if b.lang == "text" {
			lines := strings.Split(strings.TrimRight(b.text, "\n"), "\n")
			switch {
			case strings.HasPrefix(lines[0], "$ "):
				cmd := lines[0][2:]
				isCLI, code, stdout, stderr := docRun(t, where, dir, cmd)
				if !isCLI {
					t.Errorf("%s: transcript of %q: not a leydigkg command", where, cmd)
					continue
				}
				ran++
				if code != 0 {
					t.Errorf("%s: %s: exit %d\nstdout: %s\nstderr: %s", where, cmd, code, stdout, stderr)
					continue
				}
				got := strings.Split(stderr+stdout, "\n")
				i := 0
				for _, want := range lines[1:] {
					if strings.TrimSpace(want) == "..." {
						continue
					}
					re := transcriptLine(want)
					for i < len(got) && !re.MatchString(got[i]) {
						i++
					}
					if i == len(got) {
						t.Errorf("%s: %s: the documented line\n\t%s\nis not in what it prints (in order):\n%s%s", where, cmd, want, stderr, stdout)
						break
					}
					i++
				}
			case strings.HasPrefix(lines[0], "leydigkg "):
				for _, l := range lines {
					f := strings.Fields(l)
					if len(f) < 2 || f[0] != "leydigkg" {
						continue
					}
					for _, c := range strings.Split(f[1], "|") {
						if c == "help" {
							continue // help CMD itself: run for every other command here
						}
						var o, e bytes.Buffer
						if code := Main(context.Background(), []string{"help", c}, &o, &e); code != 0 || !strings.Contains(o.String()+e.String(), c) {
							t.Errorf("%s: synopsis names %q: leydigkg help %s: exit %d: %s%s", where, c, c, code, o.String(), e.String())
						}
						ran++
					}
				}
			}
			continue
		}
	next:
		for _, cmd := range shellCommands(b.text) {
			isCLI, code, stdout, stderr := docRun(t, where, dir, cmd)
			if !isCLI {
				for _, n := range notRun {
					if strings.HasPrefix(cmd, n.prefix) {
						t.Logf("%s: not run: %s: %s", where, cmd, n.why)
						continue next
					}
				}
				t.Errorf("%s: %q is neither a leydigkg command nor listed in notRun", where, cmd)
				continue
			}
			ran++
			if code != 0 {
				t.Errorf("%s: %s: exit %d\nstdout: %s\nstderr: %s", where, cmd, code, stdout, stderr)
			}
		}
	}
	if ran < 20 {
		t.Errorf("ran only %d documented commands", ran)
	}
}

// docVariables are the variables of documented operations that declare
// some, by operation name.
var docVariables = map[string]map[string]any{
	"Chains": {"from": []string{"chronic inflammation"}, "to": []string{"testosterone"}},
}

const docToken = "doc-examples-token-0123456789"

// TestDocGraphQLExamples POSTs every graphql block of the README, docs/*.md
// and data/README.md, and the -d body of every curl command in their sh
// blocks, to a server over the curated graph (a fresh one per page, so a
// page's mutations are seen by its later examples), with a write token;
// each must answer 200 with data and no errors.
func TestDocGraphQLExamples(t *testing.T) {
	type example struct {
		where string
		body  []byte
	}
	var examples []example
	opName := regexp.MustCompile(`^\s*(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(`)
	for _, b := range docBlocks(t, "graphql", "sh", "bash") {
		where := fmt.Sprintf("%s:%d", b.file, b.line)
		if b.lang == "graphql" {
			req := map[string]any{"query": b.text}
			if m := opName.FindStringSubmatch(b.text); m != nil {
				vars, ok := docVariables[m[1]]
				if !ok {
					t.Errorf("%s: operation %s declares variables: give them in docVariables", where, m[1])
					continue
				}
				req["variables"] = vars
			}
			body, _ := json.Marshal(req)
			examples = append(examples, example{where, body})
			continue
		}
		for _, cmd := range shellCommands(b.text) {
			words := shellWords(cmd)
			if len(words) == 0 || words[0] != "curl" {
				continue
			}
			for i, w := range words {
				if w == "-d" && i+1 < len(words) {
					body := []byte(strings.TrimPrefix(words[i+1], "\x00"))
					if !json.Valid(body) {
						t.Errorf("%s: curl body is not JSON: %s", where, body)
					}
					examples = append(examples, example{where + " (curl)", body})
				}
			}
		}
	}
	if len(examples) < 5 {
		t.Fatalf("found only %d GraphQL examples", len(examples))
	}
	servers := map[string]*httptest.Server{}
	for _, ex := range examples {
		file, _, _ := strings.Cut(ex.where, ":")
		srv, ok := servers[file]
		if !ok {
			store, err := data.Open(context.Background(), "memory")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store.Close() })
			h, err := server.New(server.Config{Store: store, Tokens: []string{docToken}})
			if err != nil {
				t.Fatal(err)
			}
			srv = httptest.NewServer(h)
			t.Cleanup(srv.Close)
			servers[file] = srv
		}
		req, err := http.NewRequest("POST", srv.URL+"/graphql", bytes.NewReader(ex.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+docToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var r struct {
			Data   json.RawMessage `json:"data"`
			Errors []any           `json:"errors"`
		}
		if err := json.Unmarshal(got, &r); err != nil || resp.StatusCode != 200 || len(r.Errors) > 0 ||
			len(r.Data) == 0 || string(r.Data) == "null" {
			t.Errorf("%s: status %d: %.600s", ex.where, resp.StatusCode, got)
		}
	}
}

// TestREADMETestCommand: the test command the README gives is the one CI
// runs.
func TestREADMETestCommand(t *testing.T) {
	const cmd = "go test -race ./..."
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(cmd) + `$`).Match(ci) {
		t.Errorf(".ci/run does not run %q", cmd)
	}
	for _, b := range docBlocks(t, "sh") {
		if b.file == "README.md" && strings.Contains(b.text, "\n"+cmd+" ") {
			return
		}
	}
	t.Errorf("README.md has no sh block with %q", cmd)
}

// TestDocGoExamples compiles every go block of the README, docs/*.md and
// data/README.md: a block of statements after an import block becomes the
// body of a main function (with ctx, and "if err != nil { ... }" as a
// panic), added to the module through an overlay and built by the go
// command.
func TestDocGoExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds with the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	importBlock := regexp.MustCompile(`(?s)^import \((.*?)\)\n`)
	for i, b := range docBlocks(t, "go") {
		m := importBlock.FindStringSubmatch(b.text)
		if m == nil {
			t.Errorf("%s:%d: a go block without an import block", b.file, b.line)
			continue
		}
		body := strings.ReplaceAll(b.text[len(m[0]):], "if err != nil { ... }", "if err != nil {\n\tpanic(err)\n}")
		imports := m[1]
		for _, std := range []string{"context", "fmt"} {
			if !strings.Contains(imports, `"`+std+`"`) {
				imports += "\t\"" + std + "\"\n"
			}
		}
		src := "package main\n\nimport (" + imports + ")\n\nfunc main() {\n\tctx := context.Background()\n" + body +
			"\n\t_, _, _ = ctx, fmt.Sprint(), err\n}\n"
		dir := t.TempDir()
		pkg := filepath.Join(root, "internal", "cli", "testdata", fmt.Sprintf("docgo%d", i))
		overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(pkg, "main.go"): filepath.Join(dir, "main.go")}})
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "overlay.json"), overlay, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(goTool, "build", "-o", os.DevNull, "-overlay", filepath.Join(dir, "overlay.json"), pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s:%d: the go example does not build: %v\n%s\nas compiled:\n%s", b.file, b.line, err, out, src)
		}
	}
}
