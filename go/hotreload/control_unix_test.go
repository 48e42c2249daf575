//go:build unix

package hotreload

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"hotreload.dev/go/hotreload/internal/slots"
	"hotreload.dev/go/hotreload/patch"
)

// The engine's patch commands and HOTRELOAD_PLUGINS, as this package reads
// them and hands them to the slots of hotreload/patch (through
// internal/slots): with fake loaders, and with real plugins.

func init() {
	childModes["slots"] = childSlots
}

// versioned is what childSlots reports: a slot's version and value.
type versioned interface {
	Version() uint64
	Get() fmt.Stringer
}

type str string

func (s str) String() string { return string(s) }

// fakeSlot is a slot registered straight in the registry, whose "plugins"
// are paths: "/fake/<text>" says <text>, "/fake/bad-version" fails like a
// plugin built against other package versions, "/fake/hang" never returns.
type fakeSlot struct {
	mu  sync.Mutex
	v   fmt.Stringer
	seq uint64
}

func (f *fakeSlot) load(path string) error {
	text := strings.TrimSuffix(strings.TrimPrefix(path, "/fake/"), ".so")
	switch text {
	case "hang":
		time.Sleep(time.Hour)
	case "bad-version":
		return fmt.Errorf("plugin.Open(%q): plugin was built with a different version of package example.com/app/shared", strings.TrimSuffix(path, ".so"))
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.v = str(text)
	return nil
}

func (f *fakeSlot) Version() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}

func (f *fakeSlot) Get() fmt.Stringer {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.v
}

