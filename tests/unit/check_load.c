/* check_load.c: the loader's entry point: the source interface, the
 * request, the consumer protocol, and the promise that lets the pipelined
 * read classify once (kinds that do not wait on VmFlags are final). */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "load/load.h"
#include "model/classify.h"
#include "model/snapshot.h"
#include "unit_util.h"

struct recorder {
	int began, ended;
	bool complete;
	size_t next;		/* regions given so far, in order */
	bool out_of_order;
	bool counters_missing;	/* a region given before its counters */
};

static int rec_begin(void *ctx, const struct snapshot *s)
{
	struct recorder *r = ctx;

	(void)s;
	r->began++;
	return 1;
}

static int rec_regions(void *ctx, const struct snapshot *s, size_t from, size_t to)
{
	struct recorder *r = ctx;
	size_t i;

	if (from != r->next || to <= from || to > s->nregions)
		r->out_of_order = true;
	for (i = from; i < to && i < s->nregions; i++)
		if (!(s->regions[i].flags & REGION_HAS_VMFLAGS))
			r->counters_missing = true;	/* VmFlags come with the counters */
	r->next = to;
	return 0;
}

static void rec_end(void *ctx, bool complete)
{
	struct recorder *r = ctx;

	r->ended++;
	r->complete = complete;
}

/* A live process (this one) through the pipelined read: the consumer gets
 * every region once, in order, with its counters, and is told the load
 * is the snapshot it was given. */
START_TEST(test_consumer_live)
{
	struct recorder rec = { 0 };
	struct region_consumer c = { rec_begin, rec_regions, rec_end, &rec };
	struct load_request rq = { .consumer = &c };
	struct source src;
	struct snapshot s;
	struct load_error err;

	pid_t child = fork();
	int rc;

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		/* still while it is read: reading oneself would change one's
		 * own maps (the reading thread's stack) */
		for (;;)
			pause();
	}
	usleep(20000);
	ck_assert_int_eq(source_open_proc(&src, NULL), 0);
	ck_assert_str_eq(source_kind_name(&src), "live");
	rc = snapshot_load(&src, child, &rq, &s, &err);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ck_assert_msg(rc == 0, "%s", err.msg);
	ck_assert(s.live);
	/* a still, single-threaded process whose images are readable: no
	 * kind waits on VmFlags, so the regions were handed out as read */
	ck_assert_int_eq(rec.began, 1);
	ck_assert_int_eq(rec.ended, 1);
	ck_assert(rec.complete);
	ck_assert(!rec.out_of_order);
	ck_assert(!rec.counters_missing);
	ck_assert_uint_eq(rec.next, s.nregions);
	ck_assert(!s.kinds_wait_vmflags);
	snapshot_release(&s);
	source_close(&src);
}
END_TEST

/* A capture is read whole: the consumer is never begun, the load works. */
START_TEST(test_consumer_capture)
{
	char *root = util_fixture_dir("sleep");
	struct recorder rec = { 0 };
	struct region_consumer c = { rec_begin, rec_regions, rec_end, &rec };
	struct load_request rq = { .consumer = &c, .pages = true };
	struct source src;
	struct snapshot s;
	struct load_error err;
	size_t i;
	bool warned = false;

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_str_eq(source_kind_name(&src), "sysroot");
	ck_assert_msg(snapshot_load(&src, util_fixture_pid("sleep"), &rq, &s, &err) == 0,
		      "%s", err.msg);
	ck_assert_int_eq(rec.began, 0);
	ck_assert_int_eq(rec.ended, 0);
	ck_assert_ptr_null(s.pages);
	for (i = 0; i < s.nwarnings; i++)
		warned |= strstr(s.warnings[i], "page states unknown") != NULL;
	ck_assert(warned);
	snapshot_release(&s);
	source_close(&src);
	free(root);
}
END_TEST

struct verdict {
	int kind;
	pid_t tid;
	char detail[96];
};

/* The pipelined read classifies once, from maps, when the classifier
 * says no kind waits on VmFlags. For every capture: classify its regions
 * without their VmFlags; where the classifier does not say it waited, the
 * kinds, details and threads must be those of the full classification. */
