//go:build !windows

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every request the engine sends, driven through serve with real programs (/bin/sh under this
// test binary as their reaper), and every event the supervisor sends back, written as golden
// transcripts (golden_test.go). Each case is one conversation, from hello to shutdown.

// TestServeGolden holds each conversation to its golden transcript.
func TestServeGolden(t *testing.T) {
	for _, c := range []struct {
		golden string
		run    func(t *testing.T, s *session)
	}{
		{"hello.jsonl", helloCase},
		{"spawn.jsonl", spawnAndChannelsCase},
		{"input.jsonl", inputAndInheritedEnvCase},
		{"stop.jsonl", stopCase},
		{"listen.jsonl", listenCase},
		{"files.jsonl", filesCase},
		{"spawnFailed.jsonl", spawnFailedCase},
		{"errors.jsonl", errorsCase},
	} {
		t.Run(c.golden, func(t *testing.T) {
			s := newSession(t)
			c.run(t, s)
			checkGolden(t, c.golden, s.transcript)
		})
	}
}

// sh is a spawn request for a shell script, with what every spawn of the engine has.
func (s *session) sh(id uint32, script string) request {
	return request{Op: opSpawn, ID: id, Path: "/bin/sh", Args: []string{"-c", script}, Env: []string{"PATH=/usr/bin:/bin"}, Dir: s.workDir, StopSignal: "SIGTERM", GraceMs: 1000}
}

func helloCase(t *testing.T, s *session) {
	s.send(request{Op: opPing})
	s.end(1000, false)
}

func spawnAndChannelsCase(t *testing.T, s *session) {
	// The program answers its control line on its notify channel, then echoes a line of input.
	spawn := s.sh(1, `read line <&4; printf '%s\n' "$line" >&3; read input; echo "got $input"; exit 3`)
	spawn.Channels = true
	s.send(spawn)
	s.expect(eventSpawned)
	command := `{"op":"patch","slot":"app","id":2,"path":"/work/app-2.js"}`
	s.send(request{Op: opControl, ID: 1, Line: command})
	if got := s.expect(eventNotify).Line; got != command {
		t.Fatalf("notify line %q; want the control line back", got)
	}
	s.send(request{Op: opPause, ID: 1})
	s.send(request{Op: opResume, ID: 1})
	s.data(frameInput, 1, "hi\n")
	if code := s.expect(eventExited).Code; code == nil || *code != 3 {
		t.Fatalf("exit code %v; want 3", code)
	}
	if s.output[1] != "got hi\n" {
		t.Fatalf("output %q", s.output[1])
	}
	s.end(1000, false)
}

func inputAndInheritedEnvCase(t *testing.T, s *session) {
	spawn := s.sh(1, `echo "golden=$HRT_GOLDEN path=${PATH:+set}"; exec cat`)
	spawn.Env, spawn.InheritEnv = []string{"HRT_GOLDEN=1"}, true
	s.send(spawn)
	s.expect(eventSpawned)
	s.waitOutput(1, "golden=1 path=set\n") // PATH comes from the supervisor's own environment
	s.data(frameInput, 1, "abc\n")
	s.send(request{Op: opCloseInput, ID: 1})
	if code := s.expect(eventExited).Code; code == nil || *code != 0 {
		t.Fatalf("exit code %v; want 0 (cat at end of input)", code)
	}
	if !strings.HasSuffix(s.output[1], "abc\n") {
		t.Fatalf("output %q", s.output[1])
	}
	s.end(1000, false)
}

func stopCase(t *testing.T, s *session) {
	s.send(s.sh(1, `trap 'exit 0' TERM; echo ready; while :; do sleep 1 & wait $!; done`))
	s.expect(eventSpawned)
	s.waitOutput(1, "ready")
	s.send(request{Op: opStop, ID: 1, Signal: "SIGTERM", GraceMs: 5000})
	if e := s.expect(eventStopped); e.Killed {
		t.Fatal("a program that stops on SIGTERM was killed")
	}
	if code := s.expect(eventExited).Code; code == nil || *code != 0 {
		t.Fatalf("exit code %v; want 0 from its trap", code)
	}

	s.send(s.sh(2, `trap '' TERM; echo ready; while :; do sleep 1; done`))
	s.expect(eventSpawned)
	s.waitOutput(2, "ready")
	s.send(request{Op: opStop, ID: 2, Signal: "SIGTERM", GraceMs: 300})
	if e := s.expect(eventStopped); !e.Killed {
		t.Fatal("a program that ignores SIGTERM was not killed")
	}
	if sig := s.expect(eventExited).Signal; sig != "SIGKILL" {
		t.Fatalf("exit signal %q; want SIGKILL", sig)
	}

	s.send(request{Op: opStop, ID: 9, Signal: "SIGTERM", GraceMs: 1000}) // no such program
	s.expect(eventStopped)

	// Shutdown stops what runs, with the program's own stop signal.
	s.send(s.sh(3, `echo ready; exec sleep 60`))
	s.expect(eventSpawned)
	s.waitOutput(3, "ready")
	s.end(1000, false, eventStopped, eventExited)
}

func listenCase(t *testing.T, s *session) {
	s.send(request{Op: opListen, Name: "web", Address: "127.0.0.1:0"})
	port := s.expect(eventListening).Port
	s.send(request{Op: opListen, Name: "taken", Address: "127.0.0.1:" + strconv.Itoa(port)})
	if e := s.expect(eventListenFailed); e.ErrCode != "EADDRINUSE" {
		t.Fatalf("errorCode %q; want EADDRINUSE", e.ErrCode)
	}
	spawn := s.sh(1, `[ "$LISTEN_PID" = "$$" ] && [ -S /dev/fd/3 ] && echo inherited`)
	spawn.Listeners, spawn.ListenPid = []string{"web"}, true
	s.send(spawn)
	s.expect(eventSpawned)
	if code := s.expect(eventExited).Code; code == nil || *code != 0 || s.output[1] != "inherited\n" {
		t.Fatalf("exit code %v, output %q: the program did not get the socket as fd 3 with its own LISTEN_PID", code, s.output[1])
	}
	missing := s.sh(2, "exit 0")
	missing.Listeners = []string{"missing"}
	s.send(missing)
	s.expect(eventSpawnFailed)
	// Once unlistened, the port is free again.
	s.send(request{Op: opUnlisten, Name: "web"})
	s.send(request{Op: opListen, Name: "web", Address: "127.0.0.1:" + strconv.Itoa(port)})
	s.expect(eventListening)
	s.end(1000, false)
}

func filesCase(t *testing.T, s *session) {
	app := filepath.Join(s.workDir, "builds", "v1", "app")
	s.send(request{Op: opFile, ID: 1, Path: app, Mode: 0o700})
	s.data(frameFile, 1, "#!")
	s.data(frameFile, 1, "binary")
	s.send(request{Op: opFileEnd, ID: 1})
	s.expect(eventFileWritten)
	if b, err := os.ReadFile(app); err != nil || string(b) != "#!binary" {
		t.Fatalf("uploaded %q, %v", b, err)
	}
	s.send(request{Op: opFile, ID: 2, Path: "/etc/hotreload-golden", Mode: 0o600})
	s.expect(eventFileFailed)
	s.send(request{Op: opFileEnd, ID: 3})
	s.expect(eventFileFailed)
	s.send(request{Op: opRemove, Path: filepath.Join(s.workDir, "builds")})
	s.expect(eventRemoved)
	s.send(request{Op: opRemove, Path: "/etc"})
	if e := s.expect(eventRemoved); e.Error == "" {
		t.Fatal("removing outside the work dir was accepted")
	}
	if err := os.WriteFile(filepath.Join(s.workDir, "left"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s.end(1000, true)
	if entries, _ := os.ReadDir(s.workDir); len(entries) != 0 {
		t.Fatalf("shutdown with remove left %d entries in the work dir", len(entries))
	}
}

func spawnFailedCase(t *testing.T, s *session) {
	notFound := s.sh(1, "")
	notFound.Path, notFound.Args = "/nonexistent/program", []string{"--flag"}
	s.send(notFound)
	s.expect(eventSpawnFailed)
	noDir := s.sh(2, "exit 0")
	noDir.Dir = filepath.Join(s.workDir, "missing")
	s.send(noDir)
	s.expect(eventSpawnFailed)
	s.end(1000, false)
}

// What no engine sends is answered with an error event (the requests are not transcribed: they
// are not the engine's).
func errorsCase(t *testing.T, s *session) {
	s.frame(frameJSON, []byte(`{"op":"explode"}`))
	s.expect(eventError)
	s.frame(frameJSON, []byte(`{`))
	s.expect(eventError)
	s.frame(9, []byte("?"))
	s.expect(eventError)
	s.end(1000, false)
}
