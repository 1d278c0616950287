/* check_status.c: /proc/PID/status (src/proc/status.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/status.h"
#include "unit_util.h"

static int parse(const char *text, struct status_info *st)
{
	return status_parse(text, strlen(text), st);
}

/* "Key:\t   N kB" read independently, in kB; -1 when the line is absent. */
static long long key_kb(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ':')
			return strtoll(p + kl + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

START_TEST(test_fixture_status)
{
	char **cases = util_fixture_cases();
	size_t c;

	ck_assert_ptr_nonnull(cases[0]);
	for (c = 0; cases[c]; c++) {
		size_t len;
		char *text = util_fixture_read(cases[c], "status", &len);
		struct status_info st;
		int f;

		ck_assert_int_eq(status_parse(text, len, &st), 0);
		for (f = 0; f < STATUS_NFIELDS; f++) {
			long long kb = key_kb(text, status_field_key(f));

			/* a 6.x kernel prints every one of them */
			ck_assert_msg(kb >= 0, "%s: no %s line", cases[c], status_field_key(f));
			ck_assert_msg(status_has(&st, f), "%s: %s not present", cases[c],
				      status_field_key(f));
			ck_assert_uint_eq(st.v[f], (uint64_t)kb * 1024);
		}
		ck_assert_int_eq(st.threads, key_kb(text, "Threads"));
		ck_assert_int_gt(st.threads, 0);
		ck_assert(st.has_uid);
		ck_assert_uint_eq(st.uid, (uint64_t)key_kb(text, "Uid"));
		/* the kernel's own arithmetic */
		ck_assert_uint_eq(st.v[STATUS_VM_RSS], st.v[STATUS_RSS_ANON] +
				  st.v[STATUS_RSS_FILE] + st.v[STATUS_RSS_SHMEM]);
		ck_assert_uint_le(st.v[STATUS_VM_SIZE], st.v[STATUS_VM_PEAK]);
		ck_assert_uint_le(st.v[STATUS_VM_RSS], st.v[STATUS_VM_HWM]);
		free(text);
	}
	util_free_list(cases);
}
END_TEST

START_TEST(test_sleep_values)
{
	static const char text[] =
		"Name:\tsleep\n"
		"Umask:\t0022\n"
		"State:\tS (sleeping)\n"
		"Tgid:\t6522\n"
		"Uid:\t1000\t1000\t1000\t1000\n"
		"Gid:\t1000\t1000\t1000\t1000\n"
		"VmPeak:\t    2920 kB\n"
		"VmSize:\t    2920 kB\n"
		"VmLck:\t       0 kB\n"
		"VmPin:\t       0 kB\n"
		"VmHWM:\t    1824 kB\n"
		"VmRSS:\t    1824 kB\n"
		"RssAnon:\t     104 kB\n"
		"RssFile:\t    1720 kB\n"
		"RssShmem:\t       0 kB\n"
		"VmData:\t     224 kB\n"
		"VmStk:\t     132 kB\n"
		"VmExe:\t      20 kB\n"
		"VmLib:\t    1528 kB\n"
		"VmPTE:\t      44 kB\n"
		"VmSwap:\t       0 kB\n"
		"HugetlbPages:\t       0 kB\n"
		"THP_enabled:\t1\n"
		"untag_mask:\t0xffffffffffffffff\n"
		"Threads:\t1\n"
		"SigQ:\t0/96365\n";
	struct status_info st;

	ck_assert_int_eq(parse(text, &st), 0);
	ck_assert_uint_eq(st.v[STATUS_VM_RSS], 1824 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_SIZE], 2920 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_PEAK], 2920 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_HWM], 1824 * 1024);
	ck_assert_uint_eq(st.v[STATUS_RSS_ANON], 104 * 1024);
	ck_assert_uint_eq(st.v[STATUS_RSS_FILE], 1720 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_DATA], 224 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_STK], 132 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_EXE], 20 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_LIB], 1528 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_PTE], 44 * 1024);
	ck_assert_uint_eq(st.present, (1u << STATUS_NFIELDS) - 1);
	ck_assert_int_eq(st.threads, 1);
	ck_assert(st.has_uid);
	ck_assert_uint_eq(st.uid, 1000);
}
END_TEST

