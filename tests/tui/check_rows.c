/* check_rows.c: the rows of the live view's region list (src/tui/rows.c):
 * filtering by kind, the orders, ghosts among the regions, grouping with
 * the groups' totals, the cursor that follows its region, and search. No
 * curses and no process: the sampler is filled by hand. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/fields.h"
#include "load/sample.h"
#include "load/load.h"
#include "model/analyse.h"
#include "model/snapshot.h"
#include "tui/rows.h"
#include "unit_util.h"

#define K 1024ULL

static struct sampler smp;
static struct rows rs;

enum { R_PROG_CODE, R_PROG_DATA, R_HEAP, R_ANON, R_LIBZ, R_STACK, NREG };

static const uint64_t rss[NREG] = { 4 * K, 4 * K, 128 * K, 64 * K, 4 * K, 12 * K };

static void add(const char *line, uint64_t v)
{
	struct smaps_counters c = { 0 };

	util_set_counter(&c, SMAPS_RSS, v);
	util_set_counter(&c, SMAPS_PSS, v);
	util_set_counter(&c, SMAPS_PRIVATE_DIRTY, v);
	util_add_region(&smp.snap, line, NULL, &c);
}

/* regions 0..5 as the enum says; ghosts: an anonymous one between the anon
 * region and libz, and a file that was at the very top */
static void setup(void)
{
	static const struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};
	size_t i;

	memset(&smp, 0, sizeof(smp));
	memset(&rs, 0, sizeof(rs));
	ck_assert_int_eq(snapshot_init(&smp.snap, 42), 0);
	add("00400000-00401000 r-xp 00000000 fe:00 11 /usr/bin/prog", rss[0]);
	add("00600000-00601000 rw-p 00000000 fe:00 11 /usr/bin/prog", rss[1]);
	add("01000000-01021000 rw-p 00000000 00:00 0 [heap]", rss[2]);
	add("7f0000000000-7f0000010000 rw-p 00000000 00:00 0 ", rss[3]);
	add("7f0000100000-7f0000101000 r-xp 00000000 fe:00 22 /usr/lib/libz.so.1", rss[4]);
	add("7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]", rss[5]);
	ck_assert_int_eq(snapshot_analyse(&smp.snap, &ev), 0);
	ck_assert_uint_eq(smp.snap.nregions, NREG);
	ck_assert_uint_eq(smp.snap.nimages, 2);
	ck_assert_int_eq(smp.snap.regions[R_HEAP].kind, KIND_HEAP);
	ck_assert_int_eq(smp.snap.regions[R_ANON].kind, KIND_ANON);
	ck_assert_int_eq(smp.snap.regions[R_STACK].kind, KIND_STACK);
	ck_assert_uint_ne(smp.snap.regions[R_PROG_CODE].image, 0);
	ck_assert_uint_eq(smp.snap.regions[R_PROG_CODE].image,
			  smp.snap.regions[R_PROG_DATA].image);
	ck_assert_uint_ne(smp.snap.regions[R_LIBZ].image, 0);

	smp.changes = calloc(NREG, sizeof(*smp.changes));
	ck_assert_ptr_nonnull(smp.changes);
	for (i = 0; i < NREG; i++)
		smp.changes[i].known = true;
	smp.changes[R_HEAP].d_start = 100 * K;
	smp.changes[R_ANON].d_start = 8 * K;
	smp.changes[R_STACK].known = false;

	smp.ghosts = calloc(2, sizeof(*smp.ghosts));
	ck_assert_ptr_nonnull(smp.ghosts);
	smp.ghosts[0] = (struct ghost){ .start = 0x7f0000050000, .end = 0x7f0000060000,
					.kind = KIND_ANON };
	smp.ghosts[1] = (struct ghost){ .start = 0x7fffffffe000, .end = 0x7ffffffff000,
					.kind = KIND_FILE, .path = strdup("/tmp/Gone.dat") };
	ck_assert_ptr_nonnull(smp.ghosts[1].path);
	smp.nghosts = 2;
	smp.generation = 1;
}

static void teardown(void)
{
	rows_release(&rs);
	free(smp.ghosts[1].path);
	free(smp.ghosts);
	free(smp.changes);
	snapshot_release(&smp.snap);
}

/* The rows as "r<index>", "g<index>" (ghost) and "G<index>" (heading). */
static void assert_rows(const char *want)
{
	char got[256] = "";
	size_t i, o = 0;

	for (i = 0; i < rs.n; i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%c%u", i ? " " : "",
				      rs.v[i].type == ROW_REGION ? 'r' :
				      rs.v[i].type == ROW_GHOST ? 'g' : 'G', rs.v[i].idx);
	ck_assert_str_eq(got, want);
}

static int sort_index(const char *label)
{
	int i;

	for (i = 0; i < ROW_NSORTS; i++)
		if (strcmp(row_sorts[i].label, label) == 0)
			return i;
	ck_abort_msg("no sort %s", label);
	return -1;
}

