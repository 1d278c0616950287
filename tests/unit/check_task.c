/* check_task.c: cmdline, syscall, thread list and exe (src/proc/task.c),
 * the process argument (src/proc/procfs.c) and C-locale decimals
 * (src/util/text.c). */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/procfs.h"
#include "proc/task.h"
#include "util/text.h"
#include "unit_util.h"

START_TEST(test_cmdline_empty)
{
	char **argv = (char **)1;
	size_t argc = 99;

	/* kernel threads and zombies: an empty file */
	ck_assert_int_eq(cmdline_parse("", 0, &argv, &argc), 0);
	ck_assert_uint_eq(argc, 0);
	ck_assert_ptr_nonnull(argv);
	ck_assert_ptr_null(argv[0]);
	free(argv);
}
END_TEST

START_TEST(test_cmdline_one_arg)
{
	char **argv;
	size_t argc;

	ck_assert_int_eq(cmdline_parse("sleep", 6, &argv, &argc), 0);
	ck_assert_uint_eq(argc, 1);
	ck_assert_str_eq(argv[0], "sleep");
	ck_assert_ptr_null(argv[1]);
	free(argv);
}
END_TEST

START_TEST(test_cmdline_args)
{
	static const char text[] = "sleep\0" "1000";	/* + the literal's NUL */
	char **argv;
	size_t argc;

	ck_assert_int_eq(cmdline_parse(text, sizeof(text), &argv, &argc), 0);
	ck_assert_uint_eq(argc, 2);
	ck_assert_str_eq(argv[0], "sleep");
	ck_assert_str_eq(argv[1], "1000");
	ck_assert_ptr_null(argv[2]);
	free(argv);
}
END_TEST

START_TEST(test_cmdline_no_final_nul)
{
	/* a process that rewrote its argv area need not end it with NUL */
	static const char text[] = "python3\0" "-c\0" "print(1)";
	char **argv;
	size_t argc;

	ck_assert_int_eq(cmdline_parse(text, sizeof(text) - 1, &argv, &argc), 0);
	ck_assert_uint_eq(argc, 3);
	ck_assert_str_eq(argv[0], "python3");
	ck_assert_str_eq(argv[1], "-c");
	ck_assert_str_eq(argv[2], "print(1)");
	ck_assert_ptr_null(argv[3]);
	free(argv);

	/* one argument, no NUL at all */
	ck_assert_int_eq(cmdline_parse("nginx: worker process", 21, &argv, &argc), 0);
	ck_assert_uint_eq(argc, 1);
	ck_assert_str_eq(argv[0], "nginx: worker process");
	free(argv);
}
END_TEST

START_TEST(test_cmdline_empty_args)
{
	static const char text[] = "prog\0\0" "b\0" "\0";	/* prog "" b "" */
	char **argv;
	size_t argc;

	ck_assert_int_eq(cmdline_parse(text, sizeof(text) - 1, &argv, &argc), 0);
	ck_assert_uint_eq(argc, 4);
	ck_assert_str_eq(argv[0], "prog");
	ck_assert_str_eq(argv[1], "");
	ck_assert_str_eq(argv[2], "b");
	ck_assert_str_eq(argv[3], "");
	ck_assert_ptr_null(argv[4]);
	free(argv);

	/* a single empty argument */
	ck_assert_int_eq(cmdline_parse("", 1, &argv, &argc), 0);
	ck_assert_uint_eq(argc, 1);
	ck_assert_str_eq(argv[0], "");
	free(argv);
}
END_TEST

/* The copies are independent of the input buffer. */
START_TEST(test_cmdline_copies)
{
	char text[] = "ab\0cd";
	char **argv;
	size_t argc;

	ck_assert_int_eq(cmdline_parse(text, sizeof(text), &argv, &argc), 0);
	memset(text, 'x', sizeof(text));
	ck_assert_uint_eq(argc, 2);
	ck_assert_str_eq(argv[0], "ab");
	ck_assert_str_eq(argv[1], "cd");
	free(argv);
}
END_TEST

START_TEST(test_cmdline_fixtures)
{
	char **cases = util_fixture_cases();
	size_t c;

	for (c = 0; cases[c]; c++) {
		size_t len, argc, i, total = 0;
		char *text = util_fixture_read(cases[c], "cmdline", &len);
		char **argv;

		ck_assert_int_eq(cmdline_parse(text, len, &argv, &argc), 0);
		ck_assert_uint_ge(argc, 1);
		for (i = 0; i < argc; i++) {
			ck_assert_ptr_nonnull(argv[i]);
			total += strlen(argv[i]) + 1;
		}
		ck_assert_ptr_null(argv[argc]);
		ck_assert_uint_eq(total, len);
		ck_assert_str_eq(argv[0], text);
		free(argv);
		free(text);
	}
	util_free_list(cases);
}
END_TEST

