//go:build !windows

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// platformControl is the supervisor's end of its conversation with the program's reaper.
type platformControl struct {
	mu       sync.Mutex
	commands *os.File
	reaper   int
	reaped   chan struct{}
}

// startProgram starts `supervisor reap` for the program: the reaper becomes the parent of the
// program and of everything it starts (a child subreaper on Linux), reports the program's pid and
// exit on a status pipe, and stops the whole tree when told (or when the supervisor dies).
//
// Descriptors are passed raw (syscall.ForkExec), never through os.File.Fd(), which would put the
// shared listening socket in blocking mode for every process holding it.
func startProgram(req request, listeners []uintptr, s *server) (*program, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find the supervisor's own executable: %w", err)
	}
	p := &program{id: req.ID, srv: s, stopSignal: req.StopSignal, graceMs: req.GraceMs, gate: newGate(), exited: make(chan struct{}), inputs: make(chan []byte, 1024)}
	if p.stopSignal == "" {
		p.stopSignal = "SIGTERM"
	}
	var parentEnds, childEnds []*os.File
	closeAll := func(files []*os.File) {
		for _, f := range files {
			_ = f.Close()
		}
	}
	pipe := func() (r, w *os.File, err error) {
		r, w, err = os.Pipe()
		return r, w, err
	}
	fail := func(err error) (*program, error) {
		closeAll(parentEnds)
		closeAll(childEnds)
		return nil, err
	}
	stdinR, stdinW, err := pipe()
	if err != nil {
		return fail(err)
	}
	parentEnds, childEnds = append(parentEnds, stdinW), append(childEnds, stdinR)
	stdoutR, stdoutW, err := pipe()
	if err != nil {
		return fail(err)
	}
	parentEnds, childEnds = append(parentEnds, stdoutR), append(childEnds, stdoutW)
	stderrR, stderrW, err := pipe()
	if err != nil {
		return fail(err)
	}
	parentEnds, childEnds = append(parentEnds, stderrR), append(childEnds, stderrW)
	files := []uintptr{stdinR.Fd(), stdoutW.Fd(), stderrW.Fd()}
	files = append(files, listeners...)
	var notifyR *os.File
	if req.Channels {
		nr, nw, err := pipe()
		if err != nil {
			return fail(err)
		}
		parentEnds, childEnds = append(parentEnds, nr), append(childEnds, nw)
		cr, cw, err := pipe()
		if err != nil {
			return fail(err)
		}
		parentEnds, childEnds = append(parentEnds, cw), append(childEnds, cr)
		notifyR, p.controlW = nr, cw
		files = append(files, nw.Fd(), cr.Fd())
	}
	passed := len(files) - 3
	cmdR, cmdW, err := pipe()
	if err != nil {
		return fail(err)
	}
	parentEnds, childEnds = append(parentEnds, cmdW), append(childEnds, cmdR)
	statusR, statusW, err := pipe()
	if err != nil {
		return fail(err)
	}
	parentEnds, childEnds = append(parentEnds, statusR), append(childEnds, statusW)
	files = append(files, cmdR.Fd(), statusW.Fd())

	args := []string{self, "reap", "--pass", strconv.Itoa(passed), "--commands", strconv.Itoa(3 + passed), "--status", strconv.Itoa(4 + passed)}
	if req.ListenPid {
		args = append(args, "--listen-pid")
	}
	args = append(args, "--", req.Path)
	args = append(args, req.Args...)
	pid, err := syscall.ForkExec(self, args, &syscall.ProcAttr{Dir: req.Dir, Env: programEnv(req), Files: files})
	closeAll(childEnds)
	if err != nil {
		closeAll(parentEnds)
		if _, statErr := os.Stat(req.Dir); req.Dir != "" && statErr != nil {
			return nil, fmt.Errorf("cannot start %s: its working directory %s does not exist", req.Path, req.Dir)
		}
		return nil, fmt.Errorf("cannot start the supervisor's reaper for %s: %w", req.Path, err)
	}
	p.stdin = stdinW
	p.ctl = platformControl{commands: cmdW, reaper: pid, reaped: make(chan struct{})}
	go func() {
		var ws syscall.WaitStatus
		for {
			if _, err := syscall.Wait4(pid, &ws, 0, nil); err != syscall.EINTR {
				break
			}
		}
		close(p.ctl.reaped)
	}()
	p.pumps.Add(2)
	go p.pump(stdoutR, streamStdout)
	go p.pump(stderrR, streamStderr)
	go p.writeInputs()
	if notifyR != nil {
		go p.readNotify(notifyR)
	}
	go p.readStatus(statusR)
	return p, nil
}

// readStatus follows the reaper's status lines: started, stopped, exited.
func (p *program) readStatus(r *os.File) {
	defer r.Close()
	scanner := bufio.NewScanner(r)
	exitSent := false
	for scanner.Scan() {
		var e event
		if json.Unmarshal(scanner.Bytes(), &e) != nil {
			continue
		}
		e.ID = p.id
		switch e.Event {
		case statusStarted:
			p.srv.send(event{Event: eventSpawned, ID: p.id, Pid: e.Pid})
		case statusStartFailed:
			exitSent = true
			p.exitOnce.Do(func() {
				p.srv.gone(p.id) // before the engine hears of it, as in finish
				p.srv.send(event{Event: eventSpawnFailed, ID: p.id, Error: e.Error})
				close(p.exited)
			})
		case eventStopped:
			p.srv.send(e)
		case eventExited:
			exitSent = true
			// The reaper exits right after saying so; "exited" reaches the engine once it has,
			// so that nothing of the program's (the reaper carries its environment) is alive then.
			select {
			case <-p.ctl.reaped:
			case <-time.After(time.Second):
			}
			p.finish(e.Code, e.Signal, "")
		}
	}
	// The reaper is gone (its own exit status says nothing about the program).
	<-p.ctl.reaped
	if !exitSent {
		p.finish(nil, "", "the program's reaper ended unexpectedly")
	}
}

// stop asks the reaper to stop the program's whole tree.
func (p *program) stop(signal string, graceMs int64) {
	if signal == "" {
		signal = p.stopSignal
	}
	b, _ := json.Marshal(request{Op: opStop, Signal: signal, GraceMs: graceMs})
	p.ctl.mu.Lock()
	_, err := p.ctl.commands.Write(append(b, '\n'))
	p.ctl.mu.Unlock()
	if err != nil {
		// The reaper is already gone, so is the program.
		p.srv.send(event{Event: eventStopped, ID: p.id})
		return
	}
	// Should the reaper not answer, its exit still reaches readStatus; make sure it dies.
	go func() {
		select {
		case <-p.exited:
		case <-time.After(time.Duration(graceMs)*time.Millisecond + 5*time.Second):
			_ = syscall.Kill(p.ctl.reaper, syscall.SIGKILL)
		}
	}()
}
