package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/leydigkg/leydigkg/graph"
	"github.com/leydigkg/leydigkg/graph/gen"
	"github.com/leydigkg/leydigkg/internal/layout"
	"github.com/leydigkg/leydigkg/internal/pgtest"
)

// copyAll makes every write of at least one quad go through COPY.
var copyAll = Options{CopyMin: 1}

// TestCopyWritesAreCayleys: what a COPY load stores, cayley's own
// postgres backend reads back as the same quads the batched writer
// stores; loads into empty tables and onto fuller ones (each of the ways
// copyTx picks), overlapping what is there, keep every reference count
// exact, give every quad its time (ts) as cayley's writer does, and keep
// the tables' indexes and constraints as cayley made them; and cayley's
// own delete step then removes them.
func TestCopyWritesAreCayleys(t *testing.T) {
	base := pgtest.Require(t)
	g := gen.Generate(gen.Config{Edges: 300, Seed: 5})
	steps := []*graph.Batch{
		// Into empty tables: COPYed into them, indexes and foreign keys built after.
		{Sources: g.Sources, Entities: g.Entities, Links: g.Links[:200]},
		// Small against the table: staged and moved under the indexes and foreign keys.
		{Links: g.Links[150:160]},
		// Less than the table: staged, moved without the foreign keys, checked after.
		{Links: g.Links[140:220]},
		// More than the table: staged, moved without indexes or foreign keys.
		{Sources: g.Sources, Entities: g.Entities, Links: g.Links},
	}
	ref := mustOpenDB(t, pgtest.FreshSchema(t, base), Options{CopyMin: -1})
	// A store cayley made and wrote alone, to compare catalogs with.
	cayleys := mustOpenDB(t, pgtest.FreshSchema(t, base), Options{StockSQLWriter: true})
	dsn := pgtest.FreshSchema(t, base)
	ours := mustOpenDB(t, dsn, copyAll)
	stock := mustOpenDB(t, dsn, Options{StockSQLWriter: true})
	schema := catalogOf(t, ours)
	if c := catalogOf(t, cayleys); c != schema || !strings.Contains(c, "spo_index") || !strings.Contains(c, "subject_hash_fk") {
		t.Fatalf("catalogs of new stores differ:\n%s\nand cayley's\n%s", schema, c)
	}
	for i, b := range steps {
		qs := layout.QuadsOf(b)
		qs = append(qs, qs[:10]...) // repeated quads in one load
		if _, err := ref.Write(context.Background(), qs, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := cayleys.Write(context.Background(), qs, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := ours.Write(context.Background(), qs, nil); err != nil {
			t.Fatalf("load %d: %v", i, err)
		}
		if got, want := dumpCayley(t, stock), dump(t, ref); !slices.Equal(got, want) {
			t.Fatalf("load %d: cayley's backend reads back something else:\n%s", i, diff(want, got))
		}
		checkRefs(t, ours)
		var unstamped int
		if err := ours.sql.db.QueryRow(`SELECT count(*) FROM quads WHERE ts IS NULL OR ts NOT BETWEEN localtimestamp - interval '10 minutes' AND localtimestamp`).Scan(&unstamped); err != nil {
			t.Fatal(err)
		}
		if unstamped > 0 {
			t.Fatalf("load %d: %d quads without the time cayley's writer gives each (ts)", i, unstamped)
		}
		if got, want := catalogOf(t, ours), catalogOf(t, cayleys); got != schema || got != want {
			t.Fatalf("load %d: indexes and constraints are not cayley's:\n%s\nwant\n%s", i, got, want)
		}
	}
	if n := linksIn(t, stock); n != len(g.Links) {
		t.Fatalf("cayley's backend reads %d links, want %d", n, len(g.Links))
	}
	// cayley's delete step decrements the counts and drops the values no
	// quad refers to any more: with the counts exact, nothing is left.
	if _, err := stock.Write(context.Background(), nil, layout.QuadsOf(g)); err != nil {
		t.Fatal(err)
	}
	var nodes, quads int
	ours.sql.db.QueryRow(`SELECT (SELECT count(*) FROM nodes), (SELECT count(*) FROM quads)`).Scan(&nodes, &quads)
	if nodes != 0 || quads != 0 {
		t.Fatalf("after removing everything: %d nodes, %d quads left", nodes, quads)
	}
}

// checkRefs fails t unless every value's reference count is the number
// of quads that refer to it (counting each direction).
func checkRefs(t *testing.T, d *DB) {
	t.Helper()
	var bad int
	err := d.sql.db.QueryRow(`SELECT count(*) FROM nodes n FULL JOIN (
		SELECT h, count(*) AS c FROM (SELECT subject_hash FROM quads UNION ALL SELECT predicate_hash FROM quads
			UNION ALL SELECT object_hash FROM quads UNION ALL SELECT label_hash FROM quads WHERE label_hash IS NOT NULL) AS u(h)
		GROUP BY h) r ON r.h = n.hash
		WHERE n.refs IS DISTINCT FROM r.c`).Scan(&bad)
	if err != nil {
		t.Fatal(err)
	}
	if bad > 0 {
		t.Fatalf("%d values with a reference count other than their quads'", bad)
	}
}

// catalogOf describes the quads and nodes tables' indexes and constraints.
func catalogOf(t *testing.T, d *DB) string {
	t.Helper()
	var s string
	// Without the schema's name, so that two schemas compare.
	err := d.sql.db.QueryRow(`SELECT replace(string_agg(x, E'\n' ORDER BY x), current_schema() || '.', '') FROM (
		SELECT indexrelid::regclass::text || ': ' || pg_get_indexdef(indexrelid) || ' valid ' || indisvalid FROM pg_index
			WHERE indrelid IN ('quads'::regclass, 'nodes'::regclass)
		UNION ALL SELECT conname || ': ' || pg_get_constraintdef(oid) || ' validated ' || convalidated FROM pg_constraint
			WHERE conrelid IN ('quads'::regclass, 'nodes'::regclass)) AS c(x)`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// contentOf is everything the store's tables hold, row by row, with their
// indexes and constraints and the change counter.
func contentOf(t *testing.T, d *DB) string {
	t.Helper()
	var rows [4]sql.NullString
	err := d.sql.db.QueryRow(`SELECT
		(SELECT string_agg(n::text, E'\n' ORDER BY n::text) FROM nodes n),
		(SELECT string_agg(q::text, E'\n' ORDER BY q::text) FROM quads q),
		(SELECT string_agg(c::text, E'\n') FROM leydigkg_changes c),
		(SELECT string_agg(version || ' ' || md5(entry), E'\n' ORDER BY version) FROM leydigkg_log)`).Scan(&rows[0], &rows[1], &rows[2], &rows[3])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join([]string{rows[0].String, rows[1].String, rows[2].String, rows[3].String, catalogOf(t, d)}, "\n--\n")
}

// TestFailedCopyChangesNothing: a COPY load that fails, on a value
// PostgreSQL refuses half-way through or on a context cancelled in the
// middle of the values or of the quads, into an empty store and into a
// filled one, leaves the database exactly as it was, change log included.
func TestFailedCopyChangesNothing(t *testing.T) {
	base := pgtest.Require(t)
	g := gen.Generate(gen.Config{Edges: 800, Seed: 7})
	first := &graph.Batch{Sources: g.Sources, Entities: g.Entities, Links: g.Links[:100]}
	load := layout.QuadsOf(&graph.Batch{Sources: g.Sources, Entities: g.Entities, Links: g.Links})
	bad := slices.Clone(load)
	bad[len(bad)/2].Object = quad.String("not UTF-8: \xff") // PostgreSQL refuses the row
	// a COPY looks at the context every copyCheck rows: the n-th look
	// is in the values, or in the quads, as these are many.
	st, err := prepareCopy(load)
	if err != nil {
		t.Fatal(err)
	}
	looks := func(rows int) int { return (rows + copyCheck - 1) / copyCheck }
	if looks(len(st.values)) < 2 || looks(len(st.quads)) < 2 {
		t.Fatalf("%d values and %d quads: too few to cancel in the middle", len(st.values), len(st.quads))
	}
	for _, filled := range []bool{false, true} {
		for _, tc := range []struct {
			name   string
			qs     []quad.Quad
			cancel int // cancel the context at this look at it
		}{
			{"bad-row", bad, 0},
			{"cancel-in-values", load, 2},
			{"cancel-in-quads", load, looks(len(st.values)) + 2},
		} {
			name := tc.name + "/empty"
			if filled {
				name = tc.name + "/filled"
			}
			t.Run(name, func(t *testing.T) {
				d := mustOpenDB(t, pgtest.FreshSchema(t, base), copyAll)
				if filled {
					if _, err := d.WriteLogged(context.Background(), layout.QuadsOf(first), nil, func() []byte { return []byte(`["first"]`) }); err != nil {
						t.Fatal(err)
					}
				}
				before := contentOf(t, d)
				ctx := context.Background()
				var cd *countdown
				if tc.cancel > 0 {
					cd = cancelAfter(tc.cancel)
					ctx = cd
				}
				// Logged, as a kg.Store logs a load: the entry is not kept either.
				_, err := d.WriteLogged(ctx, tc.qs, nil, func() []byte { return []byte(`["a load's entry"]`) })
				switch {
				case err == nil:
					t.Fatal("the load succeeded")
				case cd != nil && !errors.Is(err, context.Canceled):
					t.Fatalf("want context.Canceled, got %v", err)
				case cd != nil && cd.left.Load() != 0:
					t.Fatalf("cancelled, but not at look %d (%d looks left)", tc.cancel, cd.left.Load())
				}
				if after := contentOf(t, d); after != before {
					t.Fatalf("the failed load (%v) changed the database", err)
				}
				// And the store still takes the load.
				if _, err := d.Write(context.Background(), load, nil); err != nil {
					t.Fatal(err)
				}
				if n := linksIn(t, d); n != len(g.Links) {
					t.Fatalf("%d links after the load, want %d", n, len(g.Links))
				}
			})
		}
	}
}

// cancelAfter returns a context cancelled at the n-th look a COPY's
// stream takes at it (every copyCheck rows): looks from elsewhere
// (database/sql, pgx, copyWrite) do not count.
func cancelAfter(n int) *countdown {
	c := &countdown{Context: context.Background(), ch: make(chan struct{})}
	c.left.Store(int64(n))
	return c
}

type countdown struct {
	context.Context
	left atomic.Int64
	once sync.Once
	ch   chan struct{}
}

func (c *countdown) Done() <-chan struct{} { return c.ch }

func (c *countdown) Err() error {
	if c.left.Load() > 0 && calledFrom("store.(*copyStream).fill") && c.left.Add(-1) == 0 {
		c.once.Do(func() { close(c.ch) })
	}
	select {
	case <-c.ch:
		return context.Canceled
	default:
		return nil
	}
}

// calledFrom says whether the caller of the caller is the function fn
// (package.name).
func calledFrom(fn string) bool {
	pc := make([]uintptr, 1)
	if runtime.Callers(3, pc) == 0 {
		return false
	}
	f, _ := runtime.CallersFrames(pc).Next()
	return strings.HasSuffix(f.Function, "/"+fn)
}

// TestCopyOnlyOnPostgres: COPY loads are PostgreSQL's, for large writes
// that remove nothing; CockroachDB, and the stock writer, keep cayley's
// write step.
func TestCopyOnlyOnPostgres(t *testing.T) {
	big := make([]quad.Quad, DefaultCopyMin)
	small := big[:DefaultCopyMin-1]
	one := big[:1]
	for _, tc := range []struct {
		spec        string
		opts        Options
		add, remove []quad.Quad
		want        bool
	}{
		{"postgres://h/db", Options{}, big, nil, true},
		{"postgres:host=h dbname=db", Options{}, big, nil, true},
		{"postgres://h/db", Options{}, small, nil, false},
		{"postgres://h/db", Options{}, big, one, false},
		{"postgres://h/db", Options{CopyMin: -1}, big, nil, false},
		{"postgres://h/db", Options{CopyMin: 1}, one, nil, true},
		{"postgres://h/db", Options{StockSQLWriter: true}, big, nil, false},
		{"cockroach:postgresql://root@h:26257/db", Options{}, big, nil, false},
		{"cockroach:postgresql://root@h:26257/db", Options{CopyMin: 1}, one, nil, false},
		{"bolt:/tmp/x", Options{CopyMin: 1}, big, nil, false},
		{"memory", Options{CopyMin: 1}, big, nil, false},
	} {
		sp, err := parseSpec(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		d := &DB{spec: sp, opts: defaults(tc.opts), sql: &sqlDB{copyDB: new(sql.DB)}}
		if got := d.useCopy(tc.add, tc.remove); got != tc.want {
			t.Errorf("%s %+v, %d added, %d removed: COPY %v, want %v", tc.spec, tc.opts, len(tc.add), len(tc.remove), got, tc.want)
		}
	}
}

// TestCopyTakesLibpqDSNs: a DSN is lib/pq's and pgx's both. lib/pq's own
// settings are not sent to the server by the COPY connection (the server
// refused the load: unrecognized configuration parameter), its
// fallback_application_name names the connection, and a DSN with inline
// certificates, which pgx cannot read, loads by the batched writes.
func TestCopyTakesLibpqDSNs(t *testing.T) {
	base := pgtest.Require(t)
	b := gen.Generate(gen.Config{Edges: 50, Seed: 4})
	for _, tc := range []struct {
		name, key, value string
		copy             bool
	}{
		{"binary parameters", "binary_parameters", "yes", true},
		{"prepared binary result", "disable_prepared_binary_result", "yes", true},
		{"fallback application name", "fallback_application_name", "leydigkg-copy-test", true},
		{"inline certificates", "sslinline", "true", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := pgtest.WithParam(pgtest.FreshSchema(t, base), tc.key, tc.value)
			d := mustOpenDB(t, dsn, copyAll)
			if got := d.sql.copyDB != nil; got != tc.copy {
				t.Fatalf("COPY connection %v, want %v", got, tc.copy)
			}
			mustWrite(t, d, b)
			var n int
			if err := d.sql.db.QueryRow(`SELECT count(*) FROM quads`).Scan(&n); err != nil || n == 0 {
				t.Fatalf("%d quads stored (%v)", n, err)
			}
			if tc.key != "fallback_application_name" {
				return
			}
			conn, err := d.sql.copyDB.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			var app string
			if err := conn.QueryRowContext(context.Background(), `SHOW application_name`).Scan(&app); err != nil || app != tc.value {
				t.Fatalf("application_name %q (%v), want %q", app, err, tc.value)
			}
		})
	}
}

// TestCopyLoadsAreLogged: a COPY load records its entry in the change log
// in its transaction, as other writes do, under the version its write
// took; entries over largeEntry bytes are kept for the last largeLogKeep
// writes, small ones for LogKeep.
func TestCopyLoadsAreLogged(t *testing.T) {
	base := pgtest.Require(t)
	d := mustOpenDB(t, pgtest.FreshSchema(t, base), copyAll)
	g := gen.Generate(gen.Config{Edges: 200, Seed: 3})
	const writes = largeLogKeep + 8
	for i := range writes {
		b := &graph.Batch{Links: g.Links[i*5 : i*5+5]}
		if i == 0 {
			b = &graph.Batch{Sources: g.Sources, Entities: g.Entities, Links: b.Links}
		}
		entry := []byte(strings.Repeat(string(rune('a'+i%26)), 100)) // small and large in turn
		if i%2 == 1 {
			entry = []byte(strings.Repeat(string(rune('a'+i%26)), largeEntry+1))
		}
		if _, err := d.WriteLogged(context.Background(), layout.QuadsOf(b), nil, func() []byte { return entry }); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := d.sql.db.Query(`SELECT l.version, octet_length(l.entry), c.version FROM leydigkg_log l, leydigkg_changes c ORDER BY l.version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	var last int64
	for rows.Next() {
		var v, n int64
		if err := rows.Scan(&v, &n, &last); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprint(v, n > largeEntry))
	}
	var want []string
	for i := range writes {
		v := last - writes + 1 + int64(i) // each write took one version
		large := i%2 == 1
		if !large || v > last-largeLogKeep {
			want = append(want, fmt.Sprint(v, large))
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("log holds (version, large)\n%v\nwant\n%v", got, want)
	}
}

// TestCopyQuadsInHashOrder: a COPY load sends its values and its
// distinct quads in the order of their hashes (subject, predicate,
// object, label; no label first), the order of spo_index and the unique
// indexes, so that PostgreSQL builds these from a table already in order;
// and the table keeps them in that order.
func TestCopyQuadsInHashOrder(t *testing.T) {
	g := gen.Generate(gen.Config{Edges: 300, Seed: 9})
	qs := layout.QuadsOf(g)
	qs = append(qs, qs[:50]...) // repeated quads in one load
	st, err := prepareCopy(qs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(st.values, func(a, b copyValue) int { return bytes.Compare(a.hash[:], b.hash[:]) }) {
		t.Error("values are not in hash order")
	}
	if !slices.IsSortedFunc(st.quads, compareQuadHash) {
		t.Error("quads are not in hash order")
	}
	distinct := map[refs.QuadHash]bool{}
	for _, q := range qs {
		distinct[refs.QuadHash{Subject: refs.HashOf(q.Subject), Predicate: refs.HashOf(q.Predicate),
			Object: refs.HashOf(q.Object), Label: refs.HashOf(q.Label)}] = true
	}
	if len(st.quads) != len(distinct) || slices.ContainsFunc(st.quads, func(q refs.QuadHash) bool { return !distinct[q] }) {
		t.Fatalf("%d quads to send, want the %d distinct ones", len(st.quads), len(distinct))
	}
	base := pgtest.Require(t)
	d := mustOpenDB(t, pgtest.FreshSchema(t, base), copyAll)
	if _, err := d.Write(context.Background(), qs, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := d.sql.db.Query(`SELECT subject_hash, predicate_hash, object_hash, label_hash FROM quads ORDER BY horizon`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var stored []refs.QuadHash
	for rows.Next() {
		var h [4][]byte
		if err := rows.Scan(&h[0], &h[1], &h[2], &h[3]); err != nil {
			t.Fatal(err)
		}
		var q refs.QuadHash
		for i, b := range h {
			var vh refs.ValueHash
			copy(vh[:], b)
			q.Set(quad.Directions[i], vh)
		}
		stored = append(stored, q)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stored, st.quads) {
		t.Fatalf("the table holds %d quads, not in the order sent", len(stored))
	}
}

func compareQuadHash(a, b refs.QuadHash) int {
	x, y := a.Dirs(), b.Dirs()
	for d := range x {
		if c := bytes.Compare(x[d][:], y[d][:]); c != 0 {
			return c
		}
	}
	return 0
}

// copyValues are values of every kind cayley's nodes table spreads over
// its columns, with what a text COPY or the binary one could spell
// differently: escapes, a NUL byte, floats at their edges (0 and -0, one
// to Go's ==, two nodes to cayley), times with nanoseconds, zones and eras.
var copyValues = []quad.Value{
	quad.IRI("urn:a"), quad.IRI(""), quad.BNode("b1"),
	quad.String("a"), quad.String(""), quad.String("tab\there\nnewline\r\\back\\slash \\N"), quad.String("nul\x00byte"),
	quad.String("ünï \"q\" 🧬"),
	quad.LangString{Value: "a\tb", Lang: "en"}, quad.TypedString{Value: "5", Type: "urn:t"},
	quad.Int(5), quad.Int(-1), quad.Int(0), quad.Int(math.MaxInt64), quad.Int(math.MinInt64),
	quad.Float(5), quad.Float(-0.5), quad.Float(0), quad.Float(math.Copysign(0, -1)), quad.Float(math.Inf(1)), quad.Float(math.Inf(-1)),
	quad.Float(math.NaN()), quad.Float(math.SmallestNonzeroFloat64), quad.Float(math.MaxFloat64), quad.Float(0.1),
	quad.Bool(true), quad.Bool(false),
	quad.Time(time.Date(2024, 7, 6, 18, 10, 42, 5, time.UTC)),
	quad.Time(time.Date(2024, 7, 6, 18, 10, 42, 1_500, time.FixedZone("", 5*3600+30*60))),
	quad.Time(time.Date(2024, 7, 6, 18, 10, 42, 999_999_600, time.UTC)),
	quad.Time(time.Date(1969, 12, 31, 23, 59, 59, 123_456_789, time.FixedZone("", -8*3600))),
	quad.Time(time.Date(-44, 3, 15, 12, 0, 0, 0, time.UTC)),
	quad.Time(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)),
}

// TestCopyValuesAreCayleys: the nodes a COPY load writes, every column of
// every row, are those cayley's own writer (lib/pq's text) writes for the
// same values.
func TestCopyValuesAreCayleys(t *testing.T) {
	base := pgtest.Require(t)
	var qs []quad.Quad
	for i, v := range copyValues {
		qs = append(qs, quad.Quad{Subject: quad.IRI(fmt.Sprintf("urn:s%d", i)), Predicate: quad.IRI("urn:p"), Object: v, Label: v})
	}
	cayleys := mustOpenDB(t, pgtest.FreshSchema(t, base), Options{StockSQLWriter: true})
	ours := mustOpenDB(t, pgtest.FreshSchema(t, base), copyAll)
	for _, d := range []*DB{cayleys, ours} {
		if _, err := d.Write(context.Background(), qs, nil); err != nil {
			t.Fatal(err)
		}
	}
	nodes := func(d *DB) []string {
		rows, err := d.sql.db.Query(`SELECT n::text FROM nodes n ORDER BY hash`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	if got, want := nodes(ours), nodes(cayleys); !slices.Equal(got, want) {
		t.Fatalf("nodes differ from cayley's:\n%s", diff(want, got))
	}
}

// TestEmptyCopyRebuildsPrimaryKeys: a COPY load into empty tables drops
// nodes' and quads' primary keys and builds them after the rows are in
// (new indexes, as cayley defined them); a load into tables that hold
// something keeps them, and so does one into empty tables whose nodes or
// quads another table refers to.
func TestEmptyCopyRebuildsPrimaryKeys(t *testing.T) {
	base := pgtest.Require(t)
	g := gen.Generate(gen.Config{Edges: 200, Seed: 11})
	first := layout.QuadsOf(&graph.Batch{Sources: g.Sources, Entities: g.Entities, Links: g.Links[:100]})
	second := layout.QuadsOf(&graph.Batch{Links: g.Links[100:]})
	keys := func(d *DB) string {
		var s string
		if err := d.sql.db.QueryRow(`SELECT string_agg(conname || ' ' || conindid, ', ' ORDER BY conname) FROM pg_constraint
			WHERE conrelid IN ('nodes'::regclass, 'quads'::regclass) AND contype = 'p'`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, referrer := range []string{"", `CREATE TABLE notes (hash BYTEA REFERENCES nodes (hash))`,
		`CREATE TABLE notes (horizon BIGINT REFERENCES quads (horizon))`} {
		d := mustOpenDB(t, pgtest.FreshSchema(t, base), copyAll)
		referred := referrer != ""
		if referred {
			if _, err := d.sql.db.Exec(referrer); err != nil {
				t.Fatal(err)
			}
		}
		schema, before := catalogOf(t, d), keys(d)
		if _, err := d.Write(context.Background(), first, nil); err != nil {
			t.Fatal(err)
		}
		if after := keys(d); (after != before) != !referred {
			t.Errorf("%q: primary keys %s before the load into empty tables, %s after", referrer, before, after)
		}
		before = keys(d)
		if _, err := d.Write(context.Background(), second, nil); err != nil {
			t.Fatal(err)
		}
		if after := keys(d); after != before {
			t.Errorf("primary keys %s before a load into filled tables, %s after", before, after)
		}
		if got := catalogOf(t, d); got != schema {
			t.Fatalf("indexes and constraints are not cayley's:\n%s\nwant\n%s", got, schema)
		}
		checkRefs(t, d)
	}
}

// TestCancelledCopyStopsOnServer: a COPY load cancelled while the server
// builds an index returns once the server has stopped and rolled back,
// so the tables are free (and as they were) when Write returns: the
// statement is cancelled on the server, not only abandoned by the client.
func TestCancelledCopyStopsOnServer(t *testing.T) {
	base := pgtest.Require(t)
	qs := layout.QuadsOf(gen.Generate(gen.Config{Edges: 30_000, Seed: 1}))
	dsn := pgtest.FreshSchema(t, base)
	d := mustOpenDB(t, dsn, Options{})
	var schema string
	if err := d.sql.db.QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	before := contentOf(t, d)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	building := make(chan bool, 1)
	go func() { // cancels the load once the server builds one of its indexes
		defer close(building)
		for ctx.Err() == nil {
			var n int
			err := d.sql.db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active'
				AND query LIKE 'CREATE%INDEX%' AND query LIKE '%' || $1 || '.quads%'`, schema).Scan(&n)
			if err == nil && n > 0 {
				cancel()
				building <- true
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	_, err := d.Write(ctx, qs, nil)
	if !<-building {
		t.Skip("the load was written before an index build was seen")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	tx, err := d.sql.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE nodes, quads IN ACCESS EXCLUSIVE MODE NOWAIT`); err != nil {
		t.Fatalf("the cancelled load still holds the tables: %v", err)
	}
	tx.Rollback()
	if after := contentOf(t, d); after != before {
		t.Fatal("the cancelled load changed the database")
	}
}

// TestCancelledCopyDoesNotWaitForAConnection: a COPY load dials a
// connection of its own; when the server takes it and never answers (a
// server stalled, a network that stops halfway), the load ends with its
// context, like any statement of it.
func TestCancelledCopyDoesNotWaitForAConnection(t *testing.T) {
	for _, tc := range []struct {
		name  string
		serve func(net.Conn) // what the server does with a connection
	}{
		{"silent server", func(c net.Conn) { c.Read(make([]byte, 1024)) }},
		{"server that never replies", func(net.Conn) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			var conns sync.WaitGroup
			stop := make(chan struct{})
			defer conns.Wait()
			defer close(stop)
			defer ln.Close()
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					conns.Add(1)
					go func() {
						defer conns.Done()
						defer c.Close()
						tc.serve(c)
						<-stop
					}()
				}
			}()
			copyDB, err := openCopyDB("postgres://u@" + ln.Addr().String() + "/db?sslmode=disable")
			if err != nil {
				t.Fatal(err)
			}
			defer copyDB.Close()
			d := &sqlDB{copyDB: copyDB}
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			ended := make(chan error, 1)
			go func() { ended <- d.copyWrite(ctx, []quad.Quad{quad.MakeIRI("a", "b", "c", "")}) }()
			select {
			case err := <-ended:
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("want context.DeadlineExceeded, got %v", err)
				}
			case <-time.After(30 * time.Second): // the cancel handler waits 5 s (openCopyDB)
				t.Fatal("the load did not end with its context")
			}
		})
	}
}