#define SYSCALL(s, sp) syscall_parse_sp(s, strlen(s), sp)

START_TEST(test_syscall_running)
{
	unsigned long long sp = 7;

	ck_assert_int_eq(SYSCALL("running\n", &sp), -EAGAIN);
	ck_assert_int_eq(SYSCALL("running", &sp), -EAGAIN);
}
END_TEST

START_TEST(test_syscall_blocked)
{
	unsigned long long sp = 0;

	/* futex wait of a python thread (reference §4.3) */
	ck_assert_int_eq(SYSCALL("202 0x7fbaec000ba0 0x189 0x0 0x0 0x0 0xffffffff "
				 "0x7fbaf26548c0 0x7fbaf2ca3f16\n", &sp), 0);
	ck_assert_uint_eq(sp, 0x7fbaf26548c0ULL);
	/* a 32-bit task's numbers */
	ck_assert_int_eq(SYSCALL("240 0xf7f7f000 0x80 0x0 0x0 0x0 0x0 0xffd44a8c 0xf7fa1579",
				 &sp), 0);
	ck_assert_uint_eq(sp, 0xffd44a8cULL);
}
END_TEST

START_TEST(test_syscall_not_in_syscall)
{
	unsigned long long sp = 0;

	ck_assert_int_eq(SYSCALL("-1 0x7ffd98b6ade0 0x7fe4f063ef16\n", &sp), 0);
	ck_assert_uint_eq(sp, 0x7ffd98b6ade0ULL);
}
END_TEST

START_TEST(test_syscall_no_stack)
{
	unsigned long long sp = 1;

	/* zombie */
	ck_assert_int_eq(SYSCALL("-1 0x0 0x0\n", &sp), -ESRCH);
	/* kernel thread */
	ck_assert_int_eq(SYSCALL("0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0\n", &sp), -ESRCH);
}
END_TEST

START_TEST(test_syscall_garbage)
{
	static const char *const bad[] = {
		"",
		"\n",
		"garbage",
		"runnin",
		"running now",
		"-1 0x10",
		"-1 0x10 0x20 0x30",
		"202 0x1 0x2 0x3 0x4 0x5 0x6 0x7",
		"202 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9",
		"202 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9 0xa 0xb",
		"-1 zz 0x20",
		"-1 0x12g4 0x20",
		"-1 0x123456789012345678901234567890 0x20",
		"-1 0x10000000000000000 0x20",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned long long sp;
		int rc = SYSCALL(bad[i], &sp);

		ck_assert_msg(rc == -EINVAL, "syscall_parse_sp(\"%s\") = %d, want -EINVAL",
			      bad[i], rc);
	}
}
END_TEST

/* Every captured thread's syscall line gives a stack pointer inside a
 * mapping of its process. */
START_TEST(test_syscall_fixtures)
{
	char **cases = util_fixture_cases();
	size_t c, seen = 0;

	for (c = 0; cases[c]; c++) {
		pid_t pid = util_fixture_pid(cases[c]);
		char *dir = util_fixture_path(cases[c], pid, "task");
		struct dirent *de;
		DIR *d = opendir(dir);

		ck_assert_ptr_nonnull(d);
		while ((de = readdir(d))) {
			char *path;
			size_t len;
			char *text;
			unsigned long long sp = 0;
			int rc;

			if (de->d_name[0] == '.')
				continue;
			ck_assert_int_ge(asprintf(&path, "%s/%s/syscall", dir, de->d_name), 0);
			if (access(path, R_OK) != 0) {
				free(path);
				continue;
			}
			text = util_read_file(path, &len);
			rc = syscall_parse_sp(text, len, &sp);
			ck_assert_msg(rc == 0 || rc == -EAGAIN, "%s: %d", path, rc);
			if (rc == 0) {
				ck_assert_uint_gt(sp, 0);
				seen++;
			}
			free(text);
			free(path);
		}
		closedir(d);
		free(dir);
	}
	ck_assert_uint_gt(seen, 0);
	util_free_list(cases);
}
END_TEST

