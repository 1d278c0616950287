/* check_pagemap.c: pagemap entries, PAGEMAP_SCAN regions and residency runs
 * (src/proc/pagemap.c), from byte patterns the kernel produces (reference
 * §3.1, §3.2, §9: values seen on this kernel). */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "proc/pagemap.h"
#include "unit_util.h"

enum { PS = 4096 };

START_TEST(test_decode_present_anon_exclusive)
{
	struct pagemap_page p;

	/* root reading its own private page: present|exclusive|PFN */
	pagemap_decode(0x81000000001c47e4ULL, &p);
	ck_assert(p.present);
	ck_assert(p.exclusive);
	ck_assert(!p.file);
	ck_assert(!p.swapped);
	ck_assert(!p.guard);
	ck_assert_uint_eq(p.pfn, 0x1c47e4);
}
END_TEST

START_TEST(test_decode_hidden_pfn)
{
	struct pagemap_page p;

	/* uid 65534 reading its own page: the PFN is zeroed */
	pagemap_decode(0x8100000000000000ULL, &p);
	ck_assert(p.present);
	ck_assert_uint_eq(p.pfn, 0);
}
END_TEST

START_TEST(test_decode_vdso_file)
{
	struct pagemap_page p;

	pagemap_decode(0xa000000000002860ULL, &p);	/* present|file */
	ck_assert(p.present);
	ck_assert(p.file);
	ck_assert(!p.exclusive);
}
END_TEST

START_TEST(test_decode_guard_is_not_swap)
{
	struct pagemap_page p;

	/* a MADV_GUARD_INSTALL marker: bit 62 and bit 58, bogus type */
	pagemap_decode(0x440000000000009fULL, &p);
	ck_assert(!p.present);
	ck_assert(p.guard);
	ck_assert(!p.swapped);
	ck_assert_uint_eq(p.pfn, 0);
}
END_TEST

START_TEST(test_decode_swap_and_empty)
{
	struct pagemap_page p;

	pagemap_decode(0x4000000000000a21ULL, &p);	/* swap entry */
	ck_assert(p.swapped);
	ck_assert(!p.present);
	ck_assert_uint_eq(p.pfn, 0);		/* a swap offset is not a PFN */
	pagemap_decode(0, &p);
	ck_assert(!p.present && !p.swapped && !p.guard);
	pagemap_decode(PM_SOFT_DIRTY, &p);	/* VM_SOFTDIRTY hole */
	ck_assert(p.soft_dirty && !p.present);
}
END_TEST

/* Every third page of 12 touched, pages 4-5 guards, page 10 swapped. */
START_TEST(test_entries_counts_and_runs)
{
	uint64_t e[12] = { 0 };
	struct page_scan ps;
	int i;

	for (i = 0; i < 12; i += 3)
		e[i] = PM_PRESENT | PM_MMAP_EXCLUSIVE | (0x100 + i);
	e[4] = e[5] = 0x440000000000009fULL;
	e[10] = PM_SWAP | 0x21;
	e[9] |= PM_FILE;
	page_scan_init(&ps, 100);
	ck_assert_int_eq(page_scan_feed_entries(&ps, 0x10000, PS, e, 12), 0);
	ck_assert_uint_eq(ps.counts.present, 4);
	ck_assert_uint_eq(ps.counts.anon, 3);
	ck_assert_uint_eq(ps.counts.file, 1);
	ck_assert_uint_eq(ps.counts.exclusive, 4);
	ck_assert_uint_eq(ps.counts.guard, 2);
	ck_assert_uint_eq(ps.counts.swapped, 1);
	ck_assert(ps.pfn_visible);
	/* runs: P, NN, P, GG, P, NN, P, S, N */
	ck_assert_uint_eq(ps.nruns, 9);
	ck_assert_int_eq(ps.runs[0].state, PAGE_PRESENT);
	ck_assert_uint_eq(ps.runs[0].start, 0x10000);
	ck_assert_uint_eq(ps.runs[0].end, 0x11000);
	ck_assert_int_eq(ps.runs[1].state, PAGE_NONE);
	ck_assert_uint_eq(ps.runs[1].end - ps.runs[1].start, 2 * PS);
	ck_assert_int_eq(ps.runs[3].state, PAGE_GUARD);
	ck_assert_uint_eq(ps.runs[3].end - ps.runs[3].start, 2 * PS);
	ck_assert_int_eq(ps.runs[7].state, PAGE_SWAPPED);
	ck_assert_int_eq(ps.runs[8].state, PAGE_NONE);
	ck_assert_uint_eq(ps.runs[8].end, 0x10000 + 12 * PS);
	page_scan_release(&ps);
}
END_TEST