// childSlots declares the slot "greeting" (fake with HRT_FAKE, else a real
// patch.Slot) and reports every new version.
func childSlots() int {
	var greeting versioned
	if os.Getenv("HRT_FAKE") != "" {
		fake := &fakeSlot{}
		slots.Register("greeting", fake.load)
		greeting = fake
	} else {
		greeting = patch.NewSlot[fmt.Stringer]("greeting")
	}
	fmt.Printf("start\t%v\n", Start())
	if err := Ready(); err != nil {
		fmt.Println(err)
		return 1
	}
	stopping := Stopping()
	var seen uint64
	for {
		if v := greeting.Version(); v != seen {
			seen = v
			fmt.Printf("greeting\t%d\t%s\n", v, greeting.Get())
		}
		select {
		case <-stopping:
			return 0
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// slotsChild starts childSlots with one socket for both notify and control.
func slotsChild(t *testing.T, env ...string) (*child, *notifyReader, *os.File) {
	parent, childEnd := socketpair(t)
	c := startChild(t, "slots", childOpts{
		files: []*os.File{childEnd},
		env:   append([]string{"HOTRELOAD_NOTIFY_FD=3", "HOTRELOAD_CONTROL_FD=3"}, env...),
	})
	return c, readNotify(t, parent), parent
}

func sendPatch(t *testing.T, control *os.File, id any, slot, path string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"op": "patch", "slot": slot, "id": id, "path": path})
	if _, err := control.Write(append(b, '\n')); err != nil {
		t.Fatal(err)
	}
}

func TestControlPatchCommands(t *testing.T) {
	c, notify, control := slotsChild(t, "HRT_FAKE=1", `HOTRELOAD_PLUGINS={"greeting":"/fake/hello"}`)
	if got := c.expect("start"); got[0] != "<nil>" {
		t.Fatalf("Start() = %s", got[0])
	}
	notify.expect(`{"event":"ready"}`)
	if got := c.expect("greeting"); got[0] != "1" || got[1] != "hello" {
		t.Fatalf("after start: %v; want the plugin from HOTRELOAD_PLUGINS", got)
	}

	sendPatch(t, control, 7, "greeting", "/fake/bonjour")
	notify.expect(`{"event":"patched","slot":"greeting","id":7}`)
	if got := c.expect("greeting"); got[0] != "2" || got[1] != "bonjour" {
		t.Fatalf("after patch 7: %v", got)
	}

	sendPatch(t, control, 8, "greeting", "/fake/bad-version.so")
	notify.expect(`{"event":"patchFailed","slot":"greeting","id":8,"error":"plugin.Open(\"/fake/bad-version\"): plugin was built with a different version of package example.com/app/shared"}`)

	sendPatch(t, control, "x-9", "nope", "/fake/x")
	// (The declared list also has the examples' slot: same test binary.)
	if ev := notify.next(); !strings.HasPrefix(ev, `{"event":"patchFailed","slot":"nope","id":"x-9","error":"the program declares no slot \"nope\" (declared: `) || !strings.Contains(ev, "greeting") {
		t.Fatalf("patch of an unknown slot: %s", ev)
	}

	sendPatch(t, control, 10, "greeting", "relative.so")
	notify.expect(`{"event":"patchFailed","slot":"greeting","id":10,"error":"plugin path \"relative.so\" is not absolute"}`)

	// Garbage and unknown ops are skipped; the next command still works.
	if _, err := control.Write([]byte("not json\n{\"op\":\"future\"}\n\n")); err != nil {
		t.Fatal(err)
	}
	sendPatch(t, control, 11, "greeting", "/fake/hallo")
	notify.expect(`{"event":"patched","slot":"greeting","id":11}`)
	if got := c.expect("greeting"); got[0] != "3" || got[1] != "hallo" {
		t.Fatalf("after patch 11: %v", got)
	}

	control.Close() // the engine goes: the child stops by itself
	if st, _ := c.wait(5 * time.Second); !st.Success() {
		t.Fatalf("child: %v", st)
	}
}

// A plugin that never returns from HotReloadV1 must not keep the program
// alive once the engine is gone.
func TestEngineGoneDuringHangingPatch(t *testing.T) {
	c, notify, control := slotsChild(t, "HRT_FAKE=1")
	notify.expect(`{"event":"ready"}`)
	sendPatch(t, control, 1, "greeting", "/fake/hang")
	time.Sleep(100 * time.Millisecond) // the patch is under way
	closed := time.Now()
	control.Close()
	st, exited := c.wait(5 * time.Second)
	if !st.Success() {
		t.Fatalf("child: %v", st)
	}
	if d := exited.Sub(closed); d > 1500*time.Millisecond {
		t.Fatalf("the orphan took %v to exit", d)
	}
}

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

// buildPlugin builds main.go as a plugin in its own module under
// pluginDir/name, from a list of files (a distinct plugin path per build), as
// the engine does; gomod lines are appended to go.mod. It skips the test when
// this build cannot load plugins.
func buildPlugin(t *testing.T, name, mainGo string, gomod ...string) string {
	t.Helper()
	if err := new(patch.Slot[fmt.Stringer]).Load("/nonexistent.so"); errors.Is(err, patch.ErrPluginsUnsupported) {
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
	args = append(args, "-o", out, "main.go")
	cmd := exec.Command(goTool(), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return out
}

const greeterPlugin = `package main

type greeter struct{}

func (greeter) String() string { return %q }

func HotReloadV1() any { return greeter{} }
`

// The whole path: the engine sends patch commands with real plugins over
// the control descriptor and gets patched / patchFailed back.
func TestRealPluginOverControl(t *testing.T) {
	v1 := buildPlugin(t, "control-v1", fmt.Sprintf(greeterPlugin, "one"))
	v2 := buildPlugin(t, "control-v2", fmt.Sprintf(greeterPlugin, "two"))
	// Built against this package without its tests, which the test binary has: another version.
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	bad := buildPlugin(t, "otherversion", "package main\n\nimport \"hotreload.dev/go/hotreload\"\n\nfunc HotReloadV1() any { return hotreload.DrainTimeout }\n",
		"require hotreload.dev/go/hotreload v0.0.0", "replace hotreload.dev/go/hotreload => "+here)
	c, notify, control := slotsChild(t, fmt.Sprintf(`HOTRELOAD_PLUGINS={"greeting":%q}`, v1))
	if got := c.expect("start"); got[0] != "<nil>" {
		t.Fatalf("Start() = %s", got[0])
	}
	notify.expect(`{"event":"ready"}`)
	if got := c.expect("greeting"); got[1] != "one" {
		t.Fatalf("startup plugin: %v", got)
	}
	sendPatch(t, control, 1, "greeting", v2)
	notify.expect(`{"event":"patched","slot":"greeting","id":1}`)
	if got := c.expect("greeting"); got[0] != "2" || got[1] != "two" {
		t.Fatalf("after patch: %v", got)
	}
	sendPatch(t, control, 2, "greeting", bad)
	ev := notify.next()
	want := `{"event":"patchFailed","slot":"greeting","id":2,"error":"plugin.Open(\"` + strings.TrimSuffix(bad, ".so") + `\"): plugin was built with a different version of package hotreload.dev/go/hotreload"}`
	if ev != want {
		t.Fatalf("event = %s\nwant    %s", ev, want)
	}
	control.Close()
	if st, _ := c.wait(5 * time.Second); !st.Success() {
		t.Fatalf("child: %v", st)
	}
}
