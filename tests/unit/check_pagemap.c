/* check_pagemap.c: pagemap entries, PAGEMAP_SCAN regions and residency runs
 * (src/proc/pagemap.c), from byte patterns the kernel produces (reference
 * §3.1, §3.2, §9: values seen on this kernel). */
#include "config.h"

#include <check.h>
#include <stdint.h>

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
	return s;
}

int main(void)
{
	return util_run_suite(pagemap_suite());
}
