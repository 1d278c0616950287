/* zoneinfo.h: /proc/zoneinfo, the memory zones of each NUMA node and the
 * page frame numbers (PFNs) each one spans.
 *
 * The file (mm/vmstat.c: zoneinfo_show_print()) is one block per zone,
 * headed "Node N, zone NAME" with NAME right-aligned in 8 columns, followed
 * by indented lines. The ones read here:
 *
 *   "  pages free     N"         free pages
 *   "        spanned  N"         zone_end_pfn - zone_start_pfn, holes included
 *   "        present  N"         physical pages in the span
 *   "        managed  N"         pages the buddy allocator manages
 *   "  start_pfn:           N"   the first PFN of the span (old kernels
 *                                may lack it)
 *
 * Every other line is ignored: the "per-node stats" of a node's first zone,
 * the zone's vm counters, and its "pagesets" block, whose per-cpu "count:",
 * "high:" and "batch:" lines are not zone fields. A zone that is not
 * populated (no present pages: often Movable, Device, HighMem) ends after
 * its "protection:" line, with spanned 0 and no start_pfn.
 */
#ifndef VMMAP_PROC_ZONEINFO_H
#define VMMAP_PROC_ZONEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/procfs.h"

/* One zone. Counts are in pages; a line the block does not have leaves its
 * value 0. */
struct zone_info {
	int node;
	char name[16];		/* "DMA", "DMA32", "Normal", "Movable"... */
	uint64_t start_pfn;	/* valid when has_start_pfn */
	uint64_t spanned;	/* the span is [start_pfn, start_pfn + spanned) */
	uint64_t present;
	uint64_t managed;
	uint64_t free;
	bool has_start_pfn;
};

struct zoneinfo {
	struct zone_info *zones;	/* in file order; owned */
	size_t count;
};

/* Parse zoneinfo text: len bytes at text, which need not be NUL-terminated;
 * nothing at or after text + len is read. A last line without its newline
 * is parsed like the others, so a file cut inside a number gives the digits
 * before the cut. Lines before the first "Node" header are ignored.
 * Returns 0 with *out filled (release it with zoneinfo_release()), -EINVAL
 * when a "Node" header is malformed (zone name empty, longer than 15 bytes
 * or not printable ASCII, node number missing or above INT_MAX) or a line
 * read here has no plain decimal value, or -ENOMEM. On error *out is left
 * empty: count 0, no storage, and zoneinfo_release() is still safe to
 * call. */
int zoneinfo_parse(const char *text, size_t len, struct zoneinfo *out);

/* Free what zoneinfo_parse() or zoneinfo_read() allocated and empty *zi. */
void zoneinfo_release(struct zoneinfo *zi);

/* Read and parse zoneinfo under src ("/proc/zoneinfo", or
 * SYSROOT/proc/zoneinfo). Returns as zoneinfo_parse(), or the -errno of
 * reading the file. */
int zoneinfo_read(const struct proc_source *src, struct zoneinfo *out);

/* The first zone whose span [start_pfn, start_pfn + spanned) holds pfn.
 * Zones without a start_pfn line, or with 0 spanned pages, hold none.
 * Returns its index into zi->zones, or -1 when no zone holds pfn. Spans of
 * different nodes may interleave; the span is the zone's range, which can
 * contain holes and pages of another node. */
long zoneinfo_find_pfn(const struct zoneinfo *zi, uint64_t pfn);

#endif
