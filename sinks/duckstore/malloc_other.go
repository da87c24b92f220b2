//go:build !linux

package duckstore

// trimMalloc is glibc-specific (malloc_linux.go); elsewhere it does nothing.
func trimMalloc() {}
