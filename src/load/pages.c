/* pages.c: the page states of a snapshot's regions (--pages): pagemap for
 * every region, and as root kpageflags and kpagecount for each present
 * page's frame, tallied per zone and per System RAM range. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/internal.h"
#include "load/pages.h"
#include "model/fields.h"
#include "proc/iomem.h"
#include "proc/smaps.h"
#include "util/array.h"

/* Most runs kept per region: a sparse 64 GiB heap touched every other page
 * must not make the JSON document gigabytes long. */
enum { MAX_RUNS_PER_REGION = 4096 };


static int lookup_pfns(void *ctx, const uint64_t *pfns, size_t n)
{
	struct pfn_ctx *pc = ctx;
	struct snapshot *s = pc->snap;
	size_t i, k;
	int rc;

	for (i = 0; i < n; i++) {
		uint64_t phys = pfns[i] * s->page_size;
		long z = pc->zones ? zoneinfo_find_pfn(pc->zones, pfns[i]) : -1;

		if (z >= 0)
			s->phys_zone_bytes[z] += s->page_size;
		for (k = 0; k < s->nphys_ram; k++)
			if (phys >= s->phys_ram_range[k][0] && phys <= s->phys_ram_range[k][1]) {
				s->phys_ram_bytes[k] += s->page_size;
				break;
			}
	}
	if (!pc->kp)
		return 0;
	rc = kpage_add(pc->kp, pfns, n, pc->c);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		pc->kp_err = rc;
		pc->kp = NULL;
	}
	return 0;
}

/* The zones and System RAM ranges resident pages are tallied into. */
static int phys_setup(const struct source *src, struct snapshot *snap,
		      struct zoneinfo *zi)
{
	struct iomem io = { 0 };
	size_t i, k = 0;

	if (zoneinfo_read(&src->proc, zi) == 0 && zi->count) {
		snap->phys_zone_names = calloc(zi->count, sizeof(*snap->phys_zone_names));
		snap->phys_zone_bytes = calloc(zi->count, sizeof(*snap->phys_zone_bytes));
		if (!snap->phys_zone_names || !snap->phys_zone_bytes)
			return -ENOMEM;
		for (i = 0; i < zi->count; i++)
			snprintf(snap->phys_zone_names[i], sizeof(snap->phys_zone_names[i]),
				 "Node %d %s", zi->zones[i].node, zi->zones[i].name);
		snap->nphys_zones = zi->count;
	}
	if (iomem_read(&src->proc, &io) == 0 && !io.addresses_hidden) {
		snap->phys_ram_range = calloc(io.count ? io.count : 1, sizeof(*snap->phys_ram_range));
		snap->phys_ram_bytes = calloc(io.count ? io.count : 1, sizeof(*snap->phys_ram_bytes));
		if (!snap->phys_ram_range || !snap->phys_ram_bytes) {
			iomem_release(&io);
			return -ENOMEM;
		}
		for (i = 0; i < io.count; i++)
			if (io.res[i].depth == 0 && strcmp(io.res[i].name, "System RAM") == 0) {
				snap->phys_ram_range[k][0] = io.res[i].start;
				snap->phys_ram_range[k][1] = io.res[i].end;
				k++;
			}
		snap->nphys_ram = k;
	}
	iomem_release(&io);
	return 0;
}

/* Whether r has pagemap entries: pagemap ends at the task size, so
 * [vsyscall] is not in it. */
static bool pageable(const struct snapshot *snap, const struct region *r)
{
	return r->name_kind != MAPS_NAME_VSYSCALL &&
	       !(snap->as.task_size_known && r->start >= snap->as.task_size);
}

static uint64_t pageable_end(const struct snapshot *snap, const struct region *r)
{
	if (snap->as.task_size_known && r->end > snap->as.task_size)
		return snap->as.task_size;
	return r->end;
}

/* Unmapped pages between two regions that one pagemap read may still
 * span: their entries are zeros the kernel writes cheaply. */
enum { READ_AHEAD_GAP_PAGES = 16 };

/* How far the pagemap read for region i may reach ahead: over the regions
 * after it that are close enough, within one read's worth of pages. Sets
 * *next to the first region after them. */
