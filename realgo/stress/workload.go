package main

import (
	"math/rand"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
)

// The workload keeps the scheduler on the paths the known findings need,
// for the whole run.
type workload struct {
	bursts, wakeups, syscalls, signals, timers, allocs atomic.Uint64
}

func (w *workload) counters() map[string]uint64 {
	return map[string]uint64{
		"netpoll_bursts": w.bursts.Load(), "pipe_wakeups": w.wakeups.Load(),
		"syscalls": w.syscalls.Load(), "self_signals": w.signals.Load(),
		"timers": w.timers.Load(), "garbage_mb": w.allocs.Load() >> 20,
	}
}

func (w *workload) start(readers int) error {
	if err := w.pipes(readers); err != nil {
		return err
	}
	for i := 0; i < 2; i++ {
		go w.rawSyscalls(int64(i))
	}
	w.selfSignals()
	for i := 0; i < 4; i++ {
		go w.timersAndGarbage(int64(i))
	}
	return nil
}

// pipes parks readers goroutines on os.Pipe reads and wakes them in bursts:
// the netpoller hands the whole list to injectglist. Right before each burst
// GOMAXPROCS spinners wake, so every P is busy and the M that polls finds no
// idle P (the P-less injectglist).
func (w *workload) pipes(readers int) error {
	var writers []*os.File
	for i := 0; i < readers; i++ {
		r, wr, err := os.Pipe()
		if err != nil {
			return err
		}
		writers = append(writers, wr)
		go func(r *os.File) {
			buf := make([]byte, 64)
			for {
				if _, err := r.Read(buf); err != nil {
					return
				}
				w.wakeups.Add(1)
			}
		}(r)
	}
	procs := runtime.GOMAXPROCS(0)
	kick := make([]chan struct{}, procs)
	for i := range kick {
		kick[i] = make(chan struct{}, 1)
		go spinner(kick[i])
	}
	go func() {
		one := []byte{1}
		for {
			for _, k := range kick {
				select {
				case k <- struct{}{}:
				default:
				}
			}
			for _, wr := range writers {
				wr.Write(one)
			}
			w.bursts.Add(1)
			time.Sleep(time.Duration(200+rand.Intn(800)) * time.Microsecond)
		}
	}()
	return nil
}

// spinner burns about half a millisecond of CPU each time it is kicked.
func spinner(kick chan struct{}) {
	for range kick {
		end := time.Now().Add(500 * time.Microsecond)
		x := 0
		for time.Now().Before(end) {
			x++
		}
		_ = x
	}
}

// rawSyscalls makes short blocking syscalls (sysmon retakes their Ps;
// exitsyscallfast finds them stolen) and quick ones.
func (w *workload) rawSyscalls(seed int64) {
	rng := rand.New(rand.NewSource(seed))
	for {
		ts := syscall.Timespec{Nsec: int64(20+rng.Intn(300)) * 1000}
		syscall.Nanosleep(&ts, nil)
		syscall.Syscall(syscall.SYS_GETPID, 0, 0, 0)
		w.syscalls.Add(2)
	}
}

// selfSignals keeps os/signal's receive loop going: it blocks in
// notetsleepg, that is, in entersyscallblock.
func (w *workload) selfSignals() {
	ch := make(chan os.Signal, 64)
	signal.Notify(ch, syscall.SIGUSR1)
	go func() {
		for range ch {
		}
	}()
	go func() {
		pid := os.Getpid()
		for {
			syscall.Kill(pid, syscall.SIGUSR1)
			w.signals.Add(1)
			time.Sleep(100 * time.Microsecond)
		}
	}()
}

var sink []byte

func (w *workload) timersAndGarbage(seed int64) {
	rng := rand.New(rand.NewSource(seed))
	for {
		d := time.Duration(10+rng.Intn(200)) * time.Microsecond
		done := make(chan struct{})
		time.AfterFunc(d, func() { close(done) })
		<-done
		n := 1024 + rng.Intn(64*1024)
		sink = make([]byte, n)
		w.timers.Add(1)
		w.allocs.Add(uint64(n))
	}
}
