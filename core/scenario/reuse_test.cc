// Fuzz targets run every input on one Runner (one engine, one runtime). What
// an input does must not depend on what ran before it: a reused Runner has
// to give each input exactly the outcome and the trace bytes a fresh one
// gives, whatever size of machine the previous input built.
// Runtime::Init resets only the G, M and P slots the last run handed out;
// these tests fail if it resets too few, or if a run writes a slot beyond
// its counts.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "core/scenario/codec.h"
#include "core/scenario/run.h"
#include "core/tracefmt/wire.h"

namespace schedfuzz::scenario {
namespace {

// Random inputs with every section explicit, so the machines range from one
// P and a few goroutines to the bounds.
std::vector<Scenario> Inputs(int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Scenario> out;
  for (int i = 0; i < n; ++i) {
    std::vector<uint8_t> in(8 + rng() % 600);
    for (uint8_t& b : in) b = static_cast<uint8_t>(rng());
    in[0] = kFormatVersion;
    if (i % 3 == 0) in[1] = 0;  // the default (go70883-shaped) sections
    Scenario sc;
    Decode(in, &sc);
    out.push_back(std::move(sc));
  }
  return out;
}

struct Result {
  std::string outcome;
  std::vector<std::string> traces;
};

Result Summarize(const Runner& r) {
  const Outcome& o = r.outcome();
  Result res;
  res.outcome = o.engine.Describe({}) + " | " + DescribeVerdict(o.verdict) + " | " +
                std::to_string(o.sessions) + " sessions, " + std::to_string(o.events) +
                " events | " + o.discarded;
  for (const tracefmt::Trace& t : r.traces()) res.traces.push_back(tracefmt::WriteWire(t));
  return res;
}

TEST(ReuseTest, ReusedRunnerGivesEachInputWhatAFreshOneGives) {
  const std::vector<Scenario> inputs = Inputs(120, 7);
  Runner reused;
  int judged = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    reused.Run(inputs[i]);
    const Result got = Summarize(reused);
    Runner fresh;
    fresh.Run(inputs[i]);
    const Result want = Summarize(fresh);
    ASSERT_EQ(got.outcome, want.outcome) << "input " << i;
    ASSERT_EQ(got.traces, want.traces) << "input " << i;
    if (reused.outcome().discarded.empty()) ++judged;
  }
  // The comparison means something only if the inputs ran.
  EXPECT_GT(judged, 60);
}

TEST(ReuseTest, NoRunWritesASlotBeyondItsCounts) {
  // What Init relies on to reset only the last run's slots.
  const rt::g blank_g{};
  const rt::m blank_m{};
  const rt::p blank_p{};
  Runner r;
  int big = 0;
  for (const Scenario& sc : Inputs(120, 11)) {
    r.Run(sc);
    const rt::Runtime& rt = r.runtime();
    if (rt.nallgs > 8) ++big;
    for (int i = rt.nallgs; i < rt::kMaxG; ++i) {
      const rt::g& gp = rt.allgs[i];
      ASSERT_TRUE(gp.goid == blank_g.goid && gp.in_use == blank_g.in_use &&
                  gp.atomicstatus.Raw() == blank_g.atomicstatus.Raw() &&
                  gp.schedlink == blank_g.schedlink && gp.mp == blank_g.mp)
          << "goroutine slot " << i << " beyond nallgs " << rt.nallgs;
    }
    for (int i = rt.nallm; i < rt::kMaxM + 2; ++i) {
      const rt::m& mp = rt.allm[i];
      ASSERT_TRUE(mp.id == blank_m.id && mp.pp == blank_m.pp && mp.curg == blank_m.curg &&
                  mp.started == blank_m.started && mp.nextp == blank_m.nextp)
          << "M slot " << i << " beyond nallm " << rt.nallm;
    }
    for (int i = rt.gomaxprocs; i < rt::kMaxP; ++i) {
      const rt::p& pp = rt.allp[i];
      ASSERT_TRUE(
          pp.id == blank_p.id && pp.mp == blank_p.mp && pp.status.Raw() == blank_p.status.Raw() &&
          pp.runqtail.Raw() == blank_p.runqtail.Raw() && pp.runnext.Raw() == blank_p.runnext.Raw())
          << "P slot " << i << " beyond gomaxprocs " << rt.gomaxprocs;
    }
  }
  EXPECT_GT(big, 10);
}

}  // namespace
}  // namespace schedfuzz::scenario
