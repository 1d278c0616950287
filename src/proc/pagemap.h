/* pagemap.h: page-level state of a process's address space from
 * /proc/PID/pagemap (reference §3): one 64-bit entry per virtual page, or
 * the PAGEMAP_SCAN ioctl (6.7+) that reports runs of pages by category.
 *
 * The decoders and the run builder are pure; pagemap_open() and
 * pagemap_scan_range() are the thin I/O around them.
 */
#ifndef VMMAP_PROC_PAGEMAP_H
#define VMMAP_PROC_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/procfs.h"

/* pagemap entry bits */
#define PM_PFN_MASK		((1ULL << 55) - 1)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_UFFD_WP		(1ULL << 57)
#define PM_GUARD_REGION		(1ULL << 58)
#define PM_FILE			(1ULL << 61)
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)

/* What one entry says. Swap excludes guard markers (bit 62 is set for
 * every non-present, non-empty PTE, guards included). */
struct pagemap_page {
	bool present;
	bool swapped;
	bool guard;
	bool file;		/* not anonymous; meaningful when present */
	bool exclusive;
	bool soft_dirty;
	uint64_t pfn;		/* 0 when present but hidden (no CAP_SYS_ADMIN) */
};

void pagemap_decode(uint64_t entry, struct pagemap_page *out);

/* Residency of a run of pages. */
enum page_state {
	PAGE_NONE = 0,		/* never touched, or dropped */
	PAGE_PRESENT,
	PAGE_SWAPPED,
	PAGE_GUARD,
};

const char *page_state_name(enum page_state s);

struct page_run {
	uint64_t start;
	uint64_t end;		/* exclusive */
	enum page_state state;
};

/* Counts per region, in pages. */
struct page_counts {
	uint64_t present;
	uint64_t swapped;
	uint64_t file;
	uint64_t anon;
	uint64_t exclusive;
	uint64_t soft_dirty;
	uint64_t zero;		/* the shared zero page (PAGEMAP_SCAN only) */
	uint64_t huge;		/* THP or hugetlb (PAGEMAP_SCAN only) */
	uint64_t guard;
	bool zero_known;	/* false on the pread path, which cannot tell */
	bool huge_known;
	bool exclusive_known;	/* false with PAGEMAP_SCAN, which has no such category */
};

/* Accumulates counts and residency runs as pages or runs are fed in
 * address order. Runs of the same state are merged; at most max_runs are
 * kept (the rest are counted, not stored) so memory stays bounded. */
struct page_scan {
	struct page_counts counts;
	struct page_run *runs;
	size_t nruns;
	size_t cap;
	size_t max_runs;
	bool runs_truncated;
	bool pfn_visible;	/* some present entry carried a PFN */
};

void page_scan_init(struct page_scan *ps, size_t max_runs);
void page_scan_release(struct page_scan *ps);

/* Feed npages consecutive pagemap entries for the range starting at start.
 * Returns 0 or -ENOMEM. */
int page_scan_feed_entries(struct page_scan *ps, uint64_t start, uint64_t page_size,
			   const uint64_t *entries, size_t npages);

/* Feed one run in a given state (pages between reported PAGEMAP_SCAN
 * regions are fed as PAGE_NONE). Returns 0 or -ENOMEM. */
int page_scan_feed_run(struct page_scan *ps, uint64_t start, uint64_t end,
		       enum page_state state);

/* PAGEMAP_SCAN categories (include/uapi/linux/fs.h, 6.7+) */
#define PAGE_IS_WPALLOWED	(1ULL << 0)
#define PAGE_IS_WRITTEN		(1ULL << 1)
#define PAGE_IS_FILE		(1ULL << 2)
#define PAGE_IS_PRESENT		(1ULL << 3)
#define PAGE_IS_SWAPPED		(1ULL << 4)
#define PAGE_IS_PFNZERO		(1ULL << 5)
#define PAGE_IS_HUGE		(1ULL << 6)
#define PAGE_IS_SOFT_DIRTY	(1ULL << 7)
#define PAGE_IS_GUARD		(1ULL << 8)

/* One region PAGEMAP_SCAN reported: feed it into ps (counts and runs).
 * Returns 0 or -ENOMEM. */
int page_scan_feed_region(struct page_scan *ps, uint64_t start, uint64_t end,
			  uint64_t categories, uint64_t page_size);

enum pagemap_method {
	PAGEMAP_PREAD = 0,
	PAGEMAP_SCAN_IOCTL,		/* without PAGE_IS_GUARD (6.7-6.14) */
	PAGEMAP_SCAN_IOCTL_GUARD,	/* with it (6.15+) */
};

/* Most pagemap entries one pread asks for: 16 MiB of 4 KiB pages. */
enum { PAGEMAP_WINDOW_PAGES = 4096 };

struct pagemap {
	int fd;
	enum pagemap_method method;
	uint64_t page_size;
	/* the entries of [win_start, win_end), read ahead for the ranges
	 * after the last one asked for (pread method) */
	uint64_t *win;
	uint64_t win_start;
	uint64_t win_end;
	uint64_t *pfns;		/* the visible PFNs of one range's part */
};

/* Open PID's pagemap and probe for PAGEMAP_SCAN (ENOTTY before 6.7; EINVAL
 * for PAGE_IS_GUARD before 6.15). Returns 0 or -errno (EACCES without
 * ptrace access or for non-dumpable targets, ESRCH without mm). Release
 * with pagemap_close() (also after a failed open). */
int pagemap_open(const struct proc_handle *h, uint64_t page_size, struct pagemap *pm);
void pagemap_close(struct pagemap *pm);

/* Scan [start, end) into ps with the best method the kernel has. ahead
 * (ignored when <= end) says how far the next ranges asked for reach, with
 * no long unmapped stretch before it: reading entries up to there now, in
 * the same pread, saves one read per range when a process has many small
 * adjacent regions. Returns 0 or -errno. */
int pagemap_scan_range(struct pagemap *pm, uint64_t start, uint64_t end,
		       uint64_t ahead, struct page_scan *ps);

/* Scan [start, end) by reading entries (the only way to see PFNs) and hand
 * the PFNs of present pages to pfn_cb, a batch at a time. PFNs read as 0
 * without CAP_SYS_ADMIN and are then not passed. Returns 0, -errno, or
 * pfn_cb's non-zero return. */
int pagemap_scan_range_pfns(struct pagemap *pm, uint64_t start, uint64_t end,
			    uint64_t ahead, struct page_scan *ps,
			    int (*pfn_cb)(void *ctx, const uint64_t *pfns, size_t n),
			    void *ctx);

#endif
