//go:build unix

package hotreload

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ---- the parent's side: starting a child like the engine does ----

type childOpts struct {
	files   []*os.File // become descriptors 3, 4, ... in the child
	env     []string
	wrapPID bool // set LISTEN_PID to the child's own pid, as the engine must
}

type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  chan string // the child's stdout, line by line
	stderr *syncBuffer
	done   chan struct{}
	state  *os.ProcessState
	exited time.Time
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startChild(t *testing.T, mode string, o childOpts) *child {
	t.Helper()
	var cmd *exec.Cmd
	if o.wrapPID {
		// The pid is only known after fork: a shell sets it and execs the
		// program, which keeps the shell's pid.
		cmd = exec.Command("/bin/sh", "-c", `LISTEN_PID=$$; export LISTEN_PID; exec "$0" "$@"`, os.Args[0], "-test.run=^$")
	} else {
		cmd = exec.Command(os.Args[0], "-test.run=^$")
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "LISTEN_") || strings.HasPrefix(k, "HOTRELOAD_") || k == envNotifySocket {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, childEnv+"="+mode)
	cmd.Env = append(cmd.Env, o.env...)
	cmd.ExtraFiles = o.files
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = pw
	c := &child{t: t, cmd: cmd, lines: make(chan string, 100), stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	for _, f := range o.files {
		f.Close() // the child has them now
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
		pr.Close()
	}()
	go func() {
		_ = cmd.Wait()
		c.state, c.exited = cmd.ProcessState, time.Now()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = cmd.Process.Kill()
			<-c.done
		}
		if t.Failed() {
			t.Logf("child %s stderr:\n%s", mode, c.stderr.String())
		}
	})
	return c
}

// expect returns the next stdout line starting with prefix (earlier lines
// are skipped), split on tabs after the prefix.
func (c *child) expect(prefix string) []string {
	c.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				c.t.Fatalf("child exited before printing %q; stderr:\n%s", prefix, c.stderr.String())
			}
			if strings.HasPrefix(l, prefix) {
				return strings.Split(strings.TrimPrefix(strings.TrimPrefix(l, prefix), "\t"), "\t")
			}
		case <-timeout:
			c.t.Fatalf("timed out waiting for the child to print %q; stderr:\n%s", prefix, c.stderr.String())
		}
	}
}

// wait waits for the child to exit and returns its state and when it exited.
func (c *child) wait(timeout time.Duration) (*os.ProcessState, time.Time) {
	c.t.Helper()
	select {
	case <-c.done:
		return c.state, c.exited
	case <-time.After(timeout):
		c.t.Fatalf("the child did not exit within %v; stderr:\n%s", timeout, c.stderr.String())
		return nil, time.Time{}
	}
}

// socketpair returns the two ends of a Unix stream socket pair, both
// close-on-exec (ExtraFiles clears that in the child).
func socketpair(t *testing.T) (parent, childEnd *os.File) {
	t.Helper()
	syscall.ForkLock.RLock()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fds[0])
		syscall.CloseOnExec(fds[1])
		// Non-blocking, so that os.File uses the poller and Close ends a
		// Read in progress and really closes the socket (an engine crash).
		err = syscall.SetNonblock(fds[0], true)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	parent = os.NewFile(uintptr(fds[0]), "parent-end")
	t.Cleanup(func() { parent.Close() })
	return parent, os.NewFile(uintptr(fds[1]), "child-end")
}

// notifyReader reads the events the child writes, one line at a time.
type notifyReader struct {
	t     *testing.T
	lines chan string
}

func readNotify(t *testing.T, f *os.File) *notifyReader {
	n := &notifyReader{t: t, lines: make(chan string, 100)}
	go func() {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			n.lines <- sc.Text()
		}
		close(n.lines)
	}()
	return n
}

func (n *notifyReader) next() string {
	n.t.Helper()
	select {
	case l, ok := <-n.lines:
		if !ok {
			n.t.Fatal("the notify descriptor closed before the expected event")
		}
		return l
	case <-time.After(20 * time.Second):
		n.t.Fatal("timed out waiting for an event on the notify descriptor")
	}
	return ""
}

func (n *notifyReader) expect(want string) {
	n.t.Helper()
	if got := n.next(); got != want {
		n.t.Fatalf("event = %s; want %s", got, want)
	}
}

