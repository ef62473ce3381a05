#include "fuzz/trace_feedback.h"

#include <cstring>

#include "core/runtime/runtime.h"

// libFuzzer reads every byte of this section as a coverage counter (and
// clears it before each input). The name is libFuzzer's contract.
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t
    g_counters[schedfuzz::fuzz::kTraceFeedbackCounters];

namespace schedfuzz::fuzz {
namespace {

constexpr int kMSlots = 16;  // Ms by id modulo this; the model has at most 9

struct State {
  uint64_t held[kMSlots];  // generation of the M's open critical section, 0: none
  uint64_t gen;            // the tracer's current generation, 0: tracing off
  int last_m;              // M of the previous moment, -1: none yet
  uint32_t last_kind;      // the previous moment's feature
  // Site strings are constants: their hashes are cached by address.
  const char* site_ptr[64];
  uint32_t site_hash[64];
};
State g_state;

inline uint32_t Mix(uint32_t h, uint32_t v) {
  h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
  return h;
}

uint32_t SiteHash(const char* s) {
  if (!s) return 0;
  const size_t slot = (reinterpret_cast<uintptr_t>(s) >> 3) & 63;
  if (g_state.site_ptr[slot] == s) return g_state.site_hash[slot];
  uint32_t h = 2166136261u;  // FNV-1a of the text, so the feature is the same in every process
  for (const char* c = s; *c; ++c) h = (h ^ static_cast<uint8_t>(*c)) * 16777619u;
  g_state.site_ptr[slot] = s;
  g_state.site_hash[slot] = h;
  return h;
}

int Slot(const rt::m* mp) { return mp ? (mp->id & (kMSlots - 1)) : kMSlots - 1; }

// 0: no section open; 1: open for the current generation; 2: for an older one.
uint32_t Section(uint64_t held) {
  if (held == 0) return 0;
  return held == g_state.gen ? 1 : 2;
}

// The other Ms' sections: how many are open (0..2) and how many of those are
// for an older generation (0..2).
uint32_t Others(int self) {
  uint32_t open = 0, stale = 0;
  for (int i = 0; i < kMSlots; ++i) {
    if (i == self || g_state.held[i] == 0) continue;
    ++open;
    if (g_state.held[i] != g_state.gen) ++stale;
  }
  return (open > 2 ? 2 : open) * 3 + (stale > 2 ? 2 : stale);
}

void Bump(uint32_t feature) {
  uint8_t& c = g_counters[feature & (kTraceFeedbackCounters - 1)];
  if (c != 255) ++c;
}

// One moment on M slot `self`: its own feature, and the pair with the
// previous moment when that was on another M.
void Moment(int self, uint32_t kind) {
  const uint32_t f =
      Mix(Mix(kind, Section(g_state.held[self])), Mix(g_state.gen != 0, Others(self)));
  Bump(f);
  if (g_state.last_m >= 0 && g_state.last_m != self) Bump(Mix(Mix(0x5a17u, g_state.last_kind), f));
  g_state.last_m = self;
  g_state.last_kind = f;
}

void OnStatus(void*, rt::g*, uint32_t old, uint32_t nw, rt::m* mp, const char* site) {
  Moment(Slot(mp), Mix(Mix(1, old), Mix(nw, SiteHash(site))));
}

void OnEvent(void*, const tracefmt::Event& ev, uint64_t gen, rt::m* mp) {
  Moment(Slot(mp), Mix(Mix(2, static_cast<uint32_t>(ev.type)), gen == g_state.gen));
}

void OnAcquire(void*, rt::m* mp, uint64_t gen) {
  const int self = Slot(mp);
  Moment(self, Mix(3, gen != 0));
  g_state.held[self] = gen;
}

void OnRelease(void*, rt::m* mp, uint64_t) {
  const int self = Slot(mp);
  Moment(self, 4);
  g_state.held[self] = 0;
}

void OnGenSwitch(void*, uint64_t old_gen, uint64_t new_gen) {
  uint32_t in_old = 0;
  for (uint64_t h : g_state.held) in_old += h != 0 && h == old_gen;
  g_state.gen = new_gen;
  Moment(kMSlots - 1, Mix(Mix(5, old_gen == 0), Mix(new_gen == 0, in_old > 3 ? 3 : in_old)));
}

void OnProbe(void*, rt::Probe what, rt::m* mp, const rt::g*, const rt::p*, uint64_t gen) {
  Moment(Slot(mp), Mix(Mix(7, static_cast<uint32_t>(what)), gen == g_state.gen));
}

}  // namespace

void TraceFeedbackReset() {
  std::memset(g_state.held, 0, sizeof(g_state.held));
  g_state.gen = 0;
  g_state.last_m = -1;
  g_state.last_kind = 0;
}

rt::ModelHooks TraceFeedbackHooks() {
  rt::ModelHooks h;
  h.ctx = &g_state;
  h.on_status = OnStatus;
  h.on_event = OnEvent;
  h.on_acquire = OnAcquire;
  h.on_release = OnRelease;
  h.on_gen_switch = OnGenSwitch;
  h.on_probe = OnProbe;
  return h;
}

const uint8_t* TraceFeedbackCounters() { return g_counters; }
void TraceFeedbackClearCounters() { std::memset(g_counters, 0, sizeof(g_counters)); }

}  // namespace schedfuzz::fuzz
