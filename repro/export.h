// Helpers shared by `export` and `check`: where each trace session goes.
#ifndef SCHEDFUZZ_REPRO_EXPORT_H_
#define SCHEDFUZZ_REPRO_EXPORT_H_

#include <string>

#include "core/scenario/run.h"

namespace schedfuzz::repro {

// Session 0 keeps the name the user gave; later sessions get .1, .2, ...
std::string SessionPath(const std::string& base, int session);

// True if the run's last session never reached StopTrace (the step budget
// ended the run first): its final generation is missing, so neither Go nor
// the validator would judge it fairly.
bool LastSessionIncomplete(const scenario::Runner& runner);

// Runs `sc` for its trace: with the validator only, because the discipline
// oracle ends a run the moment it fires, which would cut the trace short.
// Returns the verdict under the user's oracles (a second run when they are
// not the validator alone); the runner is left holding the full-trace run.
scenario::Outcome RunForTrace(const scenario::Scenario& sc, const scenario::RunOptions& opts,
                              scenario::Runner& runner);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_EXPORT_H_
