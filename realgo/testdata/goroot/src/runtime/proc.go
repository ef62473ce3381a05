// A stand-in for src/runtime/proc.go with only the lines the injector looks
// for: the function headers, the anchors and a decoy anchor outside them.

package runtime

func decoy() {
	trace := traceAcquire()
	head := glist.head.ptr()
}

func injectglist(glist *gList) {
	trace := traceAcquire()
	head := glist.head.ptr()
	loop(head, trace)
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
