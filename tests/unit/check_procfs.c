/* check_procfs.c: the opener every reader shares (src/proc/procfs.c), on a
 * hostile capture made at test time: FIFOs, devices, symlinks that lead
 * out, huge files. Each case would hang, read a host file or eat memory if
 * the opener trusted the capture. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/procfs.h"
#include "util/text.h"
#include "unit_util.h"

static char root[] = "/tmp/check_procfs.XXXXXX";
static char outside[256];

static void put(const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *rel, const char *target)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(symlink(target, path), 0);
}

/* ROOT/proc/42 with a good stat, and beside ROOT a secret file. */
static void setup(void)
{
	char path[4096];

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/proc", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/42", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/usr", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put("proc/42/stat", "42 (x) S 1\n");
	put("usr/inside", "inside\n");
	snprintf(outside, sizeof(outside), "%s.secret", root);
	{
		FILE *f = fopen(outside, "w");

		ck_assert_ptr_nonnull(f);
		fputs("secret\n", f);
		fclose(f);
	}
}

static void teardown(void)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", root, outside);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(root, "/tmp/check_procfs.XXXXXX");
}

static void open_capture(struct proc_source *src, struct proc_handle *h)
{
	ck_assert_int_eq(proc_source_init(src, root), 0);
	ck_assert_int_eq(proc_open(src, 42, h), 0);
	ck_assert(h->capture);
}

static int read_rc(const struct proc_handle *h, const char *name)
{
	struct buf b = { 0 };
	int rc = proc_read_file(h, name, &b);

	if (rc)
		ck_assert_uint_eq(b.len, 0);
	buf_release(&b);
	return rc;
}

START_TEST(test_regular_file_reads)
{
	struct proc_source src;
	struct proc_handle h;
	struct buf b = { 0 };

	open_capture(&src, &h);
	ck_assert_int_eq(proc_read_file(&h, "stat", &b), 0);
	ck_assert_str_eq(b.data, "42 (x) S 1\n");
	buf_release(&b);
	ck_assert_int_eq(read_rc(&h, "missing"), -ENOENT);
	proc_close(&h);
	proc_source_release(&src);
}
END_TEST

/* A FIFO with no writer: opened for reading it would block for ever. */
START_TEST(test_fifo_refused)
{
	struct proc_source src;
	struct proc_handle h;
	char path[4096];

	snprintf(path, sizeof(path), "%s/proc/42/smaps", root);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	open_capture(&src, &h);
	ck_assert_int_eq(proc_openat(&h, "smaps"), -PROC_ENOTREG);
	ck_assert_int_eq(read_rc(&h, "smaps"), -PROC_ENOTREG);
	ck_assert_str_eq(errno_text(-PROC_ENOTREG), "not a regular file");
	proc_close(&h);
	proc_source_release(&src);
}
END_TEST

/* Symlinks out of the capture, absolute or by "..", to a device or a host
 * file; and a directory instead of a file. */
START_TEST(test_escapes_refused)
{
	struct proc_source src;
	struct proc_handle h;
	char rel[4096];

	link_to("proc/42/smaps", "/dev/zero");
	snprintf(rel, sizeof(rel), "../../../../../../../..%s", outside);
	link_to("proc/42/status", rel);
	link_to("proc/42/cmdline", outside);
	link_to("proc/42/limits", "../../usr/inside");
	open_capture(&src, &h);
	ck_assert_int_eq(read_rc(&h, "smaps"), -PROC_EOUTSIDE);
	ck_assert_int_eq(read_rc(&h, "status"), -PROC_EOUTSIDE);
	ck_assert_int_eq(read_rc(&h, "cmdline"), -PROC_EOUTSIDE);
	/* the process directory is the boundary, not the sysroot */
	ck_assert_int_eq(read_rc(&h, "limits"), -PROC_EOUTSIDE);
	ck_assert_int_eq(read_rc(&h, "../../usr/inside"), -PROC_EOUTSIDE);
	ck_assert_int_eq(read_rc(&h, "."), -PROC_ENOTREG);
	ck_assert_str_eq(errno_text(-PROC_EOUTSIDE), "it leads outside the capture");
	proc_close(&h);
	proc_source_release(&src);
}
END_TEST

