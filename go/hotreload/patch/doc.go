// Package patch holds the live-patchable slots of a program run by the Hot
// Reload engine with its patch strategy: logic that the engine rebuilds as a
// Go plugin and loads into the running process, keeping its state.
//
// It is a package of its own because Go plugins cost every program that
// links them: the plugin package needs cgo and makes the Go linker hand the
// link to the system's (gcc), which doubles a small program's rebuild. A
// program that only uses hotreload's handoff (Listen, Ready, ListenAndServe)
// does not import this package and pays none of it.
//
// # Slots
//
// Logic that can be swapped without a restart lives in a slot. Its type is
// usually an interface in a package that the program and the plugins both
// import:
//
//	var rules = patch.NewSlot[shared.Rules]("rules")
//	...
//	rules.Get().Match(req) // always the latest implementation
//
// hotreload.Start (called by hotreload.Listen, Ready and ListenAndServe)
// loads the plugins the engine names in HOTRELOAD_PLUGINS into the slots,
// and the engine's patch commands load new ones while the program runs;
// declare slots in package-level variables so they exist by then.
//
// # Plugins
//
// A plugin is a package main, built with go build -buildmode=plugin, that
// exports the entry point named by EntrySymbol:
//
//	func HotReloadV1() any { return myRules{} }
//
// It must be built by the same Go toolchain, with the same build flags
// (-race, -tags, -trimpath ...) and the same versions of every package it
// shares with the program; otherwise plugin.Open refuses it ("plugin was
// built with a different version of package X") and the program keeps the
// implementation it has. Go gives each plugin a path (its "pluginpath") and
// refuses a second plugin with the same path ("plugin already loaded"):
// builders of plugins must make it unique per build, which `go build
// -buildmode=plugin -o rules-7.so file1.go file2.go` (files rather than a
// package path) does, as the path is then a hash of the sources.
//
// Plugins need linux, darwin or freebsd with cgo. Elsewhere, or with the
// build tag hotreload_noplugin (which also leaves the plugin package out of
// the binary), Slot.Load returns an error wrapping ErrPluginsUnsupported and
// slots keep what Set gave them.
package patch