func tcpListenerFile(t *testing.T) (net.Listener, *os.File) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	return ln, f
}

func dialRead(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ---- the children ----

func init() {
	childModes["listen"] = childListen
	childModes["ready"] = childReady
	childModes["serve"] = childServe
	childModes["plain"] = childPlain
	childModes["stubborn"] = childStubborn
}

// childListen calls Listen for each address in HRT_ADDRS, reports what it
// got and what is left of the environment, then answers one connection on
// each listener with "hello <i>".
func childListen() int {
	fmt.Printf("inherited\t%d\n", len(std.handoff.listeners))
	for _, v := range []string{envListenFDs, envListenPID, envListenFDNames, envListenParent} {
		_, set := os.LookupEnv(v)
		fmt.Printf("env\t%s\t%v\n", v, set)
	}
	var lns []net.Listener
	for _, addr := range strings.Split(os.Getenv("HRT_ADDRS"), ",") {
		ln, err := Listen("tcp", addr)
		if err != nil {
			fmt.Printf("listen\t%s\terror\t%v\n", addr, err)
			return 1
		}
		fmt.Printf("listen\t%s\t%s\n", addr, ln.Addr())
		lns = append(lns, ln)
	}
	fmt.Println("accepting")
	var wg sync.WaitGroup
	for i, ln := range lns {
		wg.Add(1)
		go func(i int, ln net.Listener) {
			defer wg.Done()
			c, err := ln.Accept()
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return
			}
			fmt.Fprintf(c, "hello %d", i)
			c.Close()
		}(i, ln)
	}
	wg.Wait()
	return 0
}

// childReady calls Ready, reports on its descriptors, and with HRT_WAIT_STOP
// waits for Stopping.
func childReady() int {
	fmt.Printf("ready\t%v\n", Ready())
	for _, v := range []string{envNotifyFD, envControlFD} {
		_, set := os.LookupEnv(v)
		fmt.Printf("env\t%s\t%v\n", v, set)
	}
	if runtime.GOOS == "linux" && std.handoff.notify != nil {
		fmt.Printf("cloexec\t%v\n", linuxCloexec(int(std.handoff.notify.Fd())))
	}
	if os.Getenv("HRT_WAIT_STOP") != "" {
		stopping := Stopping()
		fmt.Println("waiting")
		<-stopping
		fmt.Println("stopping")
		<-ShutdownContext().Done()
		fmt.Println("context done")
	}
	return 0
}

func linuxCloexec(fd int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/fdinfo/%d", fd))
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v := strings.TrimPrefix(l, "flags:"); v != l {
			flags, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
			return err == nil && flags&0o2000000 != 0
		}
	}
	return false
}

// childServe is an HTTP service adopted with one line. /slow announces
// itself on stdout, then answers after HRT_SLOW_MS.
func childServe() int {
	slow, _ := strconv.Atoi(os.Getenv("HRT_SLOW_MS"))
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("in-flight")
		time.Sleep(time.Duration(slow) * time.Millisecond)
		fmt.Fprint(w, "done")
	})
	err := ListenAndServe(&http.Server{Handler: mux}, "127.0.0.1:0")
	fmt.Printf("served\t%v\n", err)
	return 0
}

// childPlain listens and serves without watching Stopping.
func childPlain() int {
	ln, err := Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return 1
	}
	if err := Ready(); err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("serving")
	_ = http.Serve(ln, nil)
	return 0
}

// childStubborn ignores SIGTERM and never stops by itself.
func childStubborn() int {
	signal.Ignore(syscall.SIGTERM)
	if err := Ready(); err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("stubborn")
	time.Sleep(time.Hour)
	return 0
}

// ---- the tests ----

