#include "core/runtime/variant.h"

namespace schedfuzz::rt {

namespace {
const Variant kVariants[] = {
    {"fixed",
     "Go 1.22 release branch after ae9996f9: injectglist holds traceAcquire across each casgstatus "
     "and its GoUnpark",
     "go1.22.12", false},
    {"go70883",
     "go1.22.4 injectglist (Go issue 70883): GoUnpark for every goroutine, traceRelease, then the "
     "casgstatus loop",
     "go1.22.10", true},
};
}  // namespace

std::span<const Variant> Variants() { return kVariants; }
const Variant& DefaultVariant() { return kVariants[0]; }
const Variant* FindVariant(std::string_view name) {
  for (const Variant& v : kVariants)
    if (name == v.name) return &v;
  return nullptr;
}

}  // namespace schedfuzz::rt
