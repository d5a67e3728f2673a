package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// repeat is n bytes of b, made as they are read.
type repeat struct {
	b byte
	n int64
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n)]
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

// rows is a line repeated n times, made as it is read.
func rows(line string, n int64) io.Reader {
	chunk := []byte(strings.Repeat(line, 4096))
	per := int64(4096)
	var rs []io.Reader
	for ; n >= per; n -= per {
		rs = append(rs, bytes.NewReader(chunk))
	}
	rs = append(rs, strings.NewReader(strings.Repeat(line, int(n))))
	return io.MultiReader(rs...)
}

// gzipped compresses r as it is read, on a goroutine that ends when the
// test does.
func gzipped(t *testing.T, r io.Reader) io.Reader {
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		zw, _ := gzip.NewWriterLevel(pw, gzip.BestSpeed)
		_, err := io.Copy(zw, r)
		if err == nil {
			err = zw.Close()
		}
		pw.CloseWithError(err)
	}()
	t.Cleanup(func() { pr.Close(); wg.Wait() })
	return pr
}

// peakHeap runs f and returns the most heap it saw in use while f ran.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return peak.Load()
}

// memoryBound is the most heap a load may take on any of the bombs below.
const memoryBound = 256 << 20

// bomb is an input of issue 19 that took gigabytes: a gzip bomb, a 100 MB
// line, hundreds of millions of repeated rows, a 100 MB id or name. It is
// made as it is read.
type bomb struct {
	name string
	file string
	r    func(t *testing.T) io.Reader
	want string // in the error
}

var bombs = func() []bomb {
	const hundredMB = 100 << 20
	return []bomb{
		{"4 GiB of zeros gzipped", "z.csv.gz",
			func(t *testing.T) io.Reader { return gzipped(t, &repeat{'0', 4 << 30}) },
			"z.csv.gz:1:"},
		{"a 100 MB one-line CSV", "one.csv",
			func(*testing.T) io.Reader {
				return io.MultiReader(strings.NewReader("source,target,sign\n"), &repeat{'a', hundredMB})
			},
			"one.csv:2:"},
		{"300 million repeated rows gzipped", "rows.csv.gz",
			func(t *testing.T) io.Reader {
				return gzipped(t, io.MultiReader(strings.NewReader("source,target,sign\n"), rows("TNF,IL6,1\n", 300_000_000)))
			},
			"rows.csv.gz:"},
		{"a 100 MB id in KGX", "nodes.tsv",
			func(*testing.T) io.Reader {
				return io.MultiReader(strings.NewReader("id\tcategory\tname\n"), &repeat{'x', hundredMB}, strings.NewReader("\tbiolink:Gene\tA\n"))
			},
			"nodes.tsv:2:"},
		{"a 100 MB name in YAML", "big.yaml",
			func(*testing.T) io.Reader {
				return io.MultiReader(strings.NewReader("entities:\n  - id: a\n    kind: CELL\n    name: "), &repeat{'n', hundredMB}, strings.NewReader("\n"))
			},
			"big.yaml:4:"},
		{"a 100 MB line of N-Quads", "big.nq",
			func(*testing.T) io.Reader {
				return io.MultiReader(strings.NewReader("<http://a> <http://www.w3.org/2000/01/rdf-schema#label> \""), &repeat{'n', hundredMB}, strings.NewReader("\" .\n"))
			},
			"big.nq:1:1: too large: line longer than 16777216 bytes (--max-line)"},
	}
}()

// TestBombs: each bomb is refused with a position, in bounded memory
// (heap in use, sampled while it loads), and the store is left as it was.
func TestBombs(t *testing.T) {
	for _, tc := range bombs {
		t.Run(tc.name, func(t *testing.T) { refuseBomb(t, tc) })
	}
}

func refuseBomb(t *testing.T, tc bomb) {
	s := open(t)
	if _, err := loadStrings(s, Options{}, "good.csv", "source,target,sign\nG1,G2,1\n"); err != nil {
		t.Fatal(err)
	}
	before := s.Stats(context.Background())
	var err error
	start := time.Now()
	peak := peakHeap(func() {
		_, err = (&Loader{Store: s}).Load(context.Background(), Input{Name: tc.file, R: tc.r(t)})
	})
	t.Logf("refused in %v, heap in use at most %d MB: %v", time.Since(start).Round(time.Millisecond), peak>>20, err)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), tc.want) {
		t.Errorf("err = %v; want ErrTooLarge at %s", err, tc.want)
	}
	var list ErrorList
	if !errors.As(err, &list) || list[0].Line < 1 || list[0].Column < 1 {
		t.Errorf("err = %#v; want an ErrorList with positions", err)
	}
	if peak > memoryBound {
		t.Errorf("heap in use reached %d MB, want at most %d MB", peak>>20, memoryBound>>20)
	}
	if after := s.Stats(context.Background()); !reflect.DeepEqual(after, before) {
		t.Errorf("the store changed: %+v, was %+v", after, before)
	}
}

