/* check_summary.c: selecting, sorting and summing regions
 * (src/model/summary.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/classify.h"
#include "load/load.h"
#include "model/analyse.h"
#include "model/snapshot.h"
#include "model/summary.h"
#include "unit_util.h"

#define K 1024ULL

static struct snapshot snap;

/* index:   0 A file     8K   rss 8K
 *          1 B [heap] 128K   rss 64K
 *          2 C anon     4K   rss 4K
 *          3 D anon    64K   rss unknown (no Rss line)
 *          4 F anon    64K   rss 64K
 *          5 E [stack] 132K  rss 12K */
static void counters(struct smaps_counters *c, uint64_t rss, uint64_t pss,
		     uint64_t sc, uint64_t sd, uint64_t pc, uint64_t pd,
		     uint64_t swap, uint64_t swappss)
{
	memset(c, 0, sizeof(*c));
	if (rss != UINT64_MAX)
		util_set_counter(c, SMAPS_RSS, rss);
	util_set_counter(c, SMAPS_PSS, pss);
	util_set_counter(c, SMAPS_SHARED_CLEAN, sc);
	util_set_counter(c, SMAPS_SHARED_DIRTY, sd);
	util_set_counter(c, SMAPS_PRIVATE_CLEAN, pc);
	util_set_counter(c, SMAPS_PRIVATE_DIRTY, pd);
	util_set_counter(c, SMAPS_SWAP, swap);
	util_set_counter(c, SMAPS_SWAP_PSS, swappss);
}

static void setup(void)
{
	static const struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};
	struct smaps_counters c;

	ck_assert_int_eq(snapshot_init(&snap, 42), 0);
	counters(&c, 8 * K, 4 * K, 8 * K, 0, 0, 0, 0, 0);
	util_add_region(&snap, "10000-12000 r--p 00000000 fe:00 77 /data/a", NULL, &c);
	counters(&c, 64 * K, 64 * K, 0, 8 * K, 0, 56 * K, 4 * K, 2 * K);
	util_add_region(&snap, "20000-40000 rw-p 00000000 00:00 0 [heap]", NULL, &c);
	counters(&c, 4 * K, 4 * K, 0, 0, 0, 4 * K, 0, 0);
	util_add_region(&snap, "50000-51000 rw-p 00000000 00:00 0 ", NULL, &c);
	counters(&c, UINT64_MAX, 16 * K, 0, 0, 4 * K, 12 * K, 8 * K, 8 * K);
	util_add_region(&snap, "60000-70000 rw-p 00000000 00:00 0 ", NULL, &c);
	counters(&c, 64 * K, 32 * K, 0, 0, 16 * K, 16 * K, 0, 0);
	util_add_region(&snap, "80000-90000 rw-p 00000000 00:00 0 ", NULL, &c);
	counters(&c, 12 * K, 12 * K, 0, 0, 0, 12 * K, 0, 0);
	util_add_region(&snap, "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]",
			NULL, &c);
	ck_assert_int_eq(snapshot_analyse(&snap, &ev), 0);
	ck_assert_int_eq(snap.regions[0].kind, KIND_FILE);
	ck_assert_int_eq(snap.regions[1].kind, KIND_HEAP);
	ck_assert_int_eq(snap.regions[2].kind, KIND_ANON);
	ck_assert_int_eq(snap.regions[3].kind, KIND_ANON);
	ck_assert_int_eq(snap.regions[4].kind, KIND_ANON);
	ck_assert_int_eq(snap.regions[5].kind, KIND_STACK);
}

static void teardown(void)
{
	snapshot_release(&snap);
}

