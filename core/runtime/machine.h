// The machine the model runs: what it is given at the start of a run. Its
// size (GOMAXPROCS, threads, run queue capacity), the goroutines that exist
// and the programs they run, the descriptors and the batches the kernel's
// poller makes ready together (each becomes one netpoll result, one
// injectglist list), and the tracer's timeline. The model owns this
// description and its bounds; the fuzz input's decoder (core/scenario)
// produces one, and adds the schedule.
#ifndef SCHEDFUZZ_CORE_RUNTIME_MACHINE_H_
#define SCHEDFUZZ_CORE_RUNTIME_MACHINE_H_

#include <cstdint>
#include <vector>

namespace schedfuzz::rt {

// The model's bounds. They keep one run well under a millisecond; the decoder
// clamps to them.
inline constexpr int kMaxProcs = 4;
inline constexpr int kMaxMs = 8;           // threads for Ms (not counting sysmon/tracer/poller)
inline constexpr int kMaxGoroutines = 64;  // initial goroutines + ones created by `go`
inline constexpr int kMaxPrograms = 8;
inline constexpr int kMaxProgramLen = 16;
inline constexpr int kMaxFds = 64;
inline constexpr int kMaxBatches = 8;
inline constexpr int kMaxTracerOps = 12;
inline constexpr int kMaxChans = 4;     // wait queues for kParkChan/kReadyChan/kParkedChan
inline constexpr int kMinRunqSize = 2;  // local ring size, power of two
inline constexpr int kMaxRunqSize = 256;

// One step of a goroutine's program. Programs run on whatever M executes the
// goroutine; each op is one Go-level action.
enum class OpKind : uint8_t {
  kWork = 0,          // compute: `arg` scheduling points with no runtime call
  kParkFd = 1,        // gopark until descriptor `arg` is ready (woken by netpoll)
  kParkChan = 2,      // gopark on wait queue `arg` (woken by kReadyChan)
  kReadyChan = 3,     // goready the first goroutine parked on queue `arg`, if any
  kGo = 4,            // newproc: a new goroutine running program `arg`
  kGosched = 5,       // runtime.Gosched (goschedImpl: to the global queue)
  kYield = 6,         // goyield (to the local queue)
  kSyscall = 7,       // entersyscall; `arg` scheduling points; exitsyscall
  kSyscallBlock = 8,  // entersyscallblock; `arg` scheduling points; exitsyscall
  kExit = 9,          // goexit (also implied at the end of a program)
  kGC = 10,           // runtime.GC: a collection cycle with its two stop-the-worlds
};
inline constexpr int kNumOpKinds = 11;

struct Op {
  OpKind kind = OpKind::kWork;
  uint8_t arg = 0;
  bool operator==(const Op&) const = default;
};

// How a goroutine exists when the run starts.
enum class InitState : uint8_t {
  kRunnable = 0,    // on a run queue (spread over the Ps' local queues)
  kParkedFd = 1,    // waiting on descriptor `wait_arg` (as if it had called gopark in netpollblock)
  kParkedChan = 2,  // waiting on wait queue `wait_arg`
};

struct GoroutineSpec {
  InitState init = InitState::kRunnable;
  uint8_t wait_arg = 0;
  uint8_t program = 0;  // index into Machine::programs; out of range = empty program
  bool operator==(const GoroutineSpec&) const = default;
};

// Which netpoll caller may take a batch. kAny: whoever polls first.
enum class PollPath : uint8_t {
  kAny = 0,
  kFindRunnable = 1,       // findRunnable's non-blocking netpoll, M holds a P
  kFindRunnableBlock = 2,  // findRunnable's blocking netpoll (P-less injectglist when no P is idle)
  kSysmon = 3,             // sysmon's netpoll under sysmonlock
  kStartTheWorld = 4,      // startTheWorldWithSema's netpoll(0)
};
inline constexpr int kNumPollPaths = 5;

// A set of descriptors the poller makes ready at once: netpoll returns their
// waiting goroutines as one gList, which the caller passes to injectglist.
struct PollBatch {
  std::vector<uint8_t> fds;
  PollPath path = PollPath::kAny;
  uint8_t delay = 0;  // poller-thread scheduling points before the batch becomes ready
  bool operator==(const PollBatch&) const = default;
};

enum class TracerOpKind : uint8_t {
  kStart = 0,    // runtime.StartTrace
  kAdvance = 1,  // one traceAdvance(false) by the periodic advancer
  kStop = 2,     // runtime.StopTrace (traceAdvance(true))
};

struct TracerOp {
  TracerOpKind kind = TracerOpKind::kStart;
  uint8_t delay = 0;  // tracer-thread scheduling points before the op
  bool operator==(const TracerOp&) const = default;
};

struct Machine {
  uint8_t nprocs = 2;         // GOMAXPROCS, 1..kMaxProcs
  uint8_t nms = 3;            // Ms available to the scheduler, nprocs..kMaxMs
  uint16_t runq_size = 256;   // local ring capacity, power of two in [kMinRunqSize, kMaxRunqSize]
  bool sysmon = true;         // run a sysmon thread (netpoll, retake)
  uint8_t sysmon_rounds = 4;  // sysmon loop iterations before it stops
  uint8_t nfds = 0;           // descriptors 0..nfds-1
  std::vector<std::vector<Op>> programs;
  std::vector<GoroutineSpec> goroutines;  // goids 1.. in this order
  std::vector<PollBatch> batches;         // made ready in order by the poller thread
  std::vector<TracerOp> tracer;           // run in order by the tracer thread
  bool operator==(const Machine&) const = default;
};

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_RUNTIME_MACHINE_H_
