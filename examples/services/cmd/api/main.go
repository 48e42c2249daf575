// The api service: answers "api: <greeting>" and hands its listening
// socket over on every reload (hotreload.ListenAndServe), so requests from
// the gateway are never refused while a new version takes over.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/services/shared/greeting"
	"hotreload.dev/go/hotreload"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "api: %s\n", greeting.Text())
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	addr := ":" + os.Getenv("PORT")
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("api: serving on %s (pid %d)", addr, os.Getpid())
	if err := hotreload.ListenAndServe(srv, addr); err != nil {
		log.Fatal(err)
	}
}