/* A process directory that is a symlink out, and a proc root that is one. */
START_TEST(test_dir_escapes_refused)
{
	struct proc_source src;
	struct proc_handle h;
	char path[4096], real[4096];

	link_to("proc/43", "/proc/self");
	ck_assert_int_eq(proc_source_init(&src, root), 0);
	ck_assert_int_eq(proc_open(&src, 43, &h), -PROC_EOUTSIDE);
	ck_assert_int_lt(h.dir_fd, 0);
	proc_source_release(&src);

	snprintf(path, sizeof(path), "%s/proc", root);
	snprintf(real, sizeof(real), "%s/proc.real", root);
	ck_assert_int_eq(rename(path, real), 0);
	ck_assert_int_eq(symlink("/proc", path), 0);
	ck_assert_int_eq(proc_source_init(&src, root), -PROC_EOUTSIDE);
	ck_assert_int_eq(proc_source_init(&src, "/nonexistent/sysroot"), -ENOENT);
}
END_TEST

/* Size: a captured file larger than the cap is refused before reading; a
 * file read whole stops at PROC_READ_MAX. */
START_TEST(test_huge_refused)
{
	struct proc_source src;
	struct proc_handle h;
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/proc/42/smaps", root);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)PROC_CAPTURE_FILE_MAX + 1), 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/proc/42/cmdline", root);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)PROC_READ_MAX + 1), 0);
	close(fd);

	open_capture(&src, &h);
	ck_assert_int_eq(proc_openat(&h, "smaps"), -EFBIG);
	ck_assert_int_eq(read_rc(&h, "cmdline"), -EFBIG);
	proc_close(&h);
	proc_source_release(&src);
}
END_TEST

/* A path as the target saw it is looked up with the sysroot as "/". */
START_TEST(test_open_in_root)
{
	struct proc_source src;
	char rel[4096], buf[16];
	ssize_t n;
	int fd;

	link_to("usr/abs", outside);
	snprintf(rel, sizeof(rel), "../../../../../..%s", outside);
	link_to("usr/dotdot", rel);
	link_to("usr/dev", "/dev/zero");
	ck_assert_int_eq(proc_source_init(&src, root), 0);

	fd = proc_source_open_in_root(&src, "/usr/inside");
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf));
	ck_assert_int_eq(n, 7);
	close(fd);
	fd = proc_source_open_in_root(&src, "/../../../usr/inside");
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(proc_source_open_in_root(&src, "/usr/abs"), -ENOENT);
	ck_assert_int_eq(proc_source_open_in_root(&src, "/usr/dotdot"), -ENOENT);
	ck_assert_int_eq(proc_source_open_in_root(&src, "/usr/dev"), -ENOENT);
	ck_assert_int_eq(proc_source_open_in_root(&src, "/usr"), -PROC_ENOTREG);
	proc_source_release(&src);
}
END_TEST

/* Live, the kernel's files are read as before. */
START_TEST(test_live_self)
{
	struct proc_source src;
	struct proc_handle h;
	struct buf b = { 0 };
	int fd;

	ck_assert_int_eq(proc_source_init(&src, NULL), 0);
	ck_assert_int_eq(proc_open(&src, getpid(), &h), 0);
	ck_assert(!h.capture);
	ck_assert_int_eq(proc_read_file(&h, "stat", &b), 0);
	ck_assert_uint_gt(b.len, 10);
	fd = proc_open_exe(&h);
	ck_assert_int_ge(fd, 0);
	close(fd);
	fd = proc_source_openat(&src, "meminfo");
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(proc_source_open_in_root(&src, "/etc/passwd"), -EINVAL);
	buf_release(&b);
	proc_close(&h);
	proc_source_release(&src);
}
END_TEST

static Suite *procfs_suite(void)
{
	Suite *s = suite_create("procfs");
	TCase *tc = tcase_create("capture");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_regular_file_reads);
	tcase_add_test(tc, test_fifo_refused);
	tcase_add_test(tc, test_escapes_refused);
	tcase_add_test(tc, test_dir_escapes_refused);
	tcase_add_test(tc, test_huge_refused);
	tcase_add_test(tc, test_open_in_root);
	suite_add_tcase(s, tc);

	tc = tcase_create("live");
	tcase_add_test(tc, test_live_self);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(procfs_suite());
}
