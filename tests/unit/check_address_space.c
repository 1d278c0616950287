/* check_address_space.c: paging mode, task size, the canonical hole and
 * violations (src/model/address_space.c). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/address_space.h"
#include "model/region.h"
#include "load/load.h"
#include "model/analyse.h"
#include "model/snapshot.h"
#include "unit_util.h"

#define TS_4LEVEL 0x7ffffffff000ULL
#define TS_5LEVEL 0xfffffffffff000ULL

static struct region regions[16];
static size_t nregions;
static struct address_space as;

static void add(uint64_t start, uint64_t end, enum maps_name_kind nk)
{
	struct region *r = &regions[nregions++];

	ck_assert_uint_le(nregions, sizeof(regions) / sizeof(regions[0]));
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->end = end;
	r->name_kind = (uint8_t)nk;
	r->perms = MAPS_READ;
}

/* A typical 64-bit process: PIE, libraries, stack, [vsyscall]. */
static void add_typical(void)
{
	add(0x55939bbd2000ULL, 0x55939bbd4000ULL, MAPS_NAME_PATH);
	add(0x5593c57c4000ULL, 0x5593c57e5000ULL, MAPS_NAME_HEAP);
	add(0x7f858f0c9000ULL, 0x7f858f0ef000ULL, MAPS_NAME_PATH);
	add(0x7ffeeb978000ULL, 0x7ffeeb999000ULL, MAPS_NAME_STACK);
	add(VSYSCALL_START, VSYSCALL_END, MAPS_NAME_VSYSCALL);
}

static void setup(void)
{
	memset(regions, 0, sizeof(regions));
	memset(&as, 0, sizeof(as));
	nregions = 0;
}

static void teardown(void)
{
	address_space_release(&as);
}

static int compute(const struct address_space_evidence *ev)
{
	address_space_release(&as);
	return address_space_compute(&as, ev, regions, nregions);
}

START_TEST(test_4level_probed)
{
	struct address_space_evidence ev = {
		.cpu_la57 = -1, .task_size_probed = true, .task_size = TS_4LEVEL,
		.elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};

	add_typical();
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 4);
	ck_assert_int_eq(as.va_bits, 47);
	ck_assert(as.hole_known);
	ck_assert_uint_eq(as.hole_start, 0x0000800000000000ULL);
	ck_assert_uint_eq(as.hole_end, 0xffff7fffffffffffULL);
	ck_assert_uint_eq(as.kernel_start, 0xffff800000000000ULL);
	ck_assert(as.task_size_known);
	ck_assert_uint_eq(as.task_size, TS_4LEVEL);
	ck_assert_str_eq(as.task_size_source, "pagemap");
	ck_assert_uint_eq(as.nviolations, 0);	/* [vsyscall] is legal */
	ck_assert_ptr_null(as.unknown_why);
}
END_TEST

START_TEST(test_5level_probed)
{
	struct address_space_evidence ev = {
		.cpu_la57 = -1, .task_size_probed = true, .task_size = TS_5LEVEL,
		.elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};

	add_typical();
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 5);
	ck_assert_int_eq(as.va_bits, 56);
	ck_assert(as.hole_known);
	ck_assert_uint_eq(as.hole_start, 0x0100000000000000ULL);
	ck_assert_uint_eq(as.hole_end, 0xfeffffffffffffffULL);
	ck_assert_uint_eq(as.kernel_start, 0xff00000000000000ULL);
	ck_assert_uint_eq(as.task_size, TS_5LEVEL);
	ck_assert_uint_eq(as.nviolations, 0);
}
END_TEST

/* The probe beats the cpu flag: it is about this very mm. */
START_TEST(test_probe_beats_cpuinfo)
{
	struct address_space_evidence ev = {
		.cpu_la57 = 1, .task_size_probed = true, .task_size = TS_4LEVEL,
		.elf_class = 64, .arch = "x86_64",
	};

	add_typical();
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 4);
}
END_TEST

/* Only LA57 can map above 2^47: that alone proves 5 levels. */
START_TEST(test_high_region_means_5level)
{
	struct address_space_evidence ev = { .cpu_la57 = -1, .arch = "x86_64" };

	add_typical();
	/* keep the list sorted: insert before [vsyscall] */
	regions[nregions - 1].start = 0x7f000000000000ULL;
	regions[nregions - 1].end = 0x7f000000001000ULL;
	regions[nregions - 1].name_kind = MAPS_NAME_NONE;
	add(VSYSCALL_START, VSYSCALL_END, MAPS_NAME_VSYSCALL);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 5);
	ck_assert_int_eq(as.va_bits, 56);
	ck_assert(!as.task_size_known);	/* no ELF class, no probe */
	ck_assert_uint_eq(as.nviolations, 0);
}
END_TEST

