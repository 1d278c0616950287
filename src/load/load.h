/* load.h: reading one process into a snapshot.
 *
 * snapshot_load() is the one place that drives the readers: it asks a
 * source (source.h) for the process's regions, threads and images, then
 * classifies the regions once and computes what is derived from them.
 * Order matters for correctness: stat first (is this a process with an
 * address space?), the regions, the threads, then stat again to prove the
 * process did not exit or get replaced while it was read: the kernel ends a
 * listing silently at a record boundary when its target exits, so EOF
 * alone never proves a complete map.
 */
#ifndef VMMAP_LOAD_LOAD_H
#define VMMAP_LOAD_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "load/source.h"
#include "model/snapshot.h"

struct elf_cache;

/* Why a load failed: the front end prints msg ("cannot read /proc/42/smaps:
 * permission denied") and turns kind into an exit status. */
enum load_failure {
	LOAD_OK = 0,
	LOAD_NOT_FOUND,		/* no such process */
	LOAD_FAILED,		/* found, but no report (permission, kernel thread, exited, malformed) */
};

struct load_error {
	enum load_failure kind;
	int err;		/* -errno */
	char msg[768];
};

/* Where a load hands its regions while it reads them. For a large live
 * process the regions' kinds are known from maps long before smaps has
 * given their counters: a consumer can then do its work on each stretch of
 * regions as their counters arrive, while the kernel writes the rest. */
struct region_consumer {
	/* The regions (without counters), their final kinds and the threads
	 * are known. Return 1 to be given the regions as their counters
	 * arrive, 0 not to be, or -errno to fail the load. */
	int (*begin)(void *ctx, const struct snapshot *s);
	/* Regions [from, to) now have their counters (and their page states
	 * when asked for); called in order until every region was given.
	 * Return 0 or -errno to fail the load. */
	int (*regions)(void *ctx, const struct snapshot *s, size_t from, size_t to);
	/* The load is over. complete: the consumer was given every region,
	 * each exactly as the loaded snapshot holds it; else what it made of
	 * them is void (the process changed, the load was retried or failed).
	 * Called once for every load that called begin. */
	void (*end)(void *ctx, bool complete);
	void *ctx;
};

/* What a load should read besides the regions. A NULL request is {0}. */
struct load_request {
	/* The page states too (pagemap; kpageflags, kpagecount as root):
	 * live only; a failure to read them fails the load. */
	bool pages;
	/* Parsed ELF images that outlive the snapshot (the live view's
	 * refreshes), so unchanged files are not read again; NULL: none. */
	struct elf_cache *cache;
	/* Given the regions as they are read (live only); NULL: none. */
	const struct region_consumer *consumer;
	/* Only what the kinds and their sums need (--all): no ELF file is
	 * read (the regions of images get their kinds from their
	 * permissions: code r-x, data rw-, rodata or relro r--; bss is not
	 * told from anonymous memory; sections are unknown), no thread's
	 * stack pointer (thread stacks are found by their guard), no
	 * address-space geometry (nothing probed, no warning about it). */
	bool kinds_only;
	/* Where each region's pages are by NUMA node, and its memory policy
	 * (numa_maps: it walks the page tables, as smaps does). */
	bool numa;
};

/* Load pid from src. On success returns 0 and *snap is filled (release with
 * snapshot_release()). On failure returns -errno, fills *error and leaves
 * *snap released. */
int snapshot_load(const struct source *src, pid_t pid, const struct load_request *rq,
		  struct snapshot *snap, struct load_error *error);

/* Read the page-level state of every region (pagemap; kpageflags and
 * kpagecount too when readable) into snap->pages, for a snapshot that
 * snapshot_load() loaded live without them. What cannot be read stays
 * unknown and a warning says why. Returns 0, or -errno when the process
 * is gone (-ESRCH) or memory ran out. */
int snapshot_load_pages(const struct source *src, struct snapshot *snap);

#endif
