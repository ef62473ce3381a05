// Conversions between std::string_view and absl::string_view. Debian's Abseil
// is built with its own string_view class (ABSL_OPTION_USE_STD_STRING_VIEW
// is 0), so the two do not convert implicitly; public signatures stay on
// std::string_view and these bridge at the calls into Abseil.
#ifndef SCHEDFUZZ_CORE_BASE_STRINGS_H_
#define SCHEDFUZZ_CORE_BASE_STRINGS_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace schedfuzz {

inline absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view StdView(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace schedfuzz

#endif  // SCHEDFUZZ_CORE_BASE_STRINGS_H_