func TestInheritedListener(t *testing.T) {
	ln, f := tcpListenerFile(t)
	c := startChild(t, "listen", childOpts{
		files:   []*os.File{f},
		env:     []string{"LISTEN_FDS=1", "LISTEN_FDNAMES=web", "HRT_ADDRS=127.0.0.1:0"},
		wrapPID: true,
	})
	if n := c.expect("inherited"); n[0] != "1" {
		t.Fatalf("the child inherited %s listeners; want 1", n[0])
	}
	for i := 0; i < 3; i++ {
		if kv := c.expect("env"); kv[1] != "false" {
			t.Errorf("%s is still set in the child; the package must unset it", kv[0])
		}
	}
	if got := c.expect("listen"); got[1] != ln.Addr().String() {
		t.Fatalf("the child listens on %s; want the inherited %s", got[1], ln.Addr())
	}
	c.expect("accepting")
	if got := dialRead(t, ln.Addr().String()); got != "hello 0" {
		t.Fatalf("read %q from the inherited socket", got)
	}
	if st, _ := c.wait(10 * time.Second); !st.Success() {
		t.Fatalf("child: %v", st)
	}
}

func TestListenPIDMismatch(t *testing.T) {
	ln, f := tcpListenerFile(t)
	c := startChild(t, "listen", childOpts{
		files: []*os.File{f},
		env:   []string{"LISTEN_FDS=1", "LISTEN_PID=1", "HRT_ADDRS=127.0.0.1:0"},
	})
	if n := c.expect("inherited"); n[0] != "0" {
		t.Fatalf("the child took %s listeners meant for pid 1", n[0])
	}
	for i := 0; i < 3; i++ {
		if kv := c.expect("env"); kv[1] != "false" {
			t.Errorf("%s is still set in the child; the package must unset it even when LISTEN_PID is another's", kv[0])
		}
	}
	got := c.expect("listen")
	if got[1] == ln.Addr().String() {
		t.Fatal("the child used a socket whose LISTEN_PID is not its own")
	}
	c.expect("accepting")
	if msg := dialRead(t, got[1]); msg != "hello 0" {
		t.Fatalf("read %q from the child's own socket", msg)
	}
	c.wait(10 * time.Second)
}

// Under a debugger the engine knows only the debugger's pid: LISTEN_PID names the parent, and
// HOTRELOAD_LISTEN_PARENT=1 says so. Without that word the parent's pid is another's.
func TestListenPIDOfParent(t *testing.T) {
	for _, viaParent := range []bool{true, false} {
		ln, f := tcpListenerFile(t)
		env := []string{"LISTEN_FDS=1", fmt.Sprintf("LISTEN_PID=%d", os.Getpid()), "HRT_ADDRS=127.0.0.1:0"}
		if viaParent {
			env = append(env, envListenParent+"=1")
		}
		c := startChild(t, "listen", childOpts{files: []*os.File{f}, env: env})
		want := "0"
		if viaParent {
			want = "1"
		}
		if n := c.expect("inherited"); n[0] != want {
			t.Fatalf("HOTRELOAD_LISTEN_PARENT=1 %v: the child took %s listeners; want %s", viaParent, n[0], want)
		}
		for i := 0; i < 4; i++ {
			if kv := c.expect("env"); kv[1] != "false" {
				t.Errorf("%s is still set in the child; the package must unset it", kv[0])
			}
		}
		got := c.expect("listen")
		if (got[1] == ln.Addr().String()) != viaParent {
			t.Fatalf("HOTRELOAD_LISTEN_PARENT=1 %v: the child listens on %s (the inherited socket is %s)", viaParent, got[1], ln.Addr())
		}
		c.expect("accepting")
		if msg := dialRead(t, got[1]); msg != "hello 0" {
			t.Fatalf("read %q", msg)
		}
		c.wait(10 * time.Second)
	}
}

func TestInheritedBoundNotListening(t *testing.T) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	syscall.CloseOnExec(fd)
	f := os.NewFile(uintptr(fd), "bound")
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("connected to a socket that is not listening")
	}
	c := startChild(t, "listen", childOpts{
		files:   []*os.File{f},
		env:     []string{"LISTEN_FDS=1", "HRT_ADDRS=:http"},
		wrapPID: true,
	})
	if got := c.expect("listen"); got[1] != addr {
		t.Fatalf("the child listens on %s; want the inherited %s", got[1], addr)
	}
	c.expect("accepting")
	if got := dialRead(t, addr); got != "hello 0" {
		t.Fatalf("read %q", got)
	}
	c.wait(10 * time.Second)
}

