package hotreload

import (
	"fmt"
	"net"
)

// The events the program writes on HOTRELOAD_NOTIFY_FD (doc.go, Protocol)
// that need no fields: fixed lines, so the handoff links no JSON encoder.
// Package patch writes the patch events. The engine's side is
// src/engine/strategies/handoff/protocol.ts; both are held to the golden
// lines in test/fixtures/protocol/handoff (protocol_unix_test.go).
var (
	lineReady    = []byte(`{"event":"ready"}`)
	lineDraining = []byte(`{"event":"draining"}`)
)

// sendLine writes one event line to the engine with its newline, in a
// single write. Without an engine it does nothing.
func (p *program) sendLine(line []byte) error {
	if p.handoff.notify == nil {
		return nil
	}
	p.notifyMu.Lock()
	defer p.notifyMu.Unlock()
	if _, err := p.handoff.notify.Write(append(append(make([]byte, 0, len(line)+1), line...), '\n')); err != nil {
		return fmt.Errorf("hotreload: telling the engine %s: %w", line, err)
	}
	return nil
}

// sdNotify sends a state datagram ("READY=1") to systemd's NOTIFY_SOCKET,
// a path or an abstract name starting with "@". Without one it does nothing.
func (p *program) sdNotify(state string) error {
	sock := p.handoff.notifySocket
	if sock == "" {
		return nil
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("hotreload: NOTIFY_SOCKET: %w", err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(state)); err != nil {
		return fmt.Errorf("hotreload: NOTIFY_SOCKET: %w", err)
	}
	return nil
}

// Ready tells the engine ({"event":"ready"} on HOTRELOAD_NOTIFY_FD) and
// systemd (READY=1 on NOTIFY_SOCKET) that the program serves. Serve and
// ListenAndServe call it; other programs call it once they accept work.
// Without an engine or systemd it does nothing. Only the first call sends
// anything; later ones return the first one's result.
//
// Ready also calls Start, and returns its error.
func Ready() error { return std.ready() }

func (p *program) ready() error {
	if err := p.start(); err != nil {
		return err
	}
	p.readyOnce.Do(func() {
		err1 := p.sendLine(lineReady)
		err2 := p.sdNotify("READY=1")
		if err1 != nil {
			p.readyErr = err1
		} else {
			p.readyErr = err2
		}
	})
	return p.readyErr
}
