#include "core/oracle/verdict.h"

namespace schedfuzz::oracle {

bool ParseOracleSet(std::string_view name, OracleSet* out) {
  if (name == "all")
    *out = OracleSet::kAll;
  else if (name == "validator")
    *out = OracleSet::kValidator;
  else if (name == "discipline")
    *out = OracleSet::kDiscipline;
  else if (name == "invariant")
    *out = OracleSet::kInvariant;
  else
    return false;
  return true;
}

const char* OracleSetName(OracleSet s) {
  switch (s) {
    case OracleSet::kAll: return "all";
    case OracleSet::kValidator: return "validator";
    case OracleSet::kDiscipline: return "discipline";
    case OracleSet::kInvariant: return "invariant";
  }
  return "?";
}

}  // namespace schedfuzz::oracle
