// Test support: run hand-written code as Ms of a model built from a small
// scenario, without the scheduler's own threads.
#ifndef SCHEDFUZZ_CORE_RUNTIME_TEST_HARNESS_H_
#define SCHEDFUZZ_CORE_RUNTIME_TEST_HARNESS_H_

#include <functional>
#include <list>
#include <memory>
#include <type_traits>

#include "core/runtime/go122/go122.h"
#include "core/runtime/go127/go127.h"
#include "core/sim/chooser.h"
#include "core/sim/dfs.h"
#include "core/sim/engine.h"

namespace schedfuzz::rt {

// R is the release's runtime class (Go122 or Go127); Harness drives Go 1.22.
template <typename R>
class BasicHarness {
 public:
  explicit BasicHarness(int nprocs = 2, uint16_t runq = 256, int goroutines = 4) {
    sc_.nprocs = static_cast<uint8_t>(nprocs);
    sc_.nms = static_cast<uint8_t>(nprocs + 1);
    sc_.runq_size = runq;
    sc_.sysmon = false;
    sc_.nfds = 4;
    sc_.programs = {{}};
    for (int i = 0; i < goroutines; ++i) sc_.goroutines.push_back({InitState::kParkedChan, 0, 0});
    Reset();
  }
  // Rebuild the machine (between runs).
  void Reset() {
    rt.Init(sc_, std::is_same_v<R, Go127> ? DefaultVariant(Release::kGo127) : DefaultVariant(),
            &engine);
    engine.Reset();
    fns_.clear();
    // Goroutines start parked on chan 0 so nothing else refers to them; tests
    // give them whatever status they need.
    for (auto& q : rt.chans) q = waitq{};
    for (int i = 0; i < rt.nallgs; ++i) rt.allgs[i].chanlink = nullptr;
  }
  // Runs fn as M number mi (0-based; mi < nprocs holds P mi).
  void OnM(int mi, std::function<void()> fn) {
    fns_.push_back(std::move(fn));
    const int t = engine.Spawn(&BasicHarness::Trampoline, &fns_.back(), rt.allm[mi].name);
    rt.BindThreadToM(t, &rt.allm[mi]);
  }
  sim::Outcome Run(sim::Chooser& ch) { return engine.Run(ch); }
  sim::Outcome Run() {
    sim::ReplayChooser def;
    return engine.Run(def);
  }
  g* G(int i) { return &rt.allgs[i]; }
  p* P(int i) { return &rt.allp[i]; }
  m* M(int i) { return &rt.allm[i]; }

  sim::Engine engine{sim::EngineOptions{.step_budget = 20000}};
  R rt;

 private:
  static void Trampoline(void* arg) { (*static_cast<std::function<void()>*>(arg))(); }
  Machine sc_;
  std::list<std::function<void()>> fns_;
};

using Harness = BasicHarness<Go122>;

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_RUNTIME_TEST_HARNESS_H_
