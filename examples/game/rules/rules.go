// The game's rules, loaded into the running server as a Go plugin: edit
// them and save, and the server keeps its world while the new rules apply.
package main

import "example.com/game/world"

type rules struct{}

// HotReloadV1 is the entry point the host's slot loads.
func HotReloadV1() any { return rules{} }

func (rules) Version() string { return "rules v1" }

func (rules) Points(action string, p *world.Player) int {
	if action == "score" {
		return 1
	}
	return 0
}

func (rules) Step(w *world.World, p *world.Player, dir string) {
	switch dir {
	case "up":
		p.Y = (p.Y + w.Height - 1) % w.Height
	case "down":
		p.Y = (p.Y + 1) % w.Height
	case "left":
		p.X = (p.X + w.Width - 1) % w.Width
	case "right":
		p.X = (p.X + 1) % w.Width
	}
}

func main() {}