START_TEST(test_kinds_without_vmflags)
{
	char **cases = util_fixture_cases();
	unsigned int waited = 0, final = 0;
	size_t c;

	for (c = 0; cases[c]; c++) {
		char *root = util_fixture_dir(cases[c]);
		struct source src;
		struct snapshot s;
		struct load_error err;
		struct verdict *v;
		size_t i;

		ck_assert_int_eq(source_open_proc(&src, root), 0);
		if (snapshot_load(&src, util_fixture_pid(cases[c]), NULL, &s, &err)) {
			source_close(&src);	/* the edge cases that do not load */
			free(root);
			continue;
		}
		ck_assert(!s.kinds_wait_vmflags);
		v = calloc(s.nregions + 1, sizeof(*v));
		ck_assert_ptr_nonnull(v);
		for (i = 0; i < s.nregions; i++) {
			const char *d = region_detail(&s, &s.regions[i]);

			v[i].kind = s.regions[i].kind;
			v[i].tid = s.regions[i].tid;
			snprintf(v[i].detail, sizeof(v[i].detail), "%s", d ? d : "");
			s.regions[i].flags &= (uint8_t)~REGION_HAS_VMFLAGS;
			s.regions[i].vm_flags = 0;
		}
		ck_assert_int_eq(snapshot_classify(&s), 0);
		if (s.kinds_wait_vmflags) {
			waited++;
		} else {
			final++;
			for (i = 0; i < s.nregions; i++) {
				const char *d = region_detail(&s, &s.regions[i]);

				ck_assert_msg(v[i].kind == s.regions[i].kind &&
					      v[i].tid == s.regions[i].tid &&
					      strcmp(v[i].detail, d ? d : "") == 0,
					      "%s: region %zu (%#llx) is %s/%s without VmFlags, %s/%s with",
					      cases[c], i, (unsigned long long)s.regions[i].start,
					      region_kind_name(s.regions[i].kind), d ? d : "",
					      region_kind_name(v[i].kind), v[i].detail);
			}
		}
		free(v);
		snapshot_release(&s);
		source_close(&src);
		free(root);
	}
	ck_assert_uint_gt(final, 0);
	(void)waited;
	util_free_list(cases);
}
END_TEST

/* The other answer: threads whose stack pointers are unknown are placed by
 * the guard pattern, which rests on VM_NOHUGEPAGE. Without VmFlags the
 * classifier must say it waited; with them it must not. */
START_TEST(test_kinds_wait_for_guard_pattern)
{
	char *root = util_fixture_dir("python-threads");
	struct source src;
	struct snapshot s;
	struct load_error err;
	size_t i, stacks = 0;

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_msg(snapshot_load(&src, util_fixture_pid("python-threads"), NULL, &s, &err) == 0,
		      "%s", err.msg);
	ck_assert_uint_gt(s.nthreads, 1);
	for (i = 0; i < s.nthreads; i++)
		if (s.threads[i].tid != s.pid)
			s.threads[i].has_sp = false;
	ck_assert_int_eq(snapshot_classify(&s), 0);
	ck_assert(!s.kinds_wait_vmflags);
	for (i = 0; i < s.nregions; i++)
		stacks += s.regions[i].kind == KIND_THREAD_STACK;
	ck_assert_uint_gt(stacks, 0);	/* found by the pattern */
	for (i = 0; i < s.nregions; i++)
		s.regions[i].flags &= (uint8_t)~REGION_HAS_VMFLAGS;
	ck_assert_int_eq(snapshot_classify(&s), 0);
	ck_assert(s.kinds_wait_vmflags);
	snapshot_release(&s);
	source_close(&src);
	free(root);
}
END_TEST

/* kinds_only (--all) reads no ELF file, no stack pointer and no geometry,
 * and still finds the same heaps, stacks and thread stacks: over every
 * capture, those regions are the same as a full load's, and it warns of
 * nothing a full load does not. */
START_TEST(test_kinds_only)
{
	char **cases = util_fixture_cases();
	unsigned int threads = 0;
	size_t c, i;

	for (c = 0; cases[c]; c++) {
		char *root = util_fixture_dir(cases[c]);
		pid_t pid = util_fixture_pid(cases[c]);
		struct load_request light = { .kinds_only = true };
		struct snapshot full, s;
		struct load_error err;
		struct source src;

		ck_assert_int_eq(source_open_proc(&src, root), 0);
		if (snapshot_load(&src, pid, NULL, &full, &err)) {
			source_close(&src);
			free(root);
			continue;
		}
		ck_assert_msg(snapshot_load(&src, pid, &light, &s, &err) == 0, "%s", err.msg);
		ck_assert_uint_eq(s.nregions, full.nregions);
		for (i = 0; i < s.nregions; i++) {
			int a = full.regions[i].kind, b = s.regions[i].kind;

			if (a == KIND_HEAP || a == KIND_STACK || a == KIND_THREAD_STACK ||
			    b == KIND_HEAP || b == KIND_STACK || b == KIND_THREAD_STACK)
				ck_assert_msg(a == b, "%s: region %zu is %s, %s in a full load",
					      cases[c], i, region_kind_name(b), region_kind_name(a));
			threads += a == KIND_THREAD_STACK;
		}
		ck_assert_uint_le(s.nwarnings, full.nwarnings);
		snapshot_release(&s);
		snapshot_release(&full);
		source_close(&src);
		free(root);
	}
	ck_assert_uint_gt(threads, 0);	/* some capture has thread stacks */
	util_free_list(cases);
}
END_TEST

/* A process that is not there: the loader says so, as not found. */
START_TEST(test_not_found)
{
	char *root = util_fixture_dir("sleep");
	struct source src;
	struct snapshot s;
	struct load_error err;

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_int_lt(snapshot_load(&src, 999999, NULL, &s, &err), 0);
	ck_assert_int_eq(err.kind, LOAD_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "999999"));
	source_close(&src);
	free(root);
}
END_TEST

static Suite *load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("load");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_consumer_live);
	tcase_add_test(tc, test_consumer_capture);
	tcase_add_test(tc, test_kinds_without_vmflags);
	tcase_add_test(tc, test_kinds_wait_for_guard_pattern);
	tcase_add_test(tc, test_kinds_only);
	tcase_add_test(tc, test_not_found);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(load_suite());
}
