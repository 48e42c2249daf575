// Package slots is the registry between hotreload, which reads the engine's
// control descriptor, and hotreload/patch, which declares slots, loads
// plugins and speaks the patch commands (JSON). It lives apart from both so
// that hotreload need not import patch (and with it the plugin package, cgo,
// the external linker and encoding/json): a program that never patches links
// none of it.
package slots

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
)

// Loader loads the plugin at path into one slot. It returns the cause of a
// failure as Go reported it, verbatim, without the slot's name or the path.
type Loader func(path string) error

var registry = struct {
	sync.Mutex
	m map[string]Loader
}{m: map[string]Loader{}}

// Register declares the slot name. It panics if name is empty or already
// declared: slot names are how the engine addresses slots.
func Register(name string, load Loader) {
	if name == "" {
		panic("hotreload: a slot with an empty name")
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.m[name]; dup {
		panic(fmt.Sprintf("hotreload: slot %q declared twice; slot names must be unique", name))
	}
	registry.m[name] = load
}

// Unregister removes a slot (tests that declare slots more than once).
func Unregister(name string) {
	registry.Lock()
	defer registry.Unlock()
	delete(registry.m, name)
}

// Lookup returns the slot's loader, or nil and the declared names, sorted.
func Lookup(name string) (Loader, []string) {
	registry.Lock()
	defer registry.Unlock()
	if load, ok := registry.m[name]; ok {
		return load, nil
	}
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, names
}

// Patcher is what package patch adds to a program that links it: the
// engine's plugin commands and HOTRELOAD_PLUGINS, both JSON, decoded there.
type Patcher interface {
	// Startup loads the plugins of HOTRELOAD_PLUGINS (a JSON object of slot
	// name to plugin path) into their slots.
	Startup(plugins string) error
	// Command runs one command line from the engine and returns the event
	// line to answer with (without its newline), or nil for none.
	Command(line []byte) []byte
}

var patcher atomic.Value // of patcherBox

type patcherBox struct{ p Patcher }

// SetPatcher installs package patch's Patcher (from its init).
func SetPatcher(p Patcher) { patcher.Store(patcherBox{p}) }

// CurrentPatcher is the installed Patcher, or nil when the program does not
// link package patch.
func CurrentPatcher() Patcher {
	if b, ok := patcher.Load().(patcherBox); ok {
		return b.p
	}
	return nil
}
