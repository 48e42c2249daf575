package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// orphanGraceMs bounds how long programs get to stop when the engine is gone (it cannot wait).
const orphanGraceMs = 500

type server struct {
	out       *frameWriter
	mu        sync.Mutex
	programs  map[uint32]*program
	listeners map[string]net.Listener
	stopping  bool
	files     uploads
	heard     chan struct{}
}

// serveOptions come from the command line: the work dir the supervisor may write in (remote
// targets), and how long a silent channel counts as a lost engine (remote targets, where the far
// end of a broken network sees no end of file).
type serveOptions struct {
	workDir    string
	watchdogMs int
	// ownProcess: serve is the supervisor process (main), not a test driving it: it becomes the
	// subreaper, dies with the engine, and stops everything on the engine's signals.
	ownProcess bool
}

// serve speaks the protocol on in and out until the engine closes in or asks to shut down; it
// returns the supervisor's exit status.
func serve(in io.Reader, out io.Writer, opts serveOptions) int {
	s := &server{out: newFrameWriter(out), programs: map[uint32]*program{}, listeners: map[string]net.Listener{}, heard: make(chan struct{}, 1)}
	s.files = uploads{open: map[uint32]*upload{}, root: opts.workDir}
	if opts.watchdogMs > 0 {
		go s.watchdog(time.Duration(opts.watchdogMs) * time.Millisecond)
	}
	if opts.ownProcess {
		becomeSupervisor(opts.workDir == "")
	}
	_ = s.out.json(event{Event: eventHello, Protocol: ProtocolVersion, Version: Version, OS: runtime.GOOS, Arch: runtime.GOARCH, Pid: os.Getpid()})

	if opts.ownProcess {
		// The engine going away (its death signal, a terminal's hangup) stops everything.
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
		go func() {
			<-signals
			s.shutdown(orphanGraceMs)
			os.Exit(0)
		}()
	}

	r := bufio.NewReaderSize(in, 64<<10)
	for {
		kind, payload, err := readFrame(r)
		select {
		case s.heard <- struct{}{}:
		default:
		}
		if err != nil {
			// End of file: the engine is gone (or closed the channel on purpose).
			s.shutdown(orphanGraceMs)
			return 0
		}
		if done := s.handle(kind, payload); done {
			return 0
		}
	}
}

func (s *server) send(e event) {
	// A failed write means the engine is gone; reading its end of file shuts everything down.
	_ = s.out.json(e)
}

// handle acts on one frame; done is true once the engine asked to shut down and all is stopped.
func (s *server) handle(kind byte, payload []byte) (done bool) {
	switch kind {
	case frameFile:
		if len(payload) >= 4 {
			s.files.write(binary.BigEndian.Uint32(payload[:4]), payload[4:])
		}
	case frameInput:
		if len(payload) < 4 {
			return false
		}
		if p := s.program(binary.BigEndian.Uint32(payload[:4])); p != nil {
			p.input(append([]byte(nil), payload[4:]...))
		}
	case frameJSON:
		var req request
		if err := json.Unmarshal(payload, &req); err != nil {
			s.send(event{Event: eventError, Error: "cannot read message: " + err.Error()})
			return false
		}
		return s.request(req)
	default:
		s.send(event{Event: eventError, Error: "unknown frame kind"})
	}
	return false
}

func (s *server) request(req request) (done bool) {
	switch req.Op {
	case opSpawn:
		s.spawn(req)
	case opStop:
		if p := s.program(req.ID); p != nil {
			go p.stop(req.Signal, req.GraceMs)
		} else {
			s.send(event{Event: eventStopped, ID: req.ID})
		}
	case opCloseInput:
		if p := s.program(req.ID); p != nil {
			p.closeInput()
		}
	case opControl:
		if p := s.program(req.ID); p != nil {
			p.control(req.Line)
		}
	case opPause, opResume:
		if p := s.program(req.ID); p != nil {
			p.setPaused(req.Op == opPause)
		}
	case opListen:
		s.listen(req.Name, req.Address)
	case opUnlisten:
		s.mu.Lock()
		if l := s.listeners[req.Name]; l != nil {
			_ = l.Close()
			delete(s.listeners, req.Name)
		}
		s.mu.Unlock()
	case opShutdown:
		s.shutdown(req.GraceMs)
		if req.Remove && s.files.root != "" {
			// Everything but the supervisor itself, which is running (and removed by the engine's transport).
			entries, _ := os.ReadDir(s.files.root)
			self, _ := os.Executable()
			for _, e := range entries {
				if p := filepath.Join(s.files.root, e.Name()); p != self {
					_ = os.RemoveAll(p)
				}
			}
		}
		return true
	case opFile:
		mode := os.FileMode(req.Mode)
		if mode == 0 {
			mode = 0o700
		}
		if err := s.files.begin(req.ID, req.Path, mode); err != nil {
			s.send(event{Event: eventFileFailed, ID: req.ID, Error: err.Error()})
		}
	case opFileEnd:
		if err := s.files.end(req.ID); err != nil {
			s.send(event{Event: eventFileFailed, ID: req.ID, Error: err.Error()})
		} else {
			s.send(event{Event: eventFileWritten, ID: req.ID})
		}
	case opRemove:
		e := event{Event: eventRemoved, Name: req.Path}
		if err := s.files.remove(req.Path); err != nil {
			e.Error = err.Error()
		}
		s.send(e)
	case opPing:
	default:
		s.send(event{Event: eventError, Error: "unknown op " + req.Op})
	}
	return false
}