START_TEST(test_vsyscall_alone_is_not_high)
{
	struct address_space_evidence ev = { .cpu_la57 = -1, .arch = "x86_64" };

	add_typical();
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 0);
	ck_assert(!as.hole_known);
	ck_assert_ptr_nonnull(as.unknown_why);
}
END_TEST

START_TEST(test_cpu_la57)
{
	struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64",
	};

	add_typical();
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 4);
	ck_assert(as.task_size_known);
	ck_assert_uint_eq(as.task_size, TS_4LEVEL);
	ck_assert_str_eq(as.task_size_source, "paging mode");

	ev.cpu_la57 = 1;
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 5);
	ck_assert_uint_eq(as.task_size, TS_5LEVEL);
	ck_assert_str_eq(as.task_size_source, "paging mode");

	/* without an ELF class the task size stays unknown */
	ev.elf_class = 0;
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 5);
	ck_assert(!as.task_size_known);
	ck_assert_ptr_null(as.task_size_source);

	/* no arch, but a cpuinfo flags line: that is x86 */
	ev.arch = NULL;
	ev.cpu_la57 = 0;
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 4);
}
END_TEST

START_TEST(test_compat_32bit)
{
	struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 32, .arch = "i386",
	};

	add(0x56555000ULL, 0x56556000ULL, MAPS_NAME_PATH);
	add(0xf7d62000ULL, 0xf7d84000ULL, MAPS_NAME_PATH);
	add(0xff8f3000ULL, 0xff914000ULL, MAPS_NAME_STACK);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 4);
	ck_assert(as.task_size_known);
	ck_assert_uint_eq(as.task_size, 0xffffe000ULL);
	ck_assert_str_eq(as.task_size_source, "paging mode");
	ck_assert_uint_eq(as.nviolations, 0);

	/* a 32-bit program on a 64-bit kernel: arch x86_64 says the same */
	ev.arch = "x86_64";
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_uint_eq(as.task_size, 0xffffe000ULL);

	/* the top two pages are the kernel's */
	add(0xffffe000ULL, 0xfffff000ULL, MAPS_NAME_NONE);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_uint_eq(as.nviolations, 1);
	ck_assert_uint_eq(as.violations[0].start, 0xffffe000ULL);
	ck_assert_str_eq(as.violations[0].why, "above the task size");
}
END_TEST

START_TEST(test_other_arch_unknown)
{
	struct address_space_evidence ev = {
		.cpu_la57 = -1, .elf_class = 64, .arch = "aarch64",
	};

	add(0xaaaab0000000ULL, 0xaaaab0001000ULL, MAPS_NAME_PATH);
	add(0xffffb0000000ULL, 0xffffb0001000ULL, MAPS_NAME_STACK);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 0);
	ck_assert_int_eq(as.va_bits, 0);
	ck_assert(!as.hole_known);
	ck_assert(!as.task_size_known);
	ck_assert_ptr_nonnull(as.unknown_why);
	ck_assert(!address_space_is_canonical(&as, 0x1000));
	ck_assert_uint_eq(as.nviolations, 0);

	/* a probed task size is still a fact */
	ev.task_size_probed = true;
	ev.task_size = 1ULL << 48;
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 0);
	ck_assert(as.task_size_known);
	ck_assert_uint_eq(as.task_size, 1ULL << 48);

	/* nothing at all known */
	ev.arch = NULL;
	ev.task_size_probed = false;
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 0);
	ck_assert_ptr_nonnull(as.unknown_why);
}
END_TEST

