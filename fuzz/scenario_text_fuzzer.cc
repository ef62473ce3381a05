// The scenario formats: any bytes decode to a valid scenario whose text form
// parses back to the same scenario and whose canonical encoding decodes back
// to it; and arbitrary bytes given to the text parser never crash it.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/scenario/codec.h"
#include "core/scenario/text.h"

using namespace schedfuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Fresh per input, so the code path depends on the input alone.
  scenario::Scenario local;
  scenario::Scenario* a = &local;
  scenario::Decode(std::span<const uint8_t>(data, size), a);
  if (!scenario::IsNormalized(*a)) {
    std::fprintf(stderr, "==schedfuzz== decoded scenario is not normalized\n%s\n",
                 scenario::PrintText(*a).c_str());
    std::abort();
  }
  const std::string text = scenario::PrintText(*a);
  const absl::StatusOr<scenario::Scenario> b = scenario::ParseText(text);
  if (!b.ok()) {
    std::fprintf(stderr, "==schedfuzz== printed text does not parse: %s\n%s\n",
                 b.status().ToString().c_str(), text.c_str());
    std::abort();
  }
  if (!(*b == *a)) {
    std::fprintf(stderr, "==schedfuzz== text round trip changed the scenario\n%s\n---\n%s\n",
                 text.c_str(), scenario::PrintText(*b).c_str());
    std::abort();
  }
  scenario::Scenario c;
  scenario::Decode(scenario::Encode(*a), &c);
  if (!(c == *a)) {
    std::fprintf(stderr, "==schedfuzz== Encode/Decode round trip changed the scenario\n%s\n",
                 text.c_str());
    std::abort();
  }
  // The same bytes as hand-written text: errors are fine, crashes are not.
  const absl::StatusOr<scenario::Scenario> d =
      scenario::ParseText(std::string_view(reinterpret_cast<const char*>(data), size));
  if (d.ok() && !scenario::IsNormalized(*d)) {
    std::fprintf(stderr, "==schedfuzz== ParseText accepted an out-of-bounds scenario\n");
    std::abort();
  }
  return 0;
}
