//go:build unix

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// ttyColumns asks the terminal on f for its width (TIOCGWINSZ); 0 when it
// does not say.
func ttyColumns(f *os.File) int {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(ws.Col)
}
