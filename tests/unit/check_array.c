/* check_array.c: the growable array (src/util/array.c) and the byte buffer
 * that grows through it (src/util/buf.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/array.h"
#include "util/buf.h"
#include "unit_util.h"

struct item {
	uint64_t a, b, c;
};

START_TEST(test_first_and_doubling)
{
	struct item *v = NULL;
	size_t cap = 0, i;

	/* the first allocation takes min_cap */
	ck_assert_int_eq(ARRAY_GROW(&v, &cap, 1, 16), 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(cap, 16);
	for (i = 0; i < 16; i++)
		v[i] = (struct item){ i, i, i };
	/* room enough: nothing moves */
	ck_assert_int_eq(ARRAY_GROW(&v, &cap, 16, 16), 0);
	ck_assert_uint_eq(cap, 16);
	/* then doubling, items kept */
	ck_assert_int_eq(ARRAY_GROW(&v, &cap, 17, 16), 0);
	ck_assert_uint_eq(cap, 32);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(v[i].b, i);
	/* a need beyond twice the capacity is met at once */
	ck_assert_int_eq(ARRAY_GROW(&v, &cap, 1000, 16), 0);
	ck_assert_uint_eq(cap, 1000);
	v[999].c = 7;
	free(v);
}
END_TEST

START_TEST(test_no_min_cap)
{
	char *s = NULL;
	size_t cap = 0;

	ck_assert_int_eq(ARRAY_GROW(&s, &cap, 5, 0), 0);
	ck_assert_uint_eq(cap, 5);
	memcpy(s, "four", 5);
	ck_assert_int_eq(ARRAY_GROW(&s, &cap, 6, 0), 0);
	ck_assert_uint_eq(cap, 10);
	ck_assert_str_eq(s, "four");
	free(s);
}
END_TEST

/* A count from hostile input must never wrap need * item_size into a
 * small allocation: the array stays as it was. */
START_TEST(test_overflow)
{
	struct item *v = NULL;
	size_t cap = 0, max = SIZE_MAX / sizeof(struct item);

	ck_assert_int_eq(ARRAY_GROW(&v, &cap, 4, 4), 0);
	v[3].a = 42;
	ck_assert_int_eq(ARRAY_GROW(&v, &cap, max + 1, 4), -ENOMEM);
	ck_assert_int_eq(ARRAY_GROW(&v, &cap, SIZE_MAX, 4), -ENOMEM);
	ck_assert_int_eq(array_grow(&v, &cap, SIZE_MAX / 2 + 1, 2, 0), -ENOMEM);
	ck_assert_int_eq(array_grow(&v, &cap, 5, 0, 0), -ENOMEM);
	ck_assert_uint_eq(cap, 4);
	ck_assert_uint_eq(v[3].a, 42);
	free(v);
}
END_TEST

START_TEST(test_max_cap)
{
	uint32_t *v = NULL;
	size_t cap = 0;

	/* doubling stops at max_cap, and need beyond it is refused */
	ck_assert_int_eq(ARRAY_GROW_MAX(&v, &cap, 1, 16, 24), 0);
	ck_assert_uint_eq(cap, 16);
	ck_assert_int_eq(ARRAY_GROW_MAX(&v, &cap, 17, 16, 24), 0);
	ck_assert_uint_eq(cap, 24);
	ck_assert_int_eq(ARRAY_GROW_MAX(&v, &cap, 25, 16, 24), -ENOMEM);
	ck_assert_uint_eq(cap, 24);
	free(v);
	/* min_cap above max_cap: max_cap wins */
	v = NULL;
	cap = 0;
	ck_assert_int_eq(ARRAY_GROW_MAX(&v, &cap, 1, 100, 10), 0);
	ck_assert_uint_eq(cap, 10);
	free(v);
}
END_TEST

START_TEST(test_buf_reserve)
{
	struct buf b = { 0 };

	ck_assert_int_eq(buf_reserve(&b, 10), 0);
	ck_assert_uint_ge(b.cap, 4096);
	b.len = 4000;
	ck_assert_int_eq(buf_reserve(&b, 200), 0);
	ck_assert_uint_ge(b.cap, 4201);
	/* len + extra + 1 beyond size_t is refused, not wrapped to "fits" */
	ck_assert_int_eq(buf_reserve(&b, SIZE_MAX), -ENOMEM);
	ck_assert_int_eq(buf_reserve(&b, SIZE_MAX - b.len), -ENOMEM);
	buf_release(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.cap, 0);
}
END_TEST

START_TEST(test_buf_read_fd)
{
	struct buf b = { 0 };
	char big[40000];
	int fds[2];

	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "hello ", 6), 6);
	close(fds[1]);
	ck_assert_int_eq(buf_read_fd(&b, fds[0], 0), 0);
	close(fds[0]);
	ck_assert_uint_eq(b.len, 6);
	ck_assert_str_eq(b.data, "hello ");

	/* appends, and stops once over max */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], big, 30000), 30000);
	close(fds[1]);
	ck_assert_int_eq(buf_read_fd(&b, fds[0], 20000), -EFBIG);
	close(fds[0]);
	ck_assert_uint_gt(b.len, 20000);
	ck_assert_int_eq(memcmp(b.data, "hello x", 7), 0);
	buf_release(&b);
}
END_TEST

static Suite *array_suite(void)
{
	Suite *s = suite_create("array");
	TCase *tc = tcase_create("array");

	tcase_add_test(tc, test_first_and_doubling);
	tcase_add_test(tc, test_no_min_cap);
	tcase_add_test(tc, test_overflow);
	tcase_add_test(tc, test_max_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("buf");
	tcase_add_test(tc, test_buf_reserve);
	tcase_add_test(tc, test_buf_read_fd);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(array_suite());
}
