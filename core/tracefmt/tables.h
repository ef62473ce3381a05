// One generation's string and stack tables with the rules of Go's parser
// (base.go dataTable, generation.go addStrings/addStacks/validateStackStrings):
// the same checks, in the same order, with the same error texts. The wire
// reader fills them from bytes, the validator from a Trace.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_TABLES_H_
#define SCHEDFUZZ_CORE_TRACEFMT_TABLES_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

#include "core/tracefmt/id_map.h"
#include "core/tracefmt/trace.h"

namespace schedfuzz::tracefmt {

// Limits Go's reader enforces (go122.MaxStringSize, MaxFramesPerStack).
inline constexpr size_t kMaxStringSize = 1 << 10;
inline constexpr size_t kMaxFramesPerStack = 128;

class GenTables {
 public:
  void Clear();

  // The size checks Go makes before reading a string's bytes or a stack's
  // frames.
  static absl::Status CheckStringSize(uint64_t len);
  static absl::Status CheckStackSize(uint64_t nframes);
  // dataTable.insert. The tables keep views: s must outlive them.
  absl::Status AddString(uint64_t id, std::string_view s) {
    if (id != 0 && s.size() <= kMaxStringSize && strings_.emplace(id, s).second) {
      return absl::OkStatus();
    }
    return StringError(id, s);
  }
  absl::Status AddStack(uint64_t id, const StackFrame* frames, size_t nframes);
  // validateStackStrings: every frame's function and file names exist. Go
  // walks its (compacted) table in id order.
  absl::Status ValidateStackStrings();

  // dataTable.get: id 0 is always present.
  bool HasString(uint64_t id) const { return id == 0 || strings_.contains(id); }
  bool HasStack(uint64_t id) const { return id == 0 || stacks_.contains(id); }
  std::string_view String(uint64_t id) const;

 private:
  struct Span {
    uint32_t begin = 0;
    uint32_t n = 0;
  };
  struct Names {
    uint64_t func = 0;
    uint64_t file = 0;
  };
  std::string StackText(Span s) const;
  absl::Status StringError(uint64_t id, std::string_view s) const;

  IdMap<std::string_view> strings_;
  IdMap<Span> stacks_;  // id -> its pcs in pcs_
  std::vector<uint64_t> pcs_;
  std::vector<uint64_t> stack_ids_;  // insertion order
  // The parser this models keeps one frame per pc, the first one read.
  IdMap<Names> frames_;
};

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_TABLES_H_
