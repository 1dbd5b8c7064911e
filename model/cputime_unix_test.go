//go:build unix

package model

import "syscall"

// cpuTime returns the CPU time the process has used, in nanoseconds: on a
// shared machine, wall time says more about the neighbours than the code.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
