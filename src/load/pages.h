/* pages.h: reading page states, all at once or in a thread of their own
 * beside the pipelined read; for src/load only. */
#ifndef VMMAP_LOAD_PAGES_H
#define VMMAP_LOAD_PAGES_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load/source.h"
#include "model/snapshot.h"
#include "proc/kpage.h"
#include "proc/pagemap.h"
#include "proc/zoneinfo.h"

struct pfn_ctx {
	struct kpage *kp;	/* NULL once a lookup failed */
	struct kpage_counts *c;
	struct snapshot *snap;
	const struct zoneinfo *zones;	/* NULL when unreadable */
	int kp_err;		/* why the lookup failed */
};

/* Reading the page states of a snapshot's regions in address order: all
 * at once (read_pages()), or in a thread of its own while the pipelined
 * load prints the regions already read (page_reader_start()). */
struct page_reader {
	const struct source *src;
	const struct proc_handle *h;
	struct snapshot *snap;
	struct pagemap pm;
	struct kpage kp;
	struct zoneinfo zi;
	struct pfn_ctx pc;
	bool use_kpf;		/* PFNs are looked up in kpageflags */
	size_t next;		/* the next region to read */
	size_t kpf_done;	/* regions whose PFNs were all looked up */
	size_t ahead_next;	/* the region after the read-ahead stretch */
	uint64_t ahead;		/* where that stretch ends */
	int err;		/* why reading pagemap stopped, or 0 */
	bool pfn_hidden;	/* pagemap showed PFN 0 for present pages */

	/* the thread: it writes only the page states (snap->pages, the run
	 * blocks, phys_*), and the caller reads those of a region only
	 * once it is published */
	bool threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t progress;
	size_t published;	/* regions done; under lock, as are the rest */
	bool finished;
	bool stop;		/* the caller gave up on the load */
	int thread_rc;
};

/* Open what the page states are read from and give every region unknown
 * ones. What cannot be opened is warned about and left unknown. Returns
 * 0, -ENOMEM, or -ESRCH when the process is gone; release with
 * page_reader_end() or page_reader_close(). */
int page_reader_begin(struct page_reader *pr, const struct source *src,
		      struct snapshot *snap, const struct proc_handle *h);

/* Go on reading in a thread of its own, so that the page tables are read
 * while the caller reads smaps. */
void page_reader_start(struct page_reader *pr);

/* Wait until the regions before upto are read (or read them). Returns 0
 * or -ENOMEM. */
int page_reader_wait(struct page_reader *pr, size_t upto);

/* The huge-page count of region r's states when pagemap did not give it
 * (from kpageflags or the region's smaps counters). */
void fill_huge_pages(const struct snapshot *snap, const struct region *r,
		     struct region_pages *rp);

/* Read the rest, say what was not read, and close. Returns 0 or -ENOMEM. */
int page_reader_end(struct page_reader *pr, struct snapshot *snap);

/* Stop reading and release (a failed load). */
void page_reader_close(struct page_reader *pr);

/* Read the page states of every region through h. What cannot be read
 * stays unknown, with a warning; the caller checks afterwards that the
 * process is still the one loaded. Returns 0, -ENOMEM, or -ESRCH when the
 * process is gone. */
int pages_read_all(const struct source *src, struct snapshot *snap,
		   const struct proc_handle *h);

#endif
