package hotreload

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// ListenAndServe is the one-line adoption for HTTP services:
//
//	if err := hotreload.ListenAndServe(srv, ":8080"); err != nil {
//		log.Fatal(err)
//	}
//
// It is Listen("tcp", addr) followed by Serve. addr defaults to srv.Addr,
// then ":http"; a nil srv means an http.Server with the DefaultServeMux.
func ListenAndServe(srv *http.Server, addr string) error {
	if srv == nil {
		srv = &http.Server{}
	}
	if addr == "" {
		addr = srv.Addr
	}
	if addr == "" {
		addr = ":http"
	}
	ln, err := Listen("tcp", addr)
	if err != nil {
		return err
	}
	return Serve(srv, ln)
}

// Serve serves srv on ln (from Listen, or wrapped, for example with
// tls.NewListener), calls Ready, and when Stopping's channel closes drains:
// it stops accepting, turns keep-alives off, and waits up to DrainTimeout for
// in-flight requests (http.Server.Shutdown), then closes what is left.
//
// It returns nil after a complete drain, so that main can simply return; an
// error if serving failed, if Start or Ready failed, or if the drain ran out
// of time. If something else shuts srv down, Serve returns nil.
func Serve(srv *http.Server, ln net.Listener) error {
	if srv == nil {
		srv = &http.Server{}
	}
	if err := Start(); err != nil {
		ln.Close()
		return err
	}
	stopping := Stopping()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if err := Ready(); err != nil {
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

	srv.SetKeepAlivesEnabled(false)
	timeout := DrainTimeout()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(ctx) // closes the listener first, then waits
	if err != nil {
		srv.Close()
	}
	<-served // http.ErrServerClosed, now that Shutdown has begun
	if err != nil {
		return fmt.Errorf("hotreload: requests still running after the drain timeout (%v) were cut off: %w", timeout, err)
	}
	return nil
}
