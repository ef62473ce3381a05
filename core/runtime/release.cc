// NewRuntime: the model of one release line.
#include "core/runtime/go122/go122.h"
#include "core/runtime/go127/go127.h"

namespace schedfuzz::rt {

std::unique_ptr<Runtime> NewRuntime(Release r) {
  if (r == Release::kGo127) return std::make_unique<Go127>();
  return std::make_unique<Go122>();
}

}  // namespace schedfuzz::rt
