/* pagemap.c: pagemap entries and PAGEMAP_SCAN. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifdef HAVE_VALGRIND_MEMCHECK_H
#include <valgrind/memcheck.h>
#endif

#include "proc/pagemap.h"
#include "util/array.h"

/* UAPI of 6.7 (include/uapi/linux/fs.h); older build headers lack it. */
struct vmmap_page_region {
	uint64_t start;
	uint64_t end;
	uint64_t categories;
};

struct vmmap_pm_scan_arg {
	uint64_t size;
	uint64_t flags;
	uint64_t start;
	uint64_t end;
	uint64_t walk_end;
	uint64_t vec;
	uint64_t vec_len;
	uint64_t max_pages;
	uint64_t category_inverted;
	uint64_t category_mask;
	uint64_t category_anyof_mask;
	uint64_t return_mask;
};

#define VMMAP_PAGEMAP_SCAN _IOWR('f', 16, struct vmmap_pm_scan_arg)

void pagemap_decode(uint64_t e, struct pagemap_page *out)
{
	out->present = e & PM_PRESENT;
	out->guard = e & PM_GUARD_REGION;
	out->swapped = !out->present && (e & PM_SWAP) && !out->guard;
	out->file = e & PM_FILE;
	out->exclusive = e & PM_MMAP_EXCLUSIVE;
	out->soft_dirty = e & PM_SOFT_DIRTY;
	out->pfn = out->present ? (e & PM_PFN_MASK) : 0;
}

const char *page_state_name(enum page_state s)
{
	switch (s) {
	case PAGE_PRESENT: return "present";
	case PAGE_SWAPPED: return "swapped";
	case PAGE_GUARD: return "guard";
	default: return "none";
	}
}

void page_scan_init(struct page_scan *ps, size_t max_runs)
{
	memset(ps, 0, sizeof(*ps));
	ps->max_runs = max_runs;
}

void page_scan_release(struct page_scan *ps)
{
	free(ps->runs);
	memset(ps, 0, sizeof(*ps));
}

int page_scan_feed_run(struct page_scan *ps, uint64_t start, uint64_t end,
		       enum page_state state)
{
	struct page_run *last = ps->nruns ? &ps->runs[ps->nruns - 1] : NULL;

	if (end <= start)
		return 0;
	if (last && last->end == start && last->state == state) {
		last->end = end;
		return 0;
	}
	if (ps->nruns == ps->max_runs) {
		ps->runs_truncated = true;
		return 0;
	}
	if (ARRAY_GROW_MAX(&ps->runs, &ps->cap, ps->nruns + 1, 16, ps->max_runs))
		return -ENOMEM;
	ps->runs[ps->nruns++] = (struct page_run){ start, end, state };
	return 0;
}

int page_scan_feed_entries(struct page_scan *ps, uint64_t start, uint64_t page_size,
			   const uint64_t *entries, size_t npages)
{
	size_t i;
	int rc;

	for (i = 0; i < npages; i++) {
		struct pagemap_page p;
		enum page_state st;

		pagemap_decode(entries[i], &p);
		if (p.present) {
			st = PAGE_PRESENT;
			ps->counts.present++;
			if (p.file)
				ps->counts.file++;
			else
				ps->counts.anon++;
			if (p.exclusive)
				ps->counts.exclusive++;
			if (p.pfn)
				ps->pfn_visible = true;
		} else if (p.guard) {
			st = PAGE_GUARD;
			ps->counts.guard++;
		} else if (p.swapped) {
			st = PAGE_SWAPPED;
			ps->counts.swapped++;
		} else {
			st = PAGE_NONE;
		}
		if (p.soft_dirty)
			ps->counts.soft_dirty++;
		rc = page_scan_feed_run(ps, start + i * page_size,
					start + (i + 1) * page_size, st);
		if (rc)
			return rc;
	}
	return 0;
}

