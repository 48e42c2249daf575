package hotreload

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseDrainTimeout(t *testing.T) {
	for in, want := range map[string]time.Duration{"1500": 1500 * time.Millisecond, "0": 0, "2s": 2 * time.Second, "250ms": 250 * time.Millisecond} {
		if got, err := parseDrainTimeout(in); err != nil || got != want {
			t.Errorf("parseDrainTimeout(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"soon", "-5", "-1s"} {
		if _, err := parseDrainTimeout(in); err == nil {
			t.Errorf("parseDrainTimeout(%q) accepted", in)
		}
	}
}

func TestDrainTimeoutDefaultAndSet(t *testing.T) {
	p := newProgram(newTestEnv().environment())
	if d := p.drainTimeout(); d != DefaultDrainTimeout {
		t.Fatalf("DrainTimeout() = %v; want the default", d)
	}
	p.setDrainTimeout(3 * time.Second)
	if d := p.drainTimeout(); d != 3*time.Second {
		t.Fatalf("after SetDrainTimeout(3s): %v", d)
	}
	p.setDrainTimeout(0)
	if d := p.drainTimeout(); d != 0 {
		t.Fatalf("after SetDrainTimeout(0): %v", d)
	}
}

// HOTRELOAD_DRAIN_TIMEOUT, set by the engine, wins over SetDrainTimeout; once
// the engine is gone the drain is at most a second.
func TestDrainTimeoutFromEnvironment(t *testing.T) {
	env := newTestEnv(envDrainTimeout + "=1500")
	p := newProgram(env.environment())
	p.setDrainTimeout(3 * time.Second)
	if d := p.drainTimeout(); d != 1500*time.Millisecond {
		t.Fatalf("DrainTimeout() = %v; want HOTRELOAD_DRAIN_TIMEOUT's 1.5s", d)
	}
	if !env.has(envDrainTimeout) {
		t.Error("HOTRELOAD_DRAIN_TIMEOUT was removed; it is left for the program's children")
	}
	p.engineGone(errors.New("test"))
	if d := p.drainTimeout(); d != orphanDrainTimeout {
		t.Fatalf("DrainTimeout() once the engine is gone = %v; want %v", d, orphanDrainTimeout)
	}
	if env.terminations() != 1 {
		t.Fatal("a program that does not watch Stopping was not terminated when the engine went")
	}
}

// Run alone, without an engine or systemd, the package stays out of the way.
func TestAloneListenAndReady(t *testing.T) {
	for _, v := range []string{envNotifySocket, envListenFDs, envNotifyFD, envControlFD, envPlugins} {
		if _, set := os.LookupEnv(v); set {
			t.Skipf("%s is set in the test's environment", v)
		}
	}
	ln, err := Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, ok := ln.(*net.TCPListener); !ok {
		t.Fatalf("Listen returned a %T", ln)
	}
	if err := Ready(); err != nil {
		t.Fatalf("Ready() without an engine = %v", err)
	}
	if err := Start(); err != nil {
		t.Fatalf("Start() without an engine = %v", err)
	}
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func TestEventLines(t *testing.T) {
	// The engine reads these exact lines; package patch writes the patch events.
	for _, c := range []struct {
		send func(p *program) error
		want string
	}{
		{func(p *program) error { return p.sendLine(lineReady) }, `{"event":"ready"}`},
		{func(p *program) error { return p.sendLine(lineDraining) }, `{"event":"draining"}`},
	} {
		var buf strings.Builder
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		p := newProgram(newTestEnv().environment())
		p.handoff.notify = w
		err = c.send(p)
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(&buf, r); err != nil {
			t.Fatal(err)
		}
		r.Close()
		if buf.String() != c.want+"\n" {
			t.Errorf("event line = %q; want %q", buf.String(), c.want+"\n")
		}
	}
}
