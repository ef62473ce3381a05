// Run queues: proc.go runqput/runqputslow/runqputbatch/runqget/runqgrab/
// runqsteal and the global queue (globrunqput*, globrunqget), plus gQueue.
// The local ring is lock-free: head and tail are atomics (scheduling points),
// slots are plain. Its capacity is Runtime::runq_size (256 in Go).
#include <algorithm>

#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

void gQueue::push(g* gp) {
  gp->schedlink = head;
  head = gp;
  if (!tail) tail = gp;
}
void gQueue::pushBack(g* gp) {
  gp->schedlink = nullptr;
  if (tail)
    tail->schedlink = gp;
  else
    head = gp;
  tail = gp;
}
void gQueue::pushBackAll(gQueue q2) {
  if (!q2.tail) return;
  q2.tail->schedlink = nullptr;
  if (tail)
    tail->schedlink = q2.head;
  else
    head = q2.head;
  tail = q2.tail;
}
g* gQueue::pop() {
  g* gp = head;
  if (gp) {
    head = gp->schedlink;
    if (!head) tail = nullptr;
  }
  return gp;
}
gList gQueue::popList() {
  gList l{head};
  head = tail = nullptr;
  return l;
}

// globrunqput (proc.go:6393): sched.lock must be held.
void Runtime::globrunqput(g* gp) {
  sched.runq.pushBack(gp);
  sched.runqsize++;
}

// globrunqputbatch (proc.go:6418): sched.lock must be held.
void Runtime::globrunqputbatch(gQueue* batch, int32_t n) {
  sched.runq.pushBackAll(*batch);
  sched.runqsize += n;
  *batch = gQueue{};
}

// globrunqget (proc.go:6428): take a fair share of the global queue; return
// one, put the rest on pp's local ring. sched.lock must be held.
g* Runtime::globrunqget(p* pp, int32_t max) {
  if (sched.runqsize == 0) return nullptr;
  int32_t n = sched.runqsize / gomaxprocs + 1;
  if (n > sched.runqsize) n = sched.runqsize;
  if (max > 0 && n > max) n = max;
  const int32_t half = static_cast<int32_t>(runq_size / 2);
  if (n > half) n = half;
  sched.runqsize -= n;
  g* gp = sched.runq.pop();
  n--;
  for (; n > 0; n--) {
    g* gp1 = sched.runq.pop();
    runqput(pp, gp1, false);
  }
  return gp;
}

// runqput (proc.go:6635): next=true puts gp in runnext and kicks the old
// runnext to the tail of the ring.
void Runtime::runqput(p* pp, g* gp, bool next) {
  if (next) {
    for (;;) {
      g* oldnext = pp->runnext.Load("runqput: load runnext");
      if (!pp->runnext.Cas(oldnext, gp, "runqput: cas runnext")) continue;
      if (!oldnext) return;
      gp = oldnext;  // kick the old runnext out to the regular queue
      break;
    }
  }
  for (;;) {
    const uint32_t h = pp->runqhead.Load("runqput: load runqhead");
    const uint32_t t = pp->runqtail.Raw();  // only the owner writes tail
    if (t - h < runq_size) {
      pp->runq[t % runq_size] = gp;
      pp->runqtail.Store(t + 1, "runqput: store runqtail");
      return;
    }
    if (runqputslow(pp, gp, h, t)) return;
    // the queue is not full now, the put above must succeed
  }
}

// runqputslow (proc.go:6670): move half the ring plus gp to the global queue.
bool Runtime::runqputslow(p* pp, g* gp, uint32_t h, uint32_t t) {
  g* batch[kRunqCap / 2 + 1];
  uint32_t n = t - h;
  n = n / 2;
  if (n != runq_size / 2) throw_("runqputslow: queue is not full");
  for (uint32_t i = 0; i < n; i++) batch[i] = pp->runq[(h + i) % runq_size];
  if (!pp->runqhead.Cas(h, h + n, "runqputslow: cas runqhead")) return false;
  batch[n] = gp;
  gQueue q;
  for (uint32_t i = 0; i <= n; i++) q.pushBack(batch[i]);
  sched.lock.Lock("runqputslow: lock sched");
  globrunqputbatch(&q, static_cast<int32_t>(n + 1));
  sched.lock.Unlock("runqputslow: unlock sched");
  return true;
}

