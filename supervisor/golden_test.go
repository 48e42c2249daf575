package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The golden files hold what goes over the wire, one JSON message per line; the engine's unit test
// (test/unit/supervisorProtocol.test.ts) decodes every line with its own types. Without -update
// these tests compare what they produce with the files; with it they rewrite them:
//
//	cd supervisor && go test -run 'Golden' -update .
var update = flag.Bool("update", false, "rewrite the golden files under test/fixtures/protocol/supervisor")

const goldenDir = "../test/fixtures/protocol/supervisor"

// checkGolden compares lines with the golden file name (or writes it, with -update).
func checkGolden(t *testing.T, name string, lines [][]byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	got := append(bytes.Join(lines, []byte("\n")), '\n')
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Fatalf("%s differs from what goes over the wire at line %d:\n got  %s\n want %s\n(if the protocol changed on purpose, run go test -update and change the engine's side, src/engine/processes/supervisor/protocol.ts, to match)", path, i+1, g, w)
		}
	}
}
