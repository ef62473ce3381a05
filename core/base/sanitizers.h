// SF_ASAN: defined when this translation unit is compiled with
// AddressSanitizer, by clang (__has_feature) or GCC (__SANITIZE_ADDRESS__).
#ifndef SCHEDFUZZ_CORE_BASE_SANITIZERS_H_
#define SCHEDFUZZ_CORE_BASE_SANITIZERS_H_

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SF_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SF_ASAN)
#define SF_ASAN 1
#endif

#endif  // SCHEDFUZZ_CORE_BASE_SANITIZERS_H_
