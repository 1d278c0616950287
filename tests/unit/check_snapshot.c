/* check_snapshot.c: loading a process through the readers, and the
 * snapshot helpers (src/model/snapshot.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/load.h"
#include "model/analyse.h"
#include "model/snapshot.h"
#include "unit_util.h"

/* ---- a scratch sysroot ------------------------------------------------ */

static char sysroot[64];

static void write_file(const char *rel, const char *data, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_msg(fd >= 0, "cannot create %s", path);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void copy_file(const char *rel, const char *src)
{
	size_t len;
	char *data = util_read_file(src, &len);

	write_file(rel, data, len);
	free(data);
}

static void make_dir(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

/* proc/PID with the sleep capture's files, stat and smaps replaced. */
static void make_process(pid_t pid, const char *stat_src, const char *smaps_src)
{
	pid_t spid = util_fixture_pid("sleep");
	char rel[128], *src;

	snprintf(rel, sizeof(rel), "proc/%d", (int)pid);
	make_dir(rel);
	snprintf(rel, sizeof(rel), "proc/%d/task", (int)pid);
	make_dir(rel);
	snprintf(rel, sizeof(rel), "proc/%d/stat", (int)pid);
	if (stat_src) {
		copy_file(rel, stat_src);
	} else {
		src = util_fixture_path("sleep", spid, "stat");
		copy_file(rel, src);
		free(src);
	}
	snprintf(rel, sizeof(rel), "proc/%d/smaps", (int)pid);
	if (smaps_src) {
		copy_file(rel, smaps_src);
	} else {
		src = util_fixture_path("sleep", spid, "smaps");
		copy_file(rel, src);
		free(src);
	}
	snprintf(rel, sizeof(rel), "proc/%d/status", (int)pid);
	src = util_fixture_path("sleep", spid, "status");
	copy_file(rel, src);
	free(src);
	snprintf(rel, sizeof(rel), "proc/%d/cmdline", (int)pid);
	write_file(rel, "sleep\0" "1000", 11);
}

static void sysroot_setup(void)
{
	snprintf(sysroot, sizeof(sysroot), "/tmp/check_snapshot.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(sysroot));
	make_dir("proc");
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	return remove(path);
}

static void sysroot_teardown(void)
{
	/* only ever our own mkdtemp() directory */
	if (strncmp(sysroot, "/tmp/check_snapshot.", 20) == 0)
		nftw(sysroot, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int load(pid_t pid, struct snapshot *s, struct load_error *err)
{
	struct source src;
	int rc;

	ck_assert_int_eq(source_open_proc(&src, sysroot), 0);
	rc = snapshot_load(&src, pid, NULL, s, err);
	source_close(&src);
	return rc;
}

static bool has_warning(const struct snapshot *s, const char *text)
{
	size_t i;

	for (i = 0; i < s->nwarnings; i++)
		if (strstr(s->warnings[i], text))
			return true;
	return false;
}

/* ---- the captures ------------------------------------------------------ */

START_TEST(test_load_fixtures)
{
	char **cases = util_fixture_cases();
	size_t c;

	ck_assert_ptr_nonnull(cases[0]);
	for (c = 0; cases[c]; c++) {
		char *root = util_fixture_dir(cases[c]);
		pid_t pid = util_fixture_pid(cases[c]);
		struct source src;
		struct load_error err;
		struct snapshot s;
		size_t mlen, clen, i;
		char *maps = util_fixture_read(cases[c], "maps", &mlen);
		char *comm = util_fixture_read(cases[c], "comm", &clen);

		ck_assert_int_eq(source_open_proc(&src, root), 0);
		ck_assert_msg(snapshot_load(&src, pid, NULL, &s, &err) == 0, "%s: %s",
			      cases[c], err.msg);
		ck_assert_int_eq(err.kind, LOAD_OK);
		ck_assert_int_eq(s.pid, pid);
		ck_assert(!s.live);
		ck_assert(s.mm_known);
		ck_assert(s.status_known);
		ck_assert_uint_eq(strlen(s.stat.comm), clen - 1);
		ck_assert_uint_eq(s.nregions, util_count_lines(maps, mlen));
		for (i = 1; i < s.nregions; i++)
			ck_assert_uint_le(s.regions[i - 1].end, s.regions[i].start);
		ck_assert_ptr_nonnull(s.argv);
		ck_assert_uint_ge(s.argc, 1);
		ck_assert_ptr_nonnull(s.exe);
		ck_assert(s.elf_class == 32 || s.elf_class == 64);
		ck_assert_ptr_nonnull(s.arch);
		ck_assert_uint_ge(s.nthreads, 1);
		ck_assert_int_eq(s.threads[0].tid, pid);
		ck_assert_int_eq(s.nthreads, s.stat.num_threads);
		/* the break is the end of [heap] */
		for (i = 0; i < s.nregions; i++)
			if (s.regions[i].name_kind == MAPS_NAME_HEAP) {
				ck_assert(s.brk_known);
				ck_assert_uint_eq(s.stat.mm[MM_BRK], s.regions[i].end);
				ck_assert_uint_ge(s.regions[i].start, s.stat.mm[MM_START_BRK]);
			}
		snapshot_release(&s);
		ck_assert_ptr_null(s.regions);
		source_close(&src);
		free(maps);
		free(comm);
		free(root);
	}
	util_free_list(cases);
}
END_TEST

/* A clean capture loads without a single warning. */
START_TEST(test_sleep_no_warnings)
{
	char *root = util_fixture_dir("sleep");
	struct source src;
	struct load_error err;
	struct snapshot s;

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_int_eq(snapshot_load(&src, util_fixture_pid("sleep"), NULL, &s, &err), 0);
	ck_assert_msg(s.nwarnings == 0, "%zu warnings, the first: %s", s.nwarnings,
		      s.nwarnings ? s.warnings[0] : "");
	ck_assert_str_eq(s.exe, "/usr/bin/sleep");
	ck_assert(!s.exe_deleted);
	ck_assert_str_eq(s.argv[0], "sleep");
	ck_assert_int_eq(s.elf_class, 64);
	ck_assert_str_eq(s.arch, "x86_64");
	snapshot_release(&s);
	source_close(&src);
	free(root);
}
END_TEST

START_TEST(test_find_region)
{
	struct snapshot s;

	ck_assert_int_eq(snapshot_init(&s, 1), 0);
	ck_assert_int_eq(snapshot_find_region(&s, 0x1000), -1);
	util_add_region(&s, "1000-3000 r--p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(&s, "3000-4000 rw-p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(&s, "8000-9000 rw-p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(&s, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 "
			"[vsyscall]", NULL, NULL);
	ck_assert_int_eq(snapshot_find_region(&s, 0), -1);
	ck_assert_int_eq(snapshot_find_region(&s, 0xfff), -1);
	ck_assert_int_eq(snapshot_find_region(&s, 0x1000), 0);
	ck_assert_int_eq(snapshot_find_region(&s, 0x2fff), 0);
	ck_assert_int_eq(snapshot_find_region(&s, 0x3000), 1);	/* end is exclusive */
	ck_assert_int_eq(snapshot_find_region(&s, 0x3fff), 1);
	ck_assert_int_eq(snapshot_find_region(&s, 0x4000), -1);
	ck_assert_int_eq(snapshot_find_region(&s, 0x7fff), -1);
	ck_assert_int_eq(snapshot_find_region(&s, 0x8000), 2);
	ck_assert_int_eq(snapshot_find_region(&s, 0x9000), -1);
	ck_assert_int_eq(snapshot_find_region(&s, 0xffffffffff600abcULL), 3);
	ck_assert_int_eq(snapshot_find_region(&s, UINT64_MAX), -1);
	snapshot_release(&s);
}
END_TEST

/* snapshot_add_region() copies what it is given. */
START_TEST(test_add_region_copies)
{
	struct snapshot s;
	struct maps_entry m;
	struct smaps_counters c = { 0 };
	char line[] = "7f0000000000-7f0000001000 r-xs 00002000 fe:01 77 /tmp/x (deleted)";
	char name[sizeof(line)];
	const struct region *r;
	size_t i;

	ck_assert_int_eq(snapshot_init(&s, 1), 0);
	ck_assert_uint_eq(s.page_size, 4096);
	ck_assert_int_eq(maps_parse_line(line, strlen(line), &m, name, sizeof(name)), 0);
	util_set_counter(&c, SMAPS_RSS, 4096);
	ck_assert_int_eq(snapshot_add_region(&s, &m, &c, 5, true), 0);
	memset(name, 'Z', sizeof(name) - 1);
	memset(&c, 0xff, sizeof(c));
	r = &s.regions[0];
	ck_assert_str_eq(region_path(&s, r), "/tmp/x");
	ck_assert_uint_eq(r->start, 0x7f0000000000ULL);
	ck_assert_uint_eq(r->end, 0x7f0000001000ULL);
	ck_assert_uint_eq(r->offset, 0x2000);
	ck_assert_uint_eq(r->dev_major, 0xfe);
	ck_assert_uint_eq(r->dev_minor, 1);
	ck_assert_uint_eq(r->inode, 77);
	ck_assert_uint_eq(r->perms, MAPS_READ | MAPS_EXEC | MAPS_SHARED);
	ck_assert_int_eq(r->name_kind, MAPS_NAME_PATH);
	ck_assert(r->flags & REGION_DELETED);
	ck_assert(r->flags & REGION_HAS_VMFLAGS);
	ck_assert_uint_eq(r->vm_flags, 5);
	ck_assert_uint_eq(r->counters.present, 1u << SMAPS_RSS);
	ck_assert_uint_eq(r->counters.v[SMAPS_RSS], 4096);

	/* without counters or flags; and many regions (the array grows) */
	for (i = 1; i < 1000; i++) {
		m.start = 0x7f0000001000ULL + i * 0x1000;
		m.end = m.start + 0x1000;
		ck_assert_int_eq(snapshot_add_region(&s, &m, NULL, 0, false), 0);
	}
	ck_assert_uint_eq(s.nregions, 1000);
	ck_assert_uint_eq(s.regions[999].counters.present, 0);
	ck_assert(!(s.regions[999].flags & REGION_HAS_VMFLAGS));
	ck_assert_str_eq(region_path(&s, &s.regions[0]), "/tmp/x");
	ck_assert_int_eq(snapshot_find_region(&s, 0x7f00003e8800ULL), 999);
	snapshot_release(&s);
}
END_TEST

START_TEST(test_warn)
{
	struct snapshot s;

	ck_assert_int_eq(snapshot_init(&s, 1), 0);
	ck_assert_int_eq(snapshot_warn(&s, "cannot read %s: %s", "/proc/1/exe",
				       "permission denied"), 0);
	ck_assert_int_eq(snapshot_warn(&s, "%d more", 3), 0);
	ck_assert_uint_eq(s.nwarnings, 2);
	ck_assert_str_eq(s.warnings[0], "cannot read /proc/1/exe: permission denied");
	ck_assert_str_eq(s.warnings[1], "3 more");
	snapshot_release(&s);
	ck_assert_uint_eq(s.nwarnings, 0);
	ck_assert_ptr_null(s.warnings);
}
END_TEST

/* ---- failures ---------------------------------------------------------- */

START_TEST(test_not_found)
{
	struct snapshot s;
	struct load_error err;

	ck_assert_int_eq(load(424242, &s, &err), -ENOENT);
	ck_assert_int_eq(err.kind, LOAD_NOT_FOUND);
	ck_assert_int_eq(err.err, -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, "424242"));
	ck_assert_ptr_nonnull(strstr(err.msg, "not found"));
	ck_assert_ptr_null(s.regions);
}
END_TEST

START_TEST(test_kernel_thread)
{
	struct snapshot s;
	struct load_error err;

	make_process(2, FIXTURES "/edge/stat-kthread", NULL);
	ck_assert_int_lt(load(2, &s, &err), 0);
	ck_assert_int_eq(err.kind, LOAD_FAILED);
	ck_assert_ptr_nonnull(strstr(err.msg, "kernel thread"));
	ck_assert_ptr_nonnull(strstr(err.msg, "kthreadd"));
	ck_assert_ptr_null(s.regions);
}
END_TEST

START_TEST(test_zombie)
{
	struct snapshot s;
	struct load_error err;

	make_process(7001, FIXTURES "/edge/stat-zombie", NULL);
	ck_assert_int_eq(load(7001, &s, &err), -ESRCH);
	ck_assert_int_eq(err.kind, LOAD_FAILED);
	ck_assert_ptr_nonnull(strstr(err.msg, "zombie"));
}
END_TEST

/* Without ptrace access stat's boundaries are masked: the load goes on,
 * says so, and does not take 1,1,0 for addresses. */
START_TEST(test_masked_stat)
{
	struct snapshot s;
	struct load_error err;

	make_process(6522, FIXTURES "/edge/stat-masked", NULL);
	ck_assert_msg(load(6522, &s, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(s.stat.mm_state, STAT_MM_MASKED);
	ck_assert(!s.mm_known);
	ck_assert(has_warning(&s, "hidden"));
	/* the break still comes from [heap] */
	ck_assert(s.brk_known);
	ck_assert_uint_gt(s.nregions, 0);
	snapshot_release(&s);
}
END_TEST

START_TEST(test_old_kernel_stat)
{
	struct snapshot s;
	struct load_error err;

	make_process(6522, FIXTURES "/edge/stat-44-fields", NULL);
	ck_assert_msg(load(6522, &s, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(s.stat.mm_state, STAT_MM_MISSING);
	ck_assert(!s.mm_known);
	ck_assert(has_warning(&s, "no mm boundaries"));
	snapshot_release(&s);
}
END_TEST

START_TEST(test_malformed_smaps)
{
	struct snapshot s;
	struct load_error err;
	char want[32];
	size_t len;
	char *text = util_read_file(FIXTURES "/edge/smaps-truncated", &len);

	snprintf(want, sizeof(want), "malformed line %zu", util_count_lines(text, len));
	make_process(6522, NULL, FIXTURES "/edge/smaps-truncated");
	ck_assert_int_eq(load(6522, &s, &err), -EINVAL);
	ck_assert_int_eq(err.kind, LOAD_FAILED);
	ck_assert_msg(strstr(err.msg, want) != NULL, "\"%s\" lacks \"%s\"", err.msg, want);
	ck_assert_ptr_nonnull(strstr(err.msg, "smaps"));
	free(text);
}
END_TEST

/* Regions listed out of order or overlapping, as a listing torn between
 * two reads looks: in a capture that is malformed, never a report. */
START_TEST(test_overlapping_smaps)
{
	static const char smaps[] =
		"00400000-00402000 r-xp 00000000 00:00 0\n"
		"Rss:                   4 kB\n"
		"00401000-00403000 rw-p 00000000 00:00 0\n"
		"Rss:                   4 kB\n";
	struct snapshot s;
	struct load_error err;

	make_process(6522, NULL, NULL);
	write_file("proc/6522/smaps", smaps, sizeof(smaps) - 1);
	ck_assert_int_eq(load(6522, &s, &err), -EINVAL);
	ck_assert_int_eq(err.kind, LOAD_FAILED);
	ck_assert_msg(strstr(err.msg, "malformed line") != NULL, "%s", err.msg);
}
END_TEST

/* An mm without mappings (the process exec'd or exited under us). */
START_TEST(test_empty_smaps)
{
	struct snapshot s;
	struct load_error err;

	make_process(6522, NULL, NULL);
	write_file("proc/6522/smaps", "", 0);
	ck_assert_int_eq(load(6522, &s, &err), -ESRCH);
	ck_assert_int_eq(err.kind, LOAD_FAILED);
	ck_assert_ptr_nonnull(strstr(err.msg, "no memory mappings"));
}
END_TEST

START_TEST(test_garbage_stat)
{
	struct snapshot s;
	struct load_error err;

	make_process(6522, NULL, NULL);
	write_file("proc/6522/stat", "garbage\n", 8);
	ck_assert_int_eq(load(6522, &s, &err), -EINVAL);
	ck_assert_int_eq(err.kind, LOAD_FAILED);
	ck_assert_ptr_nonnull(strstr(err.msg, "malformed"));
}
END_TEST

/* A missing status or cmdline is a warning, not a failure. */
START_TEST(test_missing_optional_files)
{
	struct snapshot s;
	struct load_error err;
	char path[256];

	make_process(6522, NULL, NULL);
	snprintf(path, sizeof(path), "%s/proc/6522/status", sysroot);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/proc/6522/cmdline", sysroot);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_msg(load(6522, &s, &err) == 0, "%s", err.msg);
	ck_assert(!s.status_known);
	ck_assert_ptr_null(s.argv);
	ck_assert(has_warning(&s, "status"));
	ck_assert(has_warning(&s, "cmdline"));
	/* no exe link: a kernel thread or zombie would have none either,
	 * so that alone is not worth a warning, and the class is unknown */
	ck_assert_ptr_null(s.exe);
	ck_assert_int_eq(s.elf_class, 0);
	snapshot_release(&s);
}
END_TEST

/* A 32-bit process from the hand-made edge files. */
START_TEST(test_32bit_edge)
{
	struct snapshot s;
	struct load_error err;
	size_t i;

	make_process(6522, NULL, FIXTURES "/edge/smaps-32bit");
	ck_assert_msg(load(6522, &s, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(s.nregions, 21);
	for (i = 0; i < s.nregions; i++) {
		ck_assert_uint_lt(s.regions[i].end, 0x100000000ULL);
		ck_assert_int_ne(s.regions[i].kind, KIND_VSYSCALL);
	}
	ck_assert_int_eq(s.regions[s.nregions - 1].kind, KIND_STACK);
	snapshot_release(&s);
}
END_TEST

static Suite *snapshot_suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("fixtures");

	tcase_add_test(tc, test_load_fixtures);
	tcase_add_test(tc, test_sleep_no_warnings);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	tcase_add_test(tc, test_find_region);
	tcase_add_test(tc, test_add_region_copies);
	tcase_add_test(tc, test_warn);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_add_checked_fixture(tc, sysroot_setup, sysroot_teardown);
	tcase_add_test(tc, test_not_found);
	tcase_add_test(tc, test_kernel_thread);
	tcase_add_test(tc, test_zombie);
	tcase_add_test(tc, test_masked_stat);
	tcase_add_test(tc, test_old_kernel_stat);
	tcase_add_test(tc, test_malformed_smaps);
	tcase_add_test(tc, test_overlapping_smaps);
	tcase_add_test(tc, test_empty_smaps);
	tcase_add_test(tc, test_garbage_stat);
	tcase_add_test(tc, test_missing_optional_files);
	tcase_add_test(tc, test_32bit_edge);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(snapshot_suite());
}