START_TEST(test_pid_arg)
{
	pid_t pid = 0;

	ck_assert_int_eq(proc_parse_pid_arg("42", &pid), 0);
	ck_assert_int_eq(pid, 42);
	pid = 0;
	ck_assert_int_eq(proc_parse_pid_arg("/proc/42", &pid), 0);
	ck_assert_int_eq(pid, 42);
	pid = 0;
	ck_assert_int_eq(proc_parse_pid_arg("/proc/42/", &pid), 0);
	ck_assert_int_eq(pid, 42);
	ck_assert_int_eq(proc_parse_pid_arg("1", &pid), 0);
	ck_assert_int_eq(pid, 1);
	ck_assert_int_eq(proc_parse_pid_arg("4194304", &pid), 0);
	ck_assert_int_eq(pid, 4194304);
}
END_TEST

START_TEST(test_pid_arg_invalid)
{
	static const char *const bad[] = {
		"0", "-1", "abc", "42x", "", "/proc/", "/proc/abc", "/proc/42/maps",
		"/proc/42//", "+42", " 42", "42 ", "/proc/-1", "/proc/0",
		"proc/42", "/proc42", "99999999999999999999", "2147483648",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pid_t pid = 1234;
		int rc = proc_parse_pid_arg(bad[i], &pid);

		ck_assert_msg(rc == -EINVAL, "proc_parse_pid_arg(\"%s\") = %d, want -EINVAL",
			      bad[i], rc);
		ck_assert_int_eq(pid, 1234);	/* untouched on failure */
	}
}
END_TEST

/* Non-dumpability, live on ourselves and, as root, on a scratch directory
 * owned the way the kernel owns /proc/PID of a non-dumpable process. */
