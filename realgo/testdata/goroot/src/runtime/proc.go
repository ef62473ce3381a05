// A stand-in for src/runtime/proc.go with only the lines the injector looks
// for: the function headers, the anchors and a decoy anchor outside them.

package runtime

func decoy() {
	trace := traceAcquire()
	for gp := head; gp != nil; {
	}
}

func injectglist(glist *gList) {
	head := glist.head.ptr()
	trace := traceAcquire()
	for gp := head; gp != nil; gp = next(gp) {
		mark(gp, trace)
	}
}

func entersyscallblock() {
	casgstatus(gp, _Grunning, _Gsyscall)
	systemstack(entersyscallblock_handoff)
}

func entersyscallblock_handoff() {
	trace := traceAcquire()
	handoffp(releasep())
}

func exitsyscallfast(oldp *p) bool {
	trace := traceAcquire()
	if oldp != nil && oldp.status == _Psyscall && cas(oldp) {
		return true
	}
	return false
}
