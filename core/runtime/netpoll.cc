// The model's network poller (netpoll.go + netpoll_epoll.go, reduced): each
// descriptor has Go's pollDesc.rg word (nil, pdReady, pdWait or a waiting
// goroutine) as an atomic. The kernel side is the poller thread: it makes a
// scenario's batch of descriptors ready at once; netpoll() then unblocks
// their goroutines and returns them as one gList, which its caller passes to
// injectglist.
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

bool Runtime::netpollAnyWaiters() { return netpollWaiters.Load("netpollAnyWaiters: load") > 0; }

namespace {
bool PathMatches(PollPath want, PollPath caller) {
  return want == PollPath::kAny || want == caller;
}
}  // namespace

// netpoll (netpoll_epoll.go:98): collect the batches the kernel has made
// ready for this caller; with block, wait until there is one.
gList Runtime::netpoll(bool block, PollPath path, int* delta) {
  gList toRun;
  *delta = 0;
  for (;;) {
    netpoll_.mu.Lock("netpoll: epoll_wait");
    int found = 0;
    for (int b = 0; b < netpoll_.batch_ready; ++b) {
      if (netpoll_.taken[b] || !PathMatches(machine->batches[b].path, path)) continue;
      netpoll_.taken[b] = true;
      found++;
      netpoll_.inject_paths_seen |= 1 << static_cast<int>(path);
      for (uint8_t fd : machine->batches[b].fds) {
        // netpollready -> netpollunblock (netpoll.go:544)
        for (;;) {
          const int32_t old = pd_rg[fd].Load("netpollunblock: load rg");
          if (old == kPdReady) break;
          const int32_t nw = kPdReady;  // ioready: the descriptor stays ready
          if (pd_rg[fd].Cas(old, nw, "netpollunblock: cas rg")) {
            if (old > 0) {  // a parked goroutine (pdWait: it has not committed yet)
              g* gp = &allgs[old - 1];
              toRun.push(gp);
              (*delta)--;
            }
            break;
          }
        }
      }
    }
    if (found > 0 || !block) {
      netpoll_.mu.Unlock("netpoll: epoll_wait done");
      // gList.push reverses; Go's netpoll builds its list with push too.
      return toRun;
    }
    netpoll_.blocked_waiter = true;
    netpoll_.mu.Unlock("netpoll: epoll_wait sleeps");
    netpoll_.wake.Sleep("netpoll: epoll_wait(block)", /*idle=*/true);
    netpoll_.wake.Clear();
  }
}

// The kernel: make each batch's descriptors ready after its delay, waking a
// blocked netpoll.
void Runtime::PollerThread(void* arg) {
  auto* rt = static_cast<Runtime*>(arg);
  for (size_t b = 0; b < rt->machine->batches.size(); ++b) {
    sim::Delay(rt->machine->batches[b].delay, "poller: wait");
    rt->netpoll_.mu.Lock("poller: ready batch");
    rt->netpoll_.batch_ready = static_cast<int>(b) + 1;
    const bool wake = rt->netpoll_.blocked_waiter;
    rt->netpoll_.blocked_waiter = false;
    rt->netpoll_.mu.Unlock("poller: ready batch done");
    if (wake) rt->netpoll_.wake.Wakeup("poller: wake epoll_wait");
  }
  rt->poller_done = true;
}

}  // namespace schedfuzz::rt
