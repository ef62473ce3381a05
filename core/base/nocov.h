// Coverage-neutral helpers. Fuzzers steer by coverage, and AFL++ measures
// stability by running one input several times: any instrumented branch whose
// outcome depends on an earlier input (how much a reused container held, heap
// addresses) makes coverage differ between runs of the same input while
// telling schedules apart in no way. Such code goes through these helpers.
// They are never inlined, so the callers' instrumentation does not absorb
// them, and they are excluded from coverage by attribute and, for AFL++ and
// clang's ignorelist, by name (fuzz/afl_denylist.txt,
// fuzz/coverage_ignorelist.txt match `_ZN9schedfuzz5nocov*`). AFL++ 4.04c
// ignores the attribute: a member function marked SF_NO_COVERAGE needs its
// own line in fuzz/afl_denylist.txt.
#ifndef SCHEDFUZZ_CORE_BASE_NOCOV_H_
#define SCHEDFUZZ_CORE_BASE_NOCOV_H_

#if defined(__clang__)
#define SF_NO_COVERAGE __attribute__((noinline, no_sanitize("coverage")))
#else
#define SF_NO_COVERAGE __attribute__((noinline))
#endif

namespace schedfuzz::nocov {

// c.clear(): how many elements it destroys depends on the previous user.
template <typename C>
SF_NO_COVERAGE void Clear(C& c) {
  c.clear();
}

// a[0..n) = blank, where n is what the previous run used.
template <typename T>
SF_NO_COVERAGE void Fill(T* a, int n, const T& blank) {
  for (int i = 0; i < n; ++i) a[i] = blank;
}

}  // namespace schedfuzz::nocov

#endif  // SCHEDFUZZ_CORE_BASE_NOCOV_H_