// runqputbatch (proc.go:6713): as many as fit into the ring, the rest to the
// global queue.
void Runtime::runqputbatch(p* pp, gQueue* q, int qsize) {
  const uint32_t h = pp->runqhead.Load("runqputbatch: load runqhead");
  uint32_t t = pp->runqtail.Raw();
  int n = 0;
  while (!q->empty() && t - h < runq_size) {
    g* gp = q->pop();
    pp->runq[t % runq_size] = gp;
    t++;
    n++;
  }
  qsize -= n;
  pp->runqtail.Store(t, "runqputbatch: store runqtail");
  if (!q->empty()) {
    sched.lock.Lock("runqputbatch: lock sched");
    globrunqputbatch(q, qsize);
    sched.lock.Unlock("runqputbatch: unlock sched");
  }
}

// runqget (proc.go:6747): runnext first (inheriting the time slice), else
// the ring's head.
g* Runtime::runqget(p* pp, bool* inheritTime) {
  g* next = pp->runnext.Load("runqget: load runnext");
  if (next && pp->runnext.Cas(next, nullptr, "runqget: cas runnext")) {
    *inheritTime = true;
    return next;
  }
  for (;;) {
    const uint32_t h = pp->runqhead.Load("runqget: load runqhead");
    const uint32_t t = pp->runqtail.Raw();
    if (t == h) {
      *inheritTime = false;
      return nullptr;
    }
    g* gp = pp->runq[h % runq_size];
    if (pp->runqhead.Cas(h, h + 1, "runqget: cas runqhead")) {
      *inheritTime = false;
      return gp;
    }
  }
}

// runqempty (proc.go:6593): a consistent emptiness check of ring + runnext.
bool Runtime::runqempty(p* pp) {
  for (;;) {
    const uint32_t head = pp->runqhead.Load("runqempty: load runqhead");
    const uint32_t tail = pp->runqtail.Load("runqempty: load runqtail");
    g* runnext = pp->runnext.Load("runqempty: load runnext");
    if (tail == pp->runqtail.Load("runqempty: reload runqtail"))
      return head == tail && runnext == nullptr;
  }
}

// runqgrab (proc.go:6813): steal half of pp's ring into batch; if the ring is
// empty, maybe its runnext.
uint32_t Runtime::runqgrab(p* pp, g** batch, uint32_t batchHead, bool stealRunNextG) {
  for (;;) {
    const uint32_t h = pp->runqhead.Load("runqgrab: load runqhead");
    const uint32_t t = pp->runqtail.Load("runqgrab: load runqtail");
    uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) {
      if (stealRunNextG) {
        g* next = pp->runnext.Load("runqgrab: load runnext");
        if (next) {
          // Go sleeps ~3us here if pp is running, to let it schedule runnext.
          if (pp->status.Load("runqgrab: load status") == _Prunning)
            sim::Yield("runqgrab: usleep(3)");
          if (!pp->runnext.Cas(next, nullptr, "runqgrab: cas runnext")) continue;
          batch[batchHead % runq_size] = next;
          return 1;
        }
      }
      return 0;
    }
    if (n > runq_size / 2) continue;  // inconsistent h and t
    for (uint32_t i = 0; i < n; i++)
      batch[(batchHead + i) % runq_size] = pp->runq[(h + i) % runq_size];
    if (pp->runqhead.Cas(h, h + n, "runqgrab: cas runqhead")) return n;
  }
}

// runqsteal (proc.go:6868): grab from p2 into pp's ring, return one.
g* Runtime::runqsteal(p* pp, p* p2, bool stealRunNextG) {
  const uint32_t t = pp->runqtail.Raw();
  uint32_t n = runqgrab(p2, pp->runq, t, stealRunNextG);
  if (n == 0) return nullptr;
  n--;
  g* gp = pp->runq[(t + n) % runq_size];
  if (n == 0) return gp;
  const uint32_t h = pp->runqhead.Load("runqsteal: load runqhead");
  if (t - h + n >= runq_size) throw_("runqsteal: runq overflow");
  pp->runqtail.Store(t + n, "runqsteal: store runqtail");
  return gp;
}

}  // namespace schedfuzz::rt
