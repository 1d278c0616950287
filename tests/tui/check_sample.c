/* check_sample.c: the live view's model (src/model/sample.c), the uptime
 * reader (src/proc/uptime.c) and the picker's process list (pids_list in
 * src/proc/pids.c, through src/model/processes.c). The sampler watches this very process, which maps,
 * grows and unmaps a region between samples. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "elf/image.h"
#include "proc/pids.h"
#include "proc/uptime.h"
#include "model/processes.h"
#include "load/sample.h"
#include "unit_util.h"

START_TEST(test_uptime_parse)
{
	double v = -1;

	ck_assert_int_eq(uptime_parse("12345.67 54321.00\n", 18, &v), 0);
	ck_assert(v > 12345.66 && v < 12345.68);
	ck_assert_int_eq(uptime_parse("7 1", 3, &v), 0);
	ck_assert(v == 7);
	/* only len bytes count */
	ck_assert_int_eq(uptime_parse("12.5 3", 2, &v), 0);
	ck_assert(v == 12);
	ck_assert_int_eq(uptime_parse("", 0, &v), -EINVAL);
	ck_assert_int_eq(uptime_parse("\n", 1, &v), -EINVAL);
	ck_assert_int_eq(uptime_parse("-5.0 1.0\n", 9, &v), -EINVAL);
	ck_assert_int_eq(uptime_parse("abc 1.0\n", 8, &v), -EINVAL);
	ck_assert_int_eq(uptime_parse("12x 1.0\n", 8, &v), -EINVAL);
	ck_assert_int_eq(uptime_parse("nan 1.0\n", 8, &v), -EINVAL);
	ck_assert_int_eq(uptime_parse("inf 1.0\n", 8, &v), -EINVAL);
}
END_TEST

START_TEST(test_process_age)
{
	long hz = sysconf(_SC_CLK_TCK);

	ck_assert(uptime_process_age(100.0, (unsigned long long)(40 * hz)) > 59.9);
	ck_assert(uptime_process_age(100.0, (unsigned long long)(40 * hz)) < 60.1);
	/* a start after "now" (clock skew between two reads) is age 0 */
	ck_assert(uptime_process_age(10.0, (unsigned long long)(40 * hz)) == 0);
}
END_TEST

START_TEST(test_uptime_read_live)
{
	struct source src;
	double v = 0;

	ck_assert_int_eq(source_open_proc(&src, NULL), 0);
	ck_assert_int_eq(uptime_read(&src.proc, &v), 0);
	ck_assert(v > 0);
	source_close(&src);
}
END_TEST

static long find_region(const struct sampler *s, uint64_t start)
{
	size_t i;

	for (i = 0; i < s->snap.nregions; i++)
		if (s->snap.regions[i].start == start)
			return (long)i;
	return -1;
}

