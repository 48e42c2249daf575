// An HTTP service that hands its listening socket over on every reload, so
// no connection is refused and no request is lost: run it with the
// handoff strategy (strategy "auto" picks it, as the program imports
// hotreload.dev/go/hotreload).
//
// hotreload.ListenAndServe takes the socket the engine passes (or listens on
// PORT when run alone), tells the engine it is ready once it serves, and on
// SIGTERM (or when the engine is gone) drains in-flight requests and returns.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"hotreload.dev/go/hotreload"
)

func main() {
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

	addr := ":" + getenv("PORT", "8080")
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("handoff: serving on %s (pid %d)", addr, os.Getpid())
	if err := hotreload.ListenAndServe(srv, addr); err != nil {
		log.Fatal(err)
	}
	log.Printf("handoff: drained, exiting (pid %d)", os.Getpid())
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
