// Package pgtest gives tests a real PostgreSQL: a fresh schema on the
// server named by LEYDIGKG_TEST_POSTGRES, or a private server of their own
// that they may stop and restart. Without one, tests skip, saying why.
//
// It is for tests only: no package's non-test code may import it.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq" // the "postgres" driver
)

// Two kinds of PostgreSQL for the tests:
//
//   - a shared server named by LEYDIGKG_TEST_POSTGRES (a DSN): every test
//     gets a fresh schema of its own in it (search_path), dropped after;
//   - a private server the test starts itself, from the programs in
//     LEYDIGKG_TEST_PGBIN (or /usr/lib/postgresql/*/bin), for tests that
//     stop and restart the database under a running Store.
//
// .ci/run provides both; without them these tests skip, saying why.

const EnvPostgres = "LEYDIGKG_TEST_POSTGRES"

// Require skips t, saying why, when no server is named.
func Require(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		t.Skipf("skipped: no PostgreSQL; set %s to a DSN (e.g. postgres://user@localhost/db?sslmode=disable) to run", EnvPostgres)
	}
	return dsn
}

// EnvCockroach names a CockroachDB cluster to run the conformance suite on.
const EnvCockroach = "LEYDIGKG_TEST_COCKROACH"

// CockroachSpec returns the spec of an empty CockroachDB store for t, or
// skips t when EnvCockroach is not set.
func CockroachSpec(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvCockroach)
	if dsn == "" {
		t.Skipf("skipped: no CockroachDB; set %s to a DSN (e.g. postgresql://root@localhost:26257/defaultdb?sslmode=disable) to run", EnvCockroach)
	}
	return "cockroach:" + FreshSchema(t, dsn)
}

// Spec returns the spec of an empty PostgreSQL store for t.
func Spec(t testing.TB) string {
	t.Helper()
	return "postgres:" + FreshSchema(t, Require(t))
}

// FreshSchema creates an empty schema in the database of dsn, dropped when
// t ends, and returns dsn with that schema as its search_path.
func FreshSchema(t testing.TB, dsn string) string {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var b [6]byte
	rand.Read(b[:])
	schema := "lkgtest_" + hex.EncodeToString(b[:])
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema in %s: %v", "the test database", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	return WithParam(dsn, "search_path", schema)
}

// WithParam adds a connection parameter to a URL or key=value DSN.
func WithParam(dsn, key, value string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}

// Server is a private PostgreSQL server in a temp dir.
type Server struct {
	t       testing.TB
	bin     string
	dir     string
	port    int
	asUser  []string // runuser prefix when running as root
	running bool
}

// Start starts a private server, stopped when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := os.Getenv("LEYDIGKG_TEST_PGBIN")
	if bin == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		slices.Sort(dirs)
		if len(dirs) > 0 {
			bin = dirs[len(dirs)-1]
		}
	}
	if _, err := os.Stat(filepath.Join(bin, "pg_ctl")); bin == "" || err != nil {
		t.Skip("skipped: no PostgreSQL server programs; install Debian's postgresql or set LEYDIGKG_TEST_PGBIN to their directory")
	}
	dir, err := os.MkdirTemp("", "leydigkg-pg")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, bin: bin, dir: dir, port: freePort(t)}
	if os.Getuid() == 0 { // PostgreSQL refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("skipped: running as root and there is no postgres user to run a server as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		s.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	t.Cleanup(func() {
		if s.running {
			s.pgctl("stop", "-m", "immediate")
		}
		os.RemoveAll(dir)
	})
	s.run(filepath.Join(bin, "initdb"), "-D", s.data(), "-U", "leydigkg", "-A", "trust", "--no-sync")
	s.Start()
	return s
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// DSN of the server's postgres database.
func (s *Server) DSN() string {
	return fmt.Sprintf("postgres://leydigkg@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=5", s.port)
}

func (s *Server) Start() {
	s.t.Helper()
	s.pgctl("start", "-w", "-l", filepath.Join(s.dir, "server.log"), "-o",
		fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off", s.port, s.dir))
	s.running = true
}

// Stop stops the server: "fast" disconnects clients and rolls back their
// transactions; "immediate" is a crash.
func (s *Server) Stop(mode string) {
	s.t.Helper()
	s.pgctl("stop", "-w", "-m", mode)
	s.running = false
}

func (s *Server) pgctl(args ...string) {
	s.t.Helper()
	s.run(filepath.Join(s.bin, "pg_ctl"), append([]string{"-D", s.data()}, args...)...)
}

func (s *Server) run(name string, args ...string) {
	s.t.Helper()
	argv := append(append(slices.Clone(s.asUser), name), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = s.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
		s.t.Fatalf("%s: %v\n%s\nserver log:\n%s", strings.Join(argv, " "), err, out, log)
	}
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// WaitFor polls cond until it holds or d passes.
func WaitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}
