//go:build realgo_hooks

package main

import _ "unsafe" // go:linkname

// Built against a runtime patched by realgo/inject: these are its hook's
// controls (the runtime side pushes them with go:linkname).

const hooked = true

//go:linkname realgoConfigure runtime.realgoConfigure
func realgoConfigure(window int32, capUS, holdUS, every int64)

//go:linkname realgoArm runtime.realgoArm
func realgoArm(phase int32)

//go:linkname realgoCounters runtime.realgoCounters
func realgoCounters() [4]uint64