func TestInheritedByNameAndPort(t *testing.T) {
	lnA, fA := tcpListenerFile(t)
	lnB, fB := tcpListenerFile(t)
	portA := lnA.Addr().(*net.TCPAddr).Port
	c := startChild(t, "listen", childOpts{
		files: []*os.File{fA, fB},
		env: []string{"LISTEN_FDS=2", "LISTEN_FDNAMES=a:admin",
			fmt.Sprintf("HRT_ADDRS=admin,:%d,127.0.0.1:0", portA)},
		wrapPID: true,
	})
	byName, byPort, fresh := c.expect("listen"), c.expect("listen"), c.expect("listen")
	if byName[1] != lnB.Addr().String() {
		t.Errorf("Listen(%q) = %s; want the socket named admin, %s", byName[0], byName[1], lnB.Addr())
	}
	if byPort[1] != lnA.Addr().String() {
		t.Errorf("Listen(%q) = %s; want the socket on that port, %s", byPort[0], byPort[1], lnA.Addr())
	}
	if fresh[1] == lnA.Addr().String() || fresh[1] == lnB.Addr().String() {
		t.Errorf("a third Listen got an inherited socket again: %s", fresh[1])
	}
	c.expect("accepting")
	for i, addr := range []string{byName[1], byPort[1], fresh[1]} {
		if got := dialRead(t, addr); got != fmt.Sprintf("hello %d", i) {
			t.Errorf("read %q from %s", got, addr)
		}
	}
	c.wait(10 * time.Second)
}

func TestNotifyFDReady(t *testing.T) {
	parent, childEnd := socketpair(t)
	c := startChild(t, "ready", childOpts{
		files: []*os.File{childEnd},
		env:   []string{"HOTRELOAD_NOTIFY_FD=3"},
	})
	readNotify(t, parent).expect(`{"event":"ready"}`)
	if got := c.expect("ready"); got[0] != "<nil>" {
		t.Fatalf("Ready() = %s", got[0])
	}
	if kv := c.expect("env"); kv[1] != "false" {
		t.Errorf("%s is still set in the child", kv[0])
	}
	if runtime.GOOS == "linux" {
		if got := c.expect("cloexec"); got[0] != "true" {
			t.Error("the notify descriptor is not close-on-exec in the child")
		}
	}
	if st, _ := c.wait(10 * time.Second); !st.Success() {
		t.Fatalf("child: %v", st)
	}
}

func testNotifySocket(t *testing.T, name string) {
	sock, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	parent, childEnd := socketpair(t)
	c := startChild(t, "ready", childOpts{
		files: []*os.File{childEnd},
		env:   []string{"NOTIFY_SOCKET=" + name, "HOTRELOAD_NOTIFY_FD=3", "HRT_WAIT_STOP=1"},
	})
	notify := readNotify(t, parent)
	datagram := func() string {
		t.Helper()
		buf := make([]byte, 512)
		_ = sock.SetReadDeadline(time.Now().Add(20 * time.Second))
		n, _, err := sock.ReadFromUnix(buf)
		if err != nil {
			t.Fatal(err)
		}
		return string(buf[:n])
	}
	if got := datagram(); got != "READY=1" {
		t.Fatalf("NOTIFY_SOCKET got %q; want READY=1", got)
	}
	notify.expect(`{"event":"ready"}`)
	c.expect("ready")
	c.expect("waiting") // Stopping's signal handling is installed
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	notify.expect(`{"event":"draining"}`)
	if got := datagram(); got != "STOPPING=1" {
		t.Fatalf("NOTIFY_SOCKET got %q; want STOPPING=1", got)
	}
	c.expect("stopping")
	c.expect("context done")
	if st, _ := c.wait(10 * time.Second); !st.Success() {
		t.Fatalf("child: %v", st)
	}
}

func TestNotifySocketPath(t *testing.T) {
	testNotifySocket(t, t.TempDir()+"/notify.sock")
}

func TestNotifySocketAbstract(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("abstract Unix sockets are a Linux feature")
	}
	testNotifySocket(t, fmt.Sprintf("@hotreload-test-%d-%d", os.Getpid(), time.Now().UnixNano()))
}

