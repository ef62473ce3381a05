#include "core/tracefmt/tables.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace schedfuzz::tracefmt {

namespace {
// Debian's Abseil has its own string_view type; convert at the boundary.
absl::string_view AV(std::string_view s) { return {s.data(), s.size()}; }
}  // namespace

void GenTables::Clear() {
  strings_.clear();
  stacks_.clear();
  pcs_.clear();
  stack_ids_.clear();
  frames_.clear();
}

std::string_view GenTables::String(uint64_t id) const {
  const std::string_view* s = id == 0 ? nullptr : strings_.find(id);
  return s != nullptr ? *s : std::string_view();
}

absl::Status GenTables::CheckStringSize(uint64_t len) {
  if (len <= kMaxStringSize) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("invalid string size %d, maximum is %d", len, kMaxStringSize));
}

absl::Status GenTables::CheckStackSize(uint64_t nframes) {
  if (nframes <= kMaxFramesPerStack) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("invalid stack size %d, maximum is %d", nframes, kMaxFramesPerStack));
}

// Why AddString refused: the size first, then the id, as Go checks them.
absl::Status GenTables::StringError(uint64_t id, std::string_view s) const {
  if (absl::Status st = CheckStringSize(s.size()); !st.ok()) return st;
  return absl::InvalidArgumentError(absl::StrCat("multiple strings with the same ID: id=", id,
                                                 ", new=", AV(s), ", existing=", AV(String(id))));
}

// How Go prints a stack in the duplicate-id error: "\t%#v\n" per pc.
std::string GenTables::StackText(Span s) const {
  std::string out;
  for (uint32_t i = 0; i < s.n; ++i)
    absl::StrAppend(&out, "\t0x", absl::Hex(pcs_[s.begin + i]), "\n");
  return out;
}

absl::Status GenTables::AddStack(uint64_t id, const StackFrame* frames, size_t nframes) {
  if (absl::Status st = CheckStackSize(nframes); !st.ok()) return st;
  const Span span{static_cast<uint32_t>(pcs_.size()), static_cast<uint32_t>(nframes)};
  for (size_t i = 0; i < nframes; ++i) {
    pcs_.push_back(frames[i].pc);
    frames_.emplace(frames[i].pc, Names{frames[i].func, frames[i].file});
  }
  if (HasStack(id)) {
    const Span* old = id == 0 ? nullptr : stacks_.find(id);
    return absl::InvalidArgumentError(
        absl::StrCat("multiple trace.stacks with the same ID: id=", id, ", new=", StackText(span),
                     ", existing=", old != nullptr ? StackText(*old) : ""));
  }
  stacks_.emplace(id, span);
  stack_ids_.push_back(id);
  return absl::OkStatus();
}

absl::Status GenTables::ValidateStackStrings() {
  std::sort(stack_ids_.begin(), stack_ids_.end());
  for (uint64_t id : stack_ids_) {
    const Span s = *stacks_.find(id);
    for (uint32_t i = 0; i < s.n; ++i) {
      const Names& f = *frames_.find(pcs_[s.begin + i]);
      if (!HasString(f.func)) {
        return absl::InvalidArgumentError(
            absl::StrFormat("found invalid func string ID %d for stack %d", f.func, id));
      }
      if (!HasString(f.file)) {
        return absl::InvalidArgumentError(
            absl::StrFormat("found invalid file string ID %d for stack %d", f.file, id));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace schedfuzz::tracefmt
