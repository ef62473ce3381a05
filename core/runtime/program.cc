// The goroutines' code. A goroutine runs a scenario program: a list of ops,
// each one Go-level action (park on a descriptor, ready a waiter, start a
// goroutine, Gosched, a syscall, ...). The M executing the goroutine
// interprets it; gopark/mcall/gogo become calls and returns. runG returns
// when the goroutine has left the M.
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

namespace {}  // namespace

// park_m's waitunlockf (netpollblockcommit, netpoll.go:525; chanparkcommit,
// chan.go): false if the goroutine must not sleep after all.
bool Runtime::waitunlockf(g* gp, ParkCommit commit, int arg) {
  bool ok = true;
  switch (commit) {
    case ParkCommit::kNetpoll: {
      // netpollblockcommit (netpoll.go:525)
      ok = pd_rg[arg].Cas(kPdWait, static_cast<int32_t>(gp - allgs) + 1,
                          "netpollblockcommit: cas rg");
      if (ok) netpollWaiters.Add(1, "netpollblockcommit: netpollAdjustWaiters(1)");
      break;
    }
    case ParkCommit::kChanUnlock: chanlock.Unlock("chanparkcommit: unlock(&c.lock)"); break;
  }
  return ok;
}

void Runtime::runG(g* gp) {
  m* mp = curm();
  const std::vector<Op>* prog = gp->prog;
  const int n = prog ? static_cast<int>(prog->size()) : 0;
  if (gp->pending_swap_fd >= 0) {
    // Created parked in netpollblock: finish it (the final swap of rg).
    pd_rg[gp->pending_swap_fd].Exchange(kPdNil, "netpollblock: swap rg");
    gp->pending_swap_fd = -1;
  }
  for (;;) {
    if (gp->preempt) {
      goschedImpl(gp);  // gopreempt_m
      return;
    }
    if (gp->pc >= n) {
      goexit1();
      return;
    }
    const Op op = (*prog)[gp->pc];
    switch (op.kind) {
      case OpKind::kWork:
        if (gp->phase < op.arg) {
          // Units of work, one scheduling point each; the loop re-checks
          // preemption whenever another thread may have run.
          gp->phase += sim::Burst(op.arg - gp->phase, "user: work");
          continue;
        }
        break;
      case OpKind::kParkFd: {
        const int fd = op.arg < machine->nfds ? op.arg : 0;
        if (machine->nfds == 0) break;
        if (gp->phase == 1) {
          // Back from gopark: netpollblock's final swap.
          pd_rg[fd].Exchange(kPdNil, "netpollblock: swap rg");
          break;
        }
        // netpollblock (netpoll.go:555)
        if (pd_rg[fd].Cas(kPdReady, kPdNil, "netpollblock: cas ready->nil")) break;
        if (!pd_rg[fd].Cas(kPdNil, kPdWait, "netpollblock: cas nil->wait"))
          break;  // double wait: skip
        gp->phase = 1;
        // If the unlock function fails the M's loop executes gp again (phase 1).
        gopark_m(gp, waitReason::waitReasonIOWait, ParkCommit::kNetpoll, fd);
        return;
      }
      case OpKind::kParkChan: {
        if (gp->phase == 1) break;  // woken
        waitq& q = chans[op.arg % kMaxChans];
        chanlock.Lock("chanrecv: lock(&c.lock)");
        gp->schedlink = nullptr;
        if (q.last)
          q.last->chanlink = gp;
        else
          q.first = gp;
        q.last = gp;
        gp->chanlink = nullptr;
        gp->phase = 1;
        gopark_m(gp, waitReason::waitReasonChanReceive, ParkCommit::kChanUnlock, 0);
        return;
      }
      case OpKind::kReadyChan: {
        waitq& q = chans[op.arg % kMaxChans];
        chanlock.Lock("chansend: lock(&c.lock)");
        g* w = q.first;
        if (w) {
          q.first = w->chanlink;
          if (!q.first) q.last = nullptr;
        }
        chanlock.Unlock("chansend: unlock(&c.lock)");
        if (w) goready(w, 3);
        break;
      }
      case OpKind::kGo: newproc(op.arg); break;
      case OpKind::kGosched:
        gp->pc++;
        gp->phase = 0;
        goschedImpl(gp);
        return;
      case OpKind::kYield:
        gp->pc++;
        gp->phase = 0;
        goyield_m(gp);
        return;
      case OpKind::kSyscall:
      case OpKind::kSyscallBlock: {
        gp->pc++;
        gp->phase = 0;
        if (op.kind == OpKind::kSyscall)
          entersyscall();
        else
          entersyscallblock();
        sim::Delay(op.arg, "user: in syscall");
        if (!exitsyscall()) return;
        continue;
      }
      case OpKind::kExit: goexit1(); return;
      case OpKind::kGC:
        if (!gcCycle(gp)) {
          goschedImpl(gp);  // the cycle goes on at the goroutine's next turn
          return;
        }
        break;
    }
    gp->pc++;
    gp->phase = 0;
    (void)mp;
  }
}

void Runtime::MThread(void* arg) {
  m* mp = static_cast<m*>(arg);
  Runtime* rt = mp->rt;
  if (!mp->pp) {
    // A not-yet-created M slot: wait for newm (startm) to create it.
    mp->park.Sleep("newm: thread not created yet", /*idle=*/true);
    mp->park.Clear();
    rt->acquirep(mp->nextp);
    mp->nextp = nullptr;
  }
  mp->started = true;
  for (;;) {
    if (g* gp = mp->resume_g) {
      mp->resume_g = nullptr;
      const bool inherit = mp->resume_inherit;
      mp->resume_inherit = false;
      rt->execute(gp, inherit);
      continue;
    }
    rt->schedule();
  }
}

}  // namespace schedfuzz::rt
