#include "core/sim/dfs.h"

namespace schedfuzz::sim {

void DfsChooser::Begin() { pos_ = 0; }

int DfsChooser::Choose(const ChoicePoint& p) {
  const int n = static_cast<int>(p.runnable.size());
  int base = 0;
  const int def = DefaultChoice(p);
  while (p.runnable[base] != def) ++base;
  const bool cur_runnable = def == p.current;
  if (pos_ < path_.size()) {
    Node& node = path_[pos_++];
    // The model is deterministic, so a replayed prefix sees the same
    // decision points; guard anyway against a changed runnable set.
    if (node.n != n) {
      node = Node{static_cast<uint8_t>(n), 0, static_cast<uint8_t>(base), cur_runnable};
      path_.resize(pos_);
    }
    return p.runnable[(node.base + node.tried) % n];
  }
  if (pos_ < max_depth_) {
    path_.push_back(Node{static_cast<uint8_t>(n), 0, static_cast<uint8_t>(base), cur_runnable});
    ++pos_;
  }
  return def;
}

int DfsChooser::Preemptions(size_t upto) const {
  int c = 0;
  for (size_t i = 0; i < upto && i < path_.size(); ++i)
    if (path_[i].tried != 0 && path_[i].cur_runnable) ++c;
  return c;
}

bool DfsChooser::Advance() {
  ++schedules_;
  path_.resize(pos_);
  while (!path_.empty()) {
    Node& last = path_.back();
    if (last.tried + 1 < last.n) {
      const bool adds_preemption = last.tried == 0 && last.cur_runnable;
      if (max_preemptions_ < 0 || !adds_preemption ||
          Preemptions(path_.size() - 1) < max_preemptions_) {
        ++last.tried;
        return true;
      }
    }
    path_.pop_back();
  }
  return false;
}

}  // namespace schedfuzz::sim
