package hotreload

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The golden files hold the lines of the handoff protocol as they go over the
// notify and control descriptors; the engine's unit test
// (test/unit/handoffProtocol.test.ts) reads every line with the engine's types
// and with the Node hook's parser and serializer. Without -update these tests
// compare what they produce with the files; with it they rewrite them:
//
//	cd go/hotreload && go test -run Golden -update .
var update = flag.Bool("update", false, "rewrite the golden files under test/fixtures/protocol/handoff")

const goldenDir = "../../test/fixtures/protocol/handoff"

// checkGolden compares lines with the golden file name (or writes it, with -update).
func checkGolden(t *testing.T, name string, lines []string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	got := strings.Join(lines, "\n") + "\n"
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if bytes.Equal([]byte(got), want) {
		return
	}
	gotLines, wantLines := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Fatalf("%s differs from what goes over the wire at line %d:\n got  %s\n want %s\n(if the protocol changed on purpose, run go test -update and change the engine, src/engine/strategies/handoff/protocol.ts, and the Node hook, src/runtime/node/hook/protocol.ts, to match)", path, i+1, g, w)
		}
	}
}
