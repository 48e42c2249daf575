// Package slots is the registry between hotreload, which reads the engine's
// plugin commands, and hotreload/patch, which declares slots and loads
// plugins. It lives apart from both so that hotreload need not import patch
// (and with it the plugin package, cgo and the external linker): a program
// that never patches links none of it.
package slots

import (
	"fmt"
	"sort"
	"sync"
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
