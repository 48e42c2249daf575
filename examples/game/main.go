// A small stateful game server: the world (players, scores, counters, a map)
// lives in this process; the rules live in ./rules, a plugin that Hot Reload
// patches into the running server when you save it. The world stays.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/game/world"
	"hotreload.dev/go/hotreload"
	"hotreload.dev/go/hotreload/patch"
)

// The slot the engine patches: only programs that patch import
// hotreload/patch (and pay for Go's plugin support in every link).
var rules = patch.NewSlot[world.Rules]("rules")

func main() {
	if err := hotreload.Start(); err != nil {
		log.Fatalf("game: %v", err)
	}
	w := world.New(16, 16)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(rw, currentRules().Version())
	})
	mux.HandleFunc("/act", func(rw http.ResponseWriter, r *http.Request) {
		p := w.Act(currentRules(), r.URL.Query().Get("player"), r.URL.Query().Get("action"))
		writeJSON(rw, p)
	})
	mux.HandleFunc("/world", func(rw http.ResponseWriter, r *http.Request) {
		writeJSON(rw, w.Snapshot())
	})
	mux.HandleFunc("/pid", func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(rw, os.Getpid())
	})
	addr := ":" + getenv("PORT", "8082")
	log.Printf("game: serving on %s with %s", addr, currentRules().Version())
	if err := hotreload.ListenAndServe(&http.Server{Handler: mux}, addr); err != nil {
		log.Fatal(err)
	}
}

// currentRules is the live rules, or a stand-in that says how to load them.
func currentRules() world.Rules {
	if r := rules.Get(); r != nil {
		return r
	}
	return noRules{}
}

type noRules struct{}

func (noRules) Version() string                          { return "no rules loaded: run under hotreload (strategy patch)" }
func (noRules) Points(string, *world.Player) int         { return 0 }
func (noRules) Step(*world.World, *world.Player, string) {}

func writeJSON(rw http.ResponseWriter, v any) {
	rw.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(rw).Encode(v)
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
