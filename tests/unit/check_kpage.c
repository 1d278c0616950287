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
	ck_assert_int_eq(kpage_lookup(&kp, pfns, sizeof(pfns) / sizeof(pfns[0]), &c), 0);
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
	tcase_add_test(tc, test_open_missing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(kpage_suite());
}
