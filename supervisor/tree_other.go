//go:build !linux && !windows

package main

import (
	"os"
	"syscall"
	"time"
)

// There is no child subreaper outside Linux: the program gets a session and process group of its
// own, and the tree is that group. A descendant that starts a session of its own leaves it (this
// is what is weaker here than on Linux).
func becomeSubreaper() {}

// setParentDeathSignal polls for the parent's death (there is no PR_SET_PDEATHSIG here).
func setParentDeathSignal(sig syscall.Signal) {
	parent := os.Getppid()
	go func() {
		for {
			if os.Getppid() != parent {
				_ = syscall.Kill(os.Getpid(), sig)
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
	}()
}

func becomeSupervisor(engineIsParent bool) {
	if engineIsParent {
		setParentDeathSignal(syscall.SIGTERM)
	}
}

type tree struct {
	self, main int
}

func newTree(self, main int) *tree { return &tree{self: self, main: main} }

func (t *tree) empty() bool {
	return syscall.Kill(-t.main, 0) != nil
}

func (t *tree) stop(sig syscall.Signal, grace time.Duration, look <-chan struct{}) (bool, time.Duration) {
	started := time.Now()
	_ = syscall.Kill(-t.main, sig)
	for time.Since(started) < grace {
		if t.empty() {
			return false, time.Since(started)
		}
		look = pause(10*time.Millisecond, look)
	}
	if t.empty() {
		return false, time.Since(started)
	}
	t.killAll()
	return true, time.Since(started)
}

func (t *tree) killAll() {
	for i := 0; i < 100 && !t.empty(); i++ {
		_ = syscall.Kill(-t.main, syscall.SIGKILL)
		time.Sleep(10 * time.Millisecond)
	}
}

func closeInheritedOnExec() {
	for fd := 3; fd < 1024; fd++ {
		syscall.CloseOnExec(fd)
	}
}
