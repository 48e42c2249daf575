package hotreload_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"hotreload.dev/go/hotreload"
)

// An HTTP service adopts hot reloading with one line: ListenAndServe takes
// the engine's socket (or listens itself when run alone), says it is ready,
// and drains on SIGTERM, SIGINT or the engine's death.
func ExampleListenAndServe() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := hotreload.ListenAndServe(srv, ":8080"); err != nil {
		log.Fatal(err)
	}
	// main returns once in-flight requests are done.
}

// The same with the pieces, for a server that is not net/http (or that
// wants to do more around it).
func ExampleListen() {
	ln, err := hotreload.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	// ... start serving on ln, then:
	if err := hotreload.Ready(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("serving on", ln.Addr().Network())
	// Output: serving on tcp
}

// A worker that is not a server stops when Stopping's channel closes, and
// bounds its clean-up with DrainTimeout.
func ExampleStopping() {
	if err := hotreload.Ready(); err != nil {
		log.Fatal(err)
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			// do some work
		case <-hotreload.Stopping():
			ctx, cancel := context.WithTimeout(context.Background(), hotreload.DrainTimeout())
			defer cancel()
			flush(ctx)
			return
		}
	}
}

func flush(context.Context) {}

// ShutdownContext suits code that already takes a context.
func ExampleShutdownContext() {
	ctx := hotreload.ShutdownContext()
	for ctx.Err() == nil {
		work(ctx) // returns when ctx is cancelled
	}
}

func work(ctx context.Context) { <-ctx.Done() }
