//go:build unix

package patch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goTool is the go command of the toolchain that built this test, so that
// plugins match it.
func goTool() string {
	if root := runtime.GOROOT(); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

const greeterPlugin = `package main

type greeter struct{}

func (greeter) String() string { return %q }

func HotReloadV1() any { return greeter{} }
`

// buildPlugin builds a package main from the given main.go in its own module
// under pluginDir/name, as the engine should: from a list of files, which
// gives each build a distinct plugin path. With byPackage it is built by
// package path instead ("./"), which does not. gomod lines are appended to
// go.mod. It skips the test when this build cannot load plugins.
func buildPlugin(t *testing.T, name, mainGo string, byPackage bool, gomod ...string) string {
	t.Helper()
	if !pluginsSupported {
		t.Skipf("skipping: this build cannot load Go plugins (GOOS=%s; they need linux, darwin or freebsd and CGO_ENABLED=1)", runtime.GOOS)
	}
	if testing.Short() {
		t.Skip("skipping plugin builds in -short mode")
	}
	dir := filepath.Join(pluginDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mod := "module hrtplugin/" + name + "\n\ngo 1.19\n" + strings.Join(gomod, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(mainGo), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name+".so")
	args := []string{"build", "-buildmode=plugin"}
	if raceEnabled {
		args = append(args, "-race") // the plugin must match the program
	}
	args = append(args, "-o", out)
	if byPackage {
		args = append(args, ".")
	} else {
		args = append(args, "main.go")
	}
	cmd := exec.Command(goTool(), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return out
}

func TestRealPluginLoadAndSwap(t *testing.T) {
	v1 := buildPlugin(t, "greeter-v1", fmt.Sprintf(greeterPlugin, "v1"), false)
	v2 := buildPlugin(t, "greeter-v2", fmt.Sprintf(greeterPlugin, "v2"), false)
	s := newTestSlot[fmt.Stringer]("real")
	for i, p := range []string{v1, v2} {
		if err := s.Load(p); err != nil {
			t.Fatal(err)
		}
		if got, want := s.Get().String(), fmt.Sprintf("v%d", i+1); got != want || s.Version() != uint64(i+1) {
			t.Fatalf("after loading %s: %q, version %d", p, got, s.Version())
		}
	}

	// The same plugin into a slot of another type: a clear error.
	r := newTestSlot[io.Reader]("real-reader")
	err := r.Load(v1)
	if err == nil || !strings.Contains(err.Error(), "which does not implement io.Reader (missing method Read)") {
		t.Fatalf("Load into an io.Reader slot: %v", err)
	}
	t.Logf("wrong type: %v", err)
}

func TestRealPluginFailures(t *testing.T) {
	cases := []struct {
		name, src string
		want      string
	}{
		{"nosym", "package main\n\nfunc HotReloadV2() any { return nil }\n", "symbol HotReloadV1 not found"},
		{"varsym", "package main\n\nvar HotReloadV1 = 42\n", "HotReloadV1 has type *int; the plugin must declare func HotReloadV1() any"},
		{"panics", "package main\n\nfunc HotReloadV1() any { panic(\"boom\") }\n", "HotReloadV1 panicked: boom"},
		{"initpanic", "package main\n\nfunc init() { panic(\"init boom\") }\n\nfunc HotReloadV1() any { return nil }\n", "plugin initialisation panicked: init boom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := buildPlugin(t, c.name, c.src, false)
			s := newTestSlot[fmt.Stringer](c.name)
			s.Set(str("kept"))
			err := s.Load(p)
			var le *LoadError
			if !errors.As(err, &le) || !strings.Contains(le.Err.Error(), c.want) {
				t.Fatalf("Load = %v; want a LoadError containing %q", err, c.want)
			}
			if s.Get().String() != "kept" {
				t.Fatal("a failed load replaced the implementation")
			}
			t.Logf("%v", err)
		})
	}
}

// A plugin built against another version of a package the program has
// (here: this package, which the test binary has with its tests compiled in)
// is refused by plugin.Open; the error comes through verbatim.
func TestRealPluginDifferentPackageVersion(t *testing.T) {
	p := otherVersionPlugin(t)
	err := newTestSlot[fmt.Stringer]("other-version").Load(p)
	want := "plugin was built with a different version of package hotreload.dev/go/hotreload/patch"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Load = %v; want it to contain %q", err, want)
	}
	t.Logf("%v", err)
}

func otherVersionPlugin(t *testing.T) string {
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return buildPlugin(t, "otherversion", `package main

import "hotreload.dev/go/hotreload/patch"

func HotReloadV1() any { return patch.ErrPluginsUnsupported }
`, false, "require hotreload.dev/go/hotreload v0.0.0", "replace hotreload.dev/go/hotreload => "+filepath.Dir(here))
}

// Building a plugin by package path gives every build the same plugin path,
// and Go refuses the second ("plugin already loaded"): builders must build
// from a list of files. This guards what the documentation tells them.
func TestRealPluginSamePluginPath(t *testing.T) {
	a := buildPlugin(t, "samepath", fmt.Sprintf(greeterPlugin, "a"), true)
	moved := filepath.Join(pluginDir, "samepath-a.so")
	if err := os.Rename(a, moved); err != nil {
		t.Fatal(err)
	}
	b := buildPlugin(t, "samepath", fmt.Sprintf(greeterPlugin, "b"), true)
	s := newTestSlot[fmt.Stringer]("samepath")
	if err := s.Load(moved); err != nil {
		t.Fatal(err)
	}
	err := s.Load(b)
	if err == nil || !strings.Contains(err.Error(), "plugin already loaded") {
		t.Fatalf("second build by package path: %v; want Go's plugin already loaded", err)
	}
	if s.Get().String() != "a" {
		t.Fatal("the refused plugin replaced the implementation")
	}
}
