/* check_kpage.c: kpageflags/kpagecount tallies (src/proc/kpage.c), read
 * from a temporary sysroot whose files hold known words. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/kpage.h"
#include "unit_util.h"

#define BIT(n) (1ULL << (n))

static char root[64];

static void write_words(const char *name, const uint64_t *w, size_t n)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/proc/%s", root, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, w, n * sizeof(*w)), (ssize_t)(n * sizeof(*w)));
	close(fd);
}

/* PFN 0..7: flags and map counts */
static void setup(void)
{
	const uint64_t flags[8] = {
		0,
		BIT(KPF_DIRTY) | BIT(KPF_ANON),
		BIT(KPF_REFERENCED) | BIT(KPF_ACTIVE),
		BIT(KPF_KSM),
		BIT(KPF_THP),
		BIT(KPF_THP) | BIT(KPF_ZERO_PAGE),	/* huge zero page */
		BIT(KPF_UNEVICTABLE) | BIT(KPF_MLOCKED),
		BIT(KPF_IDLE),
	};
	const uint64_t counts[8] = { 0, 1, 3, 2, 1, 9, 1, 1 };
	char proc[80];

	snprintf(root, sizeof(root), "/tmp/vmmap-kpage-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(proc, sizeof(proc), "%s/proc", root);
	ck_assert_int_eq(mkdir(proc, 0700), 0);
	write_words("kpageflags", flags, 8);
	write_words("kpagecount", counts, 8);
}

static void teardown(void)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_count_bits)
{
	struct kpage_counts c = { 0 };

	kpage_count(&c, BIT(KPF_DIRTY) | BIT(KPF_REFERENCED), 1);
	kpage_count(&c, BIT(KPF_THP) | BIT(KPF_ZERO_PAGE), 40);
	ck_assert_uint_eq(c.dirty, 1);
	ck_assert_uint_eq(c.referenced, 1);
	ck_assert_uint_eq(c.thp, 0);	/* the huge zero page is not a THP of ours */
	ck_assert_uint_eq(c.shared, 1);
}
END_TEST

START_TEST(test_lookup_runs_and_duplicates)
{
	/* out of order, a duplicate, a gap, and a PFN past the files' end */
	const uint64_t pfns[] = { 6, 1, 2, 2, 4, 3, 7, 100 };
	struct proc_source src;
	struct kpage kp;
	struct kpage_counts c = { 0 };

	ck_assert_int_eq(proc_source_init(&src, root), 0);
	ck_assert_int_eq(kpage_open(&src, &kp), 0);
	ck_assert_int_eq(kpage_add(&kp, pfns, sizeof(pfns) / sizeof(pfns[0]), &c), 0);
	ck_assert_int_eq(kpage_flush(&kp), 0);
	ck_assert_uint_eq(c.dirty, 1);
	ck_assert_uint_eq(c.referenced, 2);	/* PFN 2 twice */
	ck_assert_uint_eq(c.active, 2);
	ck_assert_uint_eq(c.ksm, 1);
	ck_assert_uint_eq(c.thp, 1);
	ck_assert_uint_eq(c.unevictable, 1);
	ck_assert_uint_eq(c.idle, 1);
	ck_assert_uint_eq(c.shared, 3);		/* 2, 2, 3 */
	kpage_close(&kp);
	proc_source_release(&src);
}
END_TEST

START_TEST(test_windows)
{
	uint64_t v[600], lo, hi;
	size_t i;

	/* an ascending run: one window of the most words one read covers */
	for (i = 0; i < 600; i++)
		v[i] = 1000 + i;
	ck_assert_uint_eq(kpage_window(v, 600, &lo, &hi), KPAGE_WINDOW_MAX);
	ck_assert_uint_eq(lo, 1000);
	ck_assert_uint_eq(hi, 1000 + KPAGE_WINDOW_MAX - 1);
	/* descending, as some allocators hand pages out */
	for (i = 0; i < 10; i++)
		v[i] = 500 - i;
	ck_assert_uint_eq(kpage_window(v, 10, &lo, &hi), 10);
	ck_assert_uint_eq(lo, 491);
	ck_assert_uint_eq(hi, 500);
	/* neighbours out of order, then a far one */
	v[0] = 7; v[1] = 3; v[2] = 9; v[3] = 4; v[4] = 100000;
	ck_assert_uint_eq(kpage_window(v, 5, &lo, &hi), 4);
	ck_assert_uint_eq(lo, 3);
	ck_assert_uint_eq(hi, 9);
	/* sparse: every 40th frame is not worth one read */
	for (i = 0; i < 4; i++)
		v[i] = 40 * i;
	ck_assert_uint_eq(kpage_window(v, 4, &lo, &hi), 1);
	ck_assert_uint_eq(lo, 0);
	ck_assert_uint_eq(hi, 0);
	ck_assert_uint_eq(kpage_window(v, 0, &lo, &hi), 0);
}
END_TEST

START_TEST(test_queue_across_tallies)
{
	/* more PFNs than the queue holds, for two tallies in turn */
	enum { N = KPAGE_PENDING_MAX + 104 };	/* 42 batches of 100 */
	uint64_t *pfns = malloc(N * sizeof(*pfns));
	struct proc_source src;
	struct kpage kp;
	struct kpage_counts a = { 0 }, b = { 0 };
	size_t i;

	ck_assert_ptr_nonnull(pfns);
	for (i = 0; i < N; i++)
		pfns[i] = i % 2 ? 1 : 2;	/* dirty, referenced */
	ck_assert_int_eq(proc_source_init(&src, root), 0);
	ck_assert_int_eq(kpage_open(&src, &kp), 0);
	for (i = 0; i < N; i += 100)
		ck_assert_int_eq(kpage_add(&kp, pfns + i, 100, i % 200 ? &b : &a), 0);
	/* the queue filled up and was looked up once already */
	ck_assert_uint_gt(a.dirty + b.dirty, 0);
	ck_assert_int_eq(kpage_flush(&kp), 0);
	ck_assert_uint_eq(a.dirty, N / 4);
	ck_assert_uint_eq(a.referenced, N / 4);
	ck_assert_uint_eq(b.dirty, N / 4);
	ck_assert_uint_eq(a.shared, N / 4);	/* PFN 2 is mapped 3 times */
	/* queued, then dropped uncounted by the close */
	ck_assert_int_eq(kpage_add(&kp, pfns, 10, &a), 0);
	kpage_close(&kp);
	ck_assert_uint_eq(a.dirty, N / 4);
	proc_source_release(&src);
	free(pfns);
}
END_TEST

START_TEST(test_open_missing)
{
	struct proc_source src;
	struct kpage kp;
	char path[128];

	snprintf(path, sizeof(path), "%s/proc/kpagecount", root);
	unlink(path);
	ck_assert_int_eq(proc_source_init(&src, root), 0);
	ck_assert_int_eq(kpage_open(&src, &kp), -ENOENT);
	proc_source_release(&src);
}
END_TEST

static Suite *kpage_suite(void)
{
	Suite *s = suite_create("kpage");
	TCase *tc = tcase_create("kpage");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_count_bits);
	tcase_add_test(tc, test_lookup_runs_and_duplicates);
	tcase_add_test(tc, test_windows);
	tcase_add_test(tc, test_queue_across_tallies);
	tcase_add_test(tc, test_open_missing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(kpage_suite());
}