func (s *server) program(id uint32) *program {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.programs[id]
}

func (s *server) spawn(req request) {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		s.send(event{Event: eventSpawnFailed, ID: req.ID, Error: "the supervisor is shutting down"})
		return
	}
	var fds []uintptr
	for _, name := range req.Listeners {
		l := s.listeners[name]
		if l == nil {
			s.mu.Unlock()
			s.send(event{Event: eventSpawnFailed, ID: req.ID, Error: "no listening socket named " + name})
			return
		}
		fd, err := listenerFd(l)
		if err != nil {
			s.mu.Unlock()
			s.send(event{Event: eventSpawnFailed, ID: req.ID, Error: err.Error()})
			return
		}
		fds = append(fds, fd)
	}
	// Held while starting, so a listener cannot be closed under the fork; and until the program is
	// known, so that a start that fails at once (its reaper says so) cannot be forgotten before it
	// is known, leaving it to be stopped again at shutdown.
	p, err := startProgram(req, fds, s)
	if err == nil {
		s.programs[req.ID] = p
	}
	s.mu.Unlock()
	if err != nil {
		s.send(event{Event: eventSpawnFailed, ID: req.ID, Error: err.Error()})
	}
}

// gone forgets a program once its exit has been sent.
func (s *server) gone(id uint32) {
	s.mu.Lock()
	delete(s.programs, id)
	s.mu.Unlock()
}

func (s *server) listen(name, address string) {
	l, err := net.Listen(listenNetwork(address), address)
	if err != nil {
		s.send(event{Event: eventListenFailed, Name: name, Error: err.Error(), ErrCode: errnoName(err)})
		return
	}
	addr := l.Addr().(*net.TCPAddr)
	s.mu.Lock()
	if old := s.listeners[name]; old != nil {
		_ = old.Close()
	}
	s.listeners[name] = l
	s.mu.Unlock()
	s.send(event{Event: eventListening, Name: name, Host: addr.IP.String(), Port: addr.Port})
}

// listenNetwork is "tcp4" for an IPv4 literal host, so that 0.0.0.0 is IPv4's every interface as
// the engine's own servers take it ("tcp" would open a dual-stack socket there); "tcp" otherwise,
// where [::] is every interface of both.
func listenNetwork(address string) string {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err == nil && ip != nil && ip.To4() != nil {
		return "tcp4"
	}
	return "tcp"
}

// watchdog shuts everything down when nothing has come from the engine for `silence` (it pings).
func (s *server) watchdog(silence time.Duration) {
	for {
		select {
		case <-s.heard:
		case <-time.After(silence):
			s.shutdown(orphanGraceMs)
			os.Exit(0)
		}
	}
}

// shutdown stops every program (their own stop signal, at most graceMs each, in parallel) and
// closes the listening sockets. New spawns are refused from the first call on.
func (s *server) shutdown(graceMs int64) {
	s.mu.Lock()
	s.stopping = true
	programs := make([]*program, 0, len(s.programs))
	for _, p := range s.programs {
		programs = append(programs, p)
	}
	for name, l := range s.listeners {
		_ = l.Close()
		delete(s.listeners, name)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, p := range programs {
		wg.Add(1)
		go func(p *program) {
			defer wg.Done()
			grace := p.graceMs
			if graceMs >= 0 && grace > graceMs {
				grace = graceMs
			}
			p.stop(p.stopSignal, grace)
			p.waitExited(time.Duration(grace)*time.Millisecond + 2*time.Second)
		}(p)
	}
	wg.Wait()
}

// errnoName is the errno's name ("EADDRINUSE") when err carries one.
func errnoName(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EADDRINUSE:
			return "EADDRINUSE"
		case syscall.EACCES:
			return "EACCES"
		case syscall.EADDRNOTAVAIL:
			return "EADDRNOTAVAIL"
		}
	}
	return ""
}
