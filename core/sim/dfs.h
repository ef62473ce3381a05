// Bounded exhaustive search over schedules (stateless DFS, as CHESS and
// Shuttle's DfsScheduler do): each run follows a prefix of recorded choices,
// then the default choice; after the run the deepest decision with an
// untried alternative is advanced. With a preemption bound, alternatives that
// would switch away from a thread that could have continued are counted, and
// branches over the bound are skipped (iterative context bounding).
#ifndef SCHEDFUZZ_CORE_SIM_DFS_H_
#define SCHEDFUZZ_CORE_SIM_DFS_H_

#include <cstdint>
#include <vector>

#include "core/sim/chooser.h"

namespace schedfuzz::sim {

class DfsChooser : public Chooser {
 public:
  // max_preemptions < 0: unbounded. max_depth: decisions beyond it take the
  // default choice and are not branched on.
  explicit DfsChooser(int max_preemptions = -1, size_t max_depth = 1 << 20)
      : max_preemptions_(max_preemptions), max_depth_(max_depth) {}
  void Begin() override;
  int Choose(const ChoicePoint& point) override;
  // After a run: move to the next unexplored schedule. False when the search
  // space (within the bounds) is exhausted.
  bool Advance();
  uint64_t schedules() const { return schedules_; }

 private:
  struct Node {
    uint8_t n = 0;      // runnable threads at this decision
    uint8_t tried = 0;  // alternative being explored: 0 = default choice
    uint8_t base = 0;   // index of the default choice among the runnable
    bool cur_runnable = false;
  };
  int Preemptions(size_t upto) const;
  int max_preemptions_;
  size_t max_depth_;
  std::vector<Node> path_;
  size_t pos_ = 0;
  uint64_t schedules_ = 0;
};

}  // namespace schedfuzz::sim

#endif  // SCHEDFUZZ_CORE_SIM_DFS_H_
