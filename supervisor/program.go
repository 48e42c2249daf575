package main

import (
	"bufio"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// program is one process the engine asked for, with everything it starts. Its output is sent as
// data frames; its exit is sent only once that output is all out (or after a short cap).
type program struct {
	id         uint32
	srv        *server
	stopSignal string
	graceMs    int64

	stdin    io.WriteCloser
	inputs   chan []byte
	controlW *os.File

	gate     *gate
	pumps    sync.WaitGroup
	exited   chan struct{}
	exitOnce sync.Once

	ctl platformControl
}

// outputSettleCap bounds the wait for output after an exit: a descendant that kept the pipe open
// is killed by then anyway, but the exit must not hang on it.
const outputSettleCap = 500 * time.Millisecond

func (p *program) input(data []byte) {
	select {
	case p.inputs <- data:
	default:
		// The program reads its stdin slower than the user types into it: drop rather than block
		// the channel that carries every other message.
	}
}

func (p *program) writeInputs() {
	for data := range p.inputs {
		if data == nil {
			_ = p.stdin.Close()
			return
		}
		if _, err := p.stdin.Write(data); err != nil {
			for range p.inputs {
			}
			return
		}
	}
}

func (p *program) closeInput() {
	select {
	case p.inputs <- nil:
	default:
	}
}

func (p *program) control(line string) {
	if p.controlW == nil {
		return
	}
	// A program that does not read its control channel must not block the supervisor.
	go func() { _, _ = p.controlW.Write([]byte(line + "\n")) }()
}

func (p *program) setPaused(paused bool) {
	p.gate.set(paused)
}

// pump sends what the program writes on one stream, waiting while the engine has paused it.
func (p *program) pump(r io.ReadCloser, stream byte) {
	defer p.pumps.Done()
	defer r.Close()
	buf := make([]byte, 32<<10)
	for {
		p.gate.wait()
		n, err := r.Read(buf)
		if n > 0 {
			if werr := p.srv.out.output(p.id, stream, buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// readNotify forwards the lines the program writes on its notify channel.
func (p *program) readNotify(r *os.File) {
	defer r.Close()
	readLines(r, maxNotifyLine, func(line string) {
		p.srv.send(event{Event: eventNotify, ID: p.id, Line: line})
	})
}

// maxNotifyLine is the longest notify line kept: a program writing more without a newline is not
// speaking the protocol.
const maxNotifyLine = 64 << 10

// readLines calls fn with each line of r (without "\n" or "\r\n"); a line longer than max is
// dropped up to its newline and the lines after it are still read.
func readLines(r io.Reader, max int, fn func(string)) {
	br := bufio.NewReaderSize(r, 4096)
	var line []byte
	skipping := false
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 && !skipping {
			line = append(line, chunk...)
			if len(line) > max+2 {
				line, skipping = line[:0], true
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == nil {
			if !skipping {
				text := string(line[:len(line)-1])
				if n := len(text); n > 0 && text[n-1] == '\r' {
					text = text[:n-1]
				}
				fn(text)
			}
			line, skipping = line[:0], false
			continue
		}
		return
	}
}

// finish sends the exit once the output has been sent (or outputSettleCap passed).
func (p *program) finish(code *int, signal string, errText string) {
	p.exitOnce.Do(func() {
		done := make(chan struct{})
		go func() { p.pumps.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(outputSettleCap):
		}
		p.gate.set(false)
		if p.controlW != nil {
			_ = p.controlW.Close()
		}
		// Forgotten before the engine hears of it: a shutdown it asks for next must not stop it again.
		p.srv.gone(p.id)
		p.srv.send(event{Event: eventExited, ID: p.id, Code: code, Signal: signal, Error: errText})
		close(p.exited)
	})
}

func (p *program) waitExited(max time.Duration) {
	select {
	case <-p.exited:
	case <-time.After(max):
	}
}

// gate blocks readers while closed (the engine paused the output).
type gate struct {
	mu     sync.Mutex
	cond   *sync.Cond
	paused bool
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) set(paused bool) {
	g.mu.Lock()
	g.paused = paused
	g.mu.Unlock()
	g.cond.Broadcast()
}

func (g *gate) wait() {
	g.mu.Lock()
	for g.paused {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// programEnv is the environment a program starts with: the engine's as it sent it, or (InheritEnv)
// the supervisor's own with the engine's entries laid over it.
func programEnv(req request) []string {
	if !req.InheritEnv {
		return req.Env
	}
	merged := map[string]string{}
	var order []string
	for _, list := range [][]string{os.Environ(), req.Env} {
		for _, kv := range list {
			k := kv
			if i := strings.IndexByte(kv, '='); i >= 0 {
				k = kv[:i]
			}
			if _, seen := merged[k]; !seen {
				order = append(order, k)
			}
			merged[k] = kv
		}
	}
	env := make([]string, 0, len(order))
	for _, k := range order {
		env = append(env, merged[k])
	}
	return env
}
