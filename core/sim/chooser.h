// Choosers decide, at each scheduling point where more than one virtual
// thread could run, which one does. The engine asks only at such points; the
// decisions it records can be replayed by a ReplayChooser or re-encoded as
// bytes for a ByteChooser, so any run from any chooser reproduces exactly.
#ifndef SCHEDFUZZ_CORE_SIM_CHOOSER_H_
#define SCHEDFUZZ_CORE_SIM_CHOOSER_H_

#include <cstdint>
#include <span>
#include <vector>

namespace schedfuzz::sim {

inline constexpr int kMaxThreads = 16;

// What the chooser sees at a decision point. `runnable` holds thread ids in
// increasing order, at least two of them. `current` is the thread that reached
// the point, or -1 when it blocked or finished (then it is not in `runnable`).
struct ChoicePoint {
  std::span<const int> runnable;
  int current = -1;
  uint64_t step = 0;      // the engine's step counter
  uint64_t decision = 0;  // index of this decision in the run
};

class Chooser {
 public:
  virtual ~Chooser() = default;
  // Called by Engine::Run before the first decision.
  virtual void Begin() {}
  // Returns one of point.runnable.
  virtual int Choose(const ChoicePoint& point) = 0;

  // A promise that lets the engine skip Choose at most decisions: true if,
  // at a decision where `current` can run and every runnable thread is
  // offered, Choose would return `current` without reading any input. The
  // engine then calls Kept() instead of Choose. Choices stay exactly the
  // same; only the call is saved.
  bool WouldKeep(int current) const {
    return keep_all_ || (keep_left_ > 0 && keep_thread_ == current);
  }
  // The engine kept the current thread at k such decisions.
  void Kept(uint32_t k = 1) {
    if (!keep_all_) keep_left_ -= k;
  }
  // How many decisions in a row WouldKeep(current) covers (when it is true).
  uint32_t KeepsLeft() const { return keep_all_ ? UINT32_MAX : keep_left_; }

 protected:
  int keep_thread_ = -1;    // Choose returns it while keep_left_ > 0 and it can run
  uint32_t keep_left_ = 0;  // (ByteChooser's quantum)
  bool keep_all_ = false;   // Choose keeps whichever thread is current, from now on
};

// The choice every chooser falls back on: keep running the current thread if
// it can run, else the next runnable thread after it in id order (wrapping).
// Runs driven by it alone finish: it never starves a thread that another
// thread is spinning on, because spinning threads are not offered while a
// non-spinning one can run (see Engine).
int DefaultChoice(const ChoicePoint& point);

// Byte-driven choices for fuzzing. One byte per decision: the low 4 bits pick
// runnable[(b & 15) % n]; the high 4 bits give a quantum: the chosen thread
// keeps running without consuming bytes for that many further decision points
// (0,1,2,3,4,6,8,12,16,24,32,48,64,128,256,1024) unless it blocks. A one-byte
// mutation therefore changes one local decision. When the bytes run out,
// DefaultChoice decides, so every run finishes.
class ByteChooser : public Chooser {
 public:
  ByteChooser() = default;
  explicit ByteChooser(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  void Reset(std::span<const uint8_t> bytes) { bytes_ = bytes; }
  void Begin() override;
  int Choose(const ChoicePoint& point) override;
  size_t consumed() const { return pos_; }

  static constexpr uint16_t kQuanta[16] = {0,  1,  2,  3,  4,  6,   8,   12,
                                           16, 24, 32, 48, 64, 128, 256, 1024};

 private:
  // The quantum lives in the base class's keep_thread_/keep_left_, so the
  // engine can honour it without calling Choose.
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

// A small PRNG with a stable, documented sequence (SplitMix64), so a seed
// means the same schedule in every build and on every machine.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed = 0) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) for n > 0 (Lemire's multiply-shift; bias < 2^-32 here).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }

 private:
  uint64_t state_;
};

// Uniform random walk: each decision picks a runnable thread uniformly.
class RandomChooser : public Chooser {
 public:
  explicit RandomChooser(uint64_t seed) : seed_(seed), rng_(seed) {}
  void Begin() override { rng_ = SplitMix64(seed_); }
  int Choose(const ChoicePoint& point) override;

