// A small web app on html/template: the example for browser reload. Run it with
// `hotreload --browser-reload` and open the address it prints; edit templates/index.html,
// static/style.css or greeting.go, save, and watch the page follow.
package main

import (
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := ":" + getenv("PORT", "8080")
	// Parsed once at start: a template edit restarts the program, then reloads the page.
	page := template.Must(template.ParseFiles("templates/index.html"))
	mux := http.NewServeMux()
	// Served from disk, so a stylesheet edit is swapped into the page without a rebuild.
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("static"))))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		data := struct {
			Greeting string
			Pid      int
		}{greeting(), os.Getpid()}
		if err := page.Execute(w, data); err != nil {
			log.Print(err)
		}
	})
	// A fragment, as htmx or fetch asks for it: the page's script is never injected into it.
	mux.HandleFunc("/time", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<time>%s</time>", time.Now().Format(time.TimeOnly))
	})
	log.Printf("web: listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
