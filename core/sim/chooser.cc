#include "core/sim/chooser.h"

#include <algorithm>

namespace schedfuzz::sim {

namespace {
bool Contains(std::span<const int> v, int x) {
  for (int t : v)
    if (t == x) return true;
  return false;
}
}  // namespace

int DefaultChoice(const ChoicePoint& p) {
  if (p.current >= 0 && Contains(p.runnable, p.current)) return p.current;
  for (int t : p.runnable)
    if (t > p.current) return t;
  return p.runnable[0];
}

void ByteChooser::Begin() {
  pos_ = 0;
  keep_thread_ = -1;
  keep_left_ = 0;
  keep_all_ = false;
}

int ByteChooser::Choose(const ChoicePoint& p) {
  if (keep_left_ > 0 && keep_thread_ >= 0 && Contains(p.runnable, keep_thread_)) {
    --keep_left_;
    return keep_thread_;
  }
  if (pos_ >= bytes_.size()) {
    // No quantum left to resume: DefaultChoice decides every later decision,
    // and it keeps the current thread whenever that can run.
    if (keep_left_ == 0) keep_all_ = true;
    return DefaultChoice(p);
  }
  const uint8_t b = bytes_[pos_++];
  const int t = p.runnable[(b & 15) % p.runnable.size()];
  keep_thread_ = t;
  keep_left_ = kQuanta[b >> 4];
  return t;
}

int RandomChooser::Choose(const ChoicePoint& p) {
  return p.runnable[rng_.Below(static_cast<uint32_t>(p.runnable.size()))];
}

PctChooser::PctChooser(uint64_t seed, int depth, uint64_t expected_steps)
    : seed_(seed),
      depth_(std::clamp(depth, 1, 9)),
      expected_steps_(std::max<uint64_t>(expected_steps, 1)),
      rng_(seed) {}

void PctChooser::Begin() {
  rng_ = SplitMix64(seed_);
  // Initial priorities depth_ .. depth_+kMaxThreads-1 in random order; change
  // points lower a thread to priorities depth_-1 .. 1.
  int perm[kMaxThreads];
  for (int i = 0; i < kMaxThreads; ++i) perm[i] = i;
  for (int i = kMaxThreads - 1; i > 0; --i) std::swap(perm[i], perm[rng_.Below(i + 1)]);
  for (int i = 0; i < kMaxThreads; ++i) priority_[i] = depth_ + perm[i];
  nchange_ = depth_ - 1;
  for (int i = 0; i < nchange_; ++i) change_points_[i] = rng_.Next() % expected_steps_;
  next_low_ = depth_ - 1;
}

int PctChooser::Choose(const ChoicePoint& p) {
  for (int i = 0; i < nchange_; ++i) {
    if (change_points_[i] == p.decision && p.current >= 0) {
      priority_[p.current] = next_low_ > 0 ? next_low_-- : 0;
    }
  }
  int best = p.runnable[0];
  for (int t : p.runnable)
    if (priority_[t] > priority_[best]) best = t;
  return best;
}

void PctByteChooser::Begin() {
  // Initial priorities: (byte << 4 | (15 - id)) above the change points' 1..8,
  // so they are distinct and an equal byte puts the lower id first.
  static_assert(kMaxThreads <= 16);
  for (int t = 0; t < kMaxThreads; ++t) {
    const uint8_t b = static_cast<size_t>(t) < bytes_.size() ? bytes_[t] : 0;
    priority_[t] = kMaxChangePoints + 1 + (b << 4 | (kMaxThreads - 1 - t));
  }
  nchange_ = 0;
  for (size_t i = kPriorityBytes; i < bytes_.size() && nchange_ < kMaxChangePoints; i += 2) {
    const uint32_t lo = bytes_[i];
    const uint32_t hi = i + 1 < bytes_.size() ? bytes_[i + 1] : 0;
    change_points_[nchange_++] = (hi << 8 | lo) % kHorizon;
  }
}

int PctByteChooser::Choose(const ChoicePoint& p) {
  auto highest = [&] {
    int best = p.runnable[0];
    for (int t : p.runnable)
      if (priority_[t] > priority_[best]) best = t;
    return best;
  };
  // In byte order, so that two change points at one decision demote the
  // first choice to the first one's priority and then the next choice.
  for (int i = 0; i < nchange_; ++i)
    if (change_points_[i] == p.decision) priority_[highest()] = i + 1;
  return highest();
}

int ReplayChooser::Choose(const ChoicePoint& p) {
  if (pos_ < decisions_.size()) {
    const int t = decisions_[pos_++];
    if (Contains(p.runnable, t)) return t;
    diverged_ = true;
  }
  return DefaultChoice(p);
}

int RoundRobinChooser::Choose(const ChoicePoint& p) {
  for (int t : p.runnable)
    if (t > p.current) return t;
  return p.runnable[0];
}

std::vector<uint8_t> EncodeDecisionsAsBytes(std::span<const uint8_t> chosen_index) {
  // Quantum 0, index in the low bits: (b & 15) % n == index since index < n <= 16.
  return std::vector<uint8_t>(chosen_index.begin(), chosen_index.end());
}

}  // namespace schedfuzz::sim