START_TEST(test_canonical)
{
	struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64",
	};

	ck_assert_int_eq(compute(&ev), 0);
	ck_assert(address_space_is_canonical(&as, 0));
	ck_assert(address_space_is_canonical(&as, 0x00007fffffffffffULL));
	ck_assert(!address_space_is_canonical(&as, 0x0000800000000000ULL));
	ck_assert(!address_space_is_canonical(&as, 0xffff7fffffffffffULL));
	ck_assert(address_space_is_canonical(&as, 0xffff800000000000ULL));
	ck_assert(address_space_is_canonical(&as, 0xffffffffffffffffULL));

	ev.cpu_la57 = 1;
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert(address_space_is_canonical(&as, 0x00ffffffffffffffULL));
	ck_assert(!address_space_is_canonical(&as, 0x0100000000000000ULL));
	ck_assert(!address_space_is_canonical(&as, 0xfeffffffffffffffULL));
	ck_assert(address_space_is_canonical(&as, 0xff00000000000000ULL));
}
END_TEST

START_TEST(test_violation_in_hole)
{
	struct address_space_evidence ev = {
		.cpu_la57 = -1, .task_size_probed = true, .task_size = TS_4LEVEL,
		.elf_class = 64, .arch = "x86_64",
	};

	add(0x55939bbd2000ULL, 0x55939bbd4000ULL, MAPS_NAME_PATH);
	add(0x800000000000ULL, 0x800000001000ULL, MAPS_NAME_NONE);
	add(VSYSCALL_START, VSYSCALL_END, MAPS_NAME_VSYSCALL);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_int_eq(as.paging_levels, 4);
	ck_assert_uint_eq(as.nviolations, 1);
	ck_assert_uint_eq(as.violations[0].start, 0x800000000000ULL);
	ck_assert_uint_eq(as.violations[0].end, 0x800000001000ULL);
	ck_assert_ptr_nonnull(as.violations[0].why);
}
END_TEST

START_TEST(test_violation_above_task_size)
{
	struct address_space_evidence ev = {
		.cpu_la57 = -1, .task_size_probed = true, .task_size = TS_4LEVEL,
		.elf_class = 64, .arch = "x86_64",
	};

	/* the last user page is never mapped (reference §5.1) */
	add(0x7ffffffff000ULL, 0x800000000000ULL, MAPS_NAME_NONE);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_uint_eq(as.nviolations, 1);
	ck_assert_uint_eq(as.violations[0].start, 0x7ffffffff000ULL);
	ck_assert_str_eq(as.violations[0].why, "above the task size");
}
END_TEST

START_TEST(test_violation_overlap)
{
	struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64",
	};

	add(0x10000ULL, 0x30000ULL, MAPS_NAME_NONE);
	add(0x20000ULL, 0x40000ULL, MAPS_NAME_NONE);	/* overlaps */
	add(0x40000ULL, 0x50000ULL, MAPS_NAME_NONE);	/* touches: fine */
	add(0x48000ULL, 0x49000ULL, MAPS_NAME_NONE);	/* inside the previous */
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_uint_eq(as.nviolations, 2);
	ck_assert_uint_eq(as.violations[0].start, 0x20000ULL);
	ck_assert_uint_eq(as.violations[1].start, 0x48000ULL);
}
END_TEST

START_TEST(test_violation_misplaced_vsyscall)
{
	struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64",
	};

	add(0x10000ULL, 0x20000ULL, MAPS_NAME_NONE);
	add(0xffffffffff700000ULL, 0xffffffffff701000ULL, MAPS_NAME_VSYSCALL);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_uint_eq(as.nviolations, 1);
	ck_assert_uint_eq(as.violations[0].start, 0xffffffffff700000ULL);
}
END_TEST

START_TEST(test_violation_empty_range)
{
	struct address_space_evidence ev = {
		.cpu_la57 = 0, .elf_class = 64, .arch = "x86_64",
	};

	add(0x10000ULL, 0x10000ULL, MAPS_NAME_NONE);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_uint_ge(as.nviolations, 1);
	ck_assert_uint_eq(as.violations[0].start, 0x10000ULL);
}
END_TEST

/* Many violations: the array grows. */
START_TEST(test_many_violations)
{
	struct address_space_evidence ev = {
		.cpu_la57 = -1, .task_size_probed = true, .task_size = TS_4LEVEL,
		.elf_class = 64, .arch = "x86_64",
	};
	size_t i;

	for (i = 0; i < 12; i++)
		add(0x800000000000ULL + i * 0x1000, 0x800000001000ULL + i * 0x1000,
		    MAPS_NAME_NONE);
	ck_assert_int_eq(compute(&ev), 0);
	ck_assert_uint_eq(as.nviolations, 12);
	for (i = 0; i < 12; i++)
		ck_assert_uint_eq(as.violations[i].start, 0x800000000000ULL + i * 0x1000);
	address_space_release(&as);
	ck_assert_ptr_null(as.violations);
	ck_assert_uint_eq(as.nviolations, 0);
}
END_TEST

