// The human text form of a Scenario: line oriented, `#` comments, one
// statement per line. docs/format.md has the grammar; in short:
//
//   schedfuzz scenario v1                     (required, first)
//   procs 2                                   (1..4, default 2)
//   ms 3                                      (procs..8, default procs+1)
//   runq 256                                  (power of two 2..256, def. 256)
//   sysmon on rounds 4 | sysmon off           (rounds 1..16, default on 4)
//   fds 2                                     (1..64, default 2)
//   program 0: work 2; parkfd 0; exit         (numbered 0, 1, ... in order)
//   g 1 runnable program 0                    (numbered 1, 2, ... in order)
//   g 2 parked fd 1 program 1 | g 3 parked chan 0
//   batch fds 0 1 via any delay 3             (`fds none` for an empty batch)
//   tracer start delay 0; advance delay 5; stop delay 2   (lines append)
//   schedule 0a 1b ff                         (hex bytes; lines append)
//
// ParseText accepts only what Decode can produce (a normalized Scenario) and
// rejects anything else with one error line "line N: ...". PrintText prints
// the canonical form: ParseText(PrintText(s)) == Normalize(s) for every s.
#ifndef SCHEDFUZZ_CORE_SCENARIO_TEXT_H_
#define SCHEDFUZZ_CORE_SCENARIO_TEXT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

#include "core/scenario/scenario.h"

namespace schedfuzz::scenario {

// The first line of every scenario text.
inline constexpr std::string_view kTextHeader = "schedfuzz scenario v1";

// Canonical text of Normalize(s), ending in a newline.
std::string PrintText(const Scenario& s);

// Parses `text`. On error, an InvalidArgument status whose message is one
// line ("line 7: unknown op ...") without a newline.
absl::StatusOr<Scenario> ParseText(std::string_view text);

// The names the text form uses ("" for values out of range).
std::string_view OpKindName(OpKind k);              // work, parkfd, ...
std::string_view PollPathName(PollPath p);          // any, findrunnable, ...
std::string_view TracerOpKindName(TracerOpKind k);  // start, advance, stop

}  // namespace schedfuzz::scenario

#endif  // SCHEDFUZZ_CORE_SCENARIO_TEXT_H_
