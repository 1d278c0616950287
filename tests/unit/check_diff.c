/* check_diff.c: model/diff.c: matching regions of two snapshots (by start,
 * then by overlap), added and removed ones, what changed, unknown counters
 * staying unknown, and the deltas by kind and image. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/analyse.h"
#include "model/diff.h"
#include "model/snapshot.h"
#include "unit_util.h"

static struct snapshot a, b;

static void region(struct snapshot *s, const char *line, uint64_t rss)
{
	struct smaps_counters c;

	memset(&c, 0, sizeof(c));
	if (rss != UINT64_MAX) {
		util_set_counter(&c, SMAPS_RSS, rss);
		util_set_counter(&c, SMAPS_PSS, rss);
		util_set_counter(&c, SMAPS_PRIVATE_DIRTY, rss);
		util_set_counter(&c, SMAPS_SHARED_DIRTY, 0);
		util_set_counter(&c, SMAPS_SWAP, 0);
	}
	util_add_region(s, line, NULL, &c);
}

static void analyse(struct snapshot *s)
{
	static const struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};

	ck_assert_int_eq(snapshot_analyse(s, &ev), 0);
}

/* before:                          after:
 *   10000-12000 file a  8K           10000-12000 file a  8K     unchanged
 *   20000-40000 [heap]  64K          20000-60000 [heap]  100K   changed (size, rss)
 *   50000-51000 anon    4K           (gone)                     removed
 *   70000-80000 anon    16K          70000-74000 anon    4K     changed (split)
 *                                    74000-80000 anon    8K     added (the other part)
 *   90000-98000 anon    unknown      90000-98000 anon    8K     unchanged (rss unknown before)
 *                                    a0000-a1000 rw-s    4K     added */
static void setup(void)
{
	ck_assert_int_eq(snapshot_init(&a, 42), 0);
	ck_assert_int_eq(snapshot_init(&b, 42), 0);
	region(&a, "10000-12000 r--p 00000000 fe:00 77 /data/a", 8192);
	region(&a, "20000-40000 rw-p 00000000 00:00 0 [heap]", 65536);
	region(&a, "50000-51000 rw-p 00000000 00:00 0 ", 4096);
	region(&a, "70000-80000 rw-p 00000000 00:00 0 ", 16384);
	region(&a, "90000-98000 rw-p 00000000 00:00 0 ", UINT64_MAX);
	region(&b, "10000-12000 r--p 00000000 fe:00 77 /data/a", 8192);
	region(&b, "20000-60000 rw-p 00000000 00:00 0 [heap]", 102400);
	region(&b, "70000-74000 rw-p 00000000 00:00 0 ", 4096);
	region(&b, "74000-80000 rw-p 00000000 00:00 0 ", 8192);
	region(&b, "90000-98000 rw-p 00000000 00:00 0 ", 8192);
	region(&b, "a0000-a1000 rw-s 00000000 00:01 9 /dev/zero (deleted)", 4096);
	analyse(&a);
	analyse(&b);
}

static void teardown(void)
{
	snapshot_release(&a);
	snapshot_release(&b);
}

static const struct diff_pair *pair_at(const struct diff *d, long before, long after)
{
	size_t i;

	for (i = 0; i < d->npairs; i++)
		if (d->pairs[i].before == before && d->pairs[i].after == after)
			return &d->pairs[i];
	return NULL;
}

