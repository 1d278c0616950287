/* snapshot.h: everything vmmap knows about one process at one moment.
 *
 * The container only: the loader (load/load.h) fills it, analyse.h computes
 * kinds and geometry from it, and views only read it. Nothing here does
 * I/O.
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

/* Where a region's pages are, by NUMA node (--numa, numa_maps). */
struct node_bytes {
	uint32_t node;
	uint64_t bytes;
};

struct region_numa {
	bool known;		/* numa_maps had a line for the region */
	uint32_t policy;	/* its memory policy as printed ("default", "bind:0-1"); pool */
	uint32_t first;		/* its nodes: numa_nodes[first, first + n), ascending */
	uint32_t n;
};

struct snapshot {
	pid_t pid;
	struct proc_handle proc;	/* kept open (live) for follow-up reads */
	bool live;			/* false under --sysroot and for a core */
	const char *source;		/* "live", "sysroot", "core", "saved" */
	/* when it was read (live), or saved (a saved document's time) */
	bool read_at_known;
	int64_t read_at;		/* seconds since the epoch, UTC */
	/* "saved": the file, and the source the document was made from
	 * ("live", "sysroot", "core"; NULL unknown) */
	const char *saved_path;
	const char *saved_source;
	/* a core: files are known by their path only, without device and
	 * inode, and regions have no counters (smaps) */
	bool files_by_path;
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
	size_t images_cap;
	bool images_grouped;
	/* a kind was decided without VmFlags a region has yet to get
	 * (analyse.h); false once every region has its own */
	bool kinds_wait_vmflags;

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
	uint64_t *dumped_bytes;		/* a core: bytes of each region it holds; else NULL */
	struct region_numa *numa;	/* one per region with --numa, else NULL */
	struct node_bytes *numa_nodes;
	size_t nnuma_nodes, numa_nodes_cap;
	uint32_t numa_node_count;	/* highest node seen + 1 */
	/* the regions' residency runs, in blocks that never move, so that
	 * runs kept can be read while more are added */
	struct page_run **run_blocks;
	size_t nrun_blocks;
	size_t run_blocks_cap;
	size_t run_block_used;		/* runs in the last block */
	const char *pages_method;	/* "PAGEMAP_SCAN" or "pagemap read" */

	char **warnings;
	size_t nwarnings;
	size_t warnings_cap;
};

/* Append a warning (printf-style). Returns 0 or -ENOMEM. */
int snapshot_warn(struct snapshot *snap, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append a region; strings are copied into the pool. Used by the loader and
 * by tests that build snapshots by hand. c NULL: counters not read yet.
 * Returns 0 or -errno. */
int snapshot_add_region(struct snapshot *snap, const struct maps_entry *m,
			const struct smaps_counters *c, uint64_t vm_flags,
			bool has_vm_flags);

/* Initialise an empty snapshot (the loader fills it; tests build one by
 * hand). Returns 0 or -ENOMEM; release with snapshot_release(). */
int snapshot_init(struct snapshot *snap, pid_t pid);
/* Free everything the snapshot owns and leave it zeroed. */
void snapshot_release(struct snapshot *snap);


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
