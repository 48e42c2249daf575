//go:build !windows

package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"
)

type reapStatus struct {
	mu sync.Mutex
	w  *os.File
}

func (s *reapStatus) send(e event) {
	b, _ := json.Marshal(e)
	s.mu.Lock()
	_, _ = s.w.Write(append(b, '\n'))
	s.mu.Unlock()
}

type mainExit struct {
	code   *int
	signal string
}

// reapMain runs one program and owns its whole tree: it starts the program (through `exec` when
// the program must see its own pid in LISTEN_PID), reaps every descendant that is reparented to
// it, reports the program's pid and exit on the status pipe, stops the tree when a command says
// so, and stops it at once when the supervisor dies. Descendants left behind when the program
// itself exits are killed.
func reapMain(args []string) int {
	flags := flag.NewFlagSet("reap", flag.ContinueOnError)
	pass := flags.Int("pass", 0, "descriptors from 3 on to pass to the program")
	commandsFd := flags.Int("commands", -1, "descriptor the supervisor's commands arrive on")
	statusFd := flags.Int("status", -1, "descriptor for status lines")
	listenPid := flags.Bool("listen-pid", false, "set LISTEN_PID to the program's pid")
	if err := flags.Parse(args); err != nil || flags.NArg() < 1 || *commandsFd < 0 || *statusFd < 0 {
		fmt.Fprintln(os.Stderr, "hotreload-supervisor reap: bad arguments")
		return 2
	}
	// Ours, not the program's.
	syscall.CloseOnExec(*statusFd)
	syscall.CloseOnExec(*commandsFd)
	status := &reapStatus{w: os.NewFile(uintptr(*statusFd), "status")}
	commands := os.NewFile(uintptr(*commandsFd), "commands")
	becomeSubreaper()
	setParentDeathSignal(syscall.SIGTERM)

	argv := flags.Args()
	// A bare name ("node") is looked up on the program's PATH, also when exec sets LISTEN_PID first.
	path, err := exec.LookPath(argv[0])
	if err != nil {
		status.send(event{Event: statusStartFailed, Error: startError(argv[0], err)})
		return 1
	}
	execArgs := argv
	if *listenPid {
		self, _ := os.Executable()
		path, execArgs = self, append([]string{self, "exec", "--", path}, argv[1:]...)
	}
	// Raw descriptors, not os/exec's ExtraFiles: os.File.Fd() puts a descriptor in blocking mode,
	// and a listening socket's mode is shared by every process holding it, the serving versions
	// included (a blocked accept cannot be interrupted, which breaks a drain).
	files := []uintptr{0, 1, 2}
	for i := 0; i < *pass; i++ {
		files = append(files, uintptr(3+i))
	}
	dir, _ := os.Getwd()
	pid, err := syscall.ForkExec(path, execArgs, &syscall.ProcAttr{Dir: dir, Env: os.Environ(), Files: files, Sys: &syscall.SysProcAttr{Setsid: true}})
	if err != nil {
		status.send(event{Event: statusStartFailed, Error: startError(argv[0], err)})
		return 1
	}
	// From now on only the program holds its stdio and descriptors: end of file on its output
	// means it and everything it started are done with them.
	for fd := 0; fd < 3+*pass; fd++ {
		_ = syscall.Close(fd)
	}
	t := newTree(os.Getpid(), pid)
	status.send(event{Event: statusStarted, Pid: pid})

	exited := make(chan mainExit, 1)
	go reapAll(pid, exited)
	stops := make(chan request, 4)
	go func() {
		scanner := bufio.NewScanner(commands)
		for scanner.Scan() {
			var req request
			if json.Unmarshal(scanner.Bytes(), &req) == nil {
				stops <- req
			}
		}
		// End of file: the supervisor is gone.
		stops <- request{Op: opStop, Signal: "SIGTERM", GraceMs: orphanGraceMs}
	}()
	dying := make(chan os.Signal, 1)
	signal.Notify(dying, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)

	stopping := false
	// Closed once a stop has finished (and said so): "stopped" comes before "exited".
	stopDone := make(chan struct{})
	// Closed once the program has exited: a stop under way then looks at the tree at once.
	programGone := make(chan struct{})
	startStop := func(sig syscall.Signal, grace time.Duration, report bool) {
		if stopping {
			return
		}
		stopping = true
		go func() {
			defer close(stopDone)
			killed, elapsed := t.stop(sig, grace, programGone)
			if report {
				status.send(event{Event: eventStopped, Killed: killed, ElapsedMs: elapsed.Milliseconds()})
			}
		}()
	}
	for {
		select {
		case e := <-exited:
			// The program is gone: what it left behind (it had its signal, if a stop is under way)
			// goes with it.
			t.killAll()
			close(programGone)
			if stopping {
				// The stop sees the tree empty at once; the exit must not overtake its report, nor
				// (a process that cannot be killed) wait for it long.
				select {
				case <-stopDone:
				case <-time.After(time.Second):
				}
			}
			status.send(event{Event: eventExited, Code: e.code, Signal: e.signal})
			return 0
		case req := <-stops:
			startStop(parseSignal(req.Signal), time.Duration(req.GraceMs)*time.Millisecond, true)
		case <-dying:
			startStop(syscall.SIGTERM, orphanGraceMs*time.Millisecond, false)
		}
	}
}

// reapAll waits for every child (the program and whatever is reparented here) and reports the
// program's own exit.
func reapAll(mainPid int, exited chan<- mainExit) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			// No child at all right now: orphans may still be reparented here later.
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if pid != mainPid {
			continue
		}
		e := mainExit{}
		if ws.Signaled() {
			e.signal = signalName(ws.Signal())
		} else {
			code := ws.ExitStatus()
			e.code = &code
		}
		exited <- e
	}
}

func startError(path string, err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist), errors.Is(err, exec.ErrNotFound):
		return fmt.Sprintf("cannot start %s: file not found", path)
	case errors.Is(err, os.ErrPermission):
		return fmt.Sprintf("cannot start %s: permission denied (is it an executable file?)", path)
	}
	return fmt.Sprintf("cannot start %s: %v", path, err)
}

// execMain replaces itself with the program, keeping its pid, after setting LISTEN_PID to that
// pid: systemd socket activation needs the program's own pid, known only after the fork.
func execMain(args []string) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "hotreload-supervisor exec: no program")
		return 2
	}
	_ = os.Setenv("LISTEN_PID", strconv.Itoa(os.Getpid()))
	err := syscall.Exec(args[0], args, os.Environ())
	fmt.Fprintln(os.Stderr, startError(args[0], err))
	return 127
}

// pause waits for d, or until look is closed; it returns the channel to look at next time (nil once
// closed, so a closed one does not end every later pause at once).
func pause(d time.Duration, look <-chan struct{}) <-chan struct{} {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return look
	case <-look:
		return nil
	}
}
