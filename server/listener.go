package server

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// ReserveConns is how many connections a listener from LimitListener
// accepts beyond its cap, for the probes (/healthz, /readyz, /metrics)
// alone; ReserveTimeout is how long one of them may stay open.
const (
	ReserveConns   = 8
	ReserveTimeout = 5 * time.Second
)

// LimitListener returns a listener that serves at most n connections at
// once, so that a flood of idle connections cannot exhaust the process's
// file descriptors. Beyond n it accepts ReserveConns more, each closed
// after one answer and within ReserveTimeout, on which the handler of New
// answers the probes and nothing else (503 with Retry-After to anything
// else); beyond those, Accept waits for a connection to close, and new
// ones wait in the kernel's backlog. So /healthz answers while n idle
// connections hold the cap. Serve it with ConnContext as the
// http.Server's ConnContext, which tells New's handler which connections
// are reserve ones.
//
// golang.org/x/net/netutil.LimitListener bounds connections the same way
// but only by blocking Accept, which leaves a health check waiting in the
// backlog behind the idle connections: the reason this one exists.
func LimitListener(ln net.Listener, n int) net.Listener {
	return &limitListener{
		Listener: ln,
		all:      make(chan struct{}, n+ReserveConns),
		main:     make(chan struct{}, n),
		done:     make(chan struct{}),
	}
}

type limitListener struct {
	net.Listener
	all  chan struct{} // a token per open connection, reserve ones included
	main chan struct{} // a token per open connection within the cap
	done chan struct{}
	once sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.all <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.all
		return nil, err
	}
	lc := &limitConn{Conn: c, l: l}
	select {
	case l.main <- struct{}{}:
	default:
		lc.reserve = true
		lc.expires = time.Now().Add(ReserveTimeout)
		c.SetDeadline(lc.expires)
	}
	return lc, nil
}

func (l *limitListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitConn struct {
	net.Conn
	l       *limitListener
	reserve bool
	expires time.Time // of a reserve connection: no deadline set later goes past it
	once    sync.Once
}

// clamp keeps a reserve connection's deadlines within ReserveTimeout of its
// accepting: net/http sets (and clears) deadlines for every request.
func (c *limitConn) clamp(t time.Time) time.Time {
	if c.reserve && (t.IsZero() || t.After(c.expires)) {
		return c.expires
	}
	return t
}

func (c *limitConn) SetDeadline(t time.Time) error      { return c.Conn.SetDeadline(c.clamp(t)) }
func (c *limitConn) SetReadDeadline(t time.Time) error  { return c.Conn.SetReadDeadline(c.clamp(t)) }
func (c *limitConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.clamp(t)) }

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		if !c.reserve {
			<-c.l.main
		}
		<-c.l.all
	})
	return err
}

type reserveKey struct{}

// ConnContext marks the requests of a reserve connection of a
// LimitListener; use it as http.Server.ConnContext.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if lc, ok := c.(*limitConn); ok && lc.reserve {
		return context.WithValue(ctx, reserveKey{}, true)
	}
	return ctx
}

// reserved lets only the probes through on a reserve connection, and closes
// it after the answer.
func reserved(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(reserveKey{}) == nil {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Connection", "close")
		if routeOf(r.URL.Path) == "probe" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("the server is at its connection limit (--max-conns); retry later\n"))
	})
}
