// A plain HTTP service that knows nothing of Hot Reload: it listens on the
// port in PORT. Run it with the proxy strategy and the engine gives each
// version a fresh port and switches traffic to it once it accepts
// connections, so reloads lose no request.
package main

import (
	"bufio"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		log.Fatal("proxy example: set PORT")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greeting())
	})
	mux.HandleFunc("/pid", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, os.Getpid())
	})
	// /slow?ms=N answers after N ms: a request still in flight while a new version takes over.
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		time.Sleep(time.Duration(ms) * time.Millisecond)
		fmt.Fprintf(w, "slept %d ms in %d\n", ms, os.Getpid())
	})
	// /stream?n=N&ms=M writes N lines, one every M ms, each flushed: a streaming response.
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		w.Header().Set("Content-Type", "text/plain")
		for i := 0; i < n; i++ {
			fmt.Fprintf(w, "line %d from %d\n", i, os.Getpid())
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			time.Sleep(time.Duration(ms) * time.Millisecond)
		}
	})
	// /echo upgrades the connection (Upgrade: echo) and echoes every line back: a stand-in for a websocket.
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "echo" {
			http.Error(w, "send Upgrade: echo", http.StatusUpgradeRequired)
			return
		}
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		fmt.Fprintf(rw, "hello from %d\n", os.Getpid())
		rw.Flush()
		in := bufio.NewReader(rw)
		for {
			line, err := in.ReadString('\n')
			if line != "" {
				rw.WriteString(line)
				rw.Flush()
			}
			if err != nil {
				return
			}
		}
	})
	log.Printf("proxy example: listening on :%s (pid %d)", port, os.Getpid())
	log.Fatal(http.ListenAndServe(":"+port, mux))
}
