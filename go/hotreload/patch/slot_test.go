package patch

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"hotreload.dev/go/hotreload/internal/slots"
)

type str string

func (s str) String() string { return string(s) }

// fakeOpener serves "plugins" from a map of path to exported symbols.
func fakeOpener(plugins map[string]map[string]any) opener {
	return func(path string) (func(string) (any, error), error) {
		syms, ok := plugins[path]
		if !ok {
			return nil, fmt.Errorf("plugin.Open(%q): realpath failed", path)
		}
		return func(name string) (any, error) {
			if sym, ok := syms[name]; ok {
				return sym, nil
			}
			return nil, fmt.Errorf("plugin: symbol %s not found in plugin fake", name)
		}, nil
	}
}

func entry(v any) map[string]any {
	return map[string]any{EntrySymbol: func() any { return v }}
}

func TestSlotEmptyAndSet(t *testing.T) {
	s := newTestSlot[fmt.Stringer]("empty")
	if s.Get() != nil || s.Version() != 0 {
		t.Fatalf("new slot: Get() = %v, Version() = %d; want nil, 0", s.Get(), s.Version())
	}
	s.Set(str("builtin"))
	if got := s.Get().String(); got != "builtin" || s.Version() != 1 {
		t.Fatalf("after Set: %q, version %d", got, s.Version())
	}
	if s.Name() != "empty" {
		t.Fatalf("Name() = %q", s.Name())
	}
}

func TestSlotLoadFake(t *testing.T) {
	s := newTestSlot[fmt.Stringer]("fake")
	s.open = fakeOpener(map[string]map[string]any{
		"/p/one.so": entry(str("one")),
		"/p/two.so": entry(str("two")),
	})
	for i, want := range []string{"one", "two"} {
		if err := s.Load("/p/" + want + ".so"); err != nil {
			t.Fatal(err)
		}
		if got := s.Get().String(); got != want || s.Version() != uint64(i+1) {
			t.Fatalf("Get() = %q, Version() = %d; want %q, %d", got, s.Version(), want, i+1)
		}
	}
}

func TestSlotLoadFailuresKeepCurrent(t *testing.T) {
	s := newTestSlot[fmt.Stringer]("failures")
	s.open = fakeOpener(map[string]map[string]any{
		"/p/reader.so":   entry(strings.NewReader("x")),
		"/p/nosym.so":    {"HotReloadV2": func() any { return str("v2") }},
		"/p/var.so":      {EntrySymbol: new(int)},
		"/p/panic.so":    {EntrySymbol: func() any { panic("boom") }},
		"/p/nil.so":      entry(nil),
		"/p/refuse.so":   entry(errors.New("no database")),
		"/p/oldfunc.so":  {EntrySymbol: func() string { return "x" }},
		"/p/wrongsig.so": entry(wrongSig{}),
	})
	s.Set(str("current"))
	cases := []struct{ path, want string }{
		{"/p/missing.so", `plugin.Open("/p/missing.so"): realpath failed`},
		{"/p/reader.so", "HotReloadV1 returned a *strings.Reader, which does not implement fmt.Stringer (missing method String)"},
		{"/p/nosym.so", "plugin: symbol HotReloadV1 not found"},
		{"/p/var.so", "HotReloadV1 has type *int; the plugin must declare func HotReloadV1() any"},
		{"/p/oldfunc.so", "HotReloadV1 has type func() string"},
		{"/p/panic.so", "HotReloadV1 panicked: boom"},
		{"/p/nil.so", "HotReloadV1 returned nil; want fmt.Stringer"},
		{"/p/refuse.so", "HotReloadV1 refused to load: no database"},
		{"/p/wrongsig.so", "method String has type func() int, want func() string"},
	}
	for _, c := range cases {
		err := s.Load(c.path)
		var le *LoadError
		if !errors.As(err, &le) || le.Slot != "failures" || le.Path != c.path {
			t.Fatalf("Load(%s) = %v; want a *LoadError for the slot and path", c.path, err)
		}
		if !strings.Contains(le.Err.Error(), c.want) {
			t.Errorf("Load(%s) cause = %q; want it to contain %q", c.path, le.Err, c.want)
		}
		if !strings.HasPrefix(err.Error(), `hotreload: slot "failures": loading `+c.path+": ") {
			t.Errorf("Load(%s) error = %q", c.path, err)
		}
	}
	if got := s.Get().String(); got != "current" || s.Version() != 1 {
		t.Fatalf("after failed loads: %q version %d; want the current implementation kept", got, s.Version())
	}
}

