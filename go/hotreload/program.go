package hotreload

import (
	"context"
	"sync"
	"sync/atomic"
)

// program is the package's whole state: what the engine (or systemd) handed
// the program in its environment, and what the program has done with it since.
// The package's functions are those of std, made from the process's own
// environment while the package is initialised; tests make their own with
// newProgram.
type program struct {
	env     environment
	handoff *handoffState

	listenMu sync.Mutex // guards the claimed flags of handoff.listeners
	notifyMu sync.Mutex // one event per write on the notify descriptor

	startOnce sync.Once
	startErr  error
	readyOnce sync.Once
	readyErr  error

	commands commandQueue

	stopOnce   sync.Once
	stopCh     chan struct{} // closed when the program should stop (Stopping)
	watchOnce  sync.Once
	watching   atomic.Bool // signal handling installed by Stopping
	engineLost atomic.Bool
	drainSetBy atomic.Int64 // SetDrainTimeout, as nanoseconds + 1 (0: unset)

	ctxOnce sync.Once
	ctx     context.Context
}

var std = newProgram(processEnvironment())

func init() {
	// Watching the control descriptor starts at once, whatever the program
	// calls later: when the engine dies the program must go too.
	std.watchControl()
}

// newProgram takes the handoff from env (removing the variables that hand
// over descriptors).
func newProgram(env environment) *program {
	return &program{
		env:      env,
		handoff:  takeHandoff(env),
		stopCh:   make(chan struct{}),
		commands: commandQueue{wake: make(chan struct{}, 1)},
	}
}

// watchControl starts reading the engine's commands, if it gave a control
// descriptor.
func (p *program) watchControl() {
	if p.handoff.control != nil {
		go p.readControl(p.handoff.control)
	}
}
