//go:build !realgo_hooks

package main

// Built against an unpatched runtime: no window to stall at.

const hooked = false

func realgoConfigure(window int32, capUS, holdUS, every int64) {}

func realgoArm(phase int32) {}

func realgoCounters() [4]uint64 { return [4]uint64{} }