int page_scan_feed_region(struct page_scan *ps, uint64_t start, uint64_t end,
			  uint64_t c, uint64_t page_size)
{
	uint64_t pages = (end - start) / page_size;
	enum page_state st = PAGE_NONE;

	if (c & PAGE_IS_PRESENT) {
		st = PAGE_PRESENT;
		ps->counts.present += pages;
		if (c & PAGE_IS_FILE)
			ps->counts.file += pages;
		else
			ps->counts.anon += pages;
		if (c & PAGE_IS_PFNZERO)
			ps->counts.zero += pages;
	} else if (c & PAGE_IS_GUARD) {
		st = PAGE_GUARD;
		ps->counts.guard += pages;
	} else if (c & PAGE_IS_SWAPPED) {
		st = PAGE_SWAPPED;
		ps->counts.swapped += pages;
	}
	if (c & PAGE_IS_HUGE)
		ps->counts.huge += pages;
	if (c & PAGE_IS_SOFT_DIRTY)
		ps->counts.soft_dirty += pages;
	return page_scan_feed_run(ps, start, end, st);
}

static int scan_ioctl(int fd, uint64_t start, uint64_t end, uint64_t anyof,
		      uint64_t ret, struct vmmap_page_region *vec, size_t n,
		      uint64_t *walk_end)
{
	struct vmmap_pm_scan_arg a = {
		.size = sizeof(a), .start = start, .end = end,
		.vec = (uintptr_t)vec, .vec_len = n,
		.category_anyof_mask = anyof, .return_mask = ret,
	};
	long r = ioctl(fd, VMMAP_PAGEMAP_SCAN, &a);

	if (r < 0)
		return -errno;
#ifdef HAVE_VALGRIND_MEMCHECK_H
	/* valgrind does not know this ioctl: the kernel wrote the first r
	 * entries of vec (a no-op outside valgrind) */
	if (r > 0 && (size_t)r <= n)
		VALGRIND_MAKE_MEM_DEFINED(vec, (size_t)r * sizeof(*vec));
#endif
	*walk_end = a.walk_end;
	return (int)r;
}

int pagemap_open(const struct proc_handle *h, uint64_t page_size, struct pagemap *pm)
{
	struct vmmap_page_region r;
	uint64_t walk_end;
	int rc;

	pm->page_size = page_size;
	pm->method = PAGEMAP_PREAD;
	pm->win = pm->pfns = NULL;
	pm->win_start = pm->win_end = 0;
	pm->fd = proc_openat(h, "pagemap");
	if (pm->fd < 0)
		return pm->fd;
	/* an empty range is enough to learn what the ioctl accepts */
	rc = scan_ioctl(pm->fd, 0, 0, PAGE_IS_PRESENT, PAGE_IS_PRESENT | PAGE_IS_GUARD,
			&r, 1, &walk_end);
	if (rc >= 0) {
		pm->method = PAGEMAP_SCAN_IOCTL_GUARD;
	} else if (rc == -EINVAL) {
		rc = scan_ioctl(pm->fd, 0, 0, PAGE_IS_PRESENT, PAGE_IS_PRESENT,
				&r, 1, &walk_end);
		if (rc >= 0)
			pm->method = PAGEMAP_SCAN_IOCTL;
	}
	return 0;
}

void pagemap_close(struct pagemap *pm)
{
	if (pm->fd >= 0)
		close(pm->fd);
	pm->fd = -1;
	free(pm->win);
	free(pm->pfns);
	pm->win = pm->pfns = NULL;
	pm->win_start = pm->win_end = 0;
}

static int scan_with_ioctl(struct pagemap *pm, uint64_t start, uint64_t end,
			   struct page_scan *ps)
{
	enum { VEC = 512 };
	const uint64_t want = PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_FILE |
			      PAGE_IS_PFNZERO | PAGE_IS_HUGE | PAGE_IS_SOFT_DIRTY |
			      (pm->method == PAGEMAP_SCAN_IOCTL_GUARD ? PAGE_IS_GUARD : 0);
	struct vmmap_page_region *vec = malloc(VEC * sizeof(*vec));
	uint64_t cur = start;
	int rc = 0;

