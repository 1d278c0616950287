/* snapshot.h: everything vmmap knows about one process at one moment.
 *
 * snapshot_load() is the only place that drives the readers; classification,
 * the address-space geometry and summaries are computed from the snapshot
 * alone, and views only read it.
 */
#ifndef VMMAP_MODEL_SNAPSHOT_H
#define VMMAP_MODEL_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/address_space.h"
#include "model/region.h"
#include "model/strpool.h"
#include "model/sum.h"
#include "proc/kpage.h"
#include "proc/pagemap.h"
#include "proc/procfs.h"
#include "proc/stat.h"
#include "proc/status.h"

struct elf_image;

/* An ELF file mapped into the process (the executable, ld.so, a library). */
struct image {
	uint32_t path;		/* string pool */
	uint32_t dev_major;
	uint32_t dev_minor;
	uint64_t inode;
	bool deleted;
	struct elf_image *elf;	/* NULL when the file could not be read */
	const char *why_unread;	/* when elf is NULL: static text... */
	uint32_t why_unread_off;	/* ...or this pool string; see image_why_unread() */
	bool bias_known;
	uint64_t bias;		/* load bias: runtime address - ELF vaddr */
	struct sum rss, pss, dirty;	/* over its regions, bss included */
};

enum stack_method {
	STACK_NONE = 0,
	STACK_KERNEL_NAME,	/* [stack] */
	STACK_POINTER,		/* SP from task/TID/syscall */
	STACK_GUARD_PATTERN,	/* rw-p with a ---p guard below, VmFlags nh */
};

struct thread {
	pid_t tid;
	char comm[80];
	bool has_sp;
	uint64_t sp;		/* user stack pointer from task/TID/syscall */
	long stack;		/* index of its stack region, -1 = not found */
	enum stack_method method;
	int sp_err;		/* why has_sp is false: -errno from syscall */
};

/* Page-level state of one region (--pages). */
struct region_pages {
	bool known;		/* pagemap was read for this region */
	bool kpf_known;		/* kpageflags/kpagecount too (root only) */
	bool runs_truncated;	/* more runs than were kept */
	struct page_counts counts;
	struct kpage_counts kpf;
	const struct page_run *runs;	/* run_count of them, in the run blocks */
	uint32_t run_count;
};

struct snapshot {
	pid_t pid;
	struct proc_handle proc;	/* kept open (live) for follow-up reads */
	bool live;			/* false under --sysroot */
	struct stat_info stat;		/* comm, state, mm boundaries */
	bool mm_known;			/* stat.mm holds real addresses */
	bool brk_known;
	struct status_info status;
	bool status_known;
	char *exe;			/* NULL when unreadable */
	bool exe_deleted;
	char **argv;			/* NULL when unreadable */
	size_t argc;
	int elf_class;			/* 32, 64, 0 unknown */
	const char *arch;		/* NULL unknown */
	uint64_t page_size;
	bool stack_rlimit_known;
	uint64_t stack_rlimit;		/* soft RLIMIT_STACK, UINT64_MAX = unlimited */

	struct region *regions;		/* sorted by start */
	size_t nregions;
	size_t cap;
	struct strpool pool;

	struct thread *threads;
	size_t nthreads;

	struct image *images;
	size_t nimages;
	bool images_grouped;

	struct address_space as;

	/* where the resident pages are in RAM (--pages as root): bytes per
	 * zone of zone_names and per System RAM range */
	size_t nphys_zones;
	char (*phys_zone_names)[24];	/* "Node 0 Normal" */
	uint64_t *phys_zone_bytes;
	size_t nphys_ram;
	uint64_t (*phys_ram_range)[2];	/* [start, end] inclusive */
	uint64_t *phys_ram_bytes;
	bool phys_known;

	struct region_pages *pages;	/* one per region with --pages, else NULL */
	/* the regions' residency runs, in blocks that never move, so that
	 * runs kept can be read while more are added */
	struct page_run **run_blocks;
	size_t nrun_blocks;
	size_t run_block_used;		/* runs in the last block */
	const char *pages_method;	/* "PAGEMAP_SCAN" or "pagemap read" */

	char **warnings;
	size_t nwarnings;
};

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

/* Load pid from src. On success returns 0 and *snap is filled (release with
 * snapshot_release()). On failure returns -errno, fills *error and leaves
 * *snap released. */
int snapshot_load(const struct proc_source *src, pid_t pid,
		  struct snapshot *snap, struct load_error *error);
void snapshot_release(struct snapshot *snap);