START_TEST(test_sorts_table)
{
	int i;

	ck_assert_int_eq(row_sorts[0].field, SORT_ADDRESS);
	for (i = 0; i < ROW_NSORTS; i++) {
		ck_assert_ptr_nonnull(row_sorts[i].label);
		ck_assert(row_sorts[i].field == SORT_ADDRESS || row_sorts[i].field == SORT_GROWTH ||
			  (row_sorts[i].field >= 0 && row_sorts[i].field < F_COUNT));
	}
}
END_TEST

/* In address order the ghosts stand where they were; reversed, all of it
 * runs backwards. */
START_TEST(test_address_order)
{
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	assert_rows("r0 r1 r2 r3 g0 r4 r5 g1");
	ck_assert(rs.valid);
	ck_assert(!rs.stale);
	ck_assert_uint_eq(rs.generation, 1);
	ck_assert(rs.have_sel);
	ck_assert_uint_eq(rs.sel.n, NREG);
	ck_assert_uint_eq(row_start(&smp, &rs.v[4]), 0x7f0000050000);

	rs.reverse = true;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	assert_rows("g1 r5 r4 g0 r3 r2 r1 r0");
}
END_TEST

/* By a size: largest first, ties in address order, ghosts after the
 * regions; reversed, the regions run backwards and the ghosts stay last. */
START_TEST(test_sort_by_rss)
{
	rs.sort = sort_index("RSS");
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	assert_rows("r2 r3 r5 r0 r1 r4 g0 g1");
	rs.reverse = true;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	assert_rows("r4 r1 r0 r5 r3 r2 g0 g1");
}
END_TEST

/* By growth since the start: largest first, an unknown one last. */
START_TEST(test_sort_by_growth)
{
	rs.sort = sort_index("GROWTH");
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	assert_rows("r2 r3 r0 r1 r4 r5 g0 g1");
}
END_TEST

/* Only the chosen kinds, ghosts included; none chosen that exist: empty. */
START_TEST(test_kinds)
{
	rs.kinds = 1u << KIND_ANON;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	assert_rows("r3 g0");
	rs.kinds = 1u << KIND_FILE | 1u << KIND_HEAP;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	assert_rows("r2 g1");
	rs.kinds = 1u << KIND_SHM;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert_uint_eq(rs.n, 0);
	ck_assert_uint_eq(rs.cursor, 0);
}
END_TEST

/* By kind: a heading per kind, in the order its first row comes, with the
 * rows (ghosts too) under it and the sums of its live regions. */
START_TEST(test_group_by_kind)
{
	const struct row_group *g;
	size_t i;

	rs.group = GROUP_KIND;
	rs.sort = sort_index("RSS");
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	/* heap, anon (+ ghost 0), stack, then the image kinds, file (ghost 1) */
	ck_assert_uint_eq(rs.v[0].type, ROW_GROUP);
	ck_assert_str_eq(rs.groups[rs.v[0].idx].name, "heap");
	ck_assert_uint_eq(rs.v[1].idx, R_HEAP);
	g = &rs.groups[rs.v[2].idx];
	ck_assert_str_eq(g->name, "anon");
	ck_assert_int_eq(g->kind, KIND_ANON);
	ck_assert_uint_eq(g->regions, 2);
	ck_assert(g->s[SUM_RSS].known);
	ck_assert_uint_eq(g->s[SUM_RSS].v, 64 * K);
	ck_assert_uint_eq(g->s[SUM_SIZE].v, 0x10000);
	ck_assert_uint_eq(rs.v[3].type, ROW_REGION);
	ck_assert_uint_eq(rs.v[3].idx, R_ANON);
	ck_assert_uint_eq(rs.v[4].type, ROW_GHOST);
	ck_assert_uint_eq(rs.v[4].idx, 0);
	ck_assert_int_eq(row_kind(&rs, &smp, &rs.v[2]), KIND_ANON);
	ck_assert_uint_eq(row_start(&smp, &rs.v[2]), 0);
	ck_assert_ptr_null(row_path(&smp, &rs.v[2]));
	/* every row once, under as many headings as groups */
	ck_assert_uint_eq(rs.n, NREG + 2 + rs.ngroups);
	for (i = 0; i < rs.n; i++)
		if (rs.v[i].type == ROW_GROUP)
			ck_assert_uint_lt(rs.v[i].idx, rs.ngroups);
	/* the last heading is the ghost's file */
	for (i = rs.n; i-- > 0;)
		if (rs.v[i].type == ROW_GROUP)
			break;
	ck_assert_str_eq(rs.groups[rs.v[i].idx].name, "file");
	ck_assert_uint_eq(rs.groups[rs.v[i].idx].regions, 1);
	/* a ghost adds no sum: nothing unknown, nothing counted */
	ck_assert(rs.groups[rs.v[i].idx].s[SUM_RSS].known);
	ck_assert_uint_eq(rs.groups[rs.v[i].idx].s[SUM_RSS].v, 0);
}
END_TEST