static void assert_order(const struct selection *sel, const uint32_t *want, size_t n)
{
	size_t i;

	ck_assert_uint_eq(sel->n, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(sel->idx[i] == want[i], "position %zu: region %u, want %u",
			      i, sel->idx[i], want[i]);
}

START_TEST(test_all_by_address)
{
	struct region_filter f = { 0 };
	struct selection sel;
	static const uint32_t want[] = { 0, 1, 2, 3, 4, 5 };

	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	assert_order(&sel, want, 6);
	selection_release(&sel);
	ck_assert_ptr_null(sel.idx);

	ck_assert_int_eq(selection_build(&sel, &snap, &f, F_START), 0);
	assert_order(&sel, want, 6);
	selection_release(&sel);
}
END_TEST

START_TEST(test_kind_filter)
{
	struct region_filter f = { .kinds = 1u << KIND_ANON };
	struct selection sel;
	static const uint32_t anon[] = { 2, 3, 4 };
	static const uint32_t heap_stack[] = { 1, 5 };

	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	assert_order(&sel, anon, 3);
	selection_release(&sel);

	f.kinds = (1u << KIND_HEAP) | (1u << KIND_STACK);
	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	assert_order(&sel, heap_stack, 2);
	selection_release(&sel);

	f.kinds = 1u << KIND_VDSO;
	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	ck_assert_uint_eq(sel.n, 0);
	selection_release(&sel);
}
END_TEST

START_TEST(test_range_filter)
{
	struct region_filter f = { .has_range = true,
				   .range_start = 0x50000, .range_end = 0x60000 };
	struct selection sel;
	static const uint32_t inside[] = { 2, 3 };	/* the end is inclusive */
	static const uint32_t touching[] = { 2 };	/* B ends at 0x40000 */
	static const uint32_t one_byte[] = { 1 };

	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	assert_order(&sel, inside, 2);
	selection_release(&sel);

	f.range_start = 0x40000;
	f.range_end = 0x50000;
	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	assert_order(&sel, touching, 1);
	selection_release(&sel);

	f.range_start = 0x3ffff;
	f.range_end = 0x3ffff;
	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	assert_order(&sel, one_byte, 1);
	selection_release(&sel);

	/* range and kind together */
	f.range_start = 0;
	f.range_end = 0x7fffffffffffULL;
	f.kinds = 1u << KIND_STACK;
	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	ck_assert_uint_eq(sel.n, 1);
	ck_assert_uint_eq(sel.idx[0], 5);
	selection_release(&sel);

	/* a range between regions */
	f.kinds = 0;
	f.range_start = 0x71000;
	f.range_end = 0x7ffff;
	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	ck_assert_uint_eq(sel.n, 0);
	selection_release(&sel);
}
END_TEST

START_TEST(test_sort_rss)
{
	struct region_filter f = { 0 };
	struct selection sel;
	/* largest first; B and F tie at 64K and keep address order; D's Rss
	 * is unknown and goes last */
	static const uint32_t want[] = { 1, 4, 5, 0, 2, 3 };

	ck_assert_int_eq(selection_build(&sel, &snap, &f, F_RSS), 0);
	assert_order(&sel, want, 6);
	selection_release(&sel);
}
END_TEST

START_TEST(test_sort_rss_filtered)
{
	struct region_filter f = { .kinds = 1u << KIND_ANON };
	struct selection sel;
	static const uint32_t want[] = { 4, 2, 3 };

	ck_assert_int_eq(selection_build(&sel, &snap, &f, F_RSS), 0);
	assert_order(&sel, want, 3);
	selection_release(&sel);
}
END_TEST

START_TEST(test_sort_size_and_swap)
{
	struct region_filter f = { 0 };
	struct selection sel;
	static const uint32_t by_size[] = { 5, 1, 3, 4, 0, 2 };
	static const uint32_t by_swap[] = { 3, 1, 0, 2, 4, 5 };

	ck_assert_int_eq(selection_build(&sel, &snap, &f, F_SIZE), 0);
	assert_order(&sel, by_size, 6);
	selection_release(&sel);
	ck_assert_int_eq(selection_build(&sel, &snap, &f, F_SWAP), 0);
	assert_order(&sel, by_swap, 6);
	selection_release(&sel);
}
END_TEST

START_TEST(test_sort_text)
{
	struct region_filter f = { 0 };
	struct selection sel;
	/* ascending; regions without a path go last, in address order */
	static const uint32_t by_path[] = { 0, 1, 5, 2, 3, 4 };
	/* "anon" < "file" < "heap" < "stack" */
	static const uint32_t by_kind[] = { 2, 3, 4, 0, 1, 5 };

	ck_assert_int_eq(selection_build(&sel, &snap, &f, F_PATH), 0);
	assert_order(&sel, by_path, 6);
	selection_release(&sel);
	ck_assert_int_eq(selection_build(&sel, &snap, &f, F_KIND), 0);
	assert_order(&sel, by_kind, 6);
	selection_release(&sel);
}
END_TEST

START_TEST(test_summary_totals)
{
	struct region_filter f = { 0 };
	struct selection sel;
	struct summary sum;
	const struct kind_summary *t = &sum.totals, *anon, *heap;

	ck_assert_int_eq(selection_build(&sel, &snap, &f, F_RSS), 0);
	summary_compute(&sum, &snap, &sel);

	ck_assert_uint_eq(t->regions, 6);
	ck_assert(t->s[SUM_SIZE].known);
	ck_assert_uint_eq(t->s[SUM_SIZE].v, (8 + 128 + 4 + 64 + 64 + 132) * K);
	/* D has no Rss: the total Rss is unknown, not a smaller number */
	ck_assert(!t->s[SUM_RSS].known);
	ck_assert(t->s[SUM_PSS].known);
	ck_assert_uint_eq(t->s[SUM_PSS].v, (4 + 64 + 4 + 16 + 32 + 12) * K);
	ck_assert(t->s[SUM_USS].known);
	ck_assert_uint_eq(t->s[SUM_USS].v, (0 + 56 + 4 + 16 + 32 + 12) * K);
	ck_assert_uint_eq(t->s[SUM_PRIVATE_DIRTY].v, (56 + 4 + 12 + 16 + 12) * K);
	ck_assert_uint_eq(t->s[SUM_DIRTY].v, (64 + 4 + 12 + 16 + 12) * K);
	ck_assert_uint_eq(t->s[SUM_SWAP].v, 12 * K);
	ck_assert_uint_eq(t->s[SUM_SWAP_PSS].v, 10 * K);

	anon = &sum.kinds[KIND_ANON];
	ck_assert_uint_eq(anon->regions, 3);
	ck_assert(!anon->s[SUM_RSS].known);
	ck_assert_uint_eq(anon->s[SUM_SIZE].v, (4 + 64 + 64) * K);
	ck_assert_uint_eq(anon->s[SUM_PSS].v, (4 + 16 + 32) * K);

	heap = &sum.kinds[KIND_HEAP];
	ck_assert_uint_eq(heap->regions, 1);
	ck_assert(heap->s[SUM_RSS].known);
	ck_assert_uint_eq(heap->s[SUM_RSS].v, 64 * K);
	ck_assert_uint_eq(heap->s[SUM_DIRTY].v, 64 * K);
	ck_assert_uint_eq(sum.kinds[KIND_FILE].s[SUM_RSS].v, 8 * K);
	ck_assert_uint_eq(sum.kinds[KIND_STACK].s[SUM_RSS].v, 12 * K);

	/* kinds with no regions: zero, and known */
	ck_assert_uint_eq(sum.kinds[KIND_VDSO].regions, 0);
	ck_assert(sum.kinds[KIND_VDSO].s[SUM_RSS].known);
	ck_assert_uint_eq(sum.kinds[KIND_VDSO].s[SUM_RSS].v, 0);
	selection_release(&sel);
}
END_TEST

START_TEST(test_summary_of_selection)
{
	struct region_filter f = { .kinds = (1u << KIND_HEAP) | (1u << KIND_FILE) };
	struct selection sel;
	struct summary sum;

	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	summary_compute(&sum, &snap, &sel);
	ck_assert_uint_eq(sum.totals.regions, 2);
	ck_assert(sum.totals.s[SUM_RSS].known);
	ck_assert_uint_eq(sum.totals.s[SUM_RSS].v, 72 * K);
	ck_assert_uint_eq(sum.kinds[KIND_ANON].regions, 0);
	selection_release(&sel);
}
END_TEST

/* A region without any counters (maps only) leaves every counter sum
 * unknown, but the size is always known. */
START_TEST(test_summary_no_counters)
{
	struct region_filter f = { 0 };
	struct selection sel;
	struct summary sum;
	int i;

	util_add_region(&snap, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 "
			"[vsyscall]", NULL, NULL);
	ck_assert_int_eq(snapshot_classify(&snap), 0);
	ck_assert_int_eq(selection_build(&sel, &snap, &f, -1), 0);
	summary_compute(&sum, &snap, &sel);
	ck_assert(sum.totals.s[SUM_SIZE].known);
	for (i = SUM_SIZE + 1; i < SUM_NFIELDS; i++)
		ck_assert_msg(!sum.totals.s[i].known, "sum %d known", i);
	ck_assert_uint_eq(sum.kinds[KIND_VSYSCALL].regions, 1);
	selection_release(&sel);
}
END_TEST

START_TEST(test_sum_fields)
{
	ck_assert_int_eq(sum_field_region_field(SUM_SIZE), F_SIZE);
	ck_assert_int_eq(sum_field_region_field(SUM_RSS), F_RSS);
	ck_assert_int_eq(sum_field_region_field(SUM_PSS), F_PSS);
	ck_assert_int_eq(sum_field_region_field(SUM_USS), F_USS);
	ck_assert_int_eq(sum_field_region_field(SUM_PRIVATE_DIRTY), F_PRIVATE_DIRTY);
	ck_assert_int_eq(sum_field_region_field(SUM_DIRTY), F_DIRTY);
	ck_assert_int_eq(sum_field_region_field(SUM_SWAP), F_SWAP);
	ck_assert_int_eq(sum_field_region_field(SUM_SWAP_PSS), F_SWAPPSS);
}
END_TEST

START_TEST(test_empty_snapshot)
{
	struct snapshot s;
	struct region_filter f = { 0 };
	struct selection sel;
	struct summary sum;

	ck_assert_int_eq(snapshot_init(&s, 1), 0);
	ck_assert_int_eq(selection_build(&sel, &s, &f, F_RSS), 0);
	ck_assert_uint_eq(sel.n, 0);
	summary_compute(&sum, &s, &sel);
	ck_assert_uint_eq(sum.totals.regions, 0);
	ck_assert(sum.totals.s[SUM_RSS].known);
	ck_assert_uint_eq(sum.totals.s[SUM_RSS].v, 0);
	selection_release(&sel);
	snapshot_release(&s);
}
END_TEST

/* The sleep capture: the per-kind sums add up to the totals, and the total
 * Rss is the rollup's. */
START_TEST(test_fixture_sums)
{
	char *root = util_fixture_dir("sleep");
	struct source src;
	struct load_error err;
	struct snapshot s;
	struct region_filter f = { 0 };
	struct selection sel;
	struct summary sum;
	struct smaps_counters rollup;
	size_t len;
	char *text = util_fixture_read("sleep", "smaps_rollup", &len);
	int k, i;

	ck_assert_int_eq(smaps_rollup_parse(text, len, &rollup), 0);
	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_int_eq(snapshot_load(&src, util_fixture_pid("sleep"), NULL, &s, &err), 0);
	ck_assert_int_eq(selection_build(&sel, &s, &f, -1), 0);
	ck_assert_uint_eq(sel.n, s.nregions);
	summary_compute(&sum, &s, &sel);
	for (i = 0; i < SUM_NFIELDS; i++) {
		uint64_t v = 0, n = 0;

		ck_assert(sum.totals.s[i].known);
		for (k = 0; k < KIND_COUNT; k++) {
			v += sum.kinds[k].s[i].v;
			n += sum.kinds[k].regions;
		}
		ck_assert_uint_eq(v, sum.totals.s[i].v);
		ck_assert_uint_eq(n, s.nregions);
	}
	ck_assert_uint_eq(sum.totals.s[SUM_RSS].v, rollup.v[SMAPS_RSS]);
	ck_assert_uint_eq(sum.totals.s[SUM_PRIVATE_DIRTY].v, rollup.v[SMAPS_PRIVATE_DIRTY]);
	selection_release(&sel);
	snapshot_release(&s);
	source_close(&src);
	free(text);
	free(root);
}
END_TEST

START_TEST(test_sum_add)
{
	struct sum a;

	sum_init(&a);
	ck_assert(a.known && !a.overflow && a.v == 0);
	sum_add(&a, true, 1ULL << 63);
	sum_add(&a, true, (1ULL << 63) - 1);
	/* the largest sum is known */
	ck_assert(a.known && !a.overflow);
	ck_assert_uint_eq(a.v, UINT64_MAX);
	/* one more wraps to 0: unknown instead, and said why */
	sum_add(&a, true, 1);
	ck_assert(!a.known && a.overflow);
	sum_add(&a, true, 4096);
	ck_assert(!a.known && a.overflow);

	/* an unknown term: unknown, not an overflow... */
	sum_init(&a);
	sum_add(&a, false, 0);
	sum_add(&a, true, 1ULL << 63);
	ck_assert(!a.known && !a.overflow);
	/* ...until the known terms overflow by themselves */
	sum_add(&a, true, 1ULL << 63);
	ck_assert(!a.known && a.overflow);
}
END_TEST

static bool has_warning(const struct snapshot *s, const char *text)
{
	size_t i;

	for (i = 0; i < s->nwarnings; i++)
		if (strcmp(s->warnings[i], text) == 0)
			return true;
	return false;
}

/* Rss 2^53 kB (2^63 bytes) twice: the total, and the sum of their kind,
 * would wrap to a small number; they are unknown instead, with a warning.
 * One region's USS (private clean + private dirty) overflows by itself. */
START_TEST(test_summary_overflow)
{
	static const struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};
	const uint64_t big = 1ULL << 63;
	struct region_filter f = { 0 }, heap_only = { .kinds = 1u << KIND_HEAP };
	struct smaps_counters c;
	struct selection sel;
	struct summary sum;
	struct snapshot s;
	uint64_t v;
	size_t r;

	ck_assert_int_eq(snapshot_init(&s, 42), 0);
	counters(&c, 8 * K, 8 * K, 0, 0, 0, 8 * K, 0, 0);
	util_add_region(&s, "20000-40000 rw-p 00000000 00:00 0 [heap]", NULL, &c);
	counters(&c, big, 4 * K, 0, 0, 0, 4 * K, 0, 0);
	util_add_region(&s, "50000-51000 rw-p 00000000 00:00 0 ", NULL, &c);
	counters(&c, big, 4 * K, 0, 0, big, big, 0, 0);
	r = util_add_region(&s, "60000-61000 rw-p 00000000 00:00 0 ", NULL, &c);
	ck_assert_int_eq(snapshot_analyse(&s, &ev), 0);
	ck_assert_int_eq(s.regions[1].kind, KIND_ANON);
	ck_assert_int_eq(s.regions[2].kind, KIND_ANON);

	ck_assert_int_eq(selection_build(&sel, &s, &f, -1), 0);
	summary_compute(&sum, &s, &sel);
	ck_assert(!sum.totals.s[SUM_RSS].known);
	ck_assert(sum.totals.s[SUM_RSS].overflow);
	ck_assert(!sum.kinds[KIND_ANON].s[SUM_RSS].known);
	ck_assert(sum.kinds[KIND_ANON].s[SUM_RSS].overflow);
	ck_assert(sum.kinds[KIND_HEAP].s[SUM_RSS].known);
	ck_assert_uint_eq(sum.kinds[KIND_HEAP].s[SUM_RSS].v, 8 * K);
	/* what does fit is still summed */
	ck_assert(sum.totals.s[SUM_PSS].known);
	ck_assert_uint_eq(sum.totals.s[SUM_PSS].v, 16 * K);
	ck_assert(sum.totals.s[SUM_SIZE].known);
	/* the third region's USS cannot be told: unknown, and so its sums */
	ck_assert(!region_field_number(&s, &s.regions[r], F_USS, &v));
	ck_assert(region_field_overflows(&s.regions[r], F_USS));
	ck_assert(!region_field_overflows(&s.regions[r], F_DIRTY));
	ck_assert(!region_field_overflows(&s.regions[r], F_RSS));
	ck_assert(!sum.totals.s[SUM_USS].known);
	/* the private dirty sum is 2^63 + 12K: it fits */
	ck_assert(sum.totals.s[SUM_PRIVATE_DIRTY].known);
	ck_assert_uint_eq(sum.totals.s[SUM_PRIVATE_DIRTY].v, big + 12 * K);
	selection_release(&sel);

	/* a selection whose sums fit is known */
	ck_assert_int_eq(selection_build(&sel, &s, &heap_only, -1), 0);
	summary_compute(&sum, &s, &sel);
	ck_assert(sum.totals.s[SUM_RSS].known);
	ck_assert_uint_eq(sum.totals.s[SUM_RSS].v, 8 * K);
	selection_release(&sel);

	ck_assert_uint_eq(summary_overflows(&s), (1u << SUM_RSS) | (1u << SUM_USS));
	ck_assert(has_warning(&s, "RSS summed over the regions overflows 64 bits: shown as unknown"));
	ck_assert(has_warning(&s, "USS summed over the regions overflows 64 bits: shown as unknown"));
	ck_assert(!has_warning(&s, "PSS summed over the regions overflows 64 bits: shown as unknown"));
	snapshot_release(&s);
}
END_TEST

