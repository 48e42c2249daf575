//go:build !windows

package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// holdMain is the container's PID 1 while its pod is in development mode: the program runs under
// a supervisor the engine starts with `kubectl exec`, so this only reaps what is orphaned in the
// container and, when the kubelet stops the container, passes the signal on to everything in it
// (the container's own PID namespace: nothing outside is reachable) and exits once they are gone
// or after the grace period. The arguments (the workload's original command) are only shown.
func holdMain(args []string) int {
	fmt.Fprintf(os.Stderr, "hotreload-supervisor hold: development mode; the original command (%q) runs again when Hot Reload stops\n", args)
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		reapOrphans()
		if sig == syscall.SIGCHLD {
			continue
		}
		if os.Getpid() == 1 {
			_ = syscall.Kill(-1, syscall.SIGTERM)
			deadline := time.Now().Add(4 * time.Second)
			for time.Now().Before(deadline) && reapOrphans() != syscall.ECHILD {
				time.Sleep(50 * time.Millisecond)
			}
		}
		return 0
	}
	return 0
}

// reapOrphans collects every child that has exited; returns ECHILD when none is left.
func reapOrphans() error {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if err != nil {
			return err
		}
		if pid <= 0 {
			return nil
		}
	}
}
