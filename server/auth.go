package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/leydigkg/leydigkg/schema"
)

// auth decides who may write. Tokens are kept as SHA-256 digests and a
// presented token is hashed and compared with every one in constant time,
// so neither its content nor its length shows in the time an answer takes.
type auth struct {
	digests [][sha256.Size]byte
}

func newAuth(tokens []string) *auth {
	a := &auth{}
	for _, t := range tokens {
		if t = strings.TrimSpace(t); t != "" {
			a.digests = append(a.digests, sha256.Sum256([]byte(t)))
		}
	}
	return a
}

// ReadOnly reports whether no token is configured.
func (a *auth) readOnly() bool { return len(a.digests) == 0 }

// Errors of refused writes.
var (
	errReadOnly     = &codedErr{schema.CodeForbidden, "this server is read-only: it was started without a write token (--token, --token-file or LEYDIGKG_TOKEN)"}
	errNoToken      = &codedErr{schema.CodeUnauthenticated, "a mutation needs an Authorization: Bearer <token> header"}
	errInvalidToken = &codedErr{schema.CodeUnauthenticated, "the bearer token is not valid"}
)

type codedErr struct{ code, msg string }

// check returns the HTTP status and error of a request that may not write,
// or 0 and nil.
func (a *auth) check(r *http.Request) (int, *codedErr) {
	if a.readOnly() {
		return http.StatusForbidden, errReadOnly
	}
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if h == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return http.StatusUnauthorized, errNoToken
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	match := 0
	for _, d := range a.digests {
		match |= subtle.ConstantTimeCompare(got[:], d[:])
	}
	if match != 1 {
		return http.StatusUnauthorized, errInvalidToken
	}
	return 0, nil
}