START_TEST(test_matching)
{
	struct diff d;
	const struct diff_pair *p;
	size_t i;

	ck_assert_int_eq(diff_compute(&a, &b, &d), 0);
	ck_assert_uint_eq(d.added, 2);
	ck_assert_uint_eq(d.removed, 1);
	ck_assert_uint_eq(d.changed, 2);
	ck_assert_uint_eq(d.unchanged, 2);
	ck_assert_uint_eq(d.npairs, 7);
	/* same start, same everything */
	p = pair_at(&d, 0, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->changes, 0);
	/* the heap grew */
	p = pair_at(&d, 1, 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->changes, DIFF_SIZE | DIFF_RSS | DIFF_PSS | DIFF_DIRTY);
	/* removed, added */
	ck_assert_ptr_nonnull(pair_at(&d, 2, -1));
	ck_assert_ptr_nonnull(pair_at(&d, -1, 5));
	/* split: the first part kept its start, the second is added */
	ck_assert_ptr_nonnull(pair_at(&d, 3, 2));
	ck_assert_ptr_nonnull(pair_at(&d, -1, 3));
	/* an unknown counter before is not a change */
	p = pair_at(&d, 4, 4);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->changes, 0);
	/* in address order */
	for (i = 1; i < d.npairs; i++) {
		const struct diff_pair *x = &d.pairs[i - 1], *y = &d.pairs[i];
		uint64_t sx = x->after >= 0 ? b.regions[x->after].start : a.regions[x->before].start;
		uint64_t sy = y->after >= 0 ? b.regions[y->after].start : a.regions[y->before].start;

		ck_assert_uint_le(sx, sy);
	}
	diff_release(&d);
}
END_TEST

/* A region that moved: matched by overlap, with its old start. */
START_TEST(test_moved)
{
	struct snapshot c;
	struct diff d;
	const struct diff_pair *p;

	ck_assert_int_eq(snapshot_init(&c, 42), 0);
	region(&c, "10000-12000 r--p 00000000 fe:00 77 /data/a", 8192);
	region(&c, "1f000-40000 rw-p 00000000 00:00 0 [heap]", 65536);
	analyse(&c);
	ck_assert_int_eq(diff_compute(&a, &c, &d), 0);
	p = pair_at(&d, 1, 1);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->changes & DIFF_START);
	ck_assert(p->changes & DIFF_SIZE);
	ck_assert(!(p->changes & DIFF_RSS));
	ck_assert_uint_eq(d.removed, 3);
	diff_release(&d);
	snapshot_release(&c);
}
END_TEST

START_TEST(test_deltas)
{
	struct diff d;

	ck_assert_int_eq(diff_compute(&a, &b, &d), 0);
	/* heap: 64K -> 100K resident */
	ck_assert(d.kinds[KIND_HEAP][SUM_RSS].known);
	ck_assert_int_eq(d.kinds[KIND_HEAP][SUM_RSS].v, 102400 - 65536);
	ck_assert_int_eq(d.kinds[KIND_HEAP][SUM_SIZE].v, 0x40000 - 0x20000);
	/* anon: one region's rss unknown before: the delta is unknown */
	ck_assert(!d.kinds[KIND_ANON][SUM_RSS].known);
	ck_assert(d.kinds[KIND_ANON][SUM_SIZE].known);
	ck_assert(!d.totals[SUM_RSS].known);
	ck_assert_int_eq(d.totals[SUM_SIZE].v,
			 (0x2000 + 0x40000 + 0x4000 + 0xc000 + 0x8000 + 0x1000) -
			 (0x2000 + 0x20000 + 0x1000 + 0x10000 + 0x8000));
	diff_release(&d);
}
END_TEST

/* The same snapshot twice: nothing changed. */
START_TEST(test_identity)
{
	struct diff d;

	ck_assert_int_eq(diff_compute(&b, &b, &d), 0);
	ck_assert_uint_eq(d.added + d.removed + d.changed, 0);
	ck_assert_uint_eq(d.unchanged, b.nregions);
	ck_assert(d.totals[SUM_RSS].known);
	ck_assert_int_eq(d.totals[SUM_RSS].v, 0);
	diff_release(&d);
}
END_TEST

static Suite *diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("diff");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_matching);
	tcase_add_test(tc, test_moved);
	tcase_add_test(tc, test_deltas);
	tcase_add_test(tc, test_identity);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(diff_suite());
}