/* Through snapshot_analyse(): the geometry lands in the snapshot, and an
 * unknown paging mode is a warning. */
START_TEST(test_snapshot_analyse)
{
	struct snapshot s;
	struct address_space_evidence ev = {
		.cpu_la57 = -1, .task_size_probed = true, .task_size = TS_4LEVEL,
		.elf_class = 64, .arch = "x86_64", .page_size = 4096,
	};
	size_t i;
	bool warned = false;

	ck_assert_int_eq(snapshot_init(&s, 42), 0);
	util_add_region(&s, "55939bbd2000-55939bbd4000 r--p 00000000 fe:00 1 /x", NULL, NULL);
	util_add_region(&s, "7ffeeb978000-7ffeeb999000 rw-p 00000000 00:00 0 [stack]",
			NULL, NULL);
	util_add_region(&s, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 "
			"[vsyscall]", NULL, NULL);
	ck_assert_int_eq(snapshot_analyse(&s, &ev), 0);
	ck_assert_int_eq(s.as.paging_levels, 4);
	ck_assert_uint_eq(s.as.nviolations, 0);
	ck_assert_uint_eq(s.nwarnings, 0);

	/* analysed again with less evidence: recomputed, and a warning */
	ev.task_size_probed = false;
	ev.arch = "aarch64";
	ck_assert_int_eq(snapshot_analyse(&s, &ev), 0);
	ck_assert_int_eq(s.as.paging_levels, 0);
	for (i = 0; i < s.nwarnings; i++)
		warned |= strstr(s.warnings[i], "paging mode unknown") != NULL;
	ck_assert(warned);
	snapshot_release(&s);
}
END_TEST

/* The captures, loaded as vmmap loads them: cpuinfo without la57. */
START_TEST(test_fixtures)
{
	char **cases = util_fixture_cases();
	size_t c;

	for (c = 0; cases[c]; c++) {
		char *root = util_fixture_dir(cases[c]);
		struct source src;
		struct load_error err;
		struct snapshot s;

		ck_assert_int_eq(source_open_proc(&src, root), 0);
		ck_assert_msg(snapshot_load(&src, util_fixture_pid(cases[c]), NULL, &s, &err) == 0,
			      "%s: %s", cases[c], err.msg);
		ck_assert_int_eq(s.as.paging_levels, 4);
		ck_assert_uint_eq(s.as.nviolations, 0);
		if (s.elf_class == 32) {
			ck_assert_uint_eq(s.as.task_size, 0xffffe000ULL);
			ck_assert_uint_lt(s.regions[s.nregions - 1].end, 0x100000000ULL);
		} else {
			ck_assert_int_eq(s.elf_class, 64);
			ck_assert_uint_eq(s.as.task_size, TS_4LEVEL);
			ck_assert_int_eq(s.regions[s.nregions - 1].name_kind,
					 MAPS_NAME_VSYSCALL);
		}
		snapshot_release(&s);
		source_close(&src);
		free(root);
	}
	util_free_list(cases);
}
END_TEST

static Suite *address_space_suite(void)
{
	Suite *s = suite_create("address_space");
	TCase *tc = tcase_create("paging");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_4level_probed);
	tcase_add_test(tc, test_5level_probed);
	tcase_add_test(tc, test_probe_beats_cpuinfo);
	tcase_add_test(tc, test_high_region_means_5level);
	tcase_add_test(tc, test_vsyscall_alone_is_not_high);
	tcase_add_test(tc, test_cpu_la57);
	tcase_add_test(tc, test_compat_32bit);
	tcase_add_test(tc, test_other_arch_unknown);
	tcase_add_test(tc, test_canonical);
	suite_add_tcase(s, tc);

	tc = tcase_create("violations");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_violation_in_hole);
	tcase_add_test(tc, test_violation_above_task_size);
	tcase_add_test(tc, test_violation_overlap);
	tcase_add_test(tc, test_violation_misplaced_vsyscall);
	tcase_add_test(tc, test_violation_empty_range);
	tcase_add_test(tc, test_many_violations);
	suite_add_tcase(s, tc);

	tc = tcase_create("snapshot");
	tcase_add_test(tc, test_snapshot_analyse);
	tcase_add_test(tc, test_fixtures);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(address_space_suite());
}
