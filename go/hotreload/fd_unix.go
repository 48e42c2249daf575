//go:build unix

package hotreload

import (
	"errors"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

const fdPassingSupported = true

// fdFile wraps an inherited descriptor after checking that it is open and
// marking it close-on-exec, so that the program's own children do not get it.
func fdFile(fd int, name string) (*os.File, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, err
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), name), nil
}

// inheritListener turns an inherited socket into a net.Listener. A stream
// socket that is bound but not listening yet is put in the listening state
// first. skip reports a socket that cannot be a listener (a datagram socket),
// which is left alone.
func inheritListener(fd int, name string) (ln net.Listener, skip bool, err error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, false, err
	}
	syscall.CloseOnExec(fd)
	typ, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TYPE)
	if err != nil {
		return nil, false, errors.New("not a socket: " + err.Error())
	}
	if typ != syscall.SOCK_STREAM && typ != syscall.SOCK_SEQPACKET {
		return nil, true, nil
	}
	// SO_ACCEPTCONN says whether listen(2) was called. Where it cannot be
	// read, listen anyway: on a listening socket it only changes the backlog.
	if on, err := syscall.GetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_ACCEPTCONN); err != nil || on == 0 {
		if err := syscall.Listen(fd, listenBacklog()); err != nil {
			return nil, false, errors.New("listen: " + err.Error())
		}
	}
	f := os.NewFile(uintptr(fd), name)
	ln, err = net.FileListener(f) // a duplicate; the original is closed below
	f.Close()
	return ln, false, err
}

// listenBacklog is the backlog the Go net package would use.
func listenBacklog() int {
	if runtime.GOOS == "linux" {
		if b, err := os.ReadFile("/proc/sys/net/core/somaxconn"); err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n > 0 {
				if n > 1<<16-1 {
					n = 1<<16 - 1
				}
				return n
			}
		}
	}
	return syscall.SOMAXCONN
}

// selfTerminate is how the engine's disappearance stops a program that does
// not watch Stopping: it gets the signal the engine would have sent.
func selfTerminate() {
	_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
}
