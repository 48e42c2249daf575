package patch

import (
	"fmt"
	"os"
	"testing"
)

// pluginDir holds the plugins the tests build; removed when they finish.
var pluginDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hotreload-plugins-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pluginDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// newTestSlot makes a slot outside the registry, so tests can run any
// number of times (-count) without NewSlot's duplicate-name panic.
func newTestSlot[T any](name string) *Slot[T] {
	return &Slot[T]{name: name}
}
