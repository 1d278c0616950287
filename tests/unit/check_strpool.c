/* check_strpool.c: the string pool (src/model/strpool.c). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/strpool.h"
#include "unit_util.h"

static struct strpool pool;

static void setup(void)
{
	ck_assert_int_eq(strpool_init(&pool), 0);
}

static void teardown(void)
{
	strpool_release(&pool);
}

START_TEST(test_empty_is_zero)
{
	uint32_t off = 99;

	ck_assert_str_eq(strpool_get(&pool, 0), "");
	ck_assert_int_eq(strpool_add(&pool, "", 0, &off), 0);
	ck_assert_uint_eq(off, 0);
	ck_assert_int_eq(strpool_add(&pool, "ignored", 0, &off), 0);
	ck_assert_uint_eq(off, 0);
}
END_TEST

START_TEST(test_add_get)
{
	uint32_t a, b, c;

	ck_assert_int_eq(strpool_add(&pool, "/usr/bin/sleep", 14, &a), 0);
	ck_assert_uint_gt(a, 0);
	ck_assert_int_eq(strpool_add(&pool, "[heap]", 6, &b), 0);
	ck_assert_uint_ne(a, b);
	/* only len bytes are taken */
	ck_assert_int_eq(strpool_add(&pool, "/usr/lib/libc.so.6 trailing", 18, &c), 0);
	ck_assert_str_eq(strpool_get(&pool, a), "/usr/bin/sleep");
	ck_assert_str_eq(strpool_get(&pool, b), "[heap]");
	ck_assert_str_eq(strpool_get(&pool, c), "/usr/lib/libc.so.6");
}
END_TEST

/* The segments of one image come one after another: the same path is
 * stored once. A string seen earlier but not last is stored again. */
START_TEST(test_repeat_of_last)
{
	uint32_t a, a2, b, a3;
	size_t len;

	ck_assert_int_eq(strpool_add(&pool, "/usr/bin/sleep", 14, &a), 0);
	len = pool.len;
	ck_assert_int_eq(strpool_add(&pool, "/usr/bin/sleep", 14, &a2), 0);
	ck_assert_uint_eq(a2, a);
	ck_assert_uint_eq(pool.len, len);
	/* a prefix of the last string is a different string */
	ck_assert_int_eq(strpool_add(&pool, "/usr/bin/slee", 13, &b), 0);
	ck_assert_uint_ne(b, a);
	ck_assert_str_eq(strpool_get(&pool, b), "/usr/bin/slee");
	ck_assert_int_eq(strpool_add(&pool, "/usr/bin/sleep", 14, &a3), 0);
	ck_assert_str_eq(strpool_get(&pool, a3), "/usr/bin/sleep");
}
END_TEST

/* Growing the pool keeps every offset valid. */
START_TEST(test_growth)
{
	uint32_t offs[2000];
	char s[64];
	int i;

	for (i = 0; i < 2000; i++) {
		int n = snprintf(s, sizeof(s), "/usr/lib/x86_64-linux-gnu/lib%04d.so", i);

		ck_assert_int_eq(strpool_add(&pool, s, (size_t)n, &offs[i]), 0);
	}
	ck_assert_uint_gt(pool.cap, 4096);
	for (i = 0; i < 2000; i++) {
		snprintf(s, sizeof(s), "/usr/lib/x86_64-linux-gnu/lib%04d.so", i);
		ck_assert_str_eq(strpool_get(&pool, offs[i]), s);
	}
}
END_TEST

/* One string larger than the whole initial pool. */
START_TEST(test_big_string)
{
	size_t n = 100000;
	char *big = malloc(n + 1);
	uint32_t off;

	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	big[n] = '\0';
	ck_assert_int_eq(strpool_add(&pool, big, n, &off), 0);
	ck_assert_uint_eq(strlen(strpool_get(&pool, off)), n);
	ck_assert_uint_ge(pool.cap, pool.len);
	free(big);
}
END_TEST

/* Names may hold newlines (decoded "\012"). */
START_TEST(test_bytes_kept)
{
	uint32_t off;

	ck_assert_int_eq(strpool_add(&pool, "/memfd:a\nb", 10, &off), 0);
	ck_assert_str_eq(strpool_get(&pool, off), "/memfd:a\nb");
}
END_TEST

static Suite *strpool_suite(void)
{
	Suite *s = suite_create("strpool");
	TCase *tc = tcase_create("pool");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty_is_zero);
	tcase_add_test(tc, test_add_get);
	tcase_add_test(tc, test_repeat_of_last);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_big_string);
	tcase_add_test(tc, test_bytes_kept);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(strpool_suite());
}
