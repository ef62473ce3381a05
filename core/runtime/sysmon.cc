// sysmon (proc.go:5948): a P-less M that periodically polls the network
// (under sched.sysmonlock, which StartTrace also takes) and retakes Ps from
// long syscalls. The model runs a fixed number of rounds; the sleep between
// rounds is a few scheduling points. The variant go38794 is go1.14's sysmon,
// which held no sysmonlock (the lock came with that fix).
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

void Runtime::sysmon() {
  for (int round = 0; round < machine->sysmon_rounds; ++round) {
    sim::Delay(4, "sysmon: usleep(delay)");
    // Before Go issue 38794's fix sysmon took no lock here.
    const bool locked = !variant->sysmon_without_sysmonlock;
    if (locked) sched.sysmonlock.Lock("sysmon: lock sysmonlock");
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
    if (locked) sched.sysmonlock.Unlock("sysmon: unlock sysmonlock");
  }
}

void Runtime::SysmonThread(void* arg) { static_cast<Runtime*>(arg)->sysmon(); }

}  // namespace schedfuzz::rt