// TestBombsRSS loads each bomb in a process of its own (this test binary,
// run again for that bomb alone) and holds its peak resident set, as the
// kernel counts it (VmHWM: rusage's maxrss would count the parent's too,
// from before the exec), to memoryBound.
func TestBombsRSS(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector multiplies memory: the RSS bound is checked without -race (.ci/run runs this test so)")
	}
	if name := os.Getenv("LEYDIGKG_BOMB"); name != "" {
		for _, tc := range bombs {
			if tc.name == name {
				refuseBomb(t, tc)
				status, err := os.ReadFile("/proc/self/status")
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("\n%s", status)
				return
			}
		}
		t.Fatalf("no bomb %q", name)
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("peak RSS is read from Linux's /proc/self/status")
	}
	hwm := regexp.MustCompile(`VmHWM:\s+(\d+) kB`)
	for _, tc := range bombs {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBombsRSS$", "-test.v")
			cmd.Env = append(os.Environ(), "LEYDIGKG_BOMB="+tc.name)
			out, err := cmd.CombinedOutput()
			m := hwm.FindSubmatch(out)
			if err != nil || m == nil {
				t.Fatalf("%v:\n%s", err, out)
			}
			kb, _ := strconv.Atoi(string(m[1]))
			rss := kb << 10
			t.Logf("peak RSS %d MB", rss>>20)
			if rss > memoryBound {
				t.Errorf("peak RSS %d MB, want at most %d MB", rss>>20, memoryBound>>20)
			}
		})
	}
}

// TestLimits: each limit at its edge, with a position, under the default
// Limits and under smaller ones.
func TestLimits(t *testing.T) {
	long := strings.Repeat("x", 100<<10)
	tests := []struct {
		name       string
		lim        Limits
		skip       bool
		file, body string
		want       []string // in the error; none: the load succeeds
		links      int      // links written, when it succeeds
	}{
		{"id past --max-text in KGX", Limits{}, false, "n.tsv", "id\tcategory\tname\nA\tbiolink:Gene\tA\n" + long + "\tbiolink:Gene\tB\n",
			[]string{"n.tsv:3:1: too large: id longer than 65536 bytes (--max-text)"}, 0},
		{"name past --max-text in YAML", Limits{}, false, "y.yaml", "entities:\n  - id: a\n    kind: CELL\n    name: " + long + "\n",
			[]string{"y.yaml:4:11: too large: name longer than 65536 bytes (--max-text)"}, 0},
		{"quote past --max-text in YAML", Limits{Text: 17}, false, "y.yaml", "links:\n  - {id: l, subject: a, object: b, effect: INCREASES, predicate: biolink:regulates,\n     evidence: [{quote: \"a quote of more than 17 bytes\", source: s}]}\n",
			[]string{"y.yaml:3:25: too large: evidence[0].quote longer than 17 bytes (--max-text)"}, 0},
		{"synonym past --max-text in JSON Lines", Limits{Text: 3}, false, "n.jsonl", `{"id":"A","name":"A","synonym":["abc","abcd"]}` + "\n",
			[]string{"n.jsonl:1:", "too large: synonyms[1] longer than 3 bytes (--max-text)"}, 0},
		{"fields at --max-text", Limits{Text: 17}, false, "e.csv", "source,target,sign\nseventeen bytes 1,seventeen bytes 2,1\n", nil, 1},
		{"record past --max-line", Limits{Line: 100}, false, "e.csv", "source,target,sign\nA,B,1\n\"" + strings.Repeat("y", 200) + "\",C,1\nD,E,1\n",
			[]string{"e.csv:3:", "too large: record longer than 100 bytes (--max-line)"}, 0},
		{"record past --max-line, skipped", Limits{Line: 100}, true, "e.csv", "source,target,sign\nA,B,1\n" + strings.Repeat("y", 200) + ",C,1\nD,E,1\n",
			nil, 1},
		{"quoted record over lines past --max-line", Limits{Line: 100}, false, "e.tsv", "subject\tpredicate\tobject\n\"" + strings.Repeat("y\n", 100) + "\"\tbiolink:causes\tB\n",
			[]string{"e.tsv:", "too large: record longer than 100 bytes (--max-line)"}, 0},
		{"header past --max-line", Limits{Line: 10}, false, "e.csv", "source,target,sign\nA,B,1\n",
			[]string{"e.csv:1:", "too large: record longer than 10 bytes (--max-line)"}, 0},
		{"YAML line past --max-line", Limits{Line: 20}, false, "y.yaml", "entities:\n  - id: a\n    name: a name longer than twenty\n",
			[]string{"y.yaml:3:21: too large: line longer than 20 bytes (--max-line)"}, 0},
		{"YAML file past --max-yaml", Limits{YAML: 30}, false, "y.yaml", "entities:\n  - id: a\n    name: a name\n",
			[]string{"y.yaml:3:11: too large: file longer than 30 bytes (--max-yaml)"}, 0},
		{"JSON line past --max-line", Limits{Line: 20}, false, "n.jsonl", `{"id":"A","name":"a name longer than twenty"}` + "\n",
			[]string{"n.jsonl:1:1: too large: line longer than 20 bytes (--max-line)"}, 0},
		{"gzip past --max-unzipped", Limits{Unzipped: 1000}, false, "e.csv.gz", gz(t, "source,target,sign\n"+strings.Repeat("A,B,1\n", 200)),
			[]string{"e.csv.gz:", "too large: gzip: decompressed past 1000 bytes (--max-unzipped)"}, 0},
		{"gzip past --max-ratio", Limits{}, false, "e.csv.gz", gz(t, "source,target,sign\n"+strings.Repeat("A,B,1\n", 200_000)),
			[]string{"e.csv.gz:", "too large: gzip: decompressed past 100 times its compressed size (--max-ratio)"}, 0},
		{"gzip within --max-ratio", Limits{Ratio: 1000}, false, "e.csv.gz", gz(t, "source,target,sign\n"+strings.Repeat("A,B,1\n", 200_000)), nil, 1},
		{"gzip within --max-unzipped", Limits{Unzipped: 1219}, false, "e.csv.gz", gz(t, "source,target,sign\n"+strings.Repeat("A,B,1\n", 200)), nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			rep, err := loadStrings(s, Options{Limits: tc.lim, SkipInvalid: tc.skip}, tc.file, tc.body)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if rep.Applied.Links != tc.links {
					t.Errorf("wrote %d links, want %d", rep.Applied.Links, tc.links)
				}
				if tc.skip && !errors.Is(rep.Skipped.Err(), ErrTooLarge) {
					t.Errorf("skipped %v, want an ErrTooLarge", rep.Skipped)
				}
				return
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("err = %v, want ErrTooLarge", err)
			}
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
			if st := s.Stats(context.Background()); st.Links+st.Entities != 0 {
				t.Errorf("a failed load wrote %+v", st)
			}
		})
	}
}

