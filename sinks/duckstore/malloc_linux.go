package duckstore

/*
#include <malloc.h>
#include <stdlib.h>

// DuckDB's C++ allocations and the driver's copies of every appended string go
// through glibc malloc from whichever OS threads Go runs the writer on; glibc then
// spreads them over one arena per thread and keeps what is freed, so the process
// grows with the rows written although little of it is in use (measured: 88 MB held,
// 4 MB used after 150k rows). One arena, chosen before any thread starts, and a trim
// after every few commits keep it bounded. MALLOC_ARENA_MAX in the environment wins.
__attribute__((constructor)) static void cvetl_malloc_arenas(void) {
	if (getenv("MALLOC_ARENA_MAX") == NULL) {
		mallopt(M_ARENA_MAX, 1);
	}
}

// DuckDB allocates its own memory (buffer pool, appended chunks, query state) from the
// jemalloc it links in under a duckdb_je_ prefix, which neither of the above reaches.
// jemalloc keeps freed pages "dirty" until a decay timer or a purge returns them;
// purging all arenas here returns them after every few commits. Weak: a build against
// a shared libduckdb without the symbol links and skips the purge.
extern int duckdb_je_mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen) __attribute__((weak));

// Returns 0, jemalloc's error number, or -1 when DuckDB's jemalloc is not linked in.
static int cvetl_malloc_trim(void) {
	malloc_trim(0);
	if (!duckdb_je_mallctl) {
		return -1;
	}
	return duckdb_je_mallctl("arena.4096.purge", NULL, NULL, NULL, 0); // 4096 = MALLCTL_ARENAS_ALL
}
*/
import "C"

import "fmt"

// trimMalloc returns freed C heap memory (glibc and DuckDB's jemalloc) to the system.
// The error only says the jemalloc purge did not happen; callers go on without it.
func trimMalloc() error {
	switch rc := C.cvetl_malloc_trim(); rc {
	case 0:
		return nil
	case -1:
		return fmt.Errorf("purging DuckDB's allocator: duckdb_je_mallctl is not linked in")
	default:
		return fmt.Errorf("purging DuckDB's allocator: jemalloc error %d", int(rc))
	}
}
