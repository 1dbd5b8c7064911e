//go:build unix

package main

import (
	"os"
	"sync"
	"syscall"
)

// newFileMode is the mode a new output file gets: 0666 less the umask,
// as a file created with os.Create would have (temporary files are
// created 0600).
var newFileMode = sync.OnceValue(func() os.FileMode {
	mask := syscall.Umask(0)
	syscall.Umask(mask)
	return 0o666 &^ os.FileMode(mask)
})
