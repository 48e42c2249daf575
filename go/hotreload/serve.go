package hotreload

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ListenAndServe is the one-line adoption for HTTP services:
//
//	if err := hotreload.ListenAndServe(srv, ":8080"); err != nil {
//		log.Fatal(err)
//	}
//
// It is Listen("tcp", addr) followed by Serve. addr defaults to srv.Addr,
// then ":http"; a nil srv means an http.Server with the DefaultServeMux.
func ListenAndServe(srv *http.Server, addr string) error { return std.listenAndServe(srv, addr) }

func (p *program) listenAndServe(srv *http.Server, addr string) error {
	if srv == nil {
		srv = &http.Server{}
	}
	if addr == "" {
		addr = srv.Addr
	}
	if addr == "" {
		addr = ":http"
	}
	ln, err := p.listen("tcp", addr)
	if err != nil {
		return err
	}
	return p.serve(srv, ln)
}

// preShutdownWait bounds the wait, after accepting stopped, for accepted
// connections to send their first request and for busy keep-alive
// connections to close after one more response.
const preShutdownWait = time.Second

// Serve serves srv on ln (from Listen, or wrapped, for example with
// tls.NewListener), calls Ready, and when Stopping's channel closes drains
// without losing a request:
//
//  1. it stops accepting, so connections still queued on a shared socket go
//     to the next version;
//  2. it waits (at most a second) until every accepted connection's first
//     request has been read, and answers keep-alive requests with
//     "Connection: close", because http.Server.Shutdown closes a connection
//     whose request it reads after it began;
//  3. it shuts down, waiting up to DrainTimeout for in-flight requests, then
//     closes what is left.
//
// It returns nil after a complete drain, so that main can simply return; an
// error if serving failed, if Start or Ready failed, or if the drain ran out
// of time. If something else shuts srv down, Serve returns nil. Serve wraps
// srv.Handler and srv.ConnState (calling the originals).
func Serve(srv *http.Server, ln net.Listener) error { return std.serve(srv, ln) }

func (p *program) serve(srv *http.Server, ln net.Listener) error {
	if srv == nil {
		srv = &http.Server{}
	}
	if err := p.start(); err != nil {
		ln.Close()
		return err
	}
	stopping := p.stopping()
	tr := &connTracker{conns: map[net.Conn]http.ConnState{}}
	userHook := srv.ConnState
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		tr.set(c, st)
		if userHook != nil {
			userHook(c, st)
		}
	}
	handler := srv.Handler
	if handler == nil {
		handler = http.DefaultServeMux
	}
	var draining atomic.Bool
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if draining.Load() {
			w.Header().Set("Connection", "close")
		}
		handler.ServeHTTP(w, r)
	})
	gate := &gateListener{Listener: ln, tr: tr, stopped: make(chan struct{}), closed: make(chan struct{})}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(gate) }()
	if err := p.ready(); err != nil {
		srv.Close()
		<-served
		return err
	}
	select {
	case err := <-served:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-stopping:
	}

	timeout := p.drainTimeout()
	deadline := time.Now().Add(timeout)
	// 1. Stop accepting: what is still queued goes to the next version.
	draining.Store(true)
	gate.stopAccepting()
	// 2. Serve the first request of every accepted connection (Shutdown would
	//    close a connection whose request it reads after it began), and let
	//    busy keep-alive connections close after one more response.
	wait := time.Now().Add(preShutdownWait)
	if deadline.Before(wait) {
		wait = deadline
	}
	tr.waitQuiet(wait)
	// 3. Drain what is in flight.
	srv.SetKeepAlivesEnabled(false)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err != nil {
		srv.Close()
	}
	<-served
	if err != nil {
		return fmt.Errorf("hotreload: requests still running after the drain timeout (%v) were cut off: %w", timeout, err)
	}
	return nil
}

type connTracker struct {
	mu    sync.Mutex
	conns map[net.Conn]http.ConnState
}

func (t *connTracker) set(c net.Conn, st http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if st == http.StateClosed || st == http.StateHijacked {
		delete(t.conns, c)
	} else {
		t.conns[c] = st
	}
}

// waitQuiet waits until no connection is new (accepted, first request not
// read) or idle between requests, or until the deadline.
func (t *connTracker) waitQuiet(deadline time.Time) {
	for time.Now().Before(deadline) {
		t.mu.Lock()
		busy := false
		for _, st := range t.conns {
			if st == http.StateNew || st == http.StateIdle {
				busy = true
				break
			}
		}
		t.mu.Unlock()
		if !busy {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// gateListener stops accepting without making Serve return: after
// stopAccepting, Accept waits until the server closes the listener.
type gateListener struct {
	net.Listener
	tr        *connTracker
	stopped   chan struct{}
	closed    chan struct{}
	stopOnce  sync.Once
	closeOnce sync.Once
}

func (l *gateListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		select {
		case <-l.stopped:
			<-l.closed
			return nil, net.ErrClosed
		default:
			return nil, err
		}
	}
	l.tr.set(c, http.StateNew) // before Serve tracks it: waitQuiet must see it
	return c, nil
}

func (l *gateListener) stopAccepting() {
	l.stopOnce.Do(func() {
		close(l.stopped)
		l.Listener.Close()
	})
}

func (l *gateListener) Close() error {
	l.stopAccepting()
	l.closeOnce.Do(func() { close(l.closed) })
	return nil
}
