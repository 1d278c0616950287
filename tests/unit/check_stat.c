/* check_stat.c: /proc/PID/stat (src/proc/stat.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/maps.h"
#include "proc/stat.h"
#include "unit_util.h"

/* A full 52-field line: the sleep capture, comm and fields 26-28, 45-52
 * replaced by recognisable values. Fields 3.. follow "%s". */
#define TAIL_52 \
	" S 6518 6518 1177 0 -1 4194304 139 0 0 0 0 0 0 0 20 0 1 0 35119 " \
	"2990080 414 18446744073709551615 94092461424640 94092461442569 " \
	"140732851127952 0 0 0 0 6 0 1 0 0 17 1 0 0 0 0 0 94092461456656 " \
	"94092461457920 94093161807872 140732851128771 140732851128782 " \
	"140732851128782 140732851130345 0\n"

static int parse(const char *text, struct stat_info *st)
{
	return stat_parse(text, strlen(text), st);
}

static void assert_sleep_mm(const struct stat_info *st)
{
	ck_assert_int_eq(st->mm_state, STAT_MM_VALID);
	ck_assert_uint_eq(st->mm[MM_START_CODE], 94092461424640ULL);
	ck_assert_uint_eq(st->mm[MM_END_CODE], 94092461442569ULL);
	ck_assert_uint_eq(st->mm[MM_START_STACK], 140732851127952ULL);
	ck_assert_uint_eq(st->mm[MM_START_DATA], 94092461456656ULL);
	ck_assert_uint_eq(st->mm[MM_END_DATA], 94092461457920ULL);
	ck_assert_uint_eq(st->mm[MM_START_BRK], 94093161807872ULL);
	ck_assert_uint_eq(st->mm[MM_ARG_START], 140732851128771ULL);
	ck_assert_uint_eq(st->mm[MM_ARG_END], 140732851128782ULL);
	ck_assert_uint_eq(st->mm[MM_ENV_START], 140732851128782ULL);
	ck_assert_uint_eq(st->mm[MM_ENV_END], 140732851130345ULL);
	ck_assert_uint_eq(st->mm[MM_BRK], 0);	/* not in stat */
}

START_TEST(test_full_line)
{
	struct stat_info st;

	ck_assert_int_eq(parse("6522 (sleep)" TAIL_52, &st), 0);
	ck_assert_int_eq(st.pid, 6522);
	ck_assert_str_eq(st.comm, "sleep");
	ck_assert_int_eq(st.state, 'S');
	ck_assert_int_eq(st.ppid, 6518);
	ck_assert_uint_eq(st.flags, 4194304);
	ck_assert(!(st.flags & PF_KTHREAD_FLAG));
	ck_assert_int_eq(st.num_threads, 1);
	ck_assert_uint_eq(st.starttime, 35119);
	ck_assert_uint_eq(st.vsize, 2990080);
	ck_assert_int_eq(st.rss_pages, 414);
	ck_assert_int_eq(st.exit_code, 0);
	assert_sleep_mm(&st);
}
END_TEST

START_TEST(test_comm_with_spaces_and_parens)
{
	struct stat_info st;

	ck_assert_int_eq(parse("1234 (a) b (c))" TAIL_52, &st), 0);
	ck_assert_int_eq(st.pid, 1234);
	ck_assert_str_eq(st.comm, "a) b (c)");
	ck_assert_int_eq(st.state, 'S');
	ck_assert_int_eq(st.ppid, 6518);
	assert_sleep_mm(&st);

	ck_assert_int_eq(parse("77 (Web Content)" TAIL_52, &st), 0);
	ck_assert_str_eq(st.comm, "Web Content");

	/* a comm that looks like the start of the fields */
	ck_assert_int_eq(parse("78 (x) R 1 2 3)" TAIL_52, &st), 0);
	ck_assert_str_eq(st.comm, "x) R 1 2 3");
	ck_assert_int_eq(st.state, 'S');

	/* empty comm */
	ck_assert_int_eq(parse("79 ()" TAIL_52, &st), 0);
	ck_assert_str_eq(st.comm, "");
}
END_TEST

START_TEST(test_long_comm_truncated)
{
	char line[1024];
	struct stat_info st;
	char comm[101];

	memset(comm, 'w', 100);
	comm[100] = '\0';
	snprintf(line, sizeof(line), "80 (%s)" TAIL_52, comm);
	ck_assert_int_eq(parse(line, &st), 0);
	ck_assert_uint_eq(strlen(st.comm), sizeof(st.comm) - 1);
	ck_assert_int_eq(st.state, 'S');
	assert_sleep_mm(&st);
}
END_TEST