	if (!vec)
		return -ENOMEM;
	ps->counts.zero_known = ps->counts.huge_known = true;
	ps->counts.exclusive_known = false;
	while (cur < end) {
		uint64_t walk_end = cur, pages = (end - cur) / pm->page_size;
		/* No more runs than pages: asking for fewer keeps the kernel's
		 * copy of the vector (one per call) a small allocation, which
		 * for the many small regions of a large process is most of the
		 * call's cost. */
		size_t len = pages && pages < VEC ? (size_t)pages : VEC;
		int n = scan_ioctl(pm->fd, cur, end,
				   PAGE_IS_PRESENT | PAGE_IS_SWAPPED |
				   (pm->method == PAGEMAP_SCAN_IOCTL_GUARD ? PAGE_IS_GUARD : 0),
				   want, vec, len, &walk_end);
		int i;

		if (n < 0) {
			rc = n;
			break;
		}
		for (i = 0; i < n && !rc; i++) {
			/* untouched pages between reported regions */
			rc = page_scan_feed_run(ps, cur, vec[i].start, PAGE_NONE);
			if (!rc)
				rc = page_scan_feed_region(ps, vec[i].start, vec[i].end,
							   vec[i].categories, pm->page_size);
			cur = vec[i].end;
		}
		if (rc)
			break;
		if (walk_end <= cur && n == 0)
			walk_end = end;	/* no progress and nothing found: done */
		if (walk_end > cur) {
			rc = page_scan_feed_run(ps, cur, walk_end, PAGE_NONE);
			cur = walk_end;
		}
		if (rc)
			break;
	}
	free(vec);
	return rc;
}

static int scan_with_pread(struct pagemap *pm, uint64_t start, uint64_t end,
			   uint64_t ahead, struct page_scan *ps,
			   int (*pfn_cb)(void *ctx, const uint64_t *pfns, size_t n),
			   void *ctx)
{
	uint64_t cur = start;
	int rc = 0;

	if (!pm->win) {
		pm->win = malloc(PAGEMAP_WINDOW_PAGES * sizeof(*pm->win));
		pm->pfns = malloc(PAGEMAP_WINDOW_PAGES * sizeof(*pm->pfns));
		if (!pm->win || !pm->pfns)
			return -ENOMEM;
	}
	ps->counts.exclusive_known = true;
	while (cur < end && !rc) {
		const uint64_t *e;
		size_t got, i, k = 0;

		if (cur < pm->win_start || cur >= pm->win_end) {
			/* one read for this range and the ones after it, up
			 * to ahead: one pread instead of one per region */
			uint64_t pages = ((ahead > end ? ahead : end) - cur) / pm->page_size;
			size_t want = pages < PAGEMAP_WINDOW_PAGES ? (size_t)pages : PAGEMAP_WINDOW_PAGES;
			ssize_t n;

			if (!want)
				break;
			n = pread(pm->fd, pm->win, want * sizeof(*pm->win),
				  (off_t)(cur / pm->page_size * sizeof(*pm->win)));
			if (n < 0) {
				if (errno == EINTR)
					continue;
				rc = -errno;
				break;
			}
			pm->win_start = cur;
			pm->win_end = cur + (uint64_t)n / sizeof(*pm->win) * pm->page_size;
			if (pm->win_end == cur)
				break;	/* the mm is gone, or past the task size */
		}
		e = pm->win + (cur - pm->win_start) / pm->page_size;
		got = (size_t)(((end < pm->win_end ? end : pm->win_end) - cur) / pm->page_size);
		rc = page_scan_feed_entries(ps, cur, pm->page_size, e, got);
		if (!rc && pfn_cb) {
			for (i = 0; i < got; i++)
				if ((e[i] & PM_PRESENT) && (e[i] & PM_PFN_MASK))
					pm->pfns[k++] = e[i] & PM_PFN_MASK;
			if (k)
				rc = pfn_cb(ctx, pm->pfns, k);
		}
		cur += (uint64_t)got * pm->page_size;
	}
	return rc;
}

int pagemap_scan_range(struct pagemap *pm, uint64_t start, uint64_t end,
		       uint64_t ahead, struct page_scan *ps)
{
	if (pm->method != PAGEMAP_PREAD)
		return scan_with_ioctl(pm, start, end, ps);
	return scan_with_pread(pm, start, end, ahead, ps, NULL, NULL);
}

int pagemap_scan_range_pfns(struct pagemap *pm, uint64_t start, uint64_t end,
			    uint64_t ahead, struct page_scan *ps,
			    int (*pfn_cb)(void *ctx, const uint64_t *pfns, size_t n),
			    void *ctx)
{
	return scan_with_pread(pm, start, end, ahead, ps, pfn_cb, ctx);
}
