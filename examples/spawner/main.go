// A service that starts helper processes of its own: a child that ignores SIGTERM (with a
// grandchild under it), and a daemon that detaches itself (setsid, orphaned, ignoring SIGTERM).
// Stopping it, reloading it or killing the engine must still leave nothing behind.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "launch-daemon":
			// Starts the daemon in a session of its own and exits, so the daemon is orphaned.
			daemon := exec.Command(os.Args[0], "daemon")
			daemon.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
			if err := daemon.Start(); err != nil {
				log.Fatalf("spawner: cannot start the daemon: %v", err)
			}
			return
		case "daemon":
			signal.Ignore(syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
			for {
				time.Sleep(time.Hour)
			}
		}
	}
	addr := ":" + getenv("PORT", "8081")
	// A child that ignores the polite stop signal, and a grandchild under it.
	worker := exec.Command("sh", "-c", "trap '' TERM INT; sleep 3600 & wait")
	worker.Stdout = os.Stdout
	worker.Stderr = os.Stderr
	if err := worker.Start(); err != nil {
		log.Fatalf("spawner: cannot start worker: %v", err)
	}
	if err := exec.Command(os.Args[0], "launch-daemon").Run(); err != nil {
		log.Fatalf("spawner: cannot launch the daemon: %v", err)
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
