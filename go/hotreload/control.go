package hotreload

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"hotreload.dev/go/hotreload/internal/slots"
)

// Start loads the plugins named in HOTRELOAD_PLUGINS into their slots, and
// reports a malformed protocol environment. Listen, Ready, Serve and
// ListenAndServe call it, so most programs never do; call it yourself in a
// program that uses slots but none of those. Only the first call does
// anything; later ones return its result. Declare every slot (patch.NewSlot)
// before the first call: naming an undeclared slot in HOTRELOAD_PLUGINS is
// an error.
//
// The control descriptor (HOTRELOAD_CONTROL_FD), which carries patch
// commands and reveals the engine's death, is read from the moment the
// package is initialised, whether or not Start is called.
func Start() error { return std.start() }

func (p *program) start() error {
	p.startOnce.Do(func() { p.startErr = p.loadStartupPlugins() })
	return p.startErr
}

func (p *program) loadStartupPlugins() error {
	h := p.handoff
	if err := h.err(); err != nil {
		return err
	}
	if h.plugins == "" {
		return nil
	}
	patcher := slots.CurrentPatcher()
	if patcher == nil {
		return fmt.Errorf("%s names plugins to load, but the program does not link hotreload.dev/go/hotreload/patch: declare its slots with patch.NewSlot, or use the handoff strategy", envPlugins)
	}
	return patcher.Startup(h.plugins)
}

// commandQueue holds the engine's commands for one worker, in order, so that
// a slow plugin (a HotReloadV1 that hangs) never keeps readControl from
// noticing the engine's death.
type commandQueue struct {
	sync.Mutex
	lines [][]byte
	wake  chan struct{}
}

func (p *program) queueCommand(line []byte) {
	q := &p.commands
	q.Lock()
	q.lines = append(q.lines, line)
	q.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (p *program) runCommands() {
	q := &p.commands
	for range q.wake {
		for {
			q.Lock()
			if len(q.lines) == 0 {
				q.Unlock()
				break
			}
			line := q.lines[0]
			q.lines = q.lines[1:]
			q.Unlock()
			p.handleCommand(line)
		}
	}
}

// readControl reads the engine's commands until the descriptor reaches end
// of file or fails, which means the engine is gone.
func (p *program) readControl(f *os.File) {
	go p.runCommands()
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && (err == nil || err == io.EOF) {
			p.queueCommand(line)
		}
		if err != nil {
			if err == io.EOF {
				err = errors.New("its control descriptor was closed")
			}
			p.engineGone(err)
			return
		}
	}
}

// handleCommand hands one line from the engine to package patch, which
// speaks the patch commands, and sends its answer back.
func (p *program) handleCommand(line []byte) {
	if len(strings.TrimSpace(string(line))) == 0 {
		return
	}
	patcher := slots.CurrentPatcher()
	if patcher == nil {
		fmt.Fprintf(os.Stderr, "hotreload: ignoring a command from the engine: the program does not link hotreload.dev/go/hotreload/patch\n")
		return
	}
	if answer := patcher.Command(line); answer != nil {
		_ = p.sendLine(answer)
	}
}
