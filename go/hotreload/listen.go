package hotreload

import "net"

// Listen returns the listening socket the program was started with, or a new
// one from net.Listen(network, addr) when there is none.
//
// When the engine (or systemd) passes sockets with LISTEN_FDS, Listen hands
// out each of them at most once, choosing among those of a matching family
// (network "tcp", "tcp4", "tcp6" takes TCP sockets; "unix" and "unixpacket"
// take Unix sockets), in this order:
//
//  1. the socket whose LISTEN_FDNAMES name equals addr;
//  2. the socket bound to the port of addr (for "unix", to the path addr);
//  3. the first one not handed out yet.
//
// So a program with one listener always gets the inherited one, whatever addr
// says. Listen may be called any number of times, from any goroutine: once
// every inherited socket has been handed out, it listens normally. If an
// inherited socket could not be used (say, listen(2) failed on it), Listen
// returns that error instead of opening a second socket.
//
// Listen also calls Start, and returns its error: call patch.NewSlot for every slot
// before Listen, typically in package-level variables.
func Listen(network, addr string) (net.Listener, error) { return std.listen(network, addr) }

func (p *program) listen(network, addr string) (net.Listener, error) {
	if err := p.start(); err != nil {
		return nil, err
	}
	if ln, found, err := p.claimInherited(network, addr); found {
		return ln, err
	}
	return net.Listen(network, addr)
}

func listenerKind(network string) string {
	switch network {
	case "tcp", "tcp4", "tcp6":
		return "tcp"
	case "unix", "unixpacket":
		return "unix"
	}
	return ""
}

func kindOf(ln net.Listener) string {
	switch ln.(type) {
	case *net.TCPListener:
		return "tcp"
	case *net.UnixListener:
		return "unix"
	}
	return ""
}

func (p *program) claimInherited(network, addr string) (ln net.Listener, found bool, err error) {
	kind := listenerKind(network)
	if kind == "" {
		return nil, false, nil
	}
	p.listenMu.Lock()
	defer p.listenMu.Unlock()
	var avail []*inherited
	for _, in := range p.handoff.listeners {
		if !in.claimed && (in.err != nil || kindOf(in.ln) == kind) {
			avail = append(avail, in)
		}
	}
	claim := func(in *inherited) (net.Listener, bool, error) {
		in.claimed = true
		return in.ln, true, in.err
	}
	for _, in := range avail {
		if in.name != "" && in.name == addr {
			return claim(in)
		}
	}
	for _, in := range avail {
		if in.err == nil && boundTo(in.ln, kind, network, addr) {
			return claim(in)
		}
	}
	for _, in := range avail {
		if in.err == nil {
			return claim(in)
		}
	}
	if len(avail) > 0 {
		return claim(avail[0]) // only broken ones are left: say so
	}
	return nil, false, nil
}

func boundTo(ln net.Listener, kind, network, addr string) bool {
	switch kind {
	case "tcp":
		a, ok := ln.Addr().(*net.TCPAddr)
		if !ok {
			return false
		}
		_, portStr, err := net.SplitHostPort(addr)
		if err != nil {
			return false
		}
		port, err := net.LookupPort(network, portStr)
		return err == nil && port != 0 && port == a.Port
	case "unix":
		return addr != "" && ln.Addr().String() == addr
	}
	return false
}
