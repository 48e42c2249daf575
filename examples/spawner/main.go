// A service that starts helper processes of its own, one of which ignores
// SIGTERM: stopping it must still leave nothing behind.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strings"
)

func main() {
	addr := ":" + getenv("PORT", "8081")
	// A child that ignores the polite stop signal, and a grandchild under it.
	worker := exec.Command("sh", "-c", "trap '' TERM INT; sleep 3600 & wait")
	worker.Stdout = os.Stdout
	worker.Stderr = os.Stderr
	if err := worker.Start(); err != nil {
		log.Fatalf("spawner: cannot start worker: %v", err)
	}
	log.Printf("spawner: worker pid %d; listening on %s", worker.Process.Pid, addr)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, strings.TrimSpace(message()))
	})
	http.HandleFunc("/pid", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, os.Getpid())
	})
	log.Fatal(http.ListenAndServe(addr, nil))
}

func message() string { return "spawner v1" }

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
