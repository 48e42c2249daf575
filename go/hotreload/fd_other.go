//go:build !unix

package hotreload

import (
	"errors"
	"net"
	"os"
)

// On Windows (and other systems without Unix descriptor inheritance) the
// LISTEN_* and HOTRELOAD_*_FD variables are ignored: Listen listens normally.
const fdPassingSupported = false

var errNoFDPassing = errors.New("descriptor passing is not supported on this system")

func fdFile(fd int, name string) (*os.File, error) { return nil, errNoFDPassing }

func inheritListener(fd int, name string) (net.Listener, bool, error) {
	return nil, false, errNoFDPassing
}

func selfTerminate() { os.Exit(1) }