/* snapshot_load(), then snapshot_load_pages() when pages is set. A failure
 * to read the page states fails the load like any other ("exited while
 * being read", out of memory): *error says so and *snap is released. */
int snapshot_load_with_pages(const struct proc_source *src, pid_t pid,
			     struct snapshot *snap, struct load_error *error,
			     bool pages);

struct elf_cache;

/* snapshot_load() with a cache of parsed ELF images that outlives the
 * snapshot (the live view's refreshes), so unchanged files are not read
 * again. cache may be NULL. The cache keeps its own references. */
int snapshot_load_cached(const struct proc_source *src, pid_t pid,
			 struct snapshot *snap, struct load_error *error,
			 struct elf_cache *cache);

/* Where snapshot_load_streamed() hands the regions while it reads them. */
struct snapshot_sink {
	/* The regions (without counters), their kinds and the threads are
	 * known. Return 1 to be given the regions as their counters arrive,
	 * 0 to wait for the whole snapshot, or -errno to fail the load. */
	int (*begin)(void *ctx, const struct snapshot *s);
	/* Regions [from, to) now have their counters; called in order until
	 * every region was given. Return 0 or -errno to fail the load. */
	int (*regions)(void *ctx, const struct snapshot *s, size_t from, size_t to);
	void *ctx;
	/* Read the page states too (snapshot_load_pages()), in a thread of
	 * their own while the smaps blocks arrive. begin sees s->pages with every
	 * region's states unknown yet and s->pages_method set; regions()
	 * sees those of its regions read (physical tallies included); the
	 * zones' tallies (phys_*) and the warnings about them are complete
	 * only in the final snapshot. */
	bool pages;
};

/* snapshot_load() for a live process, with smaps read by a second thread
 * while this one reads maps, classifies and feeds sink: for a process with
 * many regions the report is then mostly written while the kernel is still
 * producing smaps. Returns as snapshot_load(). On success *streamed is true
 * when the sink was given every region and what it was given is exactly
 * *snap (same regions, kinds and threads); when false, whatever the sink
 * made of it must be thrown away and the report made from *snap, which is
 * complete either way, its page states included when sink->pages is set
 * (a failure to read them fails the load, as "exited while being read" or
 * out of memory). Under --sysroot it is snapshot_load(), and
 * snapshot_load_pages() for sink->pages. */
int snapshot_load_streamed(const struct proc_source *src, pid_t pid,
			   struct snapshot *snap, struct load_error *error,
			   const struct snapshot_sink *sink, bool *streamed);

/* Read the page-level state of every region (pagemap; kpageflags and
 * kpagecount too when readable) into snap->pages, for a snapshot that
 * snapshot_load() loaded live. What cannot be read stays unknown and a
 * warning says why. Returns 0, or -errno when the process is gone. */
int snapshot_load_pages(const struct proc_source *src, struct snapshot *snap);

/* Append a warning (printf-style). Returns 0 or -ENOMEM. */
int snapshot_warn(struct snapshot *snap, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append a region; strings are copied into the pool. Used by the loader and
 * by tests that build snapshots by hand. Returns 0 or -errno. */
int snapshot_add_region(struct snapshot *snap, const struct maps_entry *m,
			const struct smaps_counters *c, uint64_t vm_flags,
			bool has_vm_flags);

/* Initialise an empty snapshot (tests build one by hand). */
int snapshot_init(struct snapshot *snap, pid_t pid);

/* Run classification and the address-space geometry over a loaded snapshot
 * (snapshot_load() calls this). Returns 0 or -ENOMEM. */
int snapshot_analyse(struct snapshot *snap, const struct address_space_evidence *ev);

static inline const char *region_path(const struct snapshot *s, const struct region *r)
{
	return r->path ? strpool_get(&s->pool, r->path) : NULL;
}
static inline const char *region_detail(const struct snapshot *s, const struct region *r)
{
	return r->detail ? strpool_get(&s->pool, r->detail) : NULL;
}
static inline const struct image *region_image_info(const struct snapshot *s,
						   const struct region *r)
{
	return r->image ? &s->images[r->image - 1] : NULL;
}
static inline const char *region_image(const struct snapshot *s, const struct region *r)
{
	return r->image ? strpool_get(&s->pool, s->images[r->image - 1].path) : NULL;
}

/* Why an image's ELF headers could not be read. */
static inline const char *image_why_unread(const struct snapshot *s, const struct image *im)
{
	return im->why_unread_off ? strpool_get(&s->pool, im->why_unread_off) : im->why_unread;
}

/* Index of the region containing addr, or -1 (binary search). */
long snapshot_find_region(const struct snapshot *s, uint64_t addr);

#endif
