//go:build !unix

package main

import "os"

// ttyColumns is unknown on systems without TIOCGWINSZ: report.Width.
func ttyColumns(*os.File) int { return 0 }
