package hotreload

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
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
	names := make([]string, 0, len(h.plugins))
	for name := range h.plugins {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []string
	for _, name := range names {
		load, declared := slots.Lookup(name)
		if load == nil {
			errs = append(errs, fmt.Sprintf("%s names slot %q, but the program declares no such slot (declared: %s); declare slots with patch.NewSlot before Start, Listen or Ready", envPlugins, name, strings.Join(declared, ", ")))
			continue
		}
		if err := load(h.plugins[name]); err != nil {
			errs = append(errs, fmt.Sprintf("hotreload: slot %q: loading %s: %v", name, h.plugins[name], err))
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// The commands the engine writes on HOTRELOAD_CONTROL_FD.
const opPatch = "patch"

// command is one line the engine writes on HOTRELOAD_CONTROL_FD.
type command struct {
	Op   string          `json:"op"`
	Slot string          `json:"slot"`
	ID   json.RawMessage `json:"id"`
	Path string          `json:"path"`
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

func (p *program) handleCommand(line []byte) {
	if len(strings.TrimSpace(string(line))) == 0 {
		return
	}
	var cmd command
	if err := json.Unmarshal(line, &cmd); err != nil {
		fmt.Fprintf(os.Stderr, "hotreload: ignoring a malformed command from the engine: %v\n", err)
		return
	}
	switch cmd.Op {
	case opPatch:
		if err := applyPatch(cmd); err != nil {
			_ = p.sendEvent(event{Event: eventPatchFailed, Slot: cmd.Slot, ID: cmd.ID, Error: err.Error()})
		} else {
			_ = p.sendEvent(event{Event: eventPatched, Slot: cmd.Slot, ID: cmd.ID})
		}
	default:
		// A newer engine's command: ignore it, so old programs keep working.
		fmt.Fprintf(os.Stderr, "hotreload: ignoring unknown command %q from the engine\n", cmd.Op)
	}
}

// applyPatch loads the plugin the engine names into the slot it names. The path
// only ever comes from the engine's inherited descriptor.
func applyPatch(cmd command) error {
	load, declared := slots.Lookup(cmd.Slot)
	if load == nil {
		return fmt.Errorf("the program declares no slot %q (declared: %s); declare it with patch.NewSlot from hotreload.dev/go/hotreload/patch", cmd.Slot, strings.Join(declared, ", "))
	}
	if !filepath.IsAbs(cmd.Path) {
		return fmt.Errorf("plugin path %q is not absolute", cmd.Path)
	}
	// The cause, verbatim: slot and path are the engine's own.
	return load(cmd.Path)
}