/* Uid: real, effective, saved, fs: the machine view shows the effective
 * user (a setuid program runs as its owner). */
START_TEST(test_effective_uid)
{
	static const char setuid_line[] = "Name:\tpasswd\nUid:\t1000\t0\t0\t0\nGid:\t100\n";
	static const char one_field[] = "Uid:\t1000\n";
	static const char junk[] = "Uid:\t1000\tx\n";
	static const char none[] = "Uid:\t\n";
	struct status_info st;

	ck_assert_int_eq(status_parse(setuid_line, strlen(setuid_line), &st), 0);
	ck_assert(st.has_uid && st.has_euid);
	ck_assert_uint_eq(st.uid, 1000);
	ck_assert_uint_eq(st.euid, 0);
	ck_assert_int_eq(status_parse(one_field, strlen(one_field), &st), 0);
	ck_assert(st.has_uid && !st.has_euid);
	ck_assert_uint_eq(st.euid, (uid_t)-1);
	ck_assert_int_eq(status_parse(junk, strlen(junk), &st), 0);
	ck_assert(st.has_uid && !st.has_euid);
	ck_assert_int_eq(status_parse(none, strlen(none), &st), 0);
	ck_assert(!st.has_uid && !st.has_euid);
}
END_TEST

/* Zombies and kernel threads have no Vm lines: nothing is present, which is
 * not the same as zero. */
START_TEST(test_zombie_no_vm_lines)
{
	size_t len;
	char *text = util_read_file(FIXTURES "/edge/status-zombie", &len);
	struct status_info st;
	int f;

	ck_assert_int_eq(status_parse(text, len, &st), 0);
	ck_assert_uint_eq(st.present, 0);
	for (f = 0; f < STATUS_NFIELDS; f++)
		ck_assert(!status_has(&st, f));
	ck_assert_int_eq(st.threads, 1);
	ck_assert(st.has_uid);
	ck_assert_uint_eq(st.uid, 1000);
	free(text);
}
END_TEST

START_TEST(test_absent_lines)
{
	struct status_info st;

	ck_assert_int_eq(parse("Name:\tx\n", &st), 0);
	ck_assert_uint_eq(st.present, 0);
	ck_assert_int_eq(st.threads, -1);
	ck_assert(!st.has_uid);
	ck_assert_uint_eq(st.uid, (uid_t)-1);

	ck_assert_int_eq(status_parse("", 0, &st), 0);
	ck_assert_uint_eq(st.present, 0);
	ck_assert_int_eq(st.threads, -1);

	/* lines without a colon and unknown keys are ignored */
	ck_assert_int_eq(parse("no colon here\nVmFoo:\t  12 kB\nVmRSS:\t  8 kB\n", &st), 0);
	ck_assert_uint_eq(st.present, 1u << STATUS_VM_RSS);
	ck_assert_uint_eq(st.v[STATUS_VM_RSS], 8192);
}
END_TEST

START_TEST(test_last_line_without_newline)
{
	struct status_info st;

	ck_assert_int_eq(parse("VmRSS:\t    1824 kB\nVmSize:\t     100 kB", &st), 0);
	ck_assert(status_has(&st, STATUS_VM_SIZE));
	ck_assert_uint_eq(st.v[STATUS_VM_SIZE], 100 * 1024);
	ck_assert_uint_eq(st.v[STATUS_VM_RSS], 1824 * 1024);
}
END_TEST

START_TEST(test_malformed)
{
	static const char *const bad[] = {
		"VmRSS:\t abc kB\n",
		"VmRSS: abc kB",
		"VmRSS:\t    1824\n",
		"VmRSS:\t    1824 MB\n",
		"VmRSS:\t    1824 kB extra\n",
		"VmRSS:\n",
		"VmRSS:\t   -4 kB\n",
		"Name:\tx\nVmSwap:\t99999999999999999999 kB\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct status_info st;
		int rc = parse(bad[i], &st);

		ck_assert_msg(rc == -EINVAL, "status_parse(\"%s\") = %d, want -EINVAL",
			      bad[i], rc);
	}
}
END_TEST

