/* meminfo.h: the lines of /proc/meminfo that say where the machine's memory
 * is, to set beside what the processes' mappings account for (--all). */
#ifndef VMMAP_PROC_MEMINFO_H
#define VMMAP_PROC_MEMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/procfs.h"

/* In the order JSON prints them. Values in bytes. */
enum meminfo_field {
	MEMINFO_MEM_TOTAL = 0,
	MEMINFO_MEM_FREE,
	MEMINFO_MEM_AVAILABLE,
	MEMINFO_BUFFERS,
	MEMINFO_CACHED,
	MEMINFO_SWAP_CACHED,
	MEMINFO_ANON_PAGES,
	MEMINFO_MAPPED,
	MEMINFO_SHMEM,
	MEMINFO_K_RECLAIMABLE,
	MEMINFO_SLAB,
	MEMINFO_KERNEL_STACK,
	MEMINFO_PAGE_TABLES,
	MEMINFO_SWAP_TOTAL,
	MEMINFO_SWAP_FREE,
	MEMINFO_ANON_HUGE_PAGES,
	MEMINFO_HUGETLB,
	MEMINFO_NFIELDS
};

struct meminfo {
	uint64_t v[MEMINFO_NFIELDS];
	uint32_t present;	/* bit per field */
};

/* Parse meminfo text ("Key:   N kB" lines). Lines vmmap does not use are
 * ignored, and so is a line that repeats a key already read. Returns 0, or
 * -EINVAL when a line it uses is malformed (no " kB", no digits, a value
 * beyond 2^64 bytes). */
int meminfo_parse(const char *text, size_t len, struct meminfo *out);

/* Read and parse meminfo under src. Returns 0 or -errno. */
int meminfo_read(const struct proc_source *src, struct meminfo *out);

/* The key as JSON spells it ("anon_pages") and as the kernel does
 * ("AnonPages"); NULL out of range. */
const char *meminfo_field_name(enum meminfo_field f);
const char *meminfo_field_key(enum meminfo_field f);

static inline bool meminfo_has(const struct meminfo *m, enum meminfo_field f)
{
	return (m->present >> f) & 1;
}

#endif