 private:
  uint64_t seed_;
  SplitMix64 rng_;
};

// Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS'10): random
// distinct priorities per thread, d-1 random change points among the first
// `expected_steps` decisions; the highest-priority runnable thread runs; at a
// change point the running thread drops to the lowest priorities.
class PctChooser : public Chooser {
 public:
  PctChooser(uint64_t seed, int depth, uint64_t expected_steps);
  void Begin() override;
  int Choose(const ChoicePoint& point) override;

 private:
  uint64_t seed_;
  int depth_;
  uint64_t expected_steps_;
  SplitMix64 rng_;
  int priority_[kMaxThreads] = {};
  uint64_t change_points_[8] = {};
  int nchange_ = 0;
  int next_low_ = 0;
};

// PCT driven by bytes instead of a seed: the schedule is PCT's own
// parameters, so that a one-byte mutation moves one thing in PCT's space (one
// thread's priority, or one change point) and a coverage-guided fuzzer
// searches priorities and change points instead of per-decision choices.
// Layout (docs/format.md, section 2.8):
//   bytes [0, 16)   thread t's initial priority is byte t (higher runs first;
//                   equal bytes: the lower thread id first); a missing byte
//                   reads as 0, so the empty schedule runs threads in id order
//   bytes [16, ..)  change points, 2 bytes each, little-endian, taken modulo
//                   kHorizon: a decision index. Up to kMaxChangePoints; a last
//                   odd byte is a change point whose high byte reads as 0;
//                   bytes beyond the last change point are ignored. Depth is
//                   1 + the number of change points.
// At each decision the highest-priority runnable thread runs. At a change
// point's decision, first the thread that would run there drops below every
// initial priority (change point i, counted from 0 in byte order, to priority
// i + 1, as in Burckhardt et al., where the i-th change point sets priority
// i), so each change point forces a switch at its decision. Unlike
// PctChooser, no change point is lost when the current thread has just
// blocked. It makes no WouldKeep promise: Choose decides every decision.
class PctByteChooser : public Chooser {
 public:
  static constexpr size_t kPriorityBytes = kMaxThreads;
  static constexpr int kMaxChangePoints = 8;
  // Change point positions are decision indices below kHorizon. Runs of
  // hunt's scenarios under the default choices take 600-800 decisions
  // (hunt's PCT k) and the seed corpus's median run about 700; 1024 covers
  // them with one bound a byte mutation cannot move (docs/format.md, 2.8).
  static constexpr uint32_t kHorizon = 1024;

  PctByteChooser() = default;
  explicit PctByteChooser(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  void Reset(std::span<const uint8_t> bytes) { bytes_ = bytes; }
  void Begin() override;
  int Choose(const ChoicePoint& point) override;

  // After Begin: the change points read from the bytes, in byte order.
  int change_points() const { return nchange_; }
  uint32_t change_point(int i) const { return change_points_[i]; }
  // The thread's current priority (initial ones are above kMaxChangePoints).
  int priority(int thread) const { return priority_[thread]; }

 private:
  std::span<const uint8_t> bytes_;
  int priority_[kMaxThreads] = {};
  uint32_t change_points_[kMaxChangePoints] = {};
  int nchange_ = 0;
};

// Replays an explicit list of thread ids, one per decision. A listed thread
// that is not runnable at its decision, or a list that runs out, falls back
// to DefaultChoice; `diverged()` says whether that happened before the end.
class ReplayChooser : public Chooser {
 public:
  ReplayChooser() = default;
  explicit ReplayChooser(std::span<const int> decisions) : decisions_(decisions) {}
  void Reset(std::span<const int> decisions) { decisions_ = decisions; }
  void Begin() override {
    pos_ = 0;
    diverged_ = false;
  }
  int Choose(const ChoicePoint& point) override;
  bool diverged() const { return diverged_; }

 private:
  std::span<const int> decisions_;
  size_t pos_ = 0;
  bool diverged_ = false;
};

// Round robin: switch to the next runnable thread at every decision.
class RoundRobinChooser : public Chooser {
 public:
  int Choose(const ChoicePoint& point) override;
};

// Re-encodes a decision log (chosen index among the runnable threads at each
// decision) as ByteChooser bytes that reproduce it exactly.
std::vector<uint8_t> EncodeDecisionsAsBytes(std::span<const uint8_t> chosen_index);

}  // namespace schedfuzz::sim

#endif  // SCHEDFUZZ_CORE_SIM_CHOOSER_H_
