package main

// The supervisor's protocol: requests from the engine, events to it, one JSON frame each
// (frame.go). The engine's side is src/engine/processes/supervisor/protocol.ts; both are held to
// the golden transcripts in test/fixtures/protocol/supervisor, written by protocol_test.go.

// The ops of the engine's requests.
const (
	opSpawn      = "spawn"
	opStop       = "stop"
	opCloseInput = "closeInput"
	opControl    = "control"
	opPause      = "pause"
	opResume     = "resume"
	opListen     = "listen"
	opUnlisten   = "unlisten"
	opShutdown   = "shutdown"
	opFile       = "file"
	opFileEnd    = "fileEnd"
	opRemove     = "remove"
	opPing       = "ping"
)

// The events the supervisor sends.
const (
	eventHello        = "hello"
	eventSpawned      = "spawned"
	eventSpawnFailed  = "spawnFailed"
	eventNotify       = "notify"
	eventStopped      = "stopped"
	eventExited       = "exited"
	eventListening    = "listening"
	eventListenFailed = "listenFailed"
	eventFileWritten  = "fileWritten"
	eventFileFailed   = "fileFailed"
	eventRemoved      = "removed"
	eventError        = "error"
)

// The reaper's own status lines to the supervisor (the engine never sees them); it also says
// eventStopped and eventExited, which the supervisor passes on.
const (
	statusStarted     = "started"
	statusStartFailed = "startFailed"
)

// request is one message from the engine. Which fields matter depends on Op:
//
//	spawn      ID, Path, Args, Env, Dir, Listeners, Channels, ListenPid, StopSignal, GraceMs
//	stop       ID, Signal, GraceMs: signal every process of the program once, kill what is left after the grace period
//	closeInput ID: end of file on the program's stdin
//	control    ID, Line: one line on the program's control channel
//	pause      ID: stop reading the program's output (it blocks on a full pipe: back-pressure)
//	resume     ID
//	listen     Name, Address ("[host]:port"): a listening socket held for the session, passed to programs by name
//	unlisten   Name
//	shutdown   GraceMs, Remove: stop every program, then (Remove) delete the work dir's content, then exit
//	file       ID, Path, Mode: a file follows in file frames, ended by fileEnd (remote targets)
//	fileEnd    ID: the file is complete; it is renamed into place
//	remove     Path: delete a path inside the work dir
//	ping       nothing: keeps a watchdog (-watchdog) from taking the silence for a lost engine
//
// Input for a program's stdin, and a file's bytes, come in data frames, not messages.
type request struct {
	Op         string   `json:"op"`
	ID         uint32   `json:"id,omitempty"`
	Path       string   `json:"path,omitempty"`
	Args       []string `json:"args,omitempty"`
	Env        []string `json:"env,omitempty"`
	Dir        string   `json:"dir,omitempty"`
	Listeners  []string `json:"listeners,omitempty"`
	Channels   bool     `json:"channels,omitempty"`
	ListenPid  bool     `json:"listenPid,omitempty"`
	StopSignal string   `json:"stopSignal,omitempty"`
	Signal     string   `json:"signal,omitempty"`
	GraceMs    int64    `json:"graceMs,omitempty"`
	Line       string   `json:"line,omitempty"`
	Name       string   `json:"name,omitempty"`
	Address    string   `json:"address,omitempty"`
	// InheritEnv: Env is laid over the supervisor's own environment (a container's, a remote
	// user's) instead of replacing it.
	InheritEnv bool   `json:"inheritEnv,omitempty"`
	Mode       uint32 `json:"mode,omitempty"`
	Remove     bool   `json:"remove,omitempty"`
}

// event is one message to the engine:
//
//	hello         Protocol, Version, OS, Arch, Pid: the first message
//	spawned       ID, Pid
//	spawnFailed   ID, Error
//	notify        ID, Line: a line the program wrote on its notify channel
//	stopped       ID, Killed, ElapsedMs: a stop finished (the exit follows)
//	exited        ID, Code or Signal: the program and everything it started are gone and its output is all sent
//	listening     Name, Host, Port
//	listenFailed  Name, Error, Code (e.g. "EADDRINUSE")
//	fileWritten   ID
//	fileFailed    ID, Error
//	removed       Name (the path), Error when it failed
//	error         Error: a message that could not be understood
type event struct {
	Event     string `json:"event"`
	ID        uint32 `json:"id,omitempty"`
	Pid       int    `json:"pid,omitempty"`
	Code      *int   `json:"code,omitempty"`
	Signal    string `json:"signal,omitempty"`
	Killed    bool   `json:"killed,omitempty"`
	ElapsedMs int64  `json:"elapsedMs,omitempty"`
	Line      string `json:"line,omitempty"`
	Name      string `json:"name,omitempty"`
	Host      string `json:"host,omitempty"`
	Port      int    `json:"port,omitempty"`
	Error     string `json:"error,omitempty"`
	ErrCode   string `json:"errorCode,omitempty"`
	Protocol  int    `json:"protocol,omitempty"`
	Version   string `json:"version,omitempty"`
	OS        string `json:"os,omitempty"`
	Arch      string `json:"arch,omitempty"`
}