/* By image: the regions of one ELF file under its path, the rest by kind. */
START_TEST(test_group_by_image)
{
	const struct row_group *g;

	rs.group = GROUP_IMAGE;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert_uint_eq(rs.v[0].type, ROW_GROUP);
	g = &rs.groups[rs.v[0].idx];
	ck_assert_str_eq(g->name, "/usr/bin/prog");
	ck_assert_int_eq(g->kind, -1);
	ck_assert_uint_eq(g->regions, 2);
	ck_assert_uint_eq(g->s[SUM_RSS].v, rss[R_PROG_CODE] + rss[R_PROG_DATA]);
	ck_assert_uint_eq(rs.v[1].idx, R_PROG_CODE);
	ck_assert_uint_eq(rs.v[2].idx, R_PROG_DATA);
	ck_assert_uint_eq(rs.v[3].type, ROW_GROUP);
	ck_assert_str_eq(rs.groups[rs.v[3].idx].name, "heap");
	/* libz has a heading of its own */
	ck_assert_uint_eq(rs.ngroups, 6);	/* prog heap anon libz stack file */

	rs.group = GROUP_NONE;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert_uint_eq(rs.ngroups, 0);
	ck_assert_ptr_null(rs.groups);
	assert_rows("r0 r1 r2 r3 g0 r4 r5 g1");
}
END_TEST

/* The cursor stays on its region through a new order, a new sample and a
 * grouping; when its region is gone it stays in the list. */
START_TEST(test_cursor_follows)
{
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	rs.cursor = 5;				/* libz */
	rs.sort = sort_index("RSS");
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert_uint_eq(rs.v[rs.cursor].idx, R_LIBZ);
	ck_assert_uint_eq(rs.cursor, 5);

	/* a new sample: the old rows say nothing more, the address does */
	rs.cursor = 0;				/* heap */
	rows_remember_cursor(&rs, &smp);
	smp.generation++;
	rs.cursor = 3;
	rows_remember_cursor(&rs, &smp);	/* too late: ignored */
	rs.sort = 0;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert_uint_eq(rs.v[rs.cursor].idx, R_HEAP);
	ck_assert_uint_eq(rs.generation, smp.generation);

	rs.group = GROUP_KIND;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert_uint_eq(rs.v[rs.cursor].type, ROW_REGION);
	ck_assert_uint_eq(rs.v[rs.cursor].idx, R_HEAP);

	/* fewer rows than the cursor's index, and its region filtered out */
	rs.group = GROUP_NONE;
	rs.cursor = 7;
	rs.cursor_known = false;
	rs.kinds = 1u << KIND_ANON;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert_uint_eq(rs.cursor, 1);

	rows_release(&rs);
	ck_assert_uint_eq(rs.n, 0);
	ck_assert_uint_eq(rs.cursor, 0);
	ck_assert(!rs.cursor_known);
	ck_assert(!rs.valid);
	/* the choices stay */
	ck_assert_uint_eq(rs.kinds, 1u << KIND_ANON);
}
END_TEST

/* Search: paths, kinds and details, any case, from the row after the
 * cursor round to the cursor itself; headings never match. */
START_TEST(test_search)
{
	size_t at = 99;

	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert(rows_find(&rs, &smp, "LIBZ", 0, &at));
	ck_assert_uint_eq(at, 5);
	ck_assert_str_eq(row_path(&smp, &rs.v[at]), "/usr/lib/libz.so.1");
	/* by kind: the stack, then round to the heap */
	ck_assert(rows_find(&rs, &smp, "stack", 0, &at));
	ck_assert_uint_eq(rs.v[at].idx, R_STACK);
	ck_assert(rows_find(&rs, &smp, "heap", 2, &at));
	ck_assert_uint_eq(at, 2);
	/* the two prog regions, one after the other */
	ck_assert(rows_find(&rs, &smp, "prog", 0, &at));
	ck_assert_uint_eq(at, 1);
	ck_assert(rows_find(&rs, &smp, "prog", 1, &at));
	ck_assert_uint_eq(at, 0);
	/* a ghost by its path */
	ck_assert(rows_find(&rs, &smp, "gone", 0, &at));
	ck_assert_uint_eq(rs.v[at].type, ROW_GHOST);
	ck_assert_str_eq(row_path(&smp, &rs.v[at]), "/tmp/Gone.dat");
	ck_assert(!rows_find(&rs, &smp, "nothing like it", 0, &at));

	/* a heading named "heap" is not a match; its region is */
	rs.group = GROUP_KIND;
	ck_assert_int_eq(rows_build(&rs, &smp), 0);
	ck_assert(rows_find(&rs, &smp, "heap", 0, &at));
	ck_assert_uint_eq(rs.v[at].type, ROW_REGION);
	ck_assert(!row_matches(&smp, &rs.v[0], "heap"));

	rows_release(&rs);
	ck_assert(!rows_find(&rs, &smp, "heap", 0, &at));
}
END_TEST

static Suite *rows_suite(void)
{
	Suite *s = suite_create("rows");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sorts_table);
	tcase_add_test(tc, test_address_order);
	tcase_add_test(tc, test_sort_by_rss);
	tcase_add_test(tc, test_sort_by_growth);
	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_group_by_kind);
	tcase_add_test(tc, test_group_by_image);
	tcase_add_test(tc, test_cursor_follows);
	tcase_add_test(tc, test_search);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(rows_suite());
}