START_TEST(test_exit_code_and_no_newline)
{
	char line[1024];
	struct stat_info st;
	size_t n;

	snprintf(line, sizeof(line), "6522 (sleep)" TAIL_52);
	n = strlen(line);
	/* exit code 1792 (7 << 8), and no final newline */
	memcpy(line + n - 2, "1792", 5);
	ck_assert_int_eq(parse(line, &st), 0);
	ck_assert_int_eq(st.exit_code, 1792);
	ck_assert_int_eq(st.mm_state, STAT_MM_VALID);
}
END_TEST

START_TEST(test_negative_fields)
{
	struct stat_info st;

	/* tpgid (8) is -1 in every real line; rss (24) is signed */
	ck_assert_int_eq(parse("5 (neg) S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 "
			       "4096 -3 18446744073709551615 4096 8192 12288 0 0 0 0 0 0 0 "
			       "0 0 17 0 0 0 0 0 0 16384 20480 24576 28672 28680 28680 "
			       "28700 0\n", &st), 0);
	ck_assert_int_eq(st.rss_pages, -3);
	ck_assert_int_eq(st.mm_state, STAT_MM_VALID);
	ck_assert_uint_eq(st.mm[MM_START_CODE], 4096);
	ck_assert_uint_eq(st.mm[MM_END_CODE], 8192);
	ck_assert_uint_eq(st.mm[MM_START_STACK], 12288);
	ck_assert_uint_eq(st.mm[MM_START_DATA], 16384);
	ck_assert_uint_eq(st.mm[MM_ENV_END], 28700);

	/* the fields vmmap uses that the kernel prints unsigned: a sign
	 * there is a forged line, not a value to take without the sign */
	ck_assert_int_eq(parse("5 (neg) S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 "
			       "4096 3 18446744073709551615 -4096 8192 12288 0 0 0 0 0 0 0 "
			       "0 0 17 0 0 0 0 0 0 16384 20480 24576 28672 28680 28680 "
			       "28700 0\n", &st), -EINVAL);
	ck_assert_int_eq(parse("5 (neg) S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 "
			       "4096 3 18446744073709551615 4096 8192 12288 0 0 0 0 0 0 0 "
			       "0 0 17 0 0 0 0 0 0 16384 20480 24576 28672 28680 28680 "
			       "-28700 0\n", &st), -EINVAL);
	ck_assert_int_eq(parse("5 (neg) S 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 -9 "
			       "4096 3 18446744073709551615 4096 8192 12288 0 0 0 0 0 0 0 "
			       "0 0 17 0 0 0 0 0 0 16384 20480 24576 28672 28680 28680 "
			       "28700 0\n", &st), -EINVAL);
	/* nor a second sign, which strtoull() would take */
	ck_assert_int_eq(parse("5 (neg) S 1 5 5 0 --1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 "
			       "4096 3 18446744073709551615 4096 8192 12288 0 0 0 0 0 0 0 "
			       "0 0 17 0 0 0 0 0 0 16384 20480 24576 28672 28680 28680 "
			       "28700 0\n", &st), -EINVAL);
}
END_TEST

START_TEST(test_masked)
{
	size_t len;
	char *text = util_read_file(FIXTURES "/edge/stat-masked", &len);
	struct stat_info st;
	int i;

	ck_assert_int_eq(stat_parse(text, len, &st), 0);
	ck_assert_int_eq(st.mm_state, STAT_MM_MASKED);
	ck_assert_uint_eq(st.mm[MM_START_CODE], 1);
	ck_assert_uint_eq(st.mm[MM_END_CODE], 1);
	for (i = MM_START_DATA; i < MM_NFIELDS; i++)
		if (i != MM_START_STACK)
			ck_assert_uint_eq(st.mm[i], 0);
	/* the unmasked fields are still read */
	ck_assert_int_eq(st.pid, 6522);
	ck_assert_uint_eq(st.vsize, 2990080);
	ck_assert_int_eq(st.exit_code, 0);
	free(text);

	/* 1,1 with a real start_stack is not the mask pattern */
	ck_assert_int_eq(parse("6 (m) S 1 6 6 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 4096 1 "
			       "0 1 1 4096 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
			       &st), 0);
	ck_assert_int_eq(st.mm_state, STAT_MM_VALID);
}
END_TEST

START_TEST(test_kthread_no_mm)
{
	size_t len;
	char *text = util_read_file(FIXTURES "/edge/stat-kthread", &len);
	struct stat_info st;
	int i;

	ck_assert_int_eq(stat_parse(text, len, &st), 0);
	ck_assert_int_eq(st.mm_state, STAT_MM_NONE);
	ck_assert_str_eq(st.comm, "kthreadd");
	ck_assert_int_eq(st.pid, 2);
	ck_assert(st.flags & PF_KTHREAD_FLAG);
	for (i = 0; i < MM_NFIELDS; i++)
		ck_assert_uint_eq(st.mm[i], 0);
	free(text);
}
END_TEST

