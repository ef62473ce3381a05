// Verdict lines and JSON shared by the subcommands, so `run`, `hunt`,
// `minimize` and the regression cases describe a run in the same words.
#ifndef SCHEDFUZZ_REPRO_REPORT_H_
#define SCHEDFUZZ_REPRO_REPORT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/scenario/run.h"
#include "repro/cli.h"
#include "repro/json.h"

namespace schedfuzz::repro {

// RunOptions for --variant, --oracles and the step budget.
scenario::RunOptions MakeRunOptions(const Options& o);
const rt::Variant& VariantOf(const Options& o);

// "ok", "violation: validator: <message> [known: go70883]" (the bracket only
// when attributed), or "discarded: <why>" when the run hit a model bound and
// was not judged. The message is its first line only.
std::string VerdictText(const scenario::Outcome& out);

// What identifies a finding across renumbering and reshaping: oracle, check,
// the message with every digit run replaced by N, and the known finding.
std::string VerdictKey(const scenario::Outcome& out);
using oracle::MaskDigits;  // core/oracle/known.h

// Decisions where the chosen thread differs from the one chosen before.
int CountContextSwitches(std::span<const int> decision_threads);

// Every verdict of the run, with its structured fields (what fired, where,
// the objects, step and generation), two lines each; "" if none.
std::string VerdictLines(const scenario::Outcome& out);

// The fields that describe an outcome (verdict, the violation's details,
// how the run ended and its size), added to *j.
void AddOutcomeJson(const scenario::Outcome& out, JsonObject* j);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_REPORT_H_