type wrongSig struct{}

func (wrongSig) String() int { return 1 }

func TestSlotConcreteType(t *testing.T) {
	s := newTestSlot[func(int) int]("func")
	s.open = fakeOpener(map[string]map[string]any{
		"/p/double.so": entry(func(x int) int { return 2 * x }),
		"/p/str.so":    entry("nope"),
	})
	if err := s.Load("/p/double.so"); err != nil {
		t.Fatal(err)
	}
	if got := s.Get()(21); got != 42 {
		t.Fatalf("Get()(21) = %d", got)
	}
	err := s.Load("/p/str.so")
	if err == nil || !strings.Contains(err.Error(), "HotReloadV1 returned a string; want func(int) int") {
		t.Fatalf("Load of a string into a func slot: %v", err)
	}
}

func TestPluginsUnsupportedError(t *testing.T) {
	if pluginsSupported {
		t.Skip("this build supports plugins")
	}
	err := newTestSlot[fmt.Stringer]("nop").Load("/x.so")
	if !errors.Is(err, ErrPluginsUnsupported) {
		t.Fatalf("Load = %v; want ErrPluginsUnsupported", err)
	}
}

// TestSlotConcurrentSwaps runs readers against repeated swaps: run it with
// -race. Every Get must return a whole implementation, and Version must
// never go backwards.
func TestSlotConcurrentSwaps(t *testing.T) {
	const swaps = 2000
	plugins := map[string]map[string]any{}
	for i := 1; i <= swaps; i++ {
		plugins[fmt.Sprintf("/p/%d.so", i)] = entry(str(fmt.Sprint(i)))
	}
	s := newTestSlot[fmt.Stringer]("concurrent")
	s.open = fakeOpener(plugins)
	s.Set(str("0"))

	stop := make(chan struct{})
	var readers sync.WaitGroup
	for r := 0; r < 8; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			var last uint64
			for {
				select {
				case <-stop:
					return
				default:
				}
				v := s.Get()
				if v == nil || v.String() == "" {
					t.Error("Get returned an empty implementation during a swap")
					return
				}
				ver := s.Version()
				if ver < last {
					t.Errorf("Version went back from %d to %d", last, ver)
					return
				}
				last = ver
			}
		}()
	}
	// Two writers, to check that Load serialises.
	var writers sync.WaitGroup
	for w := 0; w < 2; w++ {
		writers.Add(1)
		go func(w int) {
			defer writers.Done()
			for i := 1 + w; i <= swaps; i += 2 {
				if err := s.Load(fmt.Sprintf("/p/%d.so", i)); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	if v := s.Version(); v != swaps+1 {
		t.Fatalf("Version() = %d after %d loads and a Set", v, swaps)
	}
}

func TestNewSlotRegistry(t *testing.T) {
	name := fmt.Sprintf("registry-%d", time.Now().UnixNano())
	s := NewSlot[io.Reader](name)
	defer slots.Unregister(name)
	load, _ := slots.Lookup(name)
	if load == nil {
		t.Fatal("NewSlot did not register the slot")
	}
	// The registry's loader is the slot's: the engine's commands reach it.
	s.open = fakeOpener(map[string]map[string]any{"/p/r.so": entry(strings.NewReader("r"))})
	if err := load("/p/r.so"); err != nil || s.Version() != 1 {
		t.Fatalf("the registered loader: %v, version %d", err, s.Version())
	}
	// It reports the cause alone: the engine knows the slot and the path.
	if err := load("/p/missing.so"); err == nil || strings.Contains(err.Error(), "slot") {
		t.Fatalf("the registered loader's error = %v; want the cause alone", err)
	}
	if _, declared := slots.Lookup("no-such-slot"); len(declared) == 0 {
		t.Fatal("Lookup of an unknown name lists no declared slots")
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "declared twice") {
			t.Fatalf("duplicate NewSlot: recover() = %v", r)
		}
	}()
	NewSlot[io.Reader](name)
}