START_TEST(test_zombie)
{
	size_t len;
	char *text = util_read_file(FIXTURES "/edge/stat-zombie", &len);
	struct stat_info st;

	ck_assert_int_eq(stat_parse(text, len, &st), 0);
	ck_assert_int_eq(st.state, 'Z');
	ck_assert_str_eq(st.comm, "exiting (no more)");
	ck_assert_int_eq(st.mm_state, STAT_MM_NONE);
	ck_assert_int_eq(st.exit_code, 1792);
	ck_assert_int_eq(st.ppid, 7000);
	free(text);
}
END_TEST

START_TEST(test_44_fields)
{
	size_t len;
	char *text = util_read_file(FIXTURES "/edge/stat-44-fields", &len);
	struct stat_info st;

	ck_assert_int_eq(stat_parse(text, len, &st), 0);
	ck_assert_int_eq(st.mm_state, STAT_MM_MISSING);
	ck_assert_int_eq(st.exit_code, -1);
	ck_assert_int_eq(st.pid, 6522);
	ck_assert_uint_eq(st.vsize, 2990080);
	free(text);

	/* 47 fields (3.3, 3.4): start_data..start_brk but no arg/env */
	ck_assert_int_eq(parse("6522 (sleep) S 6518 6518 1177 0 -1 4194304 139 0 0 0 0 0 0 0 "
			       "20 0 1 0 35119 2990080 414 18446744073709551615 "
			       "94092461424640 94092461442569 140732851127952 0 0 0 0 6 0 1 "
			       "0 0 17 1 0 0 0 0 0 94092461456656 94092461457920 "
			       "94093161807872\n", &st), 0);
	ck_assert_int_eq(st.mm_state, STAT_MM_MISSING);
	ck_assert_int_eq(st.exit_code, -1);
}
END_TEST

START_TEST(test_garbage)
{
	static const char *const bad[] = {
		"",
		"\n",
		"garbage",
		"hello (world",
		"1234 (a",
		"(sleep)" TAIL_52,			/* no pid */
		"0 (sleep)" TAIL_52,			/* pid 0 */
		"-5 (sleep)" TAIL_52,
		"1234 (sleep)",				/* nothing after comm */
		"1234 (sleep) S",
		"1234 (sleep)S 1 2 3",
		"1234 (sleep) S 1 2 3 4 5 6\n",		/* far too short */
		"1234 (sleep) S 1 x 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
		"21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44\n",
		"1234 (sleep) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
		"21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44x\n",
		"1234 (sleep) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
		"21 22 23 99999999999999999999999 25 26 27 28 29 30 31 32 33 34 35 36 37 38 "
		"39 40 41 42 43 44\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct stat_info st;
		int rc = stat_parse(bad[i], strlen(bad[i]), &st);

		ck_assert_msg(rc == -EINVAL, "stat_parse(\"%s\") = %d, want -EINVAL",
			      bad[i], rc);
	}
}
END_TEST

/* stat_parse() takes a length: bytes after it are not part of the text.
 * Here the buffer goes on after len with more digits of the last field. */
START_TEST(test_len_respected)
{
	char buf[1024];
	struct stat_info st;
	size_t len;

	snprintf(buf, sizeof(buf), "6522 (sleep)" TAIL_52);
	len = strlen(buf) - 1;			/* without the newline */
	memcpy(buf + len, "777\n", 5);		/* "... 0" then "777" beyond len */
	ck_assert_int_eq(stat_parse(buf, len, &st), 0);
	ck_assert_int_eq(st.exit_code, 0);
}
END_TEST