static uint64_t read_ahead_end(const struct snapshot *snap, size_t i, size_t *next)
{
	const struct region *first = &snap->regions[i];
	uint64_t limit = (uint64_t)PAGEMAP_WINDOW_PAGES * snap->page_size;
	uint64_t end = pageable_end(snap, first);
	size_t j = i + 1;

	for (; j < snap->nregions; j++) {
		const struct region *r = &snap->regions[j];

		if (!pageable(snap, r) || r->start < end ||
		    r->start - end > READ_AHEAD_GAP_PAGES * snap->page_size ||
		    pageable_end(snap, r) - first->start > limit)
			break;
		end = pageable_end(snap, r);
	}
	*next = j;
	return end;
}

/* Runs per block: a region's runs are kept together, so at least as many
 * as one region keeps. */
enum { RUN_BLOCK = 4 * MAX_RUNS_PER_REGION };

static int keep_runs(struct snapshot *snap, struct region_pages *rp,
		     const struct page_scan *ps)
{
	struct page_run *dst;

	if (!ps->nruns)
		return 0;
	if (!snap->nrun_blocks || snap->run_block_used + ps->nruns > RUN_BLOCK) {
		struct page_run **v;

		if (ARRAY_GROW(&snap->run_blocks, &snap->run_blocks_cap, snap->nrun_blocks + 1, 8))
			return -ENOMEM;
		v = snap->run_blocks;
		v[snap->nrun_blocks] = malloc(RUN_BLOCK * sizeof(**v));
		if (!v[snap->nrun_blocks])
			return -ENOMEM;
		snap->nrun_blocks++;
		snap->run_block_used = 0;
	}
	dst = snap->run_blocks[snap->nrun_blocks - 1] + snap->run_block_used;
	memcpy(dst, ps->runs, ps->nruns * sizeof(*dst));
	rp->runs = dst;
	rp->run_count = (uint32_t)ps->nruns;
	snap->run_block_used += ps->nruns;
	return 0;
}


/* Wait for the thread to return, telling it to stop first when stop. */
static void page_reader_join(struct page_reader *pr, bool stop)
{
	if (!pr->threaded)
		return;
	if (stop) {
		pthread_mutex_lock(&pr->lock);
		pr->stop = true;
		pthread_mutex_unlock(&pr->lock);
	}
	pthread_join(pr->thread, NULL);
	pthread_mutex_destroy(&pr->lock);
	pthread_cond_destroy(&pr->progress);
	pr->threaded = false;
}

void page_reader_close(struct page_reader *pr)
{
	page_reader_join(pr, true);
	kpage_close(&pr->kp);
	pagemap_close(&pr->pm);
	zoneinfo_release(&pr->zi);
}

/* Open what the page states are read from and give every region unknown
 * ones. What cannot be opened is warned about and left unknown. Returns
 * 0, -ENOMEM, or -ESRCH when the process is gone; release with
 * page_reader_end() or page_reader_close(). */
int page_reader_begin(struct page_reader *pr, const struct source *src,
			     struct snapshot *snap, const struct proc_handle *h)
{
	int rc;

	memset(pr, 0, sizeof(*pr));
	pr->src = src;
	pr->h = h;
	pr->snap = snap;
	pr->pm.fd = pr->kp.flags_fd = pr->kp.count_fd = -1;
	snap->pages = calloc(snap->nregions ? snap->nregions : 1, sizeof(*snap->pages));
	if (!snap->pages)
		return -ENOMEM;
	rc = pagemap_open(h, snap->page_size, &pr->pm);
	if (rc) {
		pr->next = pr->kpf_done = snap->nregions;	/* nothing to read */
		if (rc == -ESRCH || rc == -ENOENT)
			return -ESRCH;
		snapshot_warn(snap, "page states unknown: cannot open %s/pagemap: %s%s",
			      h->path, errno_text(rc), load_access_hint(h, rc));
		return 0;
	}
	snap->pages_method = pr->pm.method == PAGEMAP_PREAD ? "pagemap read" : "PAGEMAP_SCAN";
	rc = kpage_open(&src->proc, &pr->kp);
	pr->use_kpf = rc == 0;
	if (!pr->use_kpf) {
		snapshot_warn(snap, "physical page flags unknown: cannot open %s/kpageflags: %s (root only)",
			      src->proc.proc_path, errno_text(rc));
		return 0;
	}
	snap->pages_method = "pagemap read";	/* the only way to PFNs */
	pr->pc = (struct pfn_ctx){ &pr->kp, NULL, snap, NULL, 0 };
	rc = phys_setup(src, snap, &pr->zi);
	if (snap->nphys_zones)
		pr->pc.zones = &pr->zi;
	return rc;
}