// serveChild starts childServe as the engine would: inherited listener,
// notify and control descriptors. It returns once the child is ready.
func serveChild(t *testing.T, env ...string) (c *child, addr string, notify *notifyReader, control *os.File) {
	ln, lnFile := tcpListenerFile(t)
	notifyParent, notifyChild := socketpair(t)
	controlParent, controlChild := socketpair(t)
	c = startChild(t, "serve", childOpts{
		files:   []*os.File{lnFile, notifyChild, controlChild},
		env:     append([]string{"LISTEN_FDS=1", "HOTRELOAD_NOTIFY_FD=4", "HOTRELOAD_CONTROL_FD=5"}, env...),
		wrapPID: true,
	})
	notify = readNotify(t, notifyParent)
	notify.expect(`{"event":"ready"}`)
	return c, ln.Addr().String(), notify, controlParent
}

func TestGracefulDrain(t *testing.T) {
	c, addr, notify, _ := serveChild(t, "HRT_SLOW_MS=700")
	type result struct {
		body  string
		close bool
		err   error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{string(b), resp.Close, err}
	}()
	c.expect("in-flight")
	sent := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	notify.expect(`{"event":"draining"}`)
	r := <-res
	if r.err != nil || r.body != "done" {
		t.Fatalf("the in-flight request got %q, %v; want it to finish", r.body, r.err)
	}
	if !r.close {
		t.Error("the response during the drain did not say Connection: close")
	}
	if got := c.expect("served"); got[0] != "<nil>" {
		t.Fatalf("ListenAndServe returned %s; want nil after a complete drain", got[0])
	}
	st, exited := c.wait(10 * time.Second)
	if !st.Success() {
		t.Fatalf("child: %v", st)
	}
	if d := exited.Sub(sent); d > 5*time.Second {
		t.Fatalf("the drain took %v", d)
	}
}

func TestDrainTimeoutFromEnv(t *testing.T) {
	c, addr, notify, _ := serveChild(t, "HRT_SLOW_MS=5000", "HOTRELOAD_DRAIN_TIMEOUT=300")
	res := make(chan error, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		res <- err
	}()
	c.expect("in-flight")
	sent := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	notify.expect(`{"event":"draining"}`)
	if got := c.expect("served"); !strings.Contains(got[0], "drain timeout (300ms)") {
		t.Fatalf("ListenAndServe returned %s; want the drain timeout error", got[0])
	}
	if _, exited := c.wait(10 * time.Second); exited.Sub(sent) > 3*time.Second {
		t.Fatalf("a 300ms drain took %v", exited.Sub(sent))
	}
	if err := <-res; err == nil {
		t.Error("the request outliving the drain timeout was not cut off")
	}
}

func TestEngineGoneServe(t *testing.T) {
	c, _, _, control := serveChild(t)
	closed := time.Now()
	control.Close() // the engine dies
	if got := c.expect("served"); got[0] != "<nil>" {
		t.Fatalf("ListenAndServe returned %s", got[0])
	}
	st, exited := c.wait(5 * time.Second)
	if !st.Success() {
		t.Fatalf("child: %v", st)
	}
	if d := exited.Sub(closed); d > 1500*time.Millisecond {
		t.Fatalf("the orphan took %v to exit", d)
	}
}

func TestEngineGonePlainProgram(t *testing.T) {
	// The control descriptor is a pipe this time.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	c := startChild(t, "plain", childOpts{files: []*os.File{r}, env: []string{"HOTRELOAD_CONTROL_FD=3"}})
	c.expect("serving")
	closed := time.Now()
	w.Close()
	st, exited := c.wait(5 * time.Second)
	if ws, ok := st.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("child: %v; want it killed by SIGTERM", st)
	}
	if d := exited.Sub(closed); d > 1500*time.Millisecond {
		t.Fatalf("the orphan took %v to exit", d)
	}
}

func TestEngineGoneStubbornProgram(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	c := startChild(t, "stubborn", childOpts{files: []*os.File{r}, env: []string{"HOTRELOAD_CONTROL_FD=3"}})
	c.expect("stubborn")
	closed := time.Now()
	w.Close()
	st, exited := c.wait(10 * time.Second)
	if st.ExitCode() != 1 {
		t.Fatalf("child: %v; want exit status 1", st)
	}
	if d := exited.Sub(closed); d < orphanExitAfter || d > orphanExitAfter+time.Second {
		t.Fatalf("the stubborn orphan exited after %v; want about %v", d, orphanExitAfter)
	}
	if !strings.Contains(c.stderr.String(), "the engine is gone") {
		t.Errorf("stderr does not say why: %q", c.stderr.String())
	}
}
