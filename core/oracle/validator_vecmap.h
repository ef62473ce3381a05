// The validator's map type (see VecMap).
#ifndef SCHEDFUZZ_CORE_ORACLE_VALIDATOR_VECMAP_H_
#define SCHEDFUZZ_CORE_ORACLE_VALIDATOR_VECMAP_H_

#include <algorithm>
#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>

namespace schedfuzz::oracle::internal {

// A map as a sorted vector. The validator's maps hold the goroutines, Ps and
// Ms of one trace: a few dozen keys, for which a binary search over
// contiguous memory beats hashing, iteration order is fixed, and a warm map
// allocates nothing. (Abseil's hash tables salt their probing with the
// table's heap address, so the work, and coverage, of a lookup would vary
// between runs of one input. Go iterates its maps in random order; any fixed
// order is one of those.)
template <typename K, typename V>
class VecMap {
 public:
  using value_type = std::pair<K, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  iterator begin() { return v_.begin(); }
  iterator end() { return v_.end(); }
  const_iterator begin() const { return v_.begin(); }
  const_iterator end() const { return v_.end(); }
  size_t size() const { return v_.size(); }
  void clear() { v_.clear(); }

  iterator find(const K& k) {
    iterator it = LowerBound(k);
    return it != v_.end() && it->first == k ? it : v_.end();
  }
  const_iterator find(const K& k) const { return const_cast<VecMap*>(this)->find(k); }
  bool contains(const K& k) const { return find(k) != v_.end(); }
  const V& at(const K& k) const { return find(k)->second; }
  template <typename... Args>
  std::pair<iterator, bool> try_emplace(const K& k, Args&&... args) {
    iterator it = LowerBound(k);
    if (it != v_.end() && it->first == k) return {it, false};
    return {v_.emplace(it, std::piecewise_construct, std::forward_as_tuple(k),
                       std::forward_as_tuple(std::forward<Args>(args)...)),
            true};
  }
  template <typename VV>
  std::pair<iterator, bool> emplace(const K& k, VV&& val) {
    return try_emplace(k, std::forward<VV>(val));
  }
  V& operator[](const K& k) { return try_emplace(k).first->second; }
  void reserve(size_t n) { v_.reserve(n); }
  void erase(iterator it) { v_.erase(it); }
  void erase(const K& k) {
    iterator it = find(k);
    if (it != v_.end()) v_.erase(it);
  }

 private:
  iterator LowerBound(const K& k) {
    return std::lower_bound(v_.begin(), v_.end(), k,
                            [](const value_type& e, const K& key) { return e.first < key; });
  }
  std::vector<value_type> v_;
};

}  // namespace schedfuzz::oracle::internal

#endif  // SCHEDFUZZ_CORE_ORACLE_VALIDATOR_VECMAP_H_
