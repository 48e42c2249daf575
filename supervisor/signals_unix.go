//go:build !windows

package main

import (
	"net"
	"syscall"
)

var signalsByName = map[string]syscall.Signal{
	"SIGTERM": syscall.SIGTERM, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT, "SIGHUP": syscall.SIGHUP,
	"SIGUSR1": syscall.SIGUSR1, "SIGUSR2": syscall.SIGUSR2, "SIGKILL": syscall.SIGKILL, "SIGWINCH": syscall.SIGWINCH,
	"SIGABRT": syscall.SIGABRT, "SIGALRM": syscall.SIGALRM, "SIGPIPE": syscall.SIGPIPE, "SIGCONT": syscall.SIGCONT,
}

// parseSignal reads a signal name ("SIGTERM"); anything unknown is SIGTERM.
func parseSignal(name string) syscall.Signal {
	if s, ok := signalsByName[name]; ok {
		return s
	}
	return syscall.SIGTERM
}

func signalName(sig syscall.Signal) string {
	for name, s := range signalsByName {
		if s == sig {
			return name
		}
	}
	return sig.String()
}

// listenerFd is the listening socket's own descriptor, for a child to inherit (as a duplicate made
// by the fork). Taken without os.File.Fd(), which would make the socket blocking for everyone.
func listenerFd(l net.Listener) (uintptr, error) {
	rc, err := l.(*net.TCPListener).SyscallConn()
	if err != nil {
		return 0, err
	}
	var fd uintptr
	if err := rc.Control(func(raw uintptr) { fd = raw }); err != nil {
		return 0, err
	}
	return fd, nil
}
