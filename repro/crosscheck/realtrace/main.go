// Command realtrace records execution traces of a varied workload with the
// Go runtime's own tracer (runtime/trace), so that the validator can be
// checked against Go's parser on traces a real runtime wrote. Each trace
// covers one run of the workload, with a CPU profile running so that the
// trace holds CPU samples. See docs/crosscheck.md.
//
//	realtrace -out DIR -n N [-seed S]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	out := flag.String("out", "", "directory for the traces (created)")
	n := flag.Int("n", 10, "number of traces")
	seed := flag.Int64("seed", 1, "workload seed; trace i uses seed+i")
	flag.Parse()
	if *out == "" || *n < 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "realtrace:", err)
		os.Exit(2)
	}
	// The CPU profile feeds CPU samples into the trace; its own output is
	// not needed.
	if err := pprof.StartCPUProfile(io.Discard); err != nil {
		fmt.Fprintln(os.Stderr, "realtrace:", err)
		os.Exit(2)
	}
	defer pprof.StopCPUProfile()
	for i := 0; i < *n; i++ {
		var buf bytes.Buffer
		if err := trace.Start(&buf); err != nil {
			fmt.Fprintln(os.Stderr, "realtrace:", err)
			os.Exit(1)
		}
		workload(rand.New(rand.NewSource(*seed + int64(i))))
		trace.Stop()
		name := filepath.Join(*out, fmt.Sprintf("%s.%06d.trace", runtime.Version(), *seed+int64(i)))
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "realtrace:", err)
			os.Exit(1)
		}
	}
}

var sink []byte

func spin(d time.Duration) {
	x := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		for k := 0; k < 1000; k++ {
			x += k * k
		}
	}
	sink = append(sink[:0], byte(x))
}

// workload mixes what the tracer records: goroutines that block on channels,
// mutexes and timers, syscalls, allocation (and so GC, sweeping and mark
// assists), user tasks, regions and logs, and changes of GOMAXPROCS. The
// mix and sizes come from r, so traces differ in shape.
func workload(r *rand.Rand) {
	ctx, task := trace.NewTask(context.Background(), "workload")
	defer task.End()
	if r.Intn(4) == 0 {
		old := runtime.GOMAXPROCS(1 + r.Intn(runtime.NumCPU()+1))
		defer runtime.GOMAXPROCS(old)
	}
	workers := 2 + r.Intn(12)
	ch := make(chan int, r.Intn(4))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		kind := r.Intn(5)
		iters := 5 + r.Intn(60)
		size := 1 << (8 + r.Intn(12))
		go func(w int) {
			defer wg.Done()
			wctx, wtask := trace.NewTask(ctx, fmt.Sprintf("worker-%d", kind))
			defer wtask.End()
			for i := 0; i < iters; i++ {
				trace.WithRegion(wctx, "step", func() {
					switch kind {
					case 0: // channels
						select {
						case ch <- i:
						case v := <-ch:
							_ = v
						case <-time.After(time.Duration(i%3) * 50 * time.Microsecond):
						}
					case 1: // allocation
						b := make([]byte, size)
						mu.Lock()
						sink = b
						mu.Unlock()
					case 2: // syscalls
						f, err := os.Open("/dev/null")
						if err == nil {
							var p [64]byte
							f.Read(p[:])
							f.Close()
						}
					case 3: // timers and yields
						time.Sleep(time.Duration(i%4) * 20 * time.Microsecond)
						runtime.Gosched()
					default: // CPU work under a lock
						mu.Lock()
						x := 0
						for k := 0; k < size; k++ {
							x += k * k
						}
						mu.Unlock()
						trace.Logf(wctx, "sum", "%d", x)
					}
				})
			}
		}(w)
	}
	// Drain the channel so senders do not block forever.
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
			case <-done:
				return
			}
		}
	}()
	if r.Intn(3) == 0 {
		runtime.GC()
	}
	// CPU samples come at 100 Hz: spin long enough, in some traces, for
	// the profiler to fire.
	if r.Intn(3) == 0 {
		spin(time.Duration(10+r.Intn(30)) * time.Millisecond)
	}
	wg.Wait()
	close(done)
	trace.Log(ctx, "done", fmt.Sprint(workers))
}
