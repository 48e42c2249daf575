//go:build !windows

package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// session drives serve in this process, as the engine does over the supervisor's stdin and stdout,
// and keeps the transcript of the JSON messages both ways for the golden files. Data frames
// (programs' input and output, files' bytes) go over the same channel but are not transcribed.
type session struct {
	t       *testing.T
	in      *io.PipeWriter
	frames  chan testFrame
	served  chan int
	workDir string

	output     map[uint32]string // what each program wrote (stdout and stderr)
	pending    []event           // events read while waiting for output
	transcript [][]byte
	ports      []int
	programs   map[uint32]bool // ids the supervisor spawned
}

type testFrame struct {
	kind    byte
	payload []byte
}

// waitFor bounds every wait: long, for a loaded machine; the tests never measure time.
const waitFor = 30 * time.Second

func newSession(t *testing.T) *session {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &session{t: t, in: inW, frames: make(chan testFrame, 1024), served: make(chan int, 1), workDir: t.TempDir(),
		output: map[uint32]string{}, programs: map[uint32]bool{}}
	go func() {
		s.served <- serve(inR, outW, serveOptions{workDir: s.workDir})
		_ = outW.Close()
	}()
	go func() {
		r := bufio.NewReader(outR)
		for {
			kind, payload, err := readFrame(r)
			if err != nil {
				close(s.frames)
				return
			}
			s.frames <- testFrame{kind, payload}
		}
	}()
	t.Cleanup(func() {
		_ = inW.Close() // end of file: serve stops what is left and returns
		select {
		case <-s.served:
		case <-time.After(waitFor):
			t.Error("serve did not return after the end of its input")
		}
	})
	s.expect(eventHello)
	return s
}

// send writes a request and transcribes it.
func (s *session) send(req request) {
	s.t.Helper()
	b, err := json.Marshal(req)
	if err != nil {
		s.t.Fatal(err)
	}
	s.transcript = append(s.transcript, s.normalize(b))
	s.frame(frameJSON, b)
}

// frame writes one frame as it is (data frames, and what no engine sends).
func (s *session) frame(kind byte, payload []byte) {
	s.t.Helper()
	head := make([]byte, 5)
	binary.BigEndian.PutUint32(head, uint32(len(payload)+1))
	head[4] = kind
	if _, err := s.in.Write(append(head, payload...)); err != nil {
		s.t.Fatal(err)
	}
}

// data writes a data frame (input or file) for id.
func (s *session) data(kind byte, id uint32, data string) {
	var idBytes [4]byte
	binary.BigEndian.PutUint32(idBytes[:], id)
	s.frame(kind, append(idBytes[:], data...))
}

// read takes the next frame: output is added to its program's, an event is returned (ok).
func (s *session) read() (e event, raw []byte, ok bool) {
	s.t.Helper()
	select {
	case f, open := <-s.frames:
		if !open {
			s.t.Fatal("the supervisor closed its output")
		}
		switch f.kind {
		case frameOutput:
			id := binary.BigEndian.Uint32(f.payload[:4])
			s.output[id] += string(f.payload[5:])
			return e, nil, false
		case frameJSON:
			if err := json.Unmarshal(f.payload, &e); err != nil {
				s.t.Fatal(err)
			}
			return e, f.payload, true
		}
		s.t.Fatalf("a frame of kind %d from the supervisor", f.kind)
	case <-time.After(waitFor):
		s.t.Fatalf("nothing from the supervisor within %v", waitFor)
	}
	return e, nil, false
}

// expect reads the next event, which must be name, and transcribes it.
func (s *session) expect(name string) event {
	s.t.Helper()
	var e event
	var raw []byte
	if len(s.pending) > 0 {
		e, s.pending = s.pending[0], s.pending[1:]
		raw, _ = json.Marshal(e)
	} else {
		for ok := false; !ok; {
			e, raw, ok = s.read()
		}
	}
	if e.Event != name {
		s.t.Fatalf("got %s; want a %q event", raw, name)
	}
	switch e.Event {
	case eventSpawned:
		s.programs[e.ID] = true
	case eventListening:
		s.ports = append(s.ports, e.Port)
	}
	s.transcript = append(s.transcript, s.normalize(s.stable(e)))
	return e
}

// waitOutput waits until program id has written text.
func (s *session) waitOutput(id uint32, text string) {
	s.t.Helper()
	for !strings.Contains(s.output[id], text) {
		if e, _, ok := s.read(); ok {
			s.pending = append(s.pending, e)
		}
	}
}

// end asks the supervisor to shut down; after the events that shutdown brings (expected by the
// caller), serve must return 0 with nothing more said.
func (s *session) end(graceMs int64, remove bool, then ...string) {
	s.t.Helper()
	s.send(request{Op: opShutdown, GraceMs: graceMs, Remove: remove})
	for _, name := range then {
		s.expect(name)
	}
	select {
	case code := <-s.served:
		s.served <- code
		if code != 0 {
			s.t.Fatalf("serve returned %d", code)
		}
	case <-time.After(waitFor):
		s.t.Fatal("serve did not return after shutdown")
	}
	for f := range s.frames {
		if f.kind == frameJSON {
			s.t.Fatalf("unexpected after shutdown: %s", f.payload)
		}
	}
}

// stable replaces what changes from run to run (pids, the platform, durations) with fixed values
// of the same type, so the line still says what the field is.
func (s *session) stable(e event) []byte {
	if e.Pid != 0 {
		e.Pid = 4242
	}
	if e.Event == eventHello {
		e.OS, e.Arch = "linux", "amd64"
	}
	if e.Event == eventStopped && s.programs[e.ID] {
		e.ElapsedMs = 1
	}
	b, err := json.Marshal(e)
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

var number = regexp.MustCompile(`\d+`)

// normalize writes the work dir as /work and the ports the supervisor listened on as 8080.
func (s *session) normalize(line []byte) []byte {
	text := strings.ReplaceAll(string(line), s.workDir, "/work")
	text = number.ReplaceAllStringFunc(text, func(n string) string {
		for _, port := range s.ports {
			if n == strconv.Itoa(port) {
				return "8080"
			}
		}
		return n
	})
	return []byte(text)
}
