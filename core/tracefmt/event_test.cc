#include "core/tracefmt/event.h"

#include <string>

#include "gtest/gtest.h"

#include "core/tracefmt/spec.h"

namespace schedfuzz::tracefmt {
namespace {

// Argument counts after dt, transcribed from go122/event.go's specs
// (len(Args) - 1 for timed events; -1 for structural ones).
TEST(EvArgCountTest, MatchesGo122Specs) {
  const int kWant[kNumEvTypes] = {
      -1, -1, -1, -1, -1, -1, -1, -1, -1,  // None .. Frequency
      2,  2,  0,  3,  2,                   // ProcsChange .. ProcStatus
      3,  1,  2,  0,  0,  2,  2,  3,       // GoCreate .. GoUnblock
      2,  0,  0,  3,                       // GoSyscallBegin .. GoStatus
      2,  0,                               // STWBegin, STWEnd
      1,  2,  1,  1,  1,  2,  1,  1,  0,   // GCActive .. GCMarkAssistEnd
      1,  1,                               // HeapAlloc, HeapGoal
      1,  4,  2,  3,  3,  4,               // GoLabel .. UserLog
  };
  for (int i = 0; i < kNumEvTypes; ++i) {
    EXPECT_EQ(EvArgCount(EvType(i)), kWant[i]) << EvName(EvType(i));
  }
  EXPECT_EQ(EvArgCount(EvType(45)), -1);
  EXPECT_EQ(EvArgCount(EvType(255)), -1);
}

TEST(EvNameTest, GoSpecNames) {
  EXPECT_EQ(EvName(EvType::kNone), "None");
  EXPECT_EQ(EvName(EvType::kEventBatch), "EventBatch");
  EXPECT_EQ(EvName(EvType::kFrequency), "Frequency");
  EXPECT_EQ(EvName(EvType::kGoUnblock), "GoUnblock");
  EXPECT_EQ(EvName(EvType::kGoStatus), "GoStatus");
  EXPECT_EQ(EvName(EvType::kProcStatus), "ProcStatus");
  EXPECT_EQ(EvName(EvType::kGoSyscallEndBlocked), "GoSyscallEndBlocked");
  EXPECT_EQ(EvName(EvType::kUserLog), "UserLog");
}

TEST(EvNameTest, UnknownTypes) {
  EXPECT_EQ(EvName(EvType(45)), "EvType(45)");
  EXPECT_EQ(EvName(EvType(100)), "EvType(100)");
  EXPECT_EQ(EvName(EvType(255)), "EvType(255)");
}

TEST(EvNameTest, EveryKnownNameIsDistinct) {
  for (int i = 0; i < kNumEvTypes; ++i) {
    for (int j = i + 1; j < kNumEvTypes; ++j) {
      EXPECT_NE(EvName(EvType(i)), EvName(EvType(j)));
    }
  }
}

TEST(EvArgNameTest, Go122ArgumentNames) {
  EXPECT_EQ(EvArgName(EvType::kGoUnblock, 0), "g");
  EXPECT_EQ(EvArgName(EvType::kGoUnblock, 1), "g_seq");
  EXPECT_EQ(EvArgName(EvType::kGoUnblock, 2), "stack");
  EXPECT_EQ(EvArgName(EvType::kGoStatus, 1), "m");
  EXPECT_EQ(EvArgName(EvType::kGoStatus, 2), "gstatus");
  EXPECT_EQ(EvArgName(EvType::kProcStatus, 1), "pstatus");
  EXPECT_EQ(EvArgName(EvType::kGoBlock, 0), "reason_string");
  EXPECT_EQ(EvArgName(EvType::kUserLog, 3), "stack");
  EXPECT_EQ(EvArgName(EvType::kGoUnblock, 3), "");
  EXPECT_EQ(EvArgName(EvType::kGoUnblock, -1), "");
  EXPECT_EQ(EvArgName(EvType::kFrequency, 0), "");
  EXPECT_EQ(EvArgName(EvType(200), 0), "");
}

TEST(EvArgNameTest, EveryArgumentHasAName) {
  for (int i = 0; i < kNumEvTypes; ++i) {
    const EvType t = EvType(i);
    for (int a = 0; a < EvArgCount(t); ++a) {
      EXPECT_FALSE(EvArgName(t, a).empty()) << EvName(t) << " arg " << a;
    }
  }
}

TEST(StatusNameTest, GoStatusAsGoPrintsIt) {
  EXPECT_EQ(GoStatusName(GoStatus::kBad), "Bad");
  EXPECT_EQ(GoStatusName(GoStatus::kRunnable), "Runnable");
  EXPECT_EQ(GoStatusName(GoStatus::kRunning), "Running");
  EXPECT_EQ(GoStatusName(GoStatus::kSyscall), "Syscall");
  EXPECT_EQ(GoStatusName(GoStatus::kWaiting), "Waiting");
  EXPECT_EQ(GoStatusName(GoStatus(9)), "Bad");
}

TEST(StatusNameTest, ProcStatusAsGoPrintsIt) {
  EXPECT_EQ(ProcStatusName(ProcStatus::kBad), "Bad");
  EXPECT_EQ(ProcStatusName(ProcStatus::kRunning), "Running");
  EXPECT_EQ(ProcStatusName(ProcStatus::kIdle), "Idle");
  EXPECT_EQ(ProcStatusName(ProcStatus::kSyscall), "Syscall");
  // go122.ProcStatus.String has no case for it.
  EXPECT_EQ(ProcStatusName(ProcStatus::kSyscallAbandoned), "Bad");
  EXPECT_EQ(ProcStatusName(ProcStatus(7)), "Bad");
}

// The table's derived columns agree with its argument names, so an edit that
// shifts one column cannot go unnoticed.
TEST(EvSpecTest, ColumnsAgreeWithArgumentNames) {
  for (int i = 0; i < kNumEvTypes; ++i) {
    const EvSpec& s = kEvSpecs[i];
    SCOPED_TRACE(std::string(s.name));
    int stacks = 0, strings = 0;
    for (int a = 0; a < s.nargs && s.timed; ++a) {
      stacks += s.args[a] == "stack" || s.args[a] == "new_stack";
      strings += s.args[a].ends_with("_string");
    }
    for (int8_t a : s.stack_args) {
      if (a < 0) continue;
      --stacks;
      EXPECT_TRUE(s.args[a] == "stack" || s.args[a] == "new_stack");
    }
    for (int8_t a : s.string_args) {
      if (a < 0) continue;
      --strings;
      EXPECT_TRUE(s.args[a].ends_with("_string"));
    }
    EXPECT_EQ(stacks, 0);
    EXPECT_EQ(strings, 0);
    if (s.g_arg >= 0) EXPECT_TRUE(s.args[s.g_arg] == "g" || s.args[s.g_arg] == "new_g");
    if (s.p_arg >= 0) EXPECT_EQ(s.args[s.p_arg], "p");
    if (s.g_subject == GoSubject::kArg) EXPECT_GE(s.g_arg, 0);
    if (s.start != EvType::kNone) EXPECT_TRUE(SpecOf(s.start).timed);
  }
}

TEST(EvSpecTest, ImpliedStatus) {
  Event st{EvType::kGoStatus, 0, {7, 1, 4, 0}};
  EXPECT_EQ(ImpliedGoStatus(st), GoStatus::kWaiting);
  EXPECT_EQ(ImpliedGoStatus(Event{EvType::kGoSyscallEndBlocked}), GoStatus::kRunnable);
  EXPECT_EQ(SpecOf(EvType::kGoBlock).g_subject, GoSubject::kCurrent);
  EXPECT_EQ(SpecOf(EvType::kGoUnblock).g_subject, GoSubject::kArg);
  EXPECT_EQ(SpecOf(EvType::kSTWBegin).g_subject, GoSubject::kNoSubject);
}

}  // namespace
}  // namespace schedfuzz::tracefmt
