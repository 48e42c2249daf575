// Command hotreload-supervisor sits between the Hot Reload engine and every process the engine
// runs: the user's program, its builds and helpers. It is the parent of all of them, so nothing
// they start can escape it, it dies with the engine, and it talks to the engine over one channel
// (its stdin and stdout) that only the engine holds.
//
// Modes (the first argument):
//
//	(none)   serve the engine's protocol on stdin/stdout (see protocol.go)
//	reap     run one program as a child subreaper, so that every descendant stays in its tree
//	exec     set LISTEN_PID to its own pid and exec the program in place (socket activation)
//	version  print the version and the protocol
//
// Standard library only, built static (CGO_ENABLED=0) for each platform the extension supports.
package main

import (
	"fmt"
	"os"
	"runtime"
)

// Version is the supervisor's version; ProtocolVersion changes when messages change incompatibly.
const (
	Version         = "1.0.0"
	ProtocolVersion = 1
)

func main() {
	mode := ""
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "":
		// Descriptors the engine leaked to us (Node does not mark everything close-on-exec) must not
		// reach the programs: only stdio and what a spawn passes explicitly do. (The reaper and the
		// exec shim get only what they must pass on, so they keep all of it.)
		closeInheritedOnExec()
		os.Exit(serve(os.Stdin, os.Stdout))
	case "reap":
		os.Exit(reapMain(os.Args[2:]))
	case "exec":
		os.Exit(execMain(os.Args[2:]))
	case "version", "--version", "-v":
		fmt.Printf("hotreload-supervisor %s protocol %d %s/%s\n", Version, ProtocolVersion, runtime.GOOS, runtime.GOARCH)
	default:
		fmt.Fprintf(os.Stderr, "hotreload-supervisor: unknown mode %q (it is started by the Hot Reload engine, not by hand)\n", mode)
		os.Exit(2)
	}
}
