// A chooser that follows a short script of intentions instead of a byte per
// decision, so a test or a regression case can state an interleaving the way
// a person describes it: "run sysmon until it is about to change the
// goroutine's status; then run the tracer until it has finished, holding
// sysmon back; then anything". Each step prefers one thread until that thread
// is paused at a site containing `until` (or has finished); threads in
// `hold` run only when nothing else can. When the preferred thread cannot
// run, DefaultChoice picks among the others.
#ifndef SCHEDFUZZ_CORE_SIM_SCRIPT_H_
#define SCHEDFUZZ_CORE_SIM_SCRIPT_H_

#include <string>
#include <vector>

#include "core/sim/chooser.h"
#include "core/sim/engine.h"

namespace schedfuzz::sim {

struct ScriptStep {
  std::string thread;             // thread name, e.g. "sysmon", "tracer", "M1"
  std::string until;              // substring of a site; "" = until the thread finishes
  int times = 1;                  // ... the n-th time it is paused there
  std::vector<std::string> hold;  // threads held back during this step
};

class ScriptChooser : public Chooser {
 public:
  ScriptChooser(const Engine* engine, std::vector<ScriptStep> steps)
      : engine_(engine), steps_(std::move(steps)) {}
  void Begin() override;
  int Choose(const ChoicePoint& point) override;
  // Steps completed in the last run (all of them if the script was followed).
  size_t steps_done() const { return idx_; }

 private:
  int Find(const std::string& name) const;
  const Engine* engine_;
  std::vector<ScriptStep> steps_;
  size_t idx_ = 0;
  int hits_ = 0;
  const char* last_site_ = nullptr;
};

}  // namespace schedfuzz::sim

#endif  // SCHEDFUZZ_CORE_SIM_SCRIPT_H_
