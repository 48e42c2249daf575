package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	prSetPdeathsig      = 1
	prSetChildSubreaper = 36
)

// becomeSubreaper makes orphaned descendants (setsid'd daemons, children of a process that died)
// reparent to this process instead of to init, so none escapes its tree.
func becomeSubreaper() {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
}

// setParentDeathSignal asks the kernel to send sig when the parent dies, and sends it now when the
// parent is already gone.
func setParentDeathSignal(sig syscall.Signal) {
	parent := os.Getppid()
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetPdeathsig, uintptr(sig), 0)
	if os.Getppid() != parent || parent == 1 {
		_ = syscall.Kill(os.Getpid(), sig)
	}
}

// becomeSupervisor: the supervisor is a subreaper too (a reaper that dies leaves nothing behind)
// and, as the engine's child, goes when the engine goes. On a remote target its parent is
// `docker exec`'s runc or sshd, which may exit at once (runc does): there the end of its channel
// and the watchdog are what tell it the engine is gone.
func becomeSupervisor(engineIsParent bool) {
	becomeSubreaper()
	if engineIsParent {
		setParentDeathSignal(syscall.SIGTERM)
	}
}

// tree is the reaper's subtree: every live process below it, read from /proc.
type tree struct {
	self, main int
}

func newTree(self, main int) *tree { return &tree{self: self, main: main} }

func (t *tree) members() []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parent := map[int]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 1 {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(stat)
		close := strings.LastIndexByte(s, ')')
		if close < 0 {
			continue
		}
		fields := strings.Fields(s[close+1:])
		if len(fields) < 2 || fields[0] == "Z" || fields[0] == "X" {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		parent[pid] = ppid
	}
	var found []int
	for pid := range parent {
		for p, hops := parent[pid], 0; hops < 4096; p, hops = parent[p], hops+1 {
			if p == t.self {
				found = append(found, pid)
				break
			}
			if p <= 1 {
				break
			}
		}
	}
	return found
}

func (t *tree) empty() bool { return len(t.members()) == 0 }

// stop signals every process of the tree once, waits up to grace for all of them to be gone, then
// kills what is left. It reports whether anything had to be killed. A close of look makes it look
// at once (the program has exited).
func (t *tree) stop(sig syscall.Signal, grace time.Duration, look <-chan struct{}) (bool, time.Duration) {
	started := time.Now()
	for _, pid := range t.members() {
		_ = syscall.Kill(pid, sig)
	}
	wait := 2 * time.Millisecond
	for time.Since(started) < grace {
		if t.empty() {
			return false, time.Since(started)
		}
		look = pause(wait, look)
		if wait < 50*time.Millisecond {
			wait *= 2
		}
	}
	if t.empty() {
		return false, time.Since(started)
	}
	t.killAll()
	return true, time.Since(started)
}

// killAll SIGKILLs the tree until nothing of it is left (bounded: a process in uninterruptible
// sleep is given up on after a second).
func (t *tree) killAll() {
	for i := 0; i < 100; i++ {
		members := t.members()
		if len(members) == 0 {
			return
		}
		for _, pid := range members {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// closeInheritedOnExec marks every descriptor above stderr close-on-exec.
func closeInheritedOnExec() {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			syscall.CloseOnExec(fd)
		}
	}
}
