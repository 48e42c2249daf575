package hotreload

import (
	"fmt"
	"os"
	"testing"
)

// childEnv selects, in a re-executed test binary, the child program to run
// instead of the tests. The package has already taken its handoff from the
// environment by then, exactly as in a real program.
const childEnv = "HOTRELOAD_TEST_CHILD"

// childModes are the child programs, registered by the test files that use them.
var childModes = map[string]func() int{}

// pluginDir holds the plugins the tests build; removed when they finish.
var pluginDir string

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		run, ok := childModes[mode]
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown child mode %q\n", mode)
			os.Exit(3)
		}
		os.Exit(run())
	}
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
