package hotreload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
)

// The events the program writes on HOTRELOAD_NOTIFY_FD (doc.go, Protocol).
const (
	eventReady       = "ready"
	eventDraining    = "draining"
	eventPatched     = "patched"
	eventPatchFailed = "patchFailed"
)

// event is one line the program writes on HOTRELOAD_NOTIFY_FD. The engine's
// side is src/engine/strategies/handoff/protocol.ts; both are held to the golden
// lines in test/fixtures/protocol/handoff (protocol_test.go).
type event struct {
	Event string          `json:"event"`
	Slot  string          `json:"slot,omitempty"`
	ID    json.RawMessage `json:"id,omitempty"` // echoed from the command as sent
	Error string          `json:"error,omitempty"`
}

// sendEvent writes one newline-terminated JSON event to the engine, in a
// single write. Without an engine it does nothing.
func (p *program) sendEvent(ev event) error {
	if p.handoff.notify == nil {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev); err != nil { // Encode appends the newline
		return err
	}
	p.notifyMu.Lock()
	defer p.notifyMu.Unlock()
	if _, err := p.handoff.notify.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("hotreload: telling the engine %q: %w", ev.Event, err)
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
		err1 := p.sendEvent(event{Event: eventReady})
		err2 := p.sdNotify("READY=1")
		if err1 != nil {
			p.readyErr = err1
		} else {
			p.readyErr = err2
		}
	})
	return p.readyErr
}
