package patch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"hotreload.dev/go/hotreload/internal/slots"
)

// A program that links this package speaks the engine's patch commands: they
// are JSON, decoded here rather than in hotreload, so that a program that only
// hands off links no JSON (encoding/json is ~5% of a small server's binary).
func init() { slots.SetPatcher(enginePatcher{}) }

// The events a patch is answered with on HOTRELOAD_NOTIFY_FD (hotreload's
// doc.go, Protocol). The engine's side is
// src/engine/strategies/handoff/protocol.ts; both are held to the golden lines
// in test/fixtures/protocol/handoff.
const (
	eventPatched     = "patched"
	eventPatchFailed = "patchFailed"
	opPatch          = "patch"
)

// command is one line the engine writes on HOTRELOAD_CONTROL_FD.
type command struct {
	Op   string          `json:"op"`
	Slot string          `json:"slot"`
	ID   json.RawMessage `json:"id"`
	Path string          `json:"path"`
}

// event is the answer to a command.
type event struct {
	Event string          `json:"event"`
	Slot  string          `json:"slot,omitempty"`
	ID    json.RawMessage `json:"id,omitempty"` // echoed from the command as sent
	Error string          `json:"error,omitempty"`
}

type enginePatcher struct{}

// Startup loads HOTRELOAD_PLUGINS into their slots, in the order of their names.
func (enginePatcher) Startup(plugins string) error {
	var named map[string]string
	if err := json.Unmarshal([]byte(plugins), &named); err != nil {
		return fmt.Errorf("HOTRELOAD_PLUGINS is not a JSON object of slot name to plugin path: %v", err)
	}
	names := make([]string, 0, len(named))
	for name := range named {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []string
	for _, name := range names {
		load, declared := slots.Lookup(name)
		if load == nil {
			errs = append(errs, fmt.Sprintf("HOTRELOAD_PLUGINS names slot %q, but the program declares no such slot (declared: %s); declare slots with patch.NewSlot before Start, Listen or Ready", name, strings.Join(declared, ", ")))
			continue
		}
		if err := load(named[name]); err != nil {
			errs = append(errs, fmt.Sprintf("hotreload: slot %q: loading %s: %v", name, named[name], err))
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// Command runs one command and returns the event that answers it.
func (enginePatcher) Command(line []byte) []byte {
	var cmd command
	if err := json.Unmarshal(line, &cmd); err != nil {
		fmt.Fprintf(os.Stderr, "hotreload: ignoring a malformed command from the engine: %v\n", err)
		return nil
	}
	switch cmd.Op {
	case opPatch:
		if err := applyPatch(cmd); err != nil {
			return encodeEvent(event{Event: eventPatchFailed, Slot: cmd.Slot, ID: cmd.ID, Error: err.Error()})
		}
		return encodeEvent(event{Event: eventPatched, Slot: cmd.Slot, ID: cmd.ID})
	default:
		// A newer engine's command: ignore it, so old programs keep working.
		fmt.Fprintf(os.Stderr, "hotreload: ignoring unknown command %q from the engine\n", cmd.Op)
		return nil
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

// encodeEvent is one event line without its newline; HTML characters stay as
// they are (the engine reads them as they were in Go's error).
func encodeEvent(ev event) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(ev) // strings and raw JSON from the engine: nothing to fail on
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
