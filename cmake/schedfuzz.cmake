# Helpers shared by every directory's CMakeLists.txt.

# Go's trace parser, repro/gocheck: one binary per build tree, beside
# schedfuzz (where `schedfuzz check` looks first). The ctest fixture
# "gocheck" (the test gocheck.build, repro/CMakeLists.txt) builds it, not the
# build itself, so a machine without Go, or without the module cache and a
# network, still builds everything else. Tests that run it name
# ${SF_GOCHECK} and FIXTURES_REQUIRED gocheck; SF_GOCHECK is empty without Go.
set(SF_GOCHECK "")
set(SF_GOCHECK126 "")
if(BUILD_TESTING)
  find_program(GO_EXECUTABLE go PATHS /usr/local/go/bin)
  if(GO_EXECUTABLE)
    set(SF_GOCHECK ${CMAKE_BINARY_DIR}/repro/gocheck)
    # The same program against go1.27's parser (Go 1.22-1.26 traces); the
    # fixture "gocheck126" builds it.
    set(SF_GOCHECK126 ${CMAKE_BINARY_DIR}/repro/gocheck126)
  endif()
endif()

# sf_library(NAME SRCS a.cc b.cc DEPS lib...)
function(sf_library name)
  cmake_parse_arguments(A "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${A_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${A_DEPS})
endfunction()

# sf_test(NAME SRCS x_test.cc DEPS lib...): a GoogleTest binary run by ctest.
function(sf_test name)
  if(NOT BUILD_TESTING)
    return()
  endif()
  cmake_parse_arguments(A "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${A_SRCS})
  target_link_libraries(${name} PRIVATE ${A_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()

# sf_fuzzer(NAME SRCS x_fuzzer.cc DEPS lib...): a fuzz target built for the
# selected engine. With the replay engine it links fuzz/replay_main.cc and
# ctest replays corpus/<NAME>/ through it on every build.
function(sf_fuzzer name)
  cmake_parse_arguments(A "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${A_SRCS})
  target_link_libraries(${name} PRIVATE ${A_DEPS})
  if(SCHEDFUZZ_ENGINE STREQUAL "replay")
    target_sources(${name} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
  else()
    target_link_libraries(${name} PRIVATE ${SF_FUZZ_LINK})
  endif()
  if(SF_FUZZ_OUT)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${SF_FUZZ_OUT})
  endif()
  if(BUILD_TESTING AND EXISTS ${PROJECT_SOURCE_DIR}/corpus/${name})
    # The corpus replays under every engine. libFuzzer fuzzes a directory
    # unless told -runs=0; the AFL++ driver only runs files named one by one.
    set(_dir ${PROJECT_SOURCE_DIR}/corpus/${name})
    if(SCHEDFUZZ_ENGINE STREQUAL "afl")
      file(GLOB_RECURSE _inputs LIST_DIRECTORIES false CONFIGURE_DEPENDS ${_dir}/*)
      list(SORT _inputs)
      add_test(NAME corpus_replay.${name} COMMAND ${name} ${_inputs})
    else()
      add_test(NAME corpus_replay.${name} COMMAND ${name} -runs=0 ${_dir})
    endif()
    set_tests_properties(corpus_replay.${name} PROPERTIES TIMEOUT 600)
  endif()
endfunction()

# True in builds that clang instruments for libFuzzer: our own libFuzzer
# build, or OSS-Fuzz's (SCHEDFUZZ_ENGINE=external with -fsanitize=fuzzer-no-link
# in its CXXFLAGS). The coverage helpers below act only there.
function(_sf_libfuzzer_coverage out)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND
     (SCHEDFUZZ_ENGINE STREQUAL "libfuzzer" OR
      (SCHEDFUZZ_ENGINE STREQUAL "external" AND CMAKE_CXX_FLAGS MATCHES "fuzzer-no-link")))
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# sf_no_cmp_tracing(target): edge counters only. The engine and the model
# compare thread ids, statuses and counters millions of times per second;
# libFuzzer's comparison tracing (part of -fsanitize=fuzzer) there takes over
# half of the run time (measured on the injectglist seeds; docs/fuzzing.md,
# section 2) and guides nothing (the schedule's effect shows in edge
# coverage). Stack-depth tracing goes too (every function entry compares the
# stack pointer, and on fiber stacks the depth means nothing), and so does
# indirect-call tracing (the model's indirect calls are oracle hooks with one
# target each). The decoders keep all of it: their comparisons are against
# input bytes.
function(sf_no_cmp_tracing target)
  _sf_libfuzzer_coverage(_sf_cov)
  if(_sf_cov)
    target_compile_options(${target} PRIVATE
      -fno-sanitize-coverage=trace-cmp,stack-depth,indirect-calls)
  endif()
endfunction()

# sf_no_coverage(target): no coverage instrumentation at all. For the harness
# around the model (the interleaving engine, the decoder, the runner, the
# oracles): its edges are the same in every run or only restate the input's
# shape (the engine's hit counts measure run length), so they add libFuzzer
# features (and bookkeeping time) without telling schedules apart; what a
# schedule does shows in the model's coverage.
set(SF_NO_COVERAGE_FLAGS
  -fno-sanitize-coverage=inline-8bit-counters,pc-table,trace-cmp,indirect-calls,trace-pc-guard,stack-depth)
function(sf_no_coverage target)
  _sf_libfuzzer_coverage(_sf_cov)
  if(_sf_cov)
    target_compile_options(${target} PRIVATE ${SF_NO_COVERAGE_FLAGS})
  endif()
endfunction()

# sf_no_coverage_sources(a.cc ...): the same for single files of a library
# whose other files keep their coverage (paths relative to the current
# directory; source properties apply to targets of this directory only).
function(sf_no_coverage_sources)
  _sf_libfuzzer_coverage(_sf_cov)
  if(_sf_cov)
    set_property(SOURCE ${ARGN} APPEND PROPERTY COMPILE_OPTIONS ${SF_NO_COVERAGE_FLAGS})
  endif()
endfunction()

# sf_unsanitized_in_fuzzing(a.cc ... | TARGET lib): these files (or every
# C++ source of the library target `lib`, however many files it is split
# into) run without ASan and UBSan checks in fuzzing builds (any engine but
# replay). For the harness around the code under test; every such file must
# still run sanitized in the test builds (scripts/test.sh).
#
# The files stay compiled with ASan on, so the inline std:: and absl code they
# share with the rest of the binary means the same thing everywhere: libc++'s
# container annotations and absl's poisoning of free hash-table slots exist
# only where the preprocessor sees ASan, and a copy compiled without it
# (-fno-sanitize=address) would leave a sanitized caller to report a false
# container-overflow or use-after-poison whichever copy the linker kept. Only
# ASan's checks of loads, stores and the stack are off, for all the code of
# these files. The functions keep their sanitize_address attribute, which LLVM
# requires to be equal for inlining, so header code still inlines into them
# (a src: ignorelist drops the attribute, and that inlining with it; it
# measured about 13% slower in scenario_fuzzer). An out-of-line copy of
# header code emitted here is unchecked as well; where the linker keeps it,
# a sanitized caller's call into it goes unchecked, which can miss a report,
# never make a false one. UBSan keeps no state that other code reads, so these files simply
# compile without it.
#
# Source properties apply to targets of the current directory only, so a
# fuzzer that compiles its own copy of such a file elsewhere keeps the checks.
set(SF_NO_SANITIZER_CHECKS
  -mllvm -asan-instrument-reads=0 -mllvm -asan-instrument-writes=0
  -mllvm -asan-instrument-atomics=0 -mllvm -asan-stack=0 -fno-sanitize=undefined)
function(sf_unsanitized_in_fuzzing)
  if(SCHEDFUZZ_ENGINE STREQUAL "replay" OR NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    return()
  endif()
  cmake_parse_arguments(A "" "TARGET" "" ${ARGN})
  set(_files ${A_UNPARSED_ARGUMENTS})
  if(A_TARGET)
    get_target_property(_srcs ${A_TARGET} SOURCES)
    list(FILTER _srcs INCLUDE REGEX "\\.cc$")
    list(APPEND _files ${_srcs})
  endif()
  set_property(SOURCE ${_files} APPEND PROPERTY COMPILE_OPTIONS ${SF_NO_SANITIZER_CHECKS})
endfunction()

# sf_target_sources(VAR target): the absolute paths of a library's C++
# sources, for a fuzzer that compiles its own copy of them.
function(sf_target_sources var target)
  get_target_property(_srcs ${target} SOURCES)
  get_target_property(_dir ${target} SOURCE_DIR)
  set(_out "")
  foreach(_s IN LISTS _srcs)
    if(_s MATCHES "\\.cc$")
      get_filename_component(_abs ${_s} ABSOLUTE BASE_DIR ${_dir})
      list(APPEND _out ${_abs})
    endif()
  endforeach()
  set(${var} ${_out} PARENT_SCOPE)
endfunction()
