// Command hotreload-supervisor sits between the Hot Reload engine and every process the engine
// runs: the user's program, its builds and helpers. It is the parent of all of them, so nothing
// they start can escape it, it dies with the engine, and it talks to the engine over one channel
// (its stdin and stdout) that only the engine holds.
//
// Modes (the first argument):
//
//	(none)   serve the engine's protocol on stdin/stdout (see messages.go)
//	serve    the same, with -workdir (where files may be written) and -watchdog-ms (remote targets)
//	reap     run one program as a child subreaper, so that every descendant stays in its tree
//	exec     set LISTEN_PID to its own pid and exec the program in place (socket activation)
//	install, receive, hold   place it in a Kubernetes pod and be its PID 1 (pod.go)
//	version  print the version and the protocol
//
// Standard library only, built static (CGO_ENABLED=0) for each platform the extension supports.
package main

import (
	"flag"
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
		os.Exit(serve(os.Stdin, os.Stdout, serveOptions{ownProcess: true}))
	case "serve":
		// On a remote target: a work dir to write artifacts into, and a watchdog for a broken network.
		flags := flag.NewFlagSet("serve", flag.ContinueOnError)
		workDir := flags.String("workdir", "", "the only directory the supervisor writes in")
		watchdog := flags.Int("watchdog-ms", 0, "shut down after this long without a message from the engine")
		if err := flags.Parse(os.Args[2:]); err != nil {
			os.Exit(2)
		}
		closeInheritedOnExec()
		os.Exit(serve(os.Stdin, os.Stdout, serveOptions{workDir: *workDir, watchdogMs: *watchdog, ownProcess: true}))
	case "reap":
		os.Exit(reapMain(os.Args[2:]))
	case "exec":
		os.Exit(execMain(os.Args[2:]))
	case "install":
		os.Exit(installMain(os.Args[2:]))
	case "receive":
		os.Exit(receiveMain(os.Args[2:]))
	case "hold":
		os.Exit(holdMain(os.Args[2:]))
	case "version", "--version", "-v":
		fmt.Printf("hotreload-supervisor %s protocol %d %s/%s\n", Version, ProtocolVersion, runtime.GOOS, runtime.GOARCH)
	default:
		fmt.Fprintf(os.Stderr, "hotreload-supervisor: unknown mode %q (it is started by the Hot Reload engine, not by hand)\n", mode)
		os.Exit(2)
	}
}