START_TEST(test_runs_merge_across_feeds_and_cap)
{
	uint64_t e[4] = { PM_PRESENT, PM_PRESENT, 0, PM_PRESENT };
	struct page_scan ps;

	page_scan_init(&ps, 2);
	ck_assert_int_eq(page_scan_feed_entries(&ps, 0, PS, e, 2), 0);
	ck_assert_int_eq(page_scan_feed_entries(&ps, 2 * PS, PS, e, 2), 0);
	/* 4 present pages in a row, across two feeds: one run */
	ck_assert_uint_eq(ps.nruns, 1);
	ck_assert_uint_eq(ps.runs[0].end, 4 * PS);
	ck_assert_int_eq(page_scan_feed_entries(&ps, 4 * PS, PS, e + 2, 2), 0);
	/* none, then present: the third run is over the cap of 2 */
	ck_assert_uint_eq(ps.nruns, 2);
	ck_assert(ps.runs_truncated);
	ck_assert_uint_eq(ps.counts.present, 5);	/* counts go on */
	page_scan_release(&ps);
}
END_TEST

START_TEST(test_scan_regions)
{
	struct page_scan ps;

	page_scan_init(&ps, 100);
	ck_assert_int_eq(page_scan_feed_region(&ps, 0, 2 * PS,
					       PAGE_IS_PRESENT | PAGE_IS_WRITTEN, PS), 0);
	ck_assert_int_eq(page_scan_feed_run(&ps, 2 * PS, 5 * PS, PAGE_NONE), 0);
	/* the guard range as seen live: WRITTEN|SWAPPED|GUARD = 0x112 */
	ck_assert_int_eq(page_scan_feed_region(&ps, 5 * PS, 7 * PS, 0x112, PS), 0);
	ck_assert_int_eq(page_scan_feed_region(&ps, 7 * PS, 8 * PS,
					       PAGE_IS_PRESENT | PAGE_IS_FILE |
					       PAGE_IS_PFNZERO | PAGE_IS_HUGE, PS), 0);
	ck_assert_uint_eq(ps.counts.present, 3);
	ck_assert_uint_eq(ps.counts.anon, 2);
	ck_assert_uint_eq(ps.counts.file, 1);
	ck_assert_uint_eq(ps.counts.zero, 1);
	ck_assert_uint_eq(ps.counts.huge, 1);
	ck_assert_uint_eq(ps.counts.guard, 2);
	ck_assert_uint_eq(ps.counts.swapped, 0);
	ck_assert_uint_eq(ps.nruns, 4);
	ck_assert_int_eq(ps.runs[2].state, PAGE_GUARD);
	ck_assert_str_eq(page_state_name(ps.runs[1].state), "none");
	page_scan_release(&ps);
}
END_TEST

START_TEST(test_empty_run_ignored)
{
	struct page_scan ps;

	page_scan_init(&ps, 4);
	ck_assert_int_eq(page_scan_feed_run(&ps, PS, PS, PAGE_PRESENT), 0);
	ck_assert_uint_eq(ps.nruns, 0);
	page_scan_release(&ps);
}
END_TEST

/* A pagemap file of 64 entries in a temporary directory: page i of the
 * address space is present with PFN 100 + i when i is even, and empty
 * otherwise. A plain file has no PAGEMAP_SCAN, so entries are read. */
static char pm_dir[64];

static void write_pagemap(uint64_t pfn_base)
{
	uint64_t e[64];
	char path[96];
	int fd, i;

	for (i = 0; i < 64; i++)
		e[i] = i % 2 ? 0 : PM_PRESENT | PM_MMAP_EXCLUSIVE | (pfn_base + (uint64_t)i);
	snprintf(path, sizeof(path), "%s/pagemap", pm_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, e, sizeof(e)), (ssize_t)sizeof(e));
	close(fd);
}

