package hotreload

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// The environment variables of the protocol between the engine (or systemd)
// and the program.
const (
	envListenFDs     = "LISTEN_FDS"
	envListenPID     = "LISTEN_PID"
	envListenFDNames = "LISTEN_FDNAMES"
	envListenParent  = "HOTRELOAD_LISTEN_PARENT"
	envNotifySocket  = "NOTIFY_SOCKET"
	envNotifyFD      = "HOTRELOAD_NOTIFY_FD"
	envControlFD     = "HOTRELOAD_CONTROL_FD"
	envPlugins       = "HOTRELOAD_PLUGINS"
	envDrainTimeout  = "HOTRELOAD_DRAIN_TIMEOUT"
)

// listenFDsStart is the first inherited descriptor of the socket-activation
// protocol (SD_LISTEN_FDS_START).
const listenFDsStart = 3

// inherited is one socket passed with LISTEN_FDS.
type inherited struct {
	fd      int
	name    string       // from LISTEN_FDNAMES, may be empty
	ln      net.Listener // nil when err != nil
	err     error
	claimed bool // handed out by Listen (guarded by listenMu)
}

// handoffState is what the program was handed in its environment. It is read
// once, while the package is initialised (newProgram), so that the variables
// can be removed before main runs and no child process inherits them.
type handoffState struct {
	listeners    []*inherited
	notify       *os.File      // HOTRELOAD_NOTIFY_FD, nil if unset
	control      *os.File      // HOTRELOAD_CONTROL_FD, nil if unset
	notifySocket string        // NOTIFY_SOCKET, "" if unset
	plugins      string        // HOTRELOAD_PLUGINS, read by package patch
	drainTimeout time.Duration // HOTRELOAD_DRAIN_TIMEOUT, if drainSet
	drainSet     bool
	errs         []string // malformed variables; reported by Start
}

// takeHandoff reads the protocol's variables from env, and removes those that
// hand over descriptors.
func takeHandoff(env environment) *handoffState {
	h := &handoffState{}

	// Socket activation. Like sd_listen_fds(1), the variables are removed
	// whether or not they were meant for this process.
	pidStr, fdsStr, namesStr := env.get(envListenPID), env.get(envListenFDs), env.get(envListenFDNames)
	// A debugger between the engine and the program (Delve) is the process whose pid the engine
	// knows; it says so with HOTRELOAD_LISTEN_PARENT=1, and the sockets are then its child's.
	viaParent := env.get(envListenParent) == "1"
	env.unset(envListenPID)
	env.unset(envListenFDs)
	env.unset(envListenFDNames)
	env.unset(envListenParent)
	if fdsStr != "" && fdPassingSupported {
		if pid, err := strconv.Atoi(pidStr); err == nil && (pid == env.pid || (viaParent && pid == env.ppid)) {
			n, err := strconv.Atoi(fdsStr)
			if err != nil || n < 0 {
				h.errs = append(h.errs, fmt.Sprintf("%s=%q is not a count of descriptors", envListenFDs, fdsStr))
			} else {
				var names []string
				if namesStr != "" {
					names = strings.Split(namesStr, ":")
				}
				for i := 0; i < n; i++ {
					fd := listenFDsStart + i
					name := ""
					if i < len(names) {
						name = names[i]
					}
					ln, skip, err := inheritListener(fd, name)
					if skip {
						continue // a datagram socket: not ours to serve with
					}
					if err != nil {
						err = fmt.Errorf("hotreload: inherited socket fd %d (%q): %w", fd, name, err)
					}
					h.listeners = append(h.listeners, &inherited{fd: fd, name: name, ln: ln, err: err})
				}
			}
		}
	}

	// The engine's side channels.
	notifyStr, controlStr := env.get(envNotifyFD), env.get(envControlFD)
	env.unset(envNotifyFD)
	env.unset(envControlFD)
	if fdPassingSupported {
		notifyFD, err := parseFD(envNotifyFD, notifyStr)
		if err != nil {
			h.errs = append(h.errs, err.Error())
		}
		controlFD, err := parseFD(envControlFD, controlStr)
		if err != nil {
			h.errs = append(h.errs, err.Error())
		}
		if notifyFD >= 0 {
			if h.notify, err = fdFile(notifyFD, "hotreload-notify"); err != nil {
				h.errs = append(h.errs, fmt.Sprintf("%s=%d: %v", envNotifyFD, notifyFD, err))
			}
		}
		if controlFD >= 0 {
			if controlFD == notifyFD && h.notify != nil {
				h.control = h.notify // one bidirectional socket for both
			} else if h.control, err = fdFile(controlFD, "hotreload-control"); err != nil {
				h.errs = append(h.errs, fmt.Sprintf("%s=%d: %v", envControlFD, controlFD, err))
			}
		}
	}

	// NOTIFY_SOCKET is left in place: other code in the program (for
	// example a watchdog pinger) may use it too.
	h.notifySocket = env.get(envNotifySocket)

	h.plugins = env.get(envPlugins)
	env.unset(envPlugins)

	if s := env.get(envDrainTimeout); s != "" {
		d, err := parseDrainTimeout(s)
		if err != nil {
			h.errs = append(h.errs, err.Error())
		} else {
			h.drainTimeout, h.drainSet = d, true
		}
	}
	return h
}

// parseFD returns -1 for an unset variable.
func parseFD(name, s string) (int, error) {
	if s == "" {
		return -1, nil
	}
	fd, err := strconv.Atoi(s)
	if err != nil || fd < 0 {
		return -1, fmt.Errorf("%s=%q is not a file descriptor number", name, s)
	}
	return fd, nil
}

// parseDrainTimeout accepts a Go duration ("10s", "1500ms") or a plain
// integer number of milliseconds ("10000"), as the engine's settings use.
func parseDrainTimeout(s string) (time.Duration, error) {
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms >= 0 {
		return time.Duration(ms) * time.Millisecond, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s=%q is neither a duration (\"10s\") nor a number of milliseconds", envDrainTimeout, s)
	}
	return d, nil
}

func (h *handoffState) err() error {
	if len(h.errs) == 0 {
		return nil
	}
	return fmt.Errorf("hotreload: bad environment: %s", strings.Join(h.errs, "; "))
}
