package hotreload

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"hotreload.dev/go/hotreload/internal/slots"
)

// testEnv is an environment for newProgram: variables given as "K=V", a pid
// of 4242, and a program that never signals nor ends this test binary (what
// it would have done is counted).
type testEnv struct {
	mu         sync.Mutex
	vars       map[string]string
	terminated int
	exits      []int
	terminates chan struct{} // one per termination
}

func newTestEnv(vars ...string) *testEnv {
	e := &testEnv{vars: map[string]string{}, terminates: make(chan struct{}, 16)}
	for _, kv := range vars {
		k, v, _ := strings.Cut(kv, "=")
		e.vars[k] = v
	}
	return e
}

func (e *testEnv) environment() environment {
	return environment{
		lookup: func(key string) (string, bool) {
			e.mu.Lock()
			defer e.mu.Unlock()
			v, ok := e.vars[key]
			return v, ok
		},
		unset: func(key string) {
			e.mu.Lock()
			defer e.mu.Unlock()
			delete(e.vars, key)
		},
		pid:  4242,
		ppid: 4241,
		terminate: func() {
			e.mu.Lock()
			e.terminated++
			e.mu.Unlock()
			e.terminates <- struct{}{}
		},
		exit: func(code int) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.exits = append(e.exits, code)
		},
	}
}

func (e *testEnv) has(key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.vars[key]
	return ok
}

func (e *testEnv) terminations() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.terminated
}

// handedOver are the variables the package removes once read.
var handedOver = []string{envListenPID, envListenFDs, envListenFDNames, envListenParent, envNotifyFD, envControlFD, envPlugins}

// A malformed protocol environment is reported by Start (and so by Listen,
// Ready and Serve), every mistake of the descriptors and the drain timeout at
// once, and the variables that hand over
// descriptors are removed all the same.
func TestMalformedEnvironment(t *testing.T) {
	cases := []struct {
		name   string
		vars   []string
		fdOnly bool // the descriptor variables are ignored where descriptors cannot be passed
		want   []string
	}{
		// The plugins are package patch's to read, once the rest of the environment is sound.
		{"plugins", []string{envPlugins + "=[1]"}, false, []string{"HOTRELOAD_PLUGINS is not a JSON object"}},
		{"drain timeout", []string{envPlugins + "=[1]", envDrainTimeout + "=soon"}, false, []string{`HOTRELOAD_DRAIN_TIMEOUT="soon"`}},
		{"negative drain timeout", []string{envDrainTimeout + "=-1s"}, false, []string{`HOTRELOAD_DRAIN_TIMEOUT="-1s" is neither a duration`}},
		{"listen fds not a number", []string{envListenPID + "=4242", envListenFDs + "=two"}, true, []string{`LISTEN_FDS="two" is not a count of descriptors`}},
		{"listen fds negative", []string{envListenPID + "=4242", envListenFDs + "=-1"}, true, []string{`LISTEN_FDS="-1" is not a count of descriptors`}},
		{"channel fds not numbers", []string{envNotifyFD + "=x", envControlFD + "=-2"}, true,
			[]string{`HOTRELOAD_NOTIFY_FD="x" is not a file descriptor number`, `HOTRELOAD_CONTROL_FD="-2" is not a file descriptor number`}},
		{"channel fds not open", []string{envNotifyFD + "=1048575", envControlFD + "=1048574"}, true,
			[]string{"HOTRELOAD_NOTIFY_FD=1048575: bad file descriptor", "HOTRELOAD_CONTROL_FD=1048574: bad file descriptor"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.fdOnly && !fdPassingSupported {
				t.Skip("descriptor variables are ignored on this system")
			}
			env := newTestEnv(c.vars...)
			p := newProgram(env.environment())
			err := p.start()
			if err == nil {
				t.Fatal("Start() accepted a malformed environment")
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Start() = %v\nwant it to contain %s", err, want)
				}
			}
			if again := p.start(); again != err {
				t.Errorf("a second Start() = %v; want the first one's result", again)
			}
			if _, err := p.listen("tcp", "127.0.0.1:0"); err == nil {
				t.Error("Listen did not report the malformed environment")
			}
			for _, v := range handedOver {
				if env.has(v) {
					t.Errorf("%s is still set", v)
				}
			}
		})
	}
}

// Sockets meant for another process (LISTEN_PID is not ours) are not taken,
// and the variables are removed all the same, as sd_listen_fds does.
func TestListenPIDOfAnother(t *testing.T) {
	env := newTestEnv(envListenPID+"=1", envListenFDs+"=1", envListenFDNames+"=web", envNotifySocket+"=/run/notify")
	p := newProgram(env.environment())
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	if n := len(p.handoff.listeners); n != 0 {
		t.Fatalf("took %d listeners meant for pid 1", n)
	}
	for _, v := range handedOver {
		if env.has(v) {
			t.Errorf("%s is still set", v)
		}
	}
	if !env.has(envNotifySocket) {
		t.Error("NOTIFY_SOCKET was removed; other code in the program may use it")
	}
}

// Plugins named in HOTRELOAD_PLUGINS that cannot be loaded, or name a slot
// the program does not declare, are Start's error.
func TestStartupPluginErrors(t *testing.T) {
	slots.Register("startup", func(path string) error {
		return fmt.Errorf("plugin.Open(%q): plugin was built with a different version of package example.com/app/shared", strings.TrimSuffix(path, ".so"))
	})
	t.Cleanup(func() { slots.Unregister("startup") })
	env := newTestEnv(envPlugins + `={"startup":"/fake/bad-version.so","other":"/x.so"}`)
	err := newProgram(env.environment()).start()
	if err == nil {
		t.Fatal("Start() = nil")
	}
	for _, want := range []string{
		`hotreload: slot "startup": loading /fake/bad-version.so: plugin.Open("/fake/bad-version"): plugin was built with a different version of package example.com/app/shared`,
		`HOTRELOAD_PLUGINS names slot "other", but the program declares no such slot (declared: `,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Start() = %s\nwant it to contain %s", err, want)
		}
	}
}
