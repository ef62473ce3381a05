module schedfuzz/realgo

go 1.22

require golang.org/x/exp v0.0.0-20240222234643-814bf88cf225
