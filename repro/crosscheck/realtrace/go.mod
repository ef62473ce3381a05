module schedfuzz/realtrace

go 1.22
