//go:build windows

package main

import (
	"errors"
	"net"
	"os/exec"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// On Windows the program runs in a Job Object that kills every process in it when closed; there
// are no signals (a stop terminates the job after the grace period) and no descriptor passing
// (the handoff strategy is not available). Built and vetted, not tested on Windows here.

var (
	kernel32                     = syscall.NewLazyDLL("kernel32.dll")
	procCreateJobObject          = kernel32.NewProc("CreateJobObjectW")
	procAssignProcessToJobObject = kernel32.NewProc("AssignProcessToJobObject")
	procTerminateJobObject       = kernel32.NewProc("TerminateJobObject")
	procSetInformationJobObject  = kernel32.NewProc("SetInformationJobObject")
	procOpenProcess              = kernel32.NewProc("OpenProcess")
)

const (
	jobObjectExtendedLimitInformation = 9
	jobObjectLimitKillOnJobClose      = 0x2000
	processAllAccess                  = 0x1F0FFF
)

type jobLimits struct {
	PerProcessUserTimeLimit int64
	PerJobUserTimeLimit     int64
	LimitFlags              uint32
	MinimumWorkingSetSize   uintptr
	MaximumWorkingSetSize   uintptr
	ActiveProcessLimit      uint32
	Affinity                uintptr
	PriorityClass           uint32
	SchedulingClass         uint32
	IoInfo                  [6]uint64
	ProcessMemoryLimit      uintptr
	JobMemoryLimit          uintptr
	PeakProcessMemoryUsed   uintptr
	PeakJobMemoryUsed       uintptr
}

type platformControl struct {
	mu  sync.Mutex
	job syscall.Handle
	cmd *exec.Cmd
}

func startProgram(req request, listeners []uintptr, s *server) (*program, error) {
	if len(listeners) > 0 || req.Channels {
		return nil, errors.New("socket handoff and program channels are not supported on Windows: use the restart or proxy strategy")
	}
	p := &program{id: req.ID, srv: s, stopSignal: req.StopSignal, graceMs: req.GraceMs, gate: newGate(), exited: make(chan struct{}), inputs: make(chan []byte, 1024)}
	job, _, err := procCreateJobObject.Call(0, 0)
	if job == 0 {
		return nil, err
	}
	limits := jobLimits{LimitFlags: jobObjectLimitKillOnJobClose}
	procSetInformationJobObject.Call(job, jobObjectExtendedLimitInformation, uintptr(unsafe.Pointer(&limits)), unsafe.Sizeof(limits))
	cmd := exec.Command(req.Path, req.Args...)
	cmd.Env = programEnv(req)
	cmd.Dir = req.Dir
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		syscall.CloseHandle(syscall.Handle(job))
		return nil, err
	}
	handle, _, _ := procOpenProcess.Call(processAllAccess, 0, uintptr(cmd.Process.Pid))
	procAssignProcessToJobObject.Call(job, handle)
	syscall.CloseHandle(syscall.Handle(handle))
	p.stdin = stdin
	p.ctl = platformControl{job: syscall.Handle(job), cmd: cmd}
	p.pumps.Add(2)
	go p.pump(stdout, streamStdout)
	go p.pump(stderr, streamStderr)
	go p.writeInputs()
	s.send(event{Event: eventSpawned, ID: p.id, Pid: cmd.Process.Pid})
	go func() {
		_ = cmd.Wait()
		procTerminateJobObject.Call(uintptr(p.ctl.job), 1)
		code := cmd.ProcessState.ExitCode()
		p.finish(&code, "", "")
		syscall.CloseHandle(p.ctl.job)
	}()
	return p, nil
}

func (p *program) stop(_ string, graceMs int64) {
	started := time.Now()
	select {
	case <-p.exited:
	case <-time.After(time.Duration(graceMs) * time.Millisecond):
		procTerminateJobObject.Call(uintptr(p.ctl.job), 1)
	}
	p.srv.send(event{Event: eventStopped, ID: p.id, Killed: time.Since(started) >= time.Duration(graceMs)*time.Millisecond, ElapsedMs: time.Since(started).Milliseconds()})
}

func becomeSupervisor(bool) {}
func closeInheritedOnExec() {}

func reapMain(_ []string) int { return 2 }
func execMain(_ []string) int { return 2 }
func holdMain(_ []string) int { return 2 }

func listenerFd(l net.Listener) (uintptr, error) {
	return 0, errors.New("socket handoff is not supported on Windows")
}
