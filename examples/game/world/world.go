// Package world is the game's state: it lives in the host process and
// survives every patch of the rules. Changing this package changes the shape
// of the world, which needs a restart.
package world

import (
	"sort"
	"sync"
)

// Rules is the logic that can be patched live: the plugin in ../rules
// provides it.
type Rules interface {
	// Version names the rules, so a client can see which are live.
	Version() string
	// Points is what a player earns for an action.
	Points(action string, p *Player) int
	// Step moves a player one step in a direction on the map.
	Step(w *World, p *Player, dir string)
}

type Player struct {
	Name  string `json:"name"`
	Score int    `json:"score"`
	X     int    `json:"x"`
	Y     int    `json:"y"`
}

// World is everything the game keeps: players, counters and a map.
type World struct {
	mu       sync.Mutex
	Width    int                `json:"width"`
	Height   int                `json:"height"`
	Players  map[string]*Player `json:"players"`
	Counters map[string]int     `json:"counters"`
}

func New(width, height int) *World {
	return &World{Width: width, Height: height, Players: map[string]*Player{}, Counters: map[string]int{}}
}

// Act applies an action by a player under the given rules, atomically.
func (w *World) Act(r Rules, name, action string) *Player {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.Players[name]
	if p == nil {
		p = &Player{Name: name}
		w.Players[name] = p
	}
	switch action {
	case "up", "down", "left", "right":
		r.Step(w, p, action)
	}
	p.Score += r.Points(action, p)
	w.Counters[action]++
	cp := *p
	return &cp
}

// Snapshot is a copy of the world, safe to encode while the game goes on.
func (w *World) Snapshot() *World {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := &World{Width: w.Width, Height: w.Height, Players: map[string]*Player{}, Counters: map[string]int{}}
	for k, v := range w.Players {
		cp := *v
		s.Players[k] = &cp
	}
	for k, v := range w.Counters {
		s.Counters[k] = v
	}
	return s
}

// Names lists the players in order.
func (w *World) Names() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	names := make([]string, 0, len(w.Players))
	for n := range w.Players {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