/* Only len bytes are the text: digits after it belong to something else. */
START_TEST(test_len_respected)
{
	static const char buf[] = "Name:\tx\nThreads:\t4" "2\n";
	struct status_info st;

	ck_assert_int_eq(status_parse(buf, strlen(buf) - 2, &st), 0);
	ck_assert_int_eq(st.threads, 4);
}
END_TEST

#define LIMITS_HEAD \
	"Limit                     Soft Limit           Hard Limit           Units     \n" \
	"Max cpu time              unlimited            unlimited            seconds   \n" \
	"Max file size             unlimited            unlimited            bytes     \n" \
	"Max data size             unlimited            unlimited            bytes     \n"
#define LIMITS_TAIL \
	"Max core file size        0                    unlimited            bytes     \n" \
	"Max processes             96365                96365                processes \n"

static int stack_limit(const char *text, uint64_t *bytes)
{
	return limits_parse_stack(text, strlen(text), bytes);
}

START_TEST(test_limits_stack)
{
	uint64_t b = 0;

	ck_assert_int_eq(stack_limit(LIMITS_HEAD
		"Max stack size            8388608              unlimited            bytes     \n"
		LIMITS_TAIL, &b), 0);
	ck_assert_uint_eq(b, 8388608);
	ck_assert_int_eq(stack_limit(LIMITS_HEAD
		"Max stack size            unlimited            unlimited            bytes     \n"
		LIMITS_TAIL, &b), 0);
	ck_assert_uint_eq(b, UINT64_MAX);
	/* the soft limit, not the hard one */
	ck_assert_int_eq(stack_limit("Max stack size            16384                "
				     "8388608              bytes     \n", &b), 0);
	ck_assert_uint_eq(b, 16384);
	/* last line, no newline */
	ck_assert_int_eq(stack_limit("Max stack size            65536", &b), 0);
	ck_assert_uint_eq(b, 65536);
}
END_TEST

START_TEST(test_limits_stack_bad)
{
	uint64_t b = 7;

	ck_assert_int_eq(stack_limit(LIMITS_HEAD LIMITS_TAIL, &b), -ENOENT);
	ck_assert_int_eq(stack_limit("", &b), -ENOENT);
	ck_assert_int_eq(limits_parse_stack("", 0, &b), -ENOENT);
	ck_assert_int_eq(stack_limit("Max stack size            lots                 "
				     "unlimited            bytes\n", &b), -EINVAL);
	ck_assert_int_eq(stack_limit("Max stack size            -1                   "
				     "unlimited            bytes\n", &b), -EINVAL);
	ck_assert_int_eq(stack_limit("Max stack size            99999999999999999999999 "
				     "unlimited            bytes\n", &b), -EINVAL);
}
END_TEST

START_TEST(test_field_names)
{
	int f;

	for (f = 0; f < STATUS_NFIELDS; f++) {
		ck_assert_ptr_nonnull(status_field_name(f));
		ck_assert_ptr_nonnull(status_field_key(f));
	}
	ck_assert_str_eq(status_field_key(STATUS_VM_RSS), "VmRSS");
	ck_assert_str_eq(status_field_name(STATUS_VM_RSS), "vm_rss");
	ck_assert_str_eq(status_field_key(STATUS_RSS_SHMEM), "RssShmem");
	ck_assert_str_eq(status_field_name(STATUS_VM_HWM), "vm_hwm");
	ck_assert_str_eq(status_field_key(STATUS_VM_PTE), "VmPTE");
	ck_assert_ptr_null(status_field_name(STATUS_NFIELDS));
	ck_assert_ptr_null(status_field_key(STATUS_NFIELDS));
}
END_TEST

static Suite *status_suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_fixture_status);
	tcase_add_test(tc, test_sleep_values);
	tcase_add_test(tc, test_effective_uid);
	tcase_add_test(tc, test_zombie_no_vm_lines);
	tcase_add_test(tc, test_absent_lines);
	tcase_add_test(tc, test_last_line_without_newline);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_len_respected);
	tcase_add_test(tc, test_field_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_limits_stack);
	tcase_add_test(tc, test_limits_stack_bad);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(status_suite());
}
