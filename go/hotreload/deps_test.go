//go:build unix

package hotreload

import (
	"os/exec"
	"strings"
	"testing"
)

// Programs that import this package for the handoff alone must not link Go's
// plugin support: the plugin package needs cgo and makes the Go linker hand
// the link to gcc, doubling a small program's rebuild. Slots live in
// hotreload/patch for that reason, and so does the JSON of the patch
// commands: encoding/json is ~5% of a small server's binary, linked again at
// every rebuild.
func TestNoPluginDependency(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command(goTool(), "list", "-deps", "-f", "{{.ImportPath}}", ".")
	cmd.Env = append(cmd.Environ(), "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "plugin" || pkg == "hotreload.dev/go/hotreload/patch" || pkg == "encoding/json" {
			t.Errorf("hotreload depends on %s", pkg)
		}
	}
}
