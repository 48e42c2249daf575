package patch

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"hotreload.dev/go/hotreload/internal/slots"
)

// EntrySymbol is the one symbol a hot-reload plugin exports:
//
//	func HotReloadV1() any
//
// The plugin is a package main built with -buildmode=plugin. HotReloadV1 is
// called once per load and returns the implementation for a slot, a value of
// the slot's type (usually an interface declared in a package that the host
// and the plugin both import). It may do set-up work, and it may return an
// error value instead to refuse loading. The version suffix lets a future
// contract (HotReloadV2) be exported next to this one.
const EntrySymbol = "HotReloadV1"

// ErrPluginsUnsupported is returned (wrapped) by Slot.Load in builds that
// cannot load Go plugins: plugins need linux, darwin or freebsd, cgo
// (CGO_ENABLED=1), and no hotreload_noplugin build tag.
var ErrPluginsUnsupported = errors.New("hotreload/patch: this build of the program cannot load Go plugins (they need linux, darwin or freebsd with cgo enabled, and no hotreload_noplugin build tag)")

// LoadError is returned by Slot.Load. Err is the cause as Go reported it,
// verbatim (for example `plugin.Open("/x/rules-7.so"): plugin was built with
// a different version of package example.com/app/shared`); it is what the
// engine receives in a patchFailed event.
type LoadError struct {
	Slot string
	Path string
	Err  error
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("hotreload: slot %q: loading %s: %v", e.Slot, e.Path, e.Err)
}

func (e *LoadError) Unwrap() error { return e.Err }

// opener opens a plugin and returns its symbol lookup. Tests replace it.
type opener func(path string) (lookup func(symbol string) (any, error), err error)

// Slot holds the current implementation of one piece of reloadable logic.
// Get is safe from any number of goroutines at any time, including while
// Load swaps the implementation; it never blocks.
type Slot[T any] struct {
	name string
	cur  atomic.Pointer[version[T]]
	mu   sync.Mutex // serialises Load and Set
	seq  uint64     // guarded by mu
	open opener     // nil: real Go plugins
}

type version[T any] struct {
	v   T
	seq uint64
}

// NewSlot declares the slot name (the name the engine uses in
// HOTRELOAD_PLUGINS and in patch commands) holding values of type T. Declare
// slots in package-level variables, so they exist before hotreload.Start
// loads the plugins named in HOTRELOAD_PLUGINS:
//
//	var rules = patch.NewSlot[shared.Rules]("rules")
//
// Until something is loaded or Set, Get returns the zero value of T (nil
// for an interface). NewSlot panics if name is empty or already declared.
func NewSlot[T any](name string) *Slot[T] {
	s := &Slot[T]{name: name}
	slots.Register(name, s.loadCause)
	return s
}

// Name returns the slot's name.
func (s *Slot[T]) Name() string { return s.name }

// Get returns the current implementation (the zero value of T if none).
// Call it each time the logic is used, rather than keeping the result, so
// that a patch takes effect at once.
func (s *Slot[T]) Get() T {
	if v := s.cur.Load(); v != nil {
		return v.v
	}
	var zero T
	return zero
}

// Version counts the implementations installed so far by Load and Set:
// 0 before the first, then 1, 2, ...
func (s *Slot[T]) Version() uint64 {
	if v := s.cur.Load(); v != nil {
		return v.seq
	}
	return 0
}

// Set installs v directly, for example a built-in default used when the
// program runs without the engine.
func (s *Slot[T]) Set(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.cur.Store(&version[T]{v: v, seq: s.seq})
}

// Load opens the Go plugin at path, calls its HotReloadV1 function and, if
// it returns a T, makes that the implementation Get returns. On any failure
// the current implementation stays and a *LoadError is returned: a plugin
// that cannot be opened (the error of plugin.Open, verbatim), that lacks
// HotReloadV1 or declares it with another type, whose initialisation or
// HotReloadV1 panics, or that returns an error or a value of another type.
//
// The engine calls Load for you (HOTRELOAD_PLUGINS at Start, and patch
// commands); a program calls it itself only to load plugins of its own.
// Go cannot unload plugins: each load stays in memory until the program exits.
func (s *Slot[T]) Load(path string) error {
	if err := s.loadCause(path); err != nil {
		return &LoadError{Slot: s.name, Path: path, Err: err}
	}
	return nil
}

// loadCause is Load for the engine's commands, which report the cause alone.
func (s *Slot[T]) loadCause(path string) error {
	v, err := s.instantiate(path)
	if err != nil {
		return err
	}
	s.Set(v)
	return nil
}

func (s *Slot[T]) instantiate(path string) (v T, err error) {
	open := s.open
	if open == nil {
		open = openPlugin
	}
	lookup, err := safeOpen(open, path)
	if err != nil {
		return v, err
	}
	sym, err := lookup(EntrySymbol)
	if err != nil {
		return v, err
	}
	entry, ok := sym.(func() any)
	if !ok {
		return v, fmt.Errorf("%s has type %s; the plugin must declare func %s() any", EntrySymbol, typeName(reflect.TypeOf(sym)), EntrySymbol)
	}
	got, err := safeCall(entry)
	if err != nil {
		return v, err
	}
	if e, isErr := got.(error); isErr {
		if _, isT := got.(T); !isT {
			return v, fmt.Errorf("%s refused to load: %w", EntrySymbol, e)
		}
	}
	if got == nil {
		return v, fmt.Errorf("%s returned nil; want %s", EntrySymbol, typeName(typeOf[T]()))
	}
	impl, ok := got.(T)
	if !ok {
		return v, mismatch(reflect.TypeOf(got), typeOf[T]())
	}
	return impl, nil
}

func typeOf[T any]() reflect.Type {
	return reflect.TypeOf((*T)(nil)).Elem()
}

func safeOpen(open opener, path string) (lookup func(string) (any, error), err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin initialisation panicked: %v", r)
		}
	}()
	return open(path)
}

func safeCall(entry func() any) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s panicked: %v", EntrySymbol, r)
		}
	}()
	return entry(), nil
}

// typeName names a type with its full package path, which is what tells two
// same-named types apart.
func typeName(t reflect.Type) string {
	if t == nil {
		return "nil"
	}
	if t.Kind() == reflect.Ptr && t.Name() == "" {
		return "*" + typeName(t.Elem())
	}
	if t.Name() != "" && t.PkgPath() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}

// mismatch explains why got is not want.
func mismatch(got, want reflect.Type) error {
	if want.Kind() != reflect.Interface {
		return fmt.Errorf("%s returned a %s; want %s", EntrySymbol, typeName(got), typeName(want))
	}
	var why []string
	for i := 0; i < want.NumMethod(); i++ {
		m := want.Method(i)
		gm, ok := got.MethodByName(m.Name)
		if !ok {
			why = append(why, "missing method "+m.Name)
			continue
		}
		// Compare signatures without the receiver.
		var in, out []reflect.Type
		for j := 1; j < gm.Type.NumIn(); j++ {
			in = append(in, gm.Type.In(j))
		}
		for j := 0; j < gm.Type.NumOut(); j++ {
			out = append(out, gm.Type.Out(j))
		}
		if sig := reflect.FuncOf(in, out, gm.Type.IsVariadic()); sig != m.Type {
			why = append(why, fmt.Sprintf("method %s has type %s, want %s", m.Name, sig, m.Type))
		}
	}
	detail := ""
	if len(why) > 0 {
		detail = " (" + strings.Join(why, "; ") + ")"
	}
	return fmt.Errorf("%s returned a %s, which does not implement %s%s", EntrySymbol, typeName(got), typeName(want), detail)
}