// TestRepeatsAndProblems: repeated records are counted, not kept, and a
// load lists its first problems and counts the others.
func TestRepeatsAndProblems(t *testing.T) {
	const n = 500_000
	s := open(t)
	var rep *Report
	var err error
	peak := peakHeap(func() {
		rep, err = (&Loader{Store: s}).Load(context.Background(), Input{Name: "rows.csv",
			R: io.MultiReader(strings.NewReader("source,target,sign\n"), rows("TNF,IL6,1\n", n))})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v; heap in use at most %d MB", rep, peak>>20)
	if rep.Applied.Links != 1 || rep.Repeated != n-1 || rep.Read != n {
		t.Errorf("wrote %d links, %d repeated, %d read; want 1, %d, %d", rep.Applied.Links, rep.Repeated, rep.Read, n-1, n)
	}
	if peak > 64<<20 {
		t.Errorf("heap in use reached %d MB for one record repeated", peak>>20)
	}

	// N-Quads are read whole before their records: a statement said
	// again is left out as it is read.
	nq := "<http://a> <http://purl.obolibrary.org/obo/RO_0002213> <http://b> .\n" +
		"<http://a> <http://www.w3.org/2000/01/rdf-schema#label> \"A\" .\n" +
		"<http://a> <http://www.w3.org/2004/02/skos/core#altLabel> \"a\" .\n" +
		"<http://a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/biolink/vocab/Gene> .\n"
	s = open(t)
	peak = peakHeap(func() {
		rep, err = (&Loader{Store: s}).Load(context.Background(), Input{Name: "rows.nq", R: rows(nq, n/4)})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v; heap in use at most %d MB", rep, peak>>20)
	if e, err := s.Entity(context.Background(), "http://a"); err != nil || len(e.Synonyms) != 1 || len(e.Categories) != 1 {
		t.Errorf("entity %+v, %v; want one synonym and one category", e, err)
	}
	if rep.Applied.Links != 1 || rep.Repeated != n/4-1 || peak > 32<<20 {
		t.Errorf("N-Quads: wrote %d links, %d repeated, heap %d MB; want 1, %d, at most 32 MB", rep.Applied.Links, rep.Repeated, peak>>20, n/4-1)
	}

	for _, skip := range []bool{false, true} {
		var body strings.Builder
		body.WriteString("source,target,sign\nA,B,1\n")
		for i := range 5000 {
			fmt.Fprintf(&body, "X%d,Y,sideways\n", i)
		}
		rep, err := loadStrings(open(t), Options{Limits: Limits{Problems: 10}, SkipInvalid: skip}, "bad.csv", body.String())
		list, _ := err.(ErrorList)
		if skip {
			list = rep.Skipped
		}
		if len(list) != 11 || list.Count() != 5000 || !errors.Is(list[10], ErrTooManyProblems) ||
			list[10].Error() != "bad.csv:13:7: too many problems: 4990 more not listed (--max-problems)" ||
			list[9].Line != 12 {
			t.Errorf("skip=%v: %d problems listed, %d counted; want 10 and a last entry for 4990 more:\n%v", skip, len(list), list.Count(), list)
		}
	}
}