START_TEST(test_sampler_self)
{
	const size_t mib = 1 << 20;
	struct elf_cache cache = { 0 };
	struct source src;
	struct load_error err;
	struct sampler s;
	unsigned long gen;
	char *p;
	size_t i;
	long at;
	int rc;

	ck_assert_int_eq(source_open_proc(&src, NULL), 0);
	ck_assert_int_eq(sampler_open(&s, &src, getpid(), &cache, &err), 0);
	ck_assert(s.have_snap);
	ck_assert(s.snap.nregions > 0);
	ck_assert(!s.exited);
	ck_assert(totals_has(&s.cur, TOTAL_RSS));
	ck_assert(s.cur.v[TOTAL_RSS] > 0);
	/* the first sample marks nothing as changed */
	for (i = 0; i < s.snap.nregions; i++)
		ck_assert_int_eq(s.changes[i].state, CHANGE_NONE);
	ck_assert_uint_eq(s.nghosts, 0);

	/* a new region of 8 MiB, all touched: reserve 16, use the first 8 */
	p = mmap(NULL, 16 * mib, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(p != MAP_FAILED);
	ck_assert_int_eq(mprotect(p, 8 * mib, PROT_READ | PROT_WRITE), 0);
	memset(p, 1, 8 * mib);
	gen = s.generation;
	rc = sampler_tick(&s, true);
	ck_assert_int_ge(rc, 0);
	ck_assert(rc & SAMPLE_FULL);
	ck_assert_uint_eq(s.generation, gen + 1);
	at = find_region(&s, (uint64_t)(uintptr_t)p);
	ck_assert_int_ge(at, 0);
	ck_assert_uint_eq(region_size(&s.snap.regions[at]), 8 * mib);
	/* not there before: new, all of it growth */
	ck_assert_int_eq(s.changes[at].state, CHANGE_NEW);
	ck_assert(s.changes[at].known);
	ck_assert_int_eq(s.changes[at].d_start, (int64_t)(8 * mib));
	ck_assert(s.cur.v[TOTAL_RSS] >= s.first.v[TOTAL_RSS] + 8 * mib - mib);

	/* it grows in place to 12 MiB */
	ck_assert_int_eq(mprotect(p + 8 * mib, 4 * mib, PROT_READ | PROT_WRITE), 0);
	memset(p + 8 * mib, 2, 4 * mib);
	rc = sampler_tick(&s, true);
	ck_assert(rc & SAMPLE_FULL);
	at = find_region(&s, (uint64_t)(uintptr_t)p);
	ck_assert_int_ge(at, 0);
	ck_assert_uint_eq(region_size(&s.snap.regions[at]), 12 * mib);
	ck_assert_int_eq(s.changes[at].state, CHANGE_GREW);
	ck_assert_int_eq(s.changes[at].d_size, (int64_t)(4 * mib));
	ck_assert_int_eq(s.changes[at].d_last, (int64_t)(4 * mib));
	ck_assert_int_eq(s.changes[at].d_start, (int64_t)(12 * mib));

	/* nothing changes: no marks */
	rc = sampler_tick(&s, true);
	ck_assert(rc & SAMPLE_FULL);
	at = find_region(&s, (uint64_t)(uintptr_t)p);
	ck_assert_int_eq(s.changes[at].state, CHANGE_NONE);
	ck_assert_int_eq(s.changes[at].d_last, 0);
	ck_assert_int_eq(s.changes[at].d_start, (int64_t)(12 * mib));

	/* gone: a ghost for one sample */
	ck_assert_int_eq(munmap(p, 16 * mib), 0);
	rc = sampler_tick(&s, true);
	ck_assert(rc & SAMPLE_FULL);
	ck_assert_int_eq(find_region(&s, (uint64_t)(uintptr_t)p), -1);
	for (i = 0; i < s.nghosts; i++)
		if (s.ghosts[i].start == (uint64_t)(uintptr_t)p)
			break;
	ck_assert_uint_lt(i, s.nghosts);
	ck_assert_uint_eq(s.ghosts[i].end - s.ghosts[i].start, 12 * mib);
	ck_assert(s.ghosts[i].rss_known);
	ck_assert_uint_eq(s.ghosts[i].rss, 12 * mib);
	rc = sampler_tick(&s, true);
	for (i = 0; i < s.nghosts; i++)
		ck_assert(s.ghosts[i].start != (uint64_t)(uintptr_t)p);

	/* the history holds one sample per tick, newest first */
	{
		uint64_t v;

		ck_assert(sampler_history(&s, 0, 0, &v));
		ck_assert_uint_eq(v, s.cur.v[TOTAL_RSS]);
		ck_assert(!sampler_history(&s, 0, s.history_n, &v));
	}
	/* the page tables, for the detail pane */
	rc = sampler_load_pages(&s);
	if (s.snap.stat.vsize > SAMPLE_PAGES_MAX_VSIZE) {
		/* a sanitizer's shadow memory */
		ck_assert_int_eq(rc, -EFBIG);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_ptr_nonnull(s.snap.pages);
	}

	sampler_close(&s);
	elf_cache_release(&cache);
	source_close(&src);
}
END_TEST

START_TEST(test_sampler_exit)
{
	struct elf_cache cache = { 0 };
	struct source src;
	struct load_error err;
	struct sampler s;
	pid_t child;
	int rc, st;

	ck_assert_int_eq(source_open_proc(&src, NULL), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_eq(sampler_open(&s, &src, child, &cache, &err), 0);
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	rc = sampler_tick(&s, false);
	ck_assert_int_ge(rc, 0);
	ck_assert(rc & SAMPLE_EXITED);
	ck_assert(s.exited);
	ck_assert(strstr(s.exit_msg, "exited") != NULL);
	/* the last state stays */
	ck_assert(s.have_snap);
	ck_assert(s.snap.nregions > 0);
	sampler_close(&s);

	/* no such process */
	ck_assert_int_ne(sampler_open(&s, &src, child, &cache, &err), 0);
	ck_assert_int_eq(err.kind, LOAD_NOT_FOUND);
	elf_cache_release(&cache);
	source_close(&src);
}
END_TEST

START_TEST(test_pids_list_live)
{
	struct source src;
	struct proc_summary *list = NULL;
	size_t n = 0, i;
	bool parent = false;

	ck_assert_int_eq(source_open_proc(&src, NULL), 0);
	ck_assert_int_eq(pids_list(&src.proc, &list, &n), 0);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		ck_assert_int_ne(list[i].pid, getpid());
		if (list[i].pid == getppid())
			parent = true;
		if (i && list[i].rss_known && list[i - 1].rss_known)
			ck_assert_uint_ge(list[i - 1].rss, list[i].rss);
		ck_assert(list[i].user[0]);
	}
	ck_assert(parent);
	free(list);
	source_close(&src);
}
END_TEST

START_TEST(test_pids_list_sysroot)
{
	char *dir = util_fixture_dir("zoo");
	pid_t pid = util_fixture_pid("zoo");
	struct source src;
	struct proc_summary *list = NULL;
	size_t n = 0, i;

	ck_assert_int_eq(source_open_proc(&src, dir), 0);
	ck_assert_int_eq(pids_list(&src.proc, &list, &n), 0);
	for (i = 0; i < n; i++)
		if (list[i].pid == pid)
			break;
	ck_assert_uint_lt(i, n);
	ck_assert(list[i].comm[0]);
	ck_assert(list[i].rss_known);
	ck_assert_uint_gt(list[i].rss, 0);
	free(list);
	source_close(&src);
	free(dir);
}
END_TEST

/* the picker asks the model; the model's list is pids_list()'s */
START_TEST(test_process_list_sysroot)
{
	char *dir = util_fixture_dir("zoo");
	pid_t pid = util_fixture_pid("zoo");
	struct source src;
	struct process_list pl;
	char text[24];
	long at;
	size_t k;

	ck_assert_int_eq(source_open_proc(&src, dir), 0);
	ck_assert_int_eq(process_list_load(&src, &pl), 0);
	at = process_list_index(&pl, pid);
	ck_assert_int_ge(at, 0);
	ck_assert_int_eq(process_list_index(&pl, -1), -1);
	/* by the whole pid, from anywhere, and the starting row comes last */
	snprintf(text, sizeof(text), "%d", (int)pid);
	ck_assert(process_list_find(&pl, text, (size_t)at, &k));
	ck_assert_uint_eq(k, (size_t)at);
	ck_assert(process_list_find(&pl, text, 0, &k));
	ck_assert_uint_eq(k, (size_t)at);
	ck_assert(!process_list_find(&pl, "no such command at all", 0, &k));
	process_list_release(&pl);
	ck_assert_ptr_null(pl.v);
	ck_assert_uint_eq(pl.n, 0);
	source_close(&src);
	free(dir);
}
END_TEST

START_TEST(test_process_matches)
{
	struct proc_summary p = { .pid = 1234, .user = "Alice", .comm = "Firefox-bin" };
	struct process_list pl = { &p, 1 };
	size_t k = 99;

	ck_assert(process_matches(&p, "fox"));
	ck_assert(process_matches(&p, "FIREFOX"));
	ck_assert(process_matches(&p, "alic"));
	ck_assert(process_matches(&p, "1234"));
	/* a pid only as a whole */
	ck_assert(!process_matches(&p, "123"));
	ck_assert(!process_matches(&p, "bob"));
	ck_assert(process_list_find(&pl, "fire", 0, &k));
	ck_assert_uint_eq(k, 0);
	pl.n = 0;
	ck_assert(!process_list_find(&pl, "fire", 0, &k));
}
END_TEST

static Suite *sample_suite(void)
{
	Suite *s = suite_create("sample");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_uptime_parse);
	tcase_add_test(tc, test_process_age);
	tcase_add_test(tc, test_uptime_read_live);
	tcase_add_test(tc, test_sampler_self);
	tcase_add_test(tc, test_sampler_exit);
	tcase_add_test(tc, test_pids_list_live);
	tcase_add_test(tc, test_pids_list_sysroot);
	tcase_add_test(tc, test_process_list_sysroot);
	tcase_add_test(tc, test_process_matches);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(sample_suite());
}
