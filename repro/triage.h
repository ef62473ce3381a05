// triage: many raw crashes of a fuzzing campaign are a few findings. Each
// input is replayed and grouped by the identity of what it fires, so a
// campaign keeps one finding per identity and says how many raw crashes
// stand behind it.
#ifndef SCHEDFUZZ_REPRO_TRIAGE_H_
#define SCHEDFUZZ_REPRO_TRIAGE_H_

#include <string>
#include <vector>

#include "core/scenario/run.h"

namespace schedfuzz::repro {

// The identity of a run's finding (its primary verdict's): the known
// finding's id when the verdict is attributed to one ("go70883"); otherwise
// oracle, check and the code site ("discipline/D1 @ injectglist: casgstatus";
// for the validator and the invariants, whose one check covers many errors,
// also the error's first line with every digit run written N), so that the
// M, goroutine or step it happened on do not split a finding. A run without
// a violation has the identity "ok" or "discarded: WHY".
std::string FindingIdentity(const scenario::Outcome& out);

struct TriageGroup {
  std::string identity;
  bool violation = false;
  std::string known;                // the known finding id, or ""
  std::string oracle, check;        // of the first input's verdict
  std::string message;              // the first input's first message line, unmasked
  std::vector<std::string> inputs;  // in the order given
};

// Groups, most inputs first (ties: by identity). Inputs that cannot be read
// or decoded are left out and named in *errors, one line each.
std::vector<TriageGroup> Triage(const std::vector<std::string>& paths,
                                const scenario::RunOptions& opts, std::vector<std::string>* errors);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_TRIAGE_H_