static void open_pagemap(struct proc_handle *h, struct pagemap *pm)
{
	snprintf(pm_dir, sizeof(pm_dir), "/tmp/vmmap-pagemap-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(pm_dir));
	write_pagemap(100);
	h->dir_fd = open(pm_dir, O_RDONLY | O_DIRECTORY);
	h->capture = false;	/* read as the kernel's pagemap is */
	ck_assert_int_ge(h->dir_fd, 0);
	ck_assert_int_eq(pagemap_open(h, PS, pm), 0);
	ck_assert_int_eq(pm->method, PAGEMAP_PREAD);
}

static void close_pagemap(struct proc_handle *h, struct pagemap *pm)
{
	char path[96];

	pagemap_close(pm);
	close(h->dir_fd);
	snprintf(path, sizeof(path), "%s/pagemap", pm_dir);
	unlink(path);
	rmdir(pm_dir);
}

struct pfn_list {
	uint64_t v[64];
	size_t n;
};

static int take_pfns(void *ctx, const uint64_t *pfns, size_t n)
{
	struct pfn_list *l = ctx;

	while (n--)
		l->v[l->n++] = *pfns++;
	return 0;
}

START_TEST(test_read_ahead_serves_the_next_ranges)
{
	struct proc_handle h = { .dir_fd = -1 };
	struct pagemap pm = { .fd = -1 };
	struct page_scan ps;
	struct pfn_list l = { .n = 0 };

	open_pagemap(&h, &pm);
	/* pages [2, 6), reading ahead to page 20 */
	page_scan_init(&ps, 16);
	ck_assert_int_eq(pagemap_scan_range_pfns(&pm, 2 * PS, 6 * PS, 20 * PS, &ps, take_pfns, &l), 0);
	ck_assert_uint_eq(ps.counts.present, 2);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_uint_eq(l.v[0], 102);
	ck_assert_uint_eq(l.v[1], 104);
	page_scan_release(&ps);

	/* the file changes; [6, 12) was read with [2, 6) and is not read again */
	write_pagemap(1000);
	page_scan_init(&ps, 16);
	ck_assert_int_eq(pagemap_scan_range_pfns(&pm, 6 * PS, 12 * PS, 20 * PS, &ps, take_pfns, &l), 0);
	ck_assert_uint_eq(ps.counts.present, 3);
	ck_assert_uint_eq(ps.counts.exclusive, 3);
	ck_assert_uint_eq(l.n, 5);
	ck_assert_uint_eq(l.v[2], 106);
	ck_assert_uint_eq(l.v[4], 110);
	page_scan_release(&ps);

	/* [18, 24) starts inside the window and ends past it: the rest is read */
	page_scan_init(&ps, 16);
	ck_assert_int_eq(pagemap_scan_range_pfns(&pm, 18 * PS, 24 * PS, 0, &ps, take_pfns, &l), 0);
	ck_assert_uint_eq(ps.counts.present, 3);
	ck_assert_uint_eq(l.n, 8);
	ck_assert_uint_eq(l.v[5], 118);
	ck_assert_uint_eq(l.v[6], 1020);
	ck_assert_uint_eq(l.v[7], 1022);
	page_scan_release(&ps);

	/* before the window: read again */
	page_scan_init(&ps, 16);
	ck_assert_int_eq(pagemap_scan_range(&pm, 0, 4 * PS, 0, &ps), 0);
	ck_assert_uint_eq(ps.counts.present, 2);
	ck_assert_uint_eq(ps.nruns, 4);
	page_scan_release(&ps);
	close_pagemap(&h, &pm);
}
END_TEST

START_TEST(test_read_ahead_stops_at_the_end_of_the_file)
{
	struct proc_handle h = { .dir_fd = -1 };
	struct pagemap pm = { .fd = -1 };
	struct page_scan ps;
	struct pfn_list l = { .n = 0 };

	open_pagemap(&h, &pm);
	/* 60..70 runs past the 64 entries there are; ahead further still */
	page_scan_init(&ps, 16);
	ck_assert_int_eq(pagemap_scan_range_pfns(&pm, 60 * PS, 70 * PS, 200 * PS, &ps, take_pfns, &l), 0);
	ck_assert_uint_eq(ps.counts.present, 2);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_uint_eq(l.v[1], 162);
	page_scan_release(&ps);
	close_pagemap(&h, &pm);
}
END_TEST

static Suite *pagemap_suite(void)
{
	Suite *s = suite_create("pagemap");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, test_decode_present_anon_exclusive);
	tcase_add_test(tc, test_decode_hidden_pfn);
	tcase_add_test(tc, test_decode_vdso_file);
	tcase_add_test(tc, test_decode_guard_is_not_swap);
	tcase_add_test(tc, test_decode_swap_and_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("scan");
	tcase_add_test(tc, test_entries_counts_and_runs);
	tcase_add_test(tc, test_runs_merge_across_feeds_and_cap);
	tcase_add_test(tc, test_scan_regions);
	tcase_add_test(tc, test_empty_run_ignored);
	suite_add_tcase(s, tc);
	tc = tcase_create("read");
	tcase_add_test(tc, test_read_ahead_serves_the_next_ranges);
	tcase_add_test(tc, test_read_ahead_stops_at_the_end_of_the_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(pagemap_suite());
}
