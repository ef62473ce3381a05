// sysmon (proc.go:5948): a P-less M that periodically polls the network
// (under sched.sysmonlock, which StartTrace also takes) and retakes Ps from
// long syscalls. The model runs a fixed number of rounds; the sleep between
// rounds is a few scheduling points.
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

void Runtime::sysmon() {
  for (int round = 0; round < machine->sysmon_rounds; ++round) {
    sim::Delay(4, "sysmon: usleep(delay)");
    sched.sysmonlock.Lock("sysmon: lock sysmonlock");
    const int64_t lastpoll = sched.lastpoll.Load("sysmon: load lastpoll");
    if (lastpoll != 0) {
      sched.lastpoll.Cas(lastpoll, static_cast<int64_t>(engine->step()) + 1,
                         "sysmon: cas lastpoll");
      int delta = 0;
      gList list = netpoll(false, PollPath::kSysmon, &delta);
      if (!list.empty()) {
        injectglist(&list);
        netpollWaiters.Add(delta, "netpollAdjustWaiters");
      }
    }
    retake();
    sched.sysmonlock.Unlock("sysmon: unlock sysmonlock");
  }
}

void Runtime::SysmonThread(void* arg) { static_cast<Runtime*>(arg)->sysmon(); }

}  // namespace schedfuzz::rt