/* Read the page states of the regions before upto, with their physical
 * tallies complete. Returns 0 or -ENOMEM; a failed read stops the reading
 * (page_reader_end() says so). */
static int page_reader_upto(struct page_reader *pr, struct snapshot *snap, size_t upto)
{
	int rc = 0;

	for (; pr->next < upto && !pr->err; pr->next++) {
		struct region *r = &snap->regions[pr->next];
		struct region_pages *rp = &snap->pages[pr->next];
		struct page_scan ps;
		uint64_t end;

		if (!pageable(snap, r))
			continue;
		end = pageable_end(snap, r);
		if (pr->next >= pr->ahead_next)
			pr->ahead = read_ahead_end(snap, pr->next, &pr->ahead_next);
		page_scan_init(&ps, MAX_RUNS_PER_REGION);
		if (pr->use_kpf) {
			pr->pc.c = &rp->kpf;
			rc = pagemap_scan_range_pfns(&pr->pm, r->start, end, pr->ahead, &ps,
						     lookup_pfns, &pr->pc);
			if (!rc && ps.counts.present && !ps.pfn_visible) {
				/* PFNs are zeroed without CAP_SYS_ADMIN */
				pr->use_kpf = false;
				pr->pfn_hidden = true;
				memset(&rp->kpf, 0, sizeof(rp->kpf));
			}
			rp->kpf_known = pr->use_kpf;
		} else {
			rc = pagemap_scan_range(&pr->pm, r->start, end, pr->ahead, &ps);
		}
		if (!rc) {
			rp->known = true;
			rp->counts = ps.counts;
			rp->runs_truncated = ps.runs_truncated;
			rc = keep_runs(snap, rp, &ps);
		}
		page_scan_release(&ps);
		if (rc == -ENOMEM)
			return rc;
		pr->err = rc;
	}
	if (pr->use_kpf && pr->pc.kp) {
		rc = kpage_flush(&pr->kp);
		if (rc) {
			pr->pc.kp_err = rc;
			pr->pc.kp = NULL;
		}
	}
	if (pr->pc.kp)
		pr->kpf_done = pr->next;
	return 0;
}

/* Regions a thread reads before it publishes them. */
enum { PAGE_STRETCH = 512 };

static void *page_thread(void *arg)
{
	struct page_reader *pr = arg;
	size_t n = pr->snap->nregions;
	bool stop = false;
	int rc = 0;

	while (!rc && !stop && pr->next < n && !pr->err) {
		size_t upto = n - pr->next > PAGE_STRETCH ? pr->next + PAGE_STRETCH : n;

		rc = page_reader_upto(pr, pr->snap, upto);
		pthread_mutex_lock(&pr->lock);
		pr->published = pr->err ? n : pr->next;
		pr->thread_rc = rc;
		stop = pr->stop;
		pthread_cond_broadcast(&pr->progress);
		pthread_mutex_unlock(&pr->lock);
	}
	pthread_mutex_lock(&pr->lock);
	pr->finished = true;
	pthread_cond_broadcast(&pr->progress);
	pthread_mutex_unlock(&pr->lock);
	return NULL;
}

/* Go on reading in a thread of its own, so that the page tables are read
 * while the caller prints and the other thread reads smaps. Without a
 * thread page_reader_wait() reads them itself. */
void page_reader_start(struct page_reader *pr)
{
	if (pthread_mutex_init(&pr->lock, NULL))
		return;
	if (pthread_cond_init(&pr->progress, NULL)) {
		pthread_mutex_destroy(&pr->lock);
		return;
	}
	if (pthread_create(&pr->thread, NULL, page_thread, pr)) {
		pthread_cond_destroy(&pr->progress);
		pthread_mutex_destroy(&pr->lock);
		return;
	}
	pr->threaded = true;
}

