/* check_meminfo.c: /proc/meminfo (src/proc/meminfo.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/meminfo.h"
#include "unit_util.h"

#define MACHINE FIXTURES "/machine"

/* Parse len bytes from an exact-size heap copy, so a sanitized build
 * reports any read past len. */
static int parse_n(const char *text, size_t len, struct meminfo *m)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	rc = meminfo_parse(copy, len, m);
	free(copy);
	return rc;
}

static int parse(const char *text, struct meminfo *m)
{
	return parse_n(text, strlen(text), m);
}

START_TEST(test_fixture)
{
	size_t len;
	char *text = util_read_file(MACHINE "/meminfo-6.18", &len);
	struct meminfo m;
	int f;

	ck_assert_int_eq(parse_n(text, len, &m), 0);
	/* a 6.18 kernel prints every line vmmap reads */
	for (f = 0; f < MEMINFO_NFIELDS; f++)
		ck_assert_msg(meminfo_has(&m, f), "%s missing", meminfo_field_key(f));
	ck_assert_uint_eq(m.v[MEMINFO_MEM_TOTAL], 24683756ull * 1024);
	ck_assert_uint_eq(m.v[MEMINFO_ANON_PAGES], 1392044ull * 1024);
	ck_assert_uint_eq(m.v[MEMINFO_MAPPED], 40364ull * 1024);
	ck_assert_uint_eq(m.v[MEMINFO_SHMEM], 9756ull * 1024);
	ck_assert_uint_eq(m.v[MEMINFO_CACHED], 992776ull * 1024);
	ck_assert_uint_eq(m.v[MEMINFO_SWAP_TOTAL], 0);
	/* the kernel's own arithmetic: free is part of total */
	ck_assert_uint_le(m.v[MEMINFO_MEM_FREE], m.v[MEMINFO_MEM_TOTAL]);
	free(text);
}
END_TEST

START_TEST(test_absent_and_unknown_lines)
{
	struct meminfo m;

	ck_assert_int_eq(parse("MemTotal:  100 kB\nHugePages_Total:   3\nNew_Thing: 7 kB\n", &m), 0);
	ck_assert(meminfo_has(&m, MEMINFO_MEM_TOTAL));
	ck_assert_uint_eq(m.v[MEMINFO_MEM_TOTAL], 102400);
	ck_assert(!meminfo_has(&m, MEMINFO_ANON_PAGES));
	ck_assert_uint_eq(m.present, 1u << MEMINFO_MEM_TOTAL);
	ck_assert_int_eq(parse("", &m), 0);
	ck_assert_uint_eq(m.present, 0);
}
END_TEST

START_TEST(test_malformed)
{
	struct meminfo m;

	ck_assert_int_eq(parse("MemTotal: 100\n", &m), -EINVAL);
	ck_assert_int_eq(parse("MemTotal: kB\n", &m), -EINVAL);
	ck_assert_int_eq(parse("Mapped: -4 kB\n", &m), -EINVAL);
	ck_assert_int_eq(parse("Mapped: 4 kB extra\n", &m), -EINVAL);
	/* 2^64 bytes do not fit: 2^54 kB is one too many */
	ck_assert_int_eq(parse("Shmem: 18014398509481984 kB\n", &m), -EINVAL);
	ck_assert_int_eq(parse("Shmem: 18014398509481983 kB\n", &m), 0);
	ck_assert_uint_eq(m.v[MEMINFO_SHMEM], 18014398509481983ull * 1024);
	/* a key that is a prefix of another is not that one */
	ck_assert_int_eq(parse("MemTotalX: 1 kB\nMem: 2\n", &m), 0);
	ck_assert_uint_eq(m.present, 0);
}
END_TEST

START_TEST(test_len_and_repeats)
{
	static const char text[] = "Cached: 1 kB\nCached: 2 kB\nMapped: 3 kB";
	struct meminfo m;

	/* the first of a repeated key counts; the last line needs no newline */
	ck_assert_int_eq(parse(text, &m), 0);
	ck_assert_uint_eq(m.v[MEMINFO_CACHED], 1024);
	ck_assert_uint_eq(m.v[MEMINFO_MAPPED], 3072);
	/* only len bytes are read: "Mapped: 3" alone is malformed */
	ck_assert_int_eq(parse_n(text, sizeof(text) - 4, &m), -EINVAL);
	ck_assert_int_eq(parse_n(text, 13, &m), 0);
	ck_assert_uint_eq(m.present, 1u << MEMINFO_CACHED);
}
END_TEST

START_TEST(test_read_sysroot)
{
	struct proc_source src;
	struct meminfo m;

	ck_assert_int_eq(proc_source_init(&src, MACHINE "/all"), 0);
	ck_assert_int_eq(meminfo_read(&src, &m), 0);
	ck_assert(meminfo_has(&m, MEMINFO_MEM_TOTAL));
	proc_source_release(&src);
	ck_assert_int_eq(proc_source_init(&src, MACHINE "/user"), 0);
	ck_assert_int_eq(meminfo_read(&src, &m), -ENOENT);
	ck_assert_uint_eq(m.present, 0);
	proc_source_release(&src);
}
END_TEST

START_TEST(test_names)
{
	int f;

	for (f = 0; f < MEMINFO_NFIELDS; f++) {
		ck_assert_ptr_nonnull(meminfo_field_name(f));
		ck_assert_ptr_nonnull(meminfo_field_key(f));
	}
	ck_assert_ptr_null(meminfo_field_name(MEMINFO_NFIELDS));
	ck_assert_str_eq(meminfo_field_name(MEMINFO_ANON_PAGES), "anon_pages");
}
END_TEST

static Suite *meminfo_suite(void)
{
	Suite *s = suite_create("meminfo");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_fixture);
	tcase_add_test(tc, test_absent_and_unknown_lines);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_len_and_repeats);
	tcase_add_test(tc, test_read_sysroot);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(meminfo_suite());
}
