/* kpage.h: /proc/kpageflags and /proc/kpagecount (reference §3.3): one
 * 64-bit word per physical page frame, readable by root only (0400).
 * PFNs come from pagemap, which shows them only with CAP_SYS_ADMIN. */
#ifndef VMMAP_PROC_KPAGE_H
#define VMMAP_PROC_KPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/procfs.h"

/* kpageflags bits (include/uapi/linux/kernel-page-flags.h) */
enum {
	KPF_LOCKED = 0, KPF_ERROR = 1, KPF_REFERENCED = 2, KPF_UPTODATE = 3,
	KPF_DIRTY = 4, KPF_LRU = 5, KPF_ACTIVE = 6, KPF_SLAB = 7,
	KPF_WRITEBACK = 8, KPF_RECLAIM = 9, KPF_BUDDY = 10, KPF_MMAP = 11,
	KPF_ANON = 12, KPF_SWAPCACHE = 13, KPF_SWAPBACKED = 14,
	KPF_COMPOUND_HEAD = 15, KPF_COMPOUND_TAIL = 16, KPF_HUGE = 17,
	KPF_UNEVICTABLE = 18, KPF_HWPOISON = 19, KPF_NOPAGE = 20, KPF_KSM = 21,
	KPF_THP = 22, KPF_OFFLINE = 23, KPF_ZERO_PAGE = 24, KPF_IDLE = 25,
	KPF_PGTABLE = 26,
	KPF_MLOCKED = 33,	/* a "kernel hacking" bit; used only as a hint */
};

/* Per-region tallies from kpageflags/kpagecount, in pages. */
struct kpage_counts {
	uint64_t dirty;
	uint64_t referenced;
	uint64_t active;
	uint64_t ksm;
	uint64_t thp;
	uint64_t unevictable;
	uint64_t idle;
	uint64_t shared;	/* mapped more than once (kpagecount > 1) */
	uint64_t huge;		/* in a huge page: THP (the huge zero page too) or hugetlb */
};

/* Add one page's flags and map count to c. */
void kpage_count(struct kpage_counts *c, uint64_t flags, uint64_t mapcount);

/* PFNs queued before they are read, and the most words one read covers. */
enum { KPAGE_PENDING_MAX = 4096, KPAGE_WINDOW_MAX = 512 };

/* The two files, and the PFNs queued to be looked up in them: one pread of
 * each file per window of nearby PFNs, whichever regions they belong to
 * (the pages of neighbouring regions are often neighbours in RAM too). */
struct kpage {
	int flags_fd;
	int count_fd;
	uint64_t *pending_pfn;
	struct kpage_counts **pending_to;	/* the tallies each PFN goes to */
	size_t npending;
};

/* Open kpageflags and kpagecount under src, with nothing queued. Returns 0
 * or -errno (EACCES for non-root). */
int kpage_open(const struct proc_source *src, struct kpage *kp);
/* Close the files and drop what is queued, uncounted. */
void kpage_close(struct kpage *kp);

/* Queue n PFNs (any order, duplicates allowed) to be added to c, which
 * must stay valid until kpage_flush() or kpage_close(). Queued PFNs are
 * looked up when the queue is full and by kpage_flush(). Returns 0, or
 * -errno from a lookup (as kpage_flush()) or -ENOMEM. */
int kpage_add(struct kpage *kp, const uint64_t *pfns, size_t n,
	      struct kpage_counts *c);

/* Look every queued PFN up and add it to its tallies. A PFN past the end
 * of the files (offline, holes) reads as flags 0, count 0. The queue is
 * empty afterwards, also on failure (when some tallies may lack some
 * pages). Returns 0 or -errno. */
int kpage_flush(struct kpage *kp);

/* The window that starts at pfns[0]: how many of the n PFNs, in their
 * order, one read of words [*lo, *hi] covers. A window spans at most
 * KPAGE_WINDOW_MAX words and not many more words than PFNs, so ascending,
 * descending and interleaved neighbours share one, and a far PFN starts
 * the next. Returns 0 only for n == 0. */
size_t kpage_window(const uint64_t *pfns, size_t n, uint64_t *lo, uint64_t *hi);

#endif