/* Wait until the regions before upto are read (or read them). Returns 0
 * or -ENOMEM. */
int page_reader_wait(struct page_reader *pr, size_t upto)
{
	int rc;

	if (!pr->threaded)
		return page_reader_upto(pr, pr->snap, upto);
	pthread_mutex_lock(&pr->lock);
	while (pr->published < upto && !pr->finished)
		pthread_cond_wait(&pr->progress, &pr->lock);
	rc = pr->thread_rc;
	pthread_mutex_unlock(&pr->lock);
	return rc;
}

/* How many of a region's pages are in huge pages, when PAGEMAP_SCAN did
 * not say (the pagemap read path cannot): from kpageflags when they were
 * read, else from smaps's resident THP and hugetlb sizes. Unknown only
 * when no source knows. */
void fill_huge_pages(const struct snapshot *snap, const struct region *r,
			    struct region_pages *rp)
{
	static const enum smaps_field huge_fields[] = {
		SMAPS_ANON_HUGE, SMAPS_SHMEM_PMD, SMAPS_FILE_PMD,
		SMAPS_SHARED_HUGETLB, SMAPS_PRIVATE_HUGETLB,
	};
	const struct smaps_counters *c = &r->counters;
	uint64_t bytes = 0;
	size_t k;

	if (!rp->known || rp->counts.huge_known)
		return;
	if (rp->kpf_known) {
		rp->counts.huge = rp->kpf.huge;
		rp->counts.huge_known = true;
		return;
	}
	/* FilePmdMapped is newer (5.4) than file THP's absence before it */
	if (!snap->page_size || !smaps_has(c, SMAPS_ANON_HUGE) ||
	    !smaps_has(c, SMAPS_SHMEM_PMD) || !smaps_has(c, SMAPS_SHARED_HUGETLB) ||
	    !smaps_has(c, SMAPS_PRIVATE_HUGETLB))
		return;
	for (k = 0; k < sizeof(huge_fields) / sizeof(huge_fields[0]); k++)
		if (smaps_has(c, huge_fields[k]) &&
		    __builtin_add_overflow(bytes, c->v[huge_fields[k]], &bytes))
			return;
	rp->counts.huge = bytes / snap->page_size;
	rp->counts.huge_known = true;
}

/* Read the rest, say what was not read, and close. Returns 0 or -ENOMEM. */
int page_reader_end(struct page_reader *pr, struct snapshot *snap)
{
	size_t i;
	int rc = page_reader_wait(pr, snap->nregions);

	page_reader_join(pr, false);

	/* the zones' tallies hold only if every region's PFNs were seen */
	snap->phys_known = pr->use_kpf && !pr->err && !rc;
	if (pr->pfn_hidden)
		snapshot_warn(snap, "physical page flags unknown: pagemap hides page frame numbers without CAP_SYS_ADMIN");
	if (pr->use_kpf && !pr->pc.kp) {
		/* the regions from the failed lookup on lack some pages */
		for (i = pr->kpf_done; i < snap->nregions; i++)
			snap->pages[i].kpf_known = false;
		snapshot_warn(snap, "physical page flags unknown for some regions: reading %s/kpageflags failed: %s",
			      pr->src->proc.proc_path, errno_text(pr->pc.kp_err));
	}
	if (pr->err)
		snapshot_warn(snap, "page states incomplete: reading %s/pagemap failed: %s",
			      pr->h->path, errno_text(pr->err));
	page_reader_close(pr);
	for (i = 0; i < snap->nregions; i++)
		fill_huge_pages(snap, &snap->regions[i], &snap->pages[i]);
	return rc;
}

int pages_read_all(const struct source *src, struct snapshot *snap,
		      const struct proc_handle *h)
{
	struct page_reader pr;
	int rc = page_reader_begin(&pr, src, snap, h);

	if (rc) {
		page_reader_close(&pr);
		return rc;
	}
	return page_reader_end(&pr, snap);
}
