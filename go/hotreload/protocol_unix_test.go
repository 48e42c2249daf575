//go:build unix

package hotreload

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hotreload.dev/go/hotreload/internal/slots"
)

// engineEnd is the engine's side of a program's notify and control
// descriptors, with the program made in this process from an environment
// that names them (as the engine's does), and the transcript of the lines.
type engineEnd struct {
	t          *testing.T
	env        *testEnv
	p          *program
	notify     chan string
	control    *os.File
	transcript []string
}

func newEngineEnd(t *testing.T) *engineEnd {
	notifyR, notifyW := pipe(t)
	controlR, controlW := pipe(t)
	env := newTestEnv(envNotifyFD+"="+dup(t, notifyW), envControlFD+"="+dup(t, controlR))
	notifyW.Close() // the program holds its own copies now
	controlR.Close()
	e := &engineEnd{t: t, env: env, p: newProgram(env.environment()), notify: make(chan string, 16), control: controlW}
	if err := e.p.handoff.err(); err != nil {
		t.Fatal(err)
	}
	e.p.watchControl()
	go func() {
		sc := bufio.NewScanner(notifyR)
		for sc.Scan() {
			e.notify <- sc.Text()
		}
		close(e.notify)
	}()
	t.Cleanup(func() {
		controlW.Close()
		<-env.terminates // the program's reaction to the engine's end, counted, not done
	})
	return e
}

func pipe(t *testing.T) (r, w *os.File) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

func dup(t *testing.T, f *os.File) string {
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(fd)
}

// engineCommand is a patch command as the engine writes it (package patch reads it).
type engineCommand struct {
	Op   string          `json:"op"`
	Slot string          `json:"slot"`
	ID   json.RawMessage `json:"id"`
	Path string          `json:"path"`
}

// send writes a command as the engine does, one JSON line.
func (e *engineEnd) send(cmd engineCommand) {
	b, err := json.Marshal(cmd)
	if err != nil {
		e.t.Fatal(err)
	}
	e.transcript = append(e.transcript, string(b))
	if _, err := e.control.Write(append(b, '\n')); err != nil {
		e.t.Fatal(err)
	}
}

// expect reads the program's next event, which must start with prefix.
func (e *engineEnd) expect(prefix string) {
	e.t.Helper()
	select {
	case line, ok := <-e.notify:
		if !ok || !strings.HasPrefix(line, prefix) {
			e.t.Fatalf("notify line %q; want one starting with %s", line, prefix)
		}
		e.transcript = append(e.transcript, line)
	case <-time.After(30 * time.Second):
		e.t.Fatalf("no notify line starting with %s", prefix)
	}
}

func TestGoldenReadyAndDraining(t *testing.T) {
	e := newEngineEnd(t)
	if err := e.p.ready(); err != nil {
		t.Fatal(err)
	}
	e.expect(`{"event":"ready"}`)
	e.p.beginStop()
	e.expect(`{"event":"draining"}`)
	checkGolden(t, "ready.jsonl", e.transcript)
}

func TestGoldenPatch(t *testing.T) {
	slots.Register("rules", func(path string) error {
		if path == "/srv/app/rules-8.so" {
			return errors.New(`plugin.Open("/srv/app/rules-8"): plugin was built with a different version of package example.com/app/shared`)
		}
		return nil
	})
	t.Cleanup(func() { slots.Unregister("rules") })
	e := newEngineEnd(t)
	e.send(engineCommand{Op: "patch", Slot: "rules", ID: json.RawMessage("7"), Path: "/srv/app/rules-7.so"})
	e.expect(`{"event":"patched",`)
	e.send(engineCommand{Op: "patch", Slot: "rules", ID: json.RawMessage("8"), Path: "/srv/app/rules-8.so"})
	e.expect(`{"event":"patchFailed",`)
	e.send(engineCommand{Op: "patch", Slot: "rules", ID: json.RawMessage("9"), Path: "rules-9.so"})
	e.expect(`{"event":"patchFailed",`)
	checkGolden(t, "patch.jsonl", e.transcript)
}
