package main

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

func newTestReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

// TestMain lets this test binary be the supervisor's reaper and exec shim: startProgram runs its
// own executable (os.Executable) in those modes, as the real supervisor does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "reap":
			os.Exit(reapMain(os.Args[2:]))
		case "exec":
			os.Exit(execMain(os.Args[2:]))
		}
	}
	os.Exit(m.Run())
}
