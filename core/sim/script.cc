#include "core/sim/script.h"

namespace schedfuzz::sim {

void ScriptChooser::Begin() {
  idx_ = 0;
  hits_ = 0;
  last_site_ = nullptr;
}

int ScriptChooser::Find(const std::string& name) const {
  for (int t = 0; t < engine_->nthreads(); ++t)
    if (name == engine_->thread_name(t)) return t;
  return -1;
}

int ScriptChooser::Choose(const ChoicePoint& p) {
  while (idx_ < steps_.size()) {
    const ScriptStep& s = steps_[idx_];
    const int t = Find(s.thread);
    if (t < 0) {
      ++idx_;
      continue;
    }
    const char* site = engine_->thread_site(t);
    const bool finished = std::string(site) == "done";
    bool at = !s.until.empty() && std::string(site).find(s.until) != std::string::npos;
    // Count each arrival at the site once, not each decision it waits there.
    if (at && site != last_site_) {
      ++hits_;
      last_site_ = site;
    } else if (!at) {
      last_site_ = nullptr;
    }
    if (finished || (at && hits_ >= s.times)) {
      ++idx_;
      hits_ = 0;
      last_site_ = nullptr;
      continue;
    }
    int allowed[kMaxThreads];
    int n = 0;
    for (int r : p.runnable) {
      bool held = false;
      for (const std::string& h : s.hold) held = held || h == engine_->thread_name(r);
      if (!held) allowed[n++] = r;
    }
    for (int i = 0; i < n; ++i)
      if (allowed[i] == t) return t;
    if (n == 0) return DefaultChoice(p);
    ChoicePoint q = p;
    q.runnable = std::span<const int>(allowed, n);
    return DefaultChoice(q);
  }
  return DefaultChoice(p);
}

}  // namespace schedfuzz::sim
