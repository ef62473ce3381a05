// A map from 64-bit ids to small values, for the per-generation string and
// stack tables. Open addressing with a fixed hash, so the work of a lookup
// depends on the keys only (a fuzzer's coverage stays stable), and clear()
// is O(1) and keeps the slots, so a warm table does not allocate.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_ID_MAP_H_
#define SCHEDFUZZ_CORE_TRACEFMT_ID_MAP_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace schedfuzz::tracefmt {

template <typename V>
class IdMap {
 public:
  size_t size() const { return size_; }
  void clear() {
    size_ = 0;
    if (++stamp_ == 0) {  // wrapped: every slot must read as empty again
      for (Slot& s : slots_) s.stamp = 0;
      stamp_ = 1;
    }
  }
  const V* find(uint64_t key) const {
    if (slots_.empty()) return nullptr;
    for (size_t i = Hash(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.stamp != stamp_) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  bool contains(uint64_t key) const { return find(key) != nullptr; }
  // Inserts key -> value unless key is present; returns the stored value and
  // whether it was inserted.
  std::pair<V*, bool> emplace(uint64_t key, const V& value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    for (size_t i = Hash(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.stamp != stamp_) {
        s = Slot{key, stamp_, value};
        ++size_;
        return {&s.value, true};
      }
      if (s.key == key) return {&s.value, false};
    }
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t stamp = 0;
    V value{};
  };
  size_t Hash(uint64_t key) const {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> shift_) & mask_;
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    const uint32_t old_stamp = stamp_;
    const size_t n = old.empty() ? 16 : old.size() * 2;
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    shift_ = 64;
    for (size_t v = n; v > 1; v >>= 1) --shift_;
    stamp_ = 1;
    size_ = 0;
    for (const Slot& s : old) {
      if (s.stamp == old_stamp) emplace(s.key, s.value);
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  unsigned shift_ = 64;
  uint32_t stamp_ = 1;
  size_t size_ = 0;
};

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_ID_MAP_H_