START_TEST(test_nondumpable)
{
	struct proc_source src;
	struct proc_handle h;
	char dir[] = "/tmp/check_task.XXXXXX", path[64];
	int fd;

	ck_assert_int_eq(proc_source_init(&src, NULL), 0);
	ck_assert_int_eq(proc_open(&src, getpid(), &h), 0);
	ck_assert_int_eq(proc_is_nondumpable(&h), 0);
	ck_assert_int_eq(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), 0);
	/* root's files are root's either way: it cannot be told */
	ck_assert_int_eq(proc_is_nondumpable(&h), geteuid() != 0);
	ck_assert_int_eq(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
	ck_assert_int_eq(proc_is_nondumpable(&h), 0);
	proc_close(&h);
	proc_source_release(&src);

	if (geteuid() != 0)
		return;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/maps", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0444);
	ck_assert_int_ge(fd, 0);
	close(fd);
	h.dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(h.dir_fd, 0);
	ck_assert_int_eq(proc_is_nondumpable(&h), 0);		/* root:root, both */
	ck_assert_int_eq(chown(dir, 65534, 65534), 0);
	ck_assert_int_eq(proc_is_nondumpable(&h), 1);		/* maps given to root */
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	ck_assert_int_eq(proc_is_nondumpable(&h), 0);		/* dumpable nobody */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(proc_is_nondumpable(&h), -ENOENT);
	close(h.dir_fd);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* task_list() and task_read_exe() on the captures. */
START_TEST(test_task_list_fixtures)
{
	char **cases = util_fixture_cases();
	size_t c;

	for (c = 0; cases[c]; c++) {
		char *root = util_fixture_dir(cases[c]);
		pid_t pid = util_fixture_pid(cases[c]);
		char *taskdir = util_fixture_path(cases[c], pid, "task");
		struct proc_source src;
		struct proc_handle h;
		struct dirent *de;
		pid_t *tids;
		size_t n, i, expect = 0;
		bool main_seen = false;
		DIR *d = opendir(taskdir);

		ck_assert_ptr_nonnull(d);
		while ((de = readdir(d)))
			if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
				expect++;
		closedir(d);

		ck_assert_int_eq(proc_source_init(&src, root), 0);
		ck_assert(!proc_source_is_live(&src));
		ck_assert_int_eq(proc_open(&src, pid, &h), 0);
		ck_assert_int_eq(task_list(&h, &tids, &n), 0);
		ck_assert_uint_eq(n, expect);
		for (i = 0; i < n; i++) {
			if (i)
				ck_assert_int_lt(tids[i - 1], tids[i]);
			main_seen |= tids[i] == pid;
		}
		ck_assert(main_seen);
		free(tids);

		/* exe, when the capture has the link */
		{
			char *exe = NULL, *link = util_fixture_path(cases[c], pid, "exe");
			int deleted = -1;
			char target[4096];
			ssize_t tl = readlink(link, target, sizeof(target) - 1);

			if (tl > 0) {
				target[tl] = '\0';
				ck_assert_int_eq(task_read_exe(&h, &exe, &deleted), 0);
				ck_assert_str_eq(exe, target);
				ck_assert_int_eq(deleted, 0);
				free(exe);
			}
			free(link);
		}
		proc_close(&h);
		proc_source_release(&src);
		free(taskdir);
		free(root);
	}
	util_free_list(cases);
}
END_TEST

/* Decimals are read with a '.', whatever the locale: "0,5" is refused. */
START_TEST(test_parse_decimal)
{
	static const char *const bad[] = {
		"", ".", "0,5", "1,0", "-1", "+1", "1e3", "inf", "nan", "0x10",
		" 1", "1 ", "1..2", "1.2.3", NULL
	};
	double v = -1;
	int i;

	ck_assert_int_eq(parse_decimal("0.5", 3, &v), 0);
	ck_assert(v == 0.5);
	ck_assert_int_eq(parse_decimal(".25", 3, &v), 0);
	ck_assert(v == 0.25);
	ck_assert_int_eq(parse_decimal("7.", 2, &v), 0);
	ck_assert(v == 7);
	ck_assert_int_eq(parse_decimal("3600", 4, &v), 0);
	ck_assert(v == 3600);
	ck_assert_int_eq(parse_decimal("12345.67 1", 8, &v), 0);
	ck_assert(v > 12345.669 && v < 12345.671);
	for (i = 0; bad[i]; i++) {
		v = -1;
		ck_assert_msg(parse_decimal(bad[i], strlen(bad[i]), &v) == -EINVAL,
			      "\"%s\" taken", bad[i]);
		ck_assert(v == -1);
	}
}
END_TEST

START_TEST(test_parse_tid)
{
	static const char *const bad[] = {
		"", "0", "-1", "+7", "00020098", "07", " 7", "7 ", "7x", "x7",
		"2147483648", "99999999999", "1e3", NULL
	};
	pid_t t = -1;
	int i;

	ck_assert_int_eq(task_parse_tid("1", &t), 0);
	ck_assert_int_eq(t, 1);
	ck_assert_int_eq(task_parse_tid("20098", &t), 0);
	ck_assert_int_eq(t, 20098);
	ck_assert_int_eq(task_parse_tid("2147483647", &t), 0);
	ck_assert_int_eq(t, 2147483647);
	for (i = 0; bad[i]; i++) {
		t = -1;
		ck_assert_msg(task_parse_tid(bad[i], &t) == -EINVAL, "\"%s\" taken", bad[i]);
		ck_assert_int_eq(t, -1);
	}
}
END_TEST

/* A capture's task/ may hold anything: only directories named by a
 * canonical TID are threads (not "-1", "00020098", a file or a symlink). */
START_TEST(test_task_list_odd_entries)
{
	char tmpl[] = "/tmp/check_task.XXXXXX";
	static const char *const dirs[] = { "proc", "proc/9", "proc/9/task",
		"proc/9/task/9", "proc/9/task/12", "proc/9/task/-1",
		"proc/9/task/00020098", "proc/9/task/+5", "proc/9/task/0", NULL };
	struct proc_source src;
	struct proc_handle h;
	char path[512], cmd[600];
	pid_t *tids;
	size_t n;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	for (i = 0; dirs[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpl, dirs[i]);
		ck_assert_int_eq(mkdir(path, 0755), 0);
	}
	snprintf(path, sizeof(path), "%s/proc/9/task/13", tmpl);
	close(open(path, O_WRONLY | O_CREAT, 0600));
	snprintf(path, sizeof(path), "%s/proc/9/task/14", tmpl);
	ck_assert_int_eq(symlink("/etc", path), 0);
	snprintf(path, sizeof(path), "%s/proc/9/task/15", tmpl);
	ck_assert_int_eq(symlink("12", path), 0);

	ck_assert_int_eq(proc_source_init(&src, tmpl), 0);
	ck_assert_int_eq(proc_open(&src, 9, &h), 0);
	ck_assert_int_eq(task_list(&h, &tids, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(tids[0], 9);
	ck_assert_int_eq(tids[1], 12);
	free(tids);
	proc_close(&h);
	proc_source_release(&src);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A capture's task/ may hold names a kernel never writes: "4294967295"
 * and "2147483648" (strtol() takes them, then pid_t wraps them negative),
 * "0", "-1", "+100" and "0100" (the main thread again), "abc". Only the
 * real thread is listed. */
START_TEST(test_task_list_odd_names)
{
	char *root = util_fixture_dir("hostile/tids-odd");
	pid_t pid = util_fixture_pid("hostile/tids-odd");
	struct proc_source src;
	struct proc_handle h;
	pid_t *tids;
	size_t n;

	ck_assert_int_eq(proc_source_init(&src, root), 0);
	ck_assert_int_eq(proc_open(&src, pid, &h), 0);
	ck_assert_int_eq(task_list(&h, &tids, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(tids[0], pid);
	free(tids);
	proc_close(&h);
	proc_source_release(&src);
	free(root);
}
END_TEST

/* A deleted executable: " (deleted)" is stripped into *deleted; a process
 * without an exe link (kernel thread, zombie) answers -ENOENT; so does a
 * process without a task directory for task_list(). */
START_TEST(test_exe_deleted_and_missing)
{
	char tmpl[] = "/tmp/check_task.XXXXXX";
	char path[256];
	struct proc_source src;
	struct proc_handle h;
	char *exe = NULL;
	int deleted = 0;
	pid_t *tids = (pid_t *)1;
	size_t n = 9;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/proc", tmpl);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/proc/77", tmpl);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/proc/78", tmpl);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/proc/77/exe", tmpl);
	ck_assert_int_eq(symlink("/usr/bin/gone (deleted)", path), 0);

	ck_assert_int_eq(proc_source_init(&src, tmpl), 0);
	ck_assert_int_eq(proc_open(&src, 77, &h), 0);
	ck_assert_int_eq(task_read_exe(&h, &exe, &deleted), 0);
	ck_assert_str_eq(exe, "/usr/bin/gone");
	ck_assert_int_eq(deleted, 1);
	free(exe);
	proc_close(&h);

	ck_assert_int_eq(proc_open(&src, 78, &h), 0);
	ck_assert_int_eq(task_read_exe(&h, &exe, &deleted), -ENOENT);
	ck_assert_int_eq(task_list(&h, &tids, &n), -ENOENT);
	ck_assert_ptr_null(tids);
	ck_assert_uint_eq(n, 0);
	proc_close(&h);
	proc_source_release(&src);

	snprintf(path, sizeof(path), "%s/proc/77/exe", tmpl);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/77", tmpl);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc/78", tmpl);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/proc", tmpl);
	rmdir(path);
	rmdir(tmpl);
}
END_TEST

/* The live opener on this very process. */
START_TEST(test_live_self)
{
	struct proc_source src;
	struct proc_handle h;
	pid_t *tids;
	size_t n;
	char *exe;
	int deleted;

	ck_assert_int_eq(proc_source_init(&src, NULL), 0);
	ck_assert(proc_source_is_live(&src));
	ck_assert_int_eq(proc_open(&src, getpid(), &h), 0);
	ck_assert_int_eq(task_list(&h, &tids, &n), 0);
	ck_assert_uint_ge(n, 1);
	ck_assert_int_eq(tids[0], getpid());
	free(tids);
	ck_assert_int_eq(task_read_exe(&h, &exe, &deleted), 0);
	ck_assert(strstr(exe, "check_task") != NULL);
	free(exe);
	proc_close(&h);
	proc_source_release(&src);
}
END_TEST

static Suite *task_suite(void)
{
	Suite *s = suite_create("task");
	TCase *tc = tcase_create("cmdline");

	tcase_add_test(tc, test_cmdline_empty);
	tcase_add_test(tc, test_cmdline_one_arg);
	tcase_add_test(tc, test_cmdline_args);
	tcase_add_test(tc, test_cmdline_no_final_nul);
	tcase_add_test(tc, test_cmdline_empty_args);
	tcase_add_test(tc, test_cmdline_copies);
	tcase_add_test(tc, test_cmdline_fixtures);
	suite_add_tcase(s, tc);

	tc = tcase_create("syscall");
	tcase_add_test(tc, test_syscall_running);
	tcase_add_test(tc, test_syscall_blocked);
	tcase_add_test(tc, test_syscall_not_in_syscall);
	tcase_add_test(tc, test_syscall_no_stack);
	tcase_add_test(tc, test_syscall_garbage);
	tcase_add_test(tc, test_syscall_fixtures);
	suite_add_tcase(s, tc);

	tc = tcase_create("pid_arg");
	tcase_add_test(tc, test_pid_arg);
	tcase_add_test(tc, test_pid_arg_invalid);
	tcase_add_test(tc, test_parse_decimal);
	tcase_add_test(tc, test_nondumpable);
	suite_add_tcase(s, tc);

	tc = tcase_create("threads_exe");
	tcase_add_test(tc, test_parse_tid);
	tcase_add_test(tc, test_task_list_odd_entries);
	tcase_add_test(tc, test_task_list_fixtures);
	tcase_add_test(tc, test_task_list_odd_names);
	tcase_add_test(tc, test_exe_deleted_and_missing);
	tcase_add_test(tc, test_live_self);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(task_suite());
}