/* The hostile capture with Rss 2^53 kB twice, loaded: the executable's
 * image sums its code and data regions, the anon kind its two regions, and
 * neither wraps. */
START_TEST(test_fixture_overflow)
{
	char *root = util_fixture_dir("hostile/rss-2e53-twice");
	struct source src;
	struct load_error err;
	struct snapshot s;
	struct region_filter f = { 0 };
	struct selection sel;
	struct summary sum;
	size_t i;

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_int_eq(snapshot_load(&src, util_fixture_pid("hostile/rss-2e53-twice"), NULL, &s, &err), 0);
	ck_assert_int_eq(selection_build(&sel, &s, &f, -1), 0);
	summary_compute(&sum, &s, &sel);
	ck_assert(!sum.totals.s[SUM_RSS].known && sum.totals.s[SUM_RSS].overflow);
	ck_assert(!sum.kinds[KIND_ANON].s[SUM_RSS].known);
	ck_assert(sum.kinds[KIND_CODE].s[SUM_RSS].known);
	ck_assert_uint_eq(sum.kinds[KIND_CODE].s[SUM_RSS].v, 1ULL << 63);
	ck_assert(sum.kinds[KIND_HEAP].s[SUM_RSS].known);
	ck_assert(sum.totals.s[SUM_SWAP].known);
	ck_assert_uint_eq(s.nimages, 1);
	ck_assert(!s.images[0].rss.known && s.images[0].rss.overflow);
	ck_assert(has_warning(&s, "RSS summed over the regions overflows 64 bits: shown as unknown"));
	for (i = 0; i < s.nwarnings; i++)
		ck_assert_msg(strstr(s.warnings[i], "SWAP") == NULL, "%s", s.warnings[i]);
	selection_release(&sel);
	snapshot_release(&s);
	source_close(&src);
	free(root);
}
END_TEST

static Suite *summary_suite(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("selection");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_all_by_address);
	tcase_add_test(tc, test_kind_filter);
	tcase_add_test(tc, test_range_filter);
	tcase_add_test(tc, test_sort_rss);
	tcase_add_test(tc, test_sort_rss_filtered);
	tcase_add_test(tc, test_sort_size_and_swap);
	tcase_add_test(tc, test_sort_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("sums");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_summary_totals);
	tcase_add_test(tc, test_summary_of_selection);
	tcase_add_test(tc, test_summary_no_counters);
	tcase_add_test(tc, test_sum_fields);
	tcase_add_test(tc, test_sum_add);
	tcase_add_test(tc, test_summary_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("other");
	tcase_add_test(tc, test_empty_snapshot);
	tcase_add_test(tc, test_fixture_sums);
	tcase_add_test(tc, test_fixture_overflow);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(summary_suite());
}
