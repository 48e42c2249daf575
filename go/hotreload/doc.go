// Package hotreload lets a Go program be hot-reloaded by the Hot Reload
// engine: restarted on every build without dropping a connection, and
// patched live with Go plugins (through its package patch). Run alone (or under systemd) the same
// program behaves as a plain server with a graceful shutdown.
//
// # Adopting it
//
// An HTTP service changes one line:
//
//	srv := &http.Server{Handler: mux}
//	if err := hotreload.ListenAndServe(srv, ":8080"); err != nil {
//		log.Fatal(err)
//	}
//
// ListenAndServe takes the listening socket the engine passes (so the old
// and the new process share it and no connection is refused during a
// reload), tells the engine the program is ready, and on SIGTERM or SIGINT
// (or if the engine dies) drains: stops accepting, finishes in-flight
// requests within DrainTimeout, and returns nil.
//
// Other programs use the pieces: Listen for the socket, Ready once they
// serve, and Stopping or ShutdownContext to learn when to stop.
//
// # Live patching
//
// Logic that the engine patches into the running process lives in slots,
// declared with the package hotreload.dev/go/hotreload/patch. Only programs
// that import it link Go's plugin support (cgo and the system linker); a
// program that uses this package alone builds as fast as one that does not.
//
// # Protocol
//
// All of it is read from the environment when the package is initialised,
// before main runs; the variables that hand over descriptors are then
// removed, and the descriptors marked close-on-exec, so that children of the
// program do not inherit them.
//
//   - LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES: systemd's socket activation.
//     If LISTEN_PID is this process's id, descriptors 3 to 3+LISTEN_FDS-1
//     are sockets for Listen, named by the colon-separated LISTEN_FDNAMES.
//     A stream socket that is bound but not listening is made to listen.
//     Datagram sockets are ignored. The three variables are always removed.
//   - HOTRELOAD_LISTEN_PARENT=1: LISTEN_PID names this process's parent, a
//     debugger the engine started that then started the program (the engine
//     cannot know the program's pid in advance there). Removed too.
//   - HOTRELOAD_NOTIFY_FD: a descriptor on which the program writes one JSON
//     object per line: {"event":"ready"} (Ready), {"event":"draining"}
//     (Stopping's channel closed by a signal),
//     {"event":"patched","slot":"rules","id":7} and
//     {"event":"patchFailed","slot":"rules","id":7,"error":"..."}, where the
//     error is Go's, verbatim, and id is echoed as the engine sent it.
//   - HOTRELOAD_CONTROL_FD: a descriptor from which the program reads one
//     JSON command per line: {"op":"patch","slot":"rules","id":7,
//     "path":"/abs/rules-7.so"} loads that plugin into that slot and answers
//     with patched or patchFailed. Unknown ops are ignored. End of file or an
//     error on it means the engine is gone: Stopping's channel closes (or,
//     in a program that does not watch it, the program is sent SIGTERM),
//     DrainTimeout drops to one second, and if the program is still running
//     two seconds later it is made to exit with status 1. The notify and
//     control descriptors may be one and the same socket.
//   - HOTRELOAD_PLUGINS: a JSON object of slot name to plugin path, loaded by
//     Start, before the program serves.
//   - HOTRELOAD_DRAIN_TIMEOUT: the drain deadline, as a Go duration ("5s") or
//     a number of milliseconds ("5000"). Not removed.
//   - NOTIFY_SOCKET: systemd's notification socket (a path, or an abstract
//     name starting with "@"). Ready sends READY=1 and stopping sends
//     STOPPING=1. Not removed, so other code may use it too.
//
// Plugins are only ever loaded from paths in HOTRELOAD_PLUGINS and in
// commands read from the inherited control descriptor, never from anything
// reachable over the network.
//
// On Windows the descriptor variables are ignored (Listen listens normally),
// but signals and draining work.
package hotreload
