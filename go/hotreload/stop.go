package hotreload

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const (
	// DefaultDrainTimeout is how long Serve waits for in-flight requests
	// when neither SetDrainTimeout nor HOTRELOAD_DRAIN_TIMEOUT says otherwise.
	DefaultDrainTimeout = 10 * time.Second

	// orphanDrainTimeout bounds the drain once the engine is gone, and
	// orphanExitAfter is when the program is made to exit if it has not.
	orphanDrainTimeout = 1 * time.Second
	orphanExitAfter    = 2 * time.Second
)

// stopSignals are the signals that start a graceful stop.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// Stopping returns a channel that is closed when the program should stop:
// on SIGINT or SIGTERM, or when the engine that started the program is gone
// (its control descriptor reached end of file).
//
// The first call installs the signal handling: from then on SIGINT and
// SIGTERM no longer kill the program, they close the channel (and tell the
// engine {"event":"draining"} and systemd STOPPING=1). A second signal after
// that kills the program as it would have without this package.
//
// Programs that never call Stopping (directly or through Serve,
// ListenAndServe or ShutdownContext) keep Go's default signal behaviour,
// and when the engine is gone they are sent SIGTERM.
func Stopping() <-chan struct{} { return std.stopping() }

func (p *program) stopping() <-chan struct{} {
	p.watchOnce.Do(func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, stopSignals...)
		p.watching.Store(true)
		go func() {
			select {
			case <-ch:
				p.beginStop()
			case <-p.stopCh:
			}
			signal.Stop(ch) // the next signal has its default effect
		}()
	})
	return p.stopCh
}

// ShutdownContext returns a context that is cancelled when Stopping's
// channel closes, for programs that pass contexts rather than select on
// channels.
func ShutdownContext() context.Context { return std.shutdownContext() }

func (p *program) shutdownContext() context.Context {
	p.ctxOnce.Do(func() {
		c, cancel := context.WithCancel(context.Background())
		stopping := p.stopping()
		go func() {
			<-stopping
			cancel()
		}()
		p.ctx = c
	})
	return p.ctx
}

func (p *program) beginStop() {
	p.stopOnce.Do(func() {
		// Tell first: a program may exit as soon as the channel closes.
		if !p.engineLost.Load() {
			_ = p.sendLine(lineDraining)
		}
		_ = p.sdNotify("STOPPING=1")
		close(p.stopCh)
	})
}

// engineGone is called when the control descriptor reaches end of file or
// fails: the engine died, and the program must not outlive it.
func (p *program) engineGone(reason error) {
	p.engineLost.Store(true)
	time.AfterFunc(orphanExitAfter, func() {
		fmt.Fprintf(os.Stderr, "hotreload: the engine is gone (%v) and the program did not exit within %v; exiting\n", reason, orphanExitAfter)
		p.env.exit(1)
	})
	if p.watching.Load() {
		p.beginStop()
	} else {
		p.env.terminate()
	}
}

// SetDrainTimeout sets how long Serve and ListenAndServe wait for in-flight
// requests when stopping. HOTRELOAD_DRAIN_TIMEOUT, set by the engine (which
// knows when it will send SIGKILL), takes precedence.
func SetDrainTimeout(d time.Duration) { std.setDrainTimeout(d) }

func (p *program) setDrainTimeout(d time.Duration) {
	if d < 0 {
		d = 0
	}
	p.drainSetBy.Store(int64(d) + 1)
}

// DrainTimeout is how long the program has to drain once Stopping's channel
// is closed: HOTRELOAD_DRAIN_TIMEOUT if set (a Go duration such as "5s", or
// a number of milliseconds), else the value given to SetDrainTimeout, else
// DefaultDrainTimeout. Once the engine is gone it is at most one second.
// Programs that do not use Serve can bound their own shutdown with it.
func DrainTimeout() time.Duration { return std.drainTimeout() }

func (p *program) drainTimeout() time.Duration {
	d := DefaultDrainTimeout
	if v := p.drainSetBy.Load(); v > 0 {
		d = time.Duration(v - 1)
	}
	if p.handoff.drainSet {
		d = p.handoff.drainTimeout
	}
	if p.engineLost.Load() && d > orphanDrainTimeout {
		d = orphanDrainTimeout
	}
	return d
}