/* The real captures, checked against their other files. */
START_TEST(test_fixture_stat)
{
	char **cases = util_fixture_cases();
	size_t c;

	ck_assert_ptr_nonnull(cases[0]);
	for (c = 0; cases[c]; c++) {
		pid_t pid = util_fixture_pid(cases[c]);
		size_t len, clen, mlen;
		char *text = util_fixture_read(cases[c], "stat", &len);
		char *comm = util_fixture_read(cases[c], "comm", &clen);
		char *maps = util_fixture_read(cases[c], "maps", &mlen);
		char *line = maps, *nl;
		struct stat_info st;
		bool code_seen = false, stack_seen = false;
		uint64_t total = 0;

		ck_assert_int_eq(stat_parse(text, len, &st), 0);
		ck_assert_int_eq(st.pid, pid);
		ck_assert_uint_eq(strlen(st.comm), clen - 1);
		ck_assert(strncmp(st.comm, comm, clen - 1) == 0);
		ck_assert_int_eq(st.mm_state, STAT_MM_VALID);
		ck_assert_int_gt(st.num_threads, 0);
		ck_assert_int_gt(st.rss_pages, 0);
		ck_assert_uint_lt(st.mm[MM_START_CODE], st.mm[MM_END_CODE]);
		ck_assert_uint_le(st.mm[MM_START_DATA], st.mm[MM_END_DATA]);
		ck_assert_uint_le(st.mm[MM_ARG_START], st.mm[MM_ARG_END]);
		ck_assert_uint_le(st.mm[MM_ARG_END], st.mm[MM_ENV_START]);
		ck_assert_uint_le(st.mm[MM_ENV_START], st.mm[MM_ENV_END]);
		/* start_code is in an executable mapping, start_stack in
		 * [stack]; vsize is the size of all real VMAs */
		while ((nl = strchr(line, '\n'))) {
			struct maps_entry m;
			char name[512];

			ck_assert_int_eq(maps_parse_line(line, (size_t)(nl - line), &m,
							 name, sizeof(name)), 0);
			if (m.start <= st.mm[MM_START_CODE] && st.mm[MM_START_CODE] < m.end)
				code_seen = m.perms & MAPS_EXEC;
			if (m.start <= st.mm[MM_START_STACK] && st.mm[MM_START_STACK] < m.end)
				stack_seen = m.name_kind == MAPS_NAME_STACK;
			if (m.name_kind != MAPS_NAME_VSYSCALL)
				total += m.end - m.start;
			line = nl + 1;
		}
		ck_assert_msg(code_seen, "%s: start_code not in an r-x mapping", cases[c]);
		ck_assert_msg(stack_seen, "%s: start_stack not in [stack]", cases[c]);
		ck_assert_uint_eq(st.vsize, total);
		free(text);
		free(comm);
		free(maps);
	}
	util_free_list(cases);
}
END_TEST

/* stat_read_at() on a capture: the same as parsing the text; a missing file
 * is an errno; an empty one (a reaped task) is -ESRCH. */
START_TEST(test_read_at)
{
	char *dir = util_fixture_dir("sleep");
	pid_t pid = util_fixture_pid("sleep");
	struct proc_source src;
	struct proc_handle h;
	struct stat_info a, b;
	size_t len;
	char *text = util_fixture_read("sleep", "stat", &len);
	char tmpl[] = "/tmp/check_stat.XXXXXX";
	int fd;

	ck_assert_int_eq(proc_source_init(&src, dir), 0);
	ck_assert_int_eq(proc_open(&src, pid, &h), 0);
	ck_assert_int_eq(stat_read_at(&h, "stat", &a), 0);
	ck_assert_int_eq(stat_parse(text, len, &b), 0);
	ck_assert_mem_eq(&a, &b, sizeof(a));
	ck_assert_int_eq(stat_read_at(&h, "no-such-file", &a), -ENOENT);
	proc_close(&h);
	proc_source_release(&src);

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	fd = open(tmpl, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	close(openat(fd, "stat", O_WRONLY | O_CREAT | O_TRUNC, 0600));
	{
		struct proc_handle empty = { .dir_fd = fd, .capture = true };

		ck_assert_int_eq(stat_read_at(&empty, "stat", &a), -ESRCH);
	}
	unlinkat(fd, "stat", 0);
	close(fd);
	rmdir(tmpl);
	free(text);
	free(dir);
}
END_TEST

START_TEST(test_mm_field_names)
{
	ck_assert_str_eq(stat_mm_field_name(MM_START_CODE), "start_code");
	ck_assert_str_eq(stat_mm_field_name(MM_END_CODE), "end_code");
	ck_assert_str_eq(stat_mm_field_name(MM_START_BRK), "start_brk");
	ck_assert_str_eq(stat_mm_field_name(MM_BRK), "brk");
	ck_assert_str_eq(stat_mm_field_name(MM_START_STACK), "start_stack");
	ck_assert_str_eq(stat_mm_field_name(MM_ENV_END), "env_end");
	ck_assert_ptr_null(stat_mm_field_name(MM_NFIELDS));
}
END_TEST

static Suite *stat_suite(void)
{
	Suite *s = suite_create("stat");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_full_line);
	tcase_add_test(tc, test_comm_with_spaces_and_parens);
	tcase_add_test(tc, test_long_comm_truncated);
	tcase_add_test(tc, test_exit_code_and_no_newline);
	tcase_add_test(tc, test_negative_fields);
	tcase_add_test(tc, test_masked);
	tcase_add_test(tc, test_kthread_no_mm);
	tcase_add_test(tc, test_zombie);
	tcase_add_test(tc, test_44_fields);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_len_respected);
	tcase_add_test(tc, test_mm_field_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_add_test(tc, test_fixture_stat);
	tcase_add_test(tc, test_read_at);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(stat_suite());
}
