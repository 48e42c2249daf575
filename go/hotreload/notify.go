package hotreload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"sync"
)

// event is one line the program writes on HOTRELOAD_NOTIFY_FD.
type event struct {
	Event string          `json:"event"`
	Slot  string          `json:"slot,omitempty"`
	ID    json.RawMessage `json:"id,omitempty"` // echoed from the command as sent
	Error string          `json:"error,omitempty"`
}

var notifyMu sync.Mutex

// sendEvent writes one newline-terminated JSON event to the engine, in a
// single write. Without an engine it does nothing.
func sendEvent(ev event) error {
	if handoff.notify == nil {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ev); err != nil { // Encode appends the newline
		return err
	}
	notifyMu.Lock()
	defer notifyMu.Unlock()
	if _, err := handoff.notify.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("hotreload: telling the engine %q: %w", ev.Event, err)
	}
	return nil
}

// sdNotify sends a state datagram ("READY=1") to systemd's NOTIFY_SOCKET,
// a path or an abstract name starting with "@". Without one it does nothing.
func sdNotify(state string) error {
	sock := handoff.notifySocket
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

var (
	readyOnce sync.Once
	readyErr  error
)

// Ready tells the engine ({"event":"ready"} on HOTRELOAD_NOTIFY_FD) and
// systemd (READY=1 on NOTIFY_SOCKET) that the program serves. Serve and
// ListenAndServe call it; other programs call it once they accept work.
// Without an engine or systemd it does nothing. Only the first call sends
// anything; later ones return the first one's result.
//
// Ready also calls Start, and returns its error.
func Ready() error {
	if err := Start(); err != nil {
		return err
	}
	readyOnce.Do(func() {
		err1 := sendEvent(event{Event: "ready"})
		err2 := sdNotify("READY=1")
		if err1 != nil {
			readyErr = err1
		} else {
			readyErr = err2
		}
	})
	return readyErr
}
