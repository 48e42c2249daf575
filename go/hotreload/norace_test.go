//go:build !race

package hotreload

const raceEnabled = false
