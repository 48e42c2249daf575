package patch_test

import (
	"fmt"
	"log"

	"hotreload.dev/go/hotreload/patch"
)

// Greeter is the slot's type. In a real program it lives in a package that
// the program and its plugins both import (say example.com/app/shared).
type Greeter interface {
	Greet(name string) string
}

type english struct{}

func (english) Greet(name string) string { return "Hello, " + name }

// greeter is declared at package level, so it exists before the plugins in
// HOTRELOAD_PLUGINS are loaded.
var greeter = patch.NewSlot[Greeter]("greeter")

// A slot holds logic that the engine swaps live. Set gives it a built-in
// implementation for when the program runs alone; patches replace it.
func ExampleNewSlot() {
	greeter.Set(english{})
	fmt.Println(greeter.Get().Greet("Ada"))
	// Output: Hello, Ada
}

// Programs may also load plugins themselves. A plugin is a package main
// built with -buildmode=plugin that exports:
//
//	func HotReloadV1() any { return french{} }
func ExampleSlot_Load() {
	if err := greeter.Load("/abs/path/greeter-2.so"); err != nil {
		// The current implementation stays; err says why, for example
		// `plugin was built with a different version of package ...`.
		log.Print(err)
	}
	fmt.Println(greeter.Get().Greet("Ada"), "version", greeter.Version())
}
