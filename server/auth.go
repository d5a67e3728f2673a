package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
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

// MinTokenLength is the shortest write token New accepts, in bytes: 16
// random bytes, or 32 hex digits (openssl rand -hex 32 makes 64), are
// beyond guessing over the network.
const MinTokenLength = 16

func newAuth(tokens []string) (*auth, error) {
	a := &auth{}
	for i, t := range tokens {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if len(t) < MinTokenLength {
			return nil, fmt.Errorf("write token %d is %d bytes long; at least %d are needed", i+1, len(t), MinTokenLength)
		}
		a.digests = append(a.digests, sha256.Sum256([]byte(t)))
	}
	return a, nil
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
