/* check_census.c: the machine view's model (src/model/census.c). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/source.h"
#include "model/census.h"
#include "unit_util.h"

#define ALL FIXTURES "/machine/all"

START_TEST(test_families)
{
	int k;

	ck_assert_int_eq(census_family_of(KIND_CODE), FAM_CODE);
	ck_assert_int_eq(census_family_of(KIND_RODATA), FAM_DATA);
	ck_assert_int_eq(census_family_of(KIND_RELRO), FAM_DATA);
	ck_assert_int_eq(census_family_of(KIND_BSS), FAM_DATA);
	ck_assert_int_eq(census_family_of(KIND_THREAD_STACK), FAM_STACK);
	ck_assert_int_eq(census_family_of(KIND_GUARD), FAM_OTHER);
	ck_assert_int_eq(census_family_of(KIND_VDSO), FAM_OTHER);
	ck_assert_int_eq(census_family_of(KIND_SHM), FAM_SHM);
	for (k = 0; k < KIND_COUNT; k++)
		ck_assert_int_lt(census_family_of(k), FAM_COUNT);
	ck_assert_str_eq(census_family_name(FAM_HEAP), "heap");
	ck_assert_ptr_null(census_family_name(FAM_COUNT));
}
END_TEST

START_TEST(test_field_parse)
{
	int f;

	for (f = 0; f < CF_COUNT; f++) {
		const char *name = census_field_info(f)->name;

		ck_assert_int_eq(census_field_parse(name, strlen(name)), f);
	}
	ck_assert_int_eq(census_field_parse("heap", 4), CF_HEAP);
	ck_assert_int_eq(census_field_parse("pss,rss", 3), CF_PSS);
	ck_assert_int_eq(census_field_parse("START", 5), -1);
	ck_assert_int_eq(census_field_parse("", 0), -1);
	/* the families' columns follow their order */
	for (f = 0; f < FAM_COUNT; f++) {
		char up[16];
		size_t i;

		snprintf(up, sizeof(up), "%s", census_family_name(f));
		for (i = 0; up[i]; i++)
			up[i] = (char)(up[i] - 'a' + 'A');
		ck_assert_str_eq(census_field_info(CF_CODE + f)->name, up);
	}
}
END_TEST

static void make_row(struct census_row *r, pid_t pid, bool readable, uint64_t pss)
{
	int k, f;

	memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->readable = readable;
	snprintf(r->comm, sizeof(r->comm), "p%d", (int)pid);
	for (k = 0; k < KIND_COUNT; k++)
		for (f = 0; f < SUM_NFIELDS; f++)
			sum_init(&r->sum.kinds[k].s[f]);
	for (f = 0; f < SUM_NFIELDS; f++)
		sum_init(&r->sum.totals.s[f]);
	r->sum.totals.s[SUM_PSS].v = pss;
	if (!readable)
		snprintf(r->reason, sizeof(r->reason), "gone");
}

START_TEST(test_unknown_is_not_zero)
{
	struct census_row r;
	struct sum v;

	make_row(&r, 42, false, 0);
	v = census_row_value(&r, CF_PSS);
	ck_assert(!v.known);
	v = census_row_value(&r, CF_HEAP);
	ck_assert(!v.known);
	make_row(&r, 42, true, 4096);
	v = census_row_value(&r, CF_PSS);
	ck_assert(v.known);
	ck_assert_uint_eq(v.v, 4096);
	v = census_row_value(&r, CF_PID);
	ck_assert_uint_eq(v.v, 42);
}
END_TEST

/* --top N keeps exactly the first N of the full order, whatever order the
 * rows come in: larger PSS first, unknown last, ties by pid. */
START_TEST(test_keep_top)
{
	enum { N = 300 };
	struct census_keep all = { .sort_field = CF_PSS }, top[4];
	static const size_t tops[4] = { 1, 7, 64, N + 5 };
	struct census_row r;
	size_t i, t;
	unsigned int seed = 7;

	for (t = 0; t < 4; t++) {
		memset(&top[t], 0, sizeof(top[t]));
		top[t].sort_field = CF_PSS;
		top[t].top = tops[t];
	}
	for (i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		/* a few unreadable, many ties */
		make_row(&r, (pid_t)(1000 + (seed >> 8) % 100000), (seed >> 4) % 9 != 0,
			 ((seed >> 16) % 40) * 4096);
		ck_assert_int_eq(census_keep_add(&all, &r), 0);
		for (t = 0; t < 4; t++)
			ck_assert_int_eq(census_keep_add(&top[t], &r), 0);
	}
	census_keep_sort(&all);
	ck_assert_uint_eq(all.n, N);
	for (i = 1; i < all.n; i++)
		ck_assert_int_le(census_row_cmp(&all.rows[i - 1], &all.rows[i], CF_PSS), 0);
	ck_assert(all.rows[all.n - 1].readable == false);
	for (t = 0; t < 4; t++) {
		size_t want = tops[t] < N ? tops[t] : N;

		census_keep_sort(&top[t]);
		ck_assert_uint_eq(top[t].n, want);
		ck_assert_uint_le(top[t].cap, tops[t]);
		for (i = 0; i < want; i++) {
			ck_assert_int_eq(top[t].rows[i].pid, all.rows[i].pid);
			ck_assert_uint_eq(top[t].rows[i].sum.totals.s[SUM_PSS].v,
					  all.rows[i].sum.totals.s[SUM_PSS].v);
		}
		census_keep_release(&top[t]);
	}
	census_keep_release(&all);
}
END_TEST

struct collected {
	pid_t pids[16];
	bool readable[16];
	size_t n;
};

static int collect(void *ctx, const struct census_row *row)
{
	struct collected *c = ctx;

	ck_assert_uint_lt(c->n, 16);
	c->pids[c->n] = row->pid;
	c->readable[c->n++] = row->readable;
	return 0;
}

static int fail_second(void *ctx, const struct census_row *row)
{
	struct collected *c = ctx;

	return ++c->n == 2 ? -EPIPE : 0;
}

START_TEST(test_run_capture)
{
	struct census_request req = { 0 };
	struct collected got = { .n = 0 };
	struct source src;
	struct census c;
	char *names[] = { "sleep", "500" };

	ck_assert_int_eq(source_open_proc(&src, ALL), 0);
	ck_assert_int_eq(census_run(&src, &req, &c, collect, &got), 0);
	/* pid order; the kernel thread and the zombie skipped and counted */
	ck_assert_uint_eq(got.n, 3);
	ck_assert_int_eq(got.pids[0], 500);
	ck_assert_int_eq(got.pids[1], 6522);
	ck_assert_int_eq(got.pids[2], 7002);
	ck_assert(!got.readable[0] && got.readable[1] && got.readable[2]);
	ck_assert_uint_eq(c.listed, 3);
	ck_assert_uint_eq(c.read, 2);
	ck_assert_uint_eq(c.unreadable, 1);
	ck_assert_uint_eq(c.kthreads, 1);
	ck_assert_uint_eq(c.zombies, 1);
	ck_assert_int_eq(c.meminfo_err, 0);
	/* the two copies of one process: the machine is twice either */
	ck_assert(c.machine.totals.s[SUM_PSS].known);
	ck_assert_uint_eq(c.machine.totals.s[SUM_PSS].v, 2 * 529408);
	ck_assert_uint_eq(c.machine.kinds[KIND_HEAP].s[SUM_PSS].v, 2 * 16384);
	/* no ELF read: the bss (20 KiB of PSS each) is anonymous memory */
	ck_assert_uint_eq(c.machine_family_pss[FAM_DATA].v, 2 * 132096);
	ck_assert_uint_eq(c.machine.kinds[KIND_BSS].regions, 0);
	census_release(&c);

	/* --accurate: the images are read, and the bss is data */
	memset(&got, 0, sizeof(got));
	req.accurate = true;
	ck_assert_int_eq(census_run(&src, &req, &c, collect, &got), 0);
	ck_assert_uint_eq(c.machine_family_pss[FAM_DATA].v, 2 * 152576);
	ck_assert_uint_eq(c.machine.kinds[KIND_BSS].regions, 2);
	ck_assert_uint_eq(c.machine.totals.s[SUM_PSS].v, 2 * 529408);
	census_release(&c);
	req.accurate = false;

	/* filters: a user, names (a PID or a command name) */
	memset(&got, 0, sizeof(got));
	req.has_uid = true;
	req.uid = 33;
	ck_assert_int_eq(census_run(&src, &req, &c, collect, &got), 0);
	ck_assert_uint_eq(got.n, 1);
	ck_assert_int_eq(got.pids[0], 7002);
	census_release(&c);
	memset(&got, 0, sizeof(got));
	req.has_uid = false;
	req.names = names;
	req.nnames = 2;
	ck_assert_int_eq(census_run(&src, &req, &c, collect, &got), 0);
	ck_assert_uint_eq(got.n, 2);
	ck_assert_int_eq(got.pids[0], 500);
	ck_assert_int_eq(got.pids[1], 6522);
	census_release(&c);

	/* --kind: sums over those kinds only */
	req.nnames = 0;
	req.filter.kinds = 1u << KIND_HEAP;
	ck_assert_int_eq(census_run(&src, &req, &c, NULL, NULL), 0);
	ck_assert_uint_eq(c.machine.totals.s[SUM_PSS].v, 2 * 16384);
	ck_assert_uint_eq(c.machine.totals.regions, 2);
	census_release(&c);

	/* a view that fails stops the census with its error */
	memset(&got, 0, sizeof(got));
	req.filter.kinds = 0;
	ck_assert_int_eq(census_run(&src, &req, &c, fail_second, &got), -EPIPE);
	ck_assert_uint_eq(got.n, 2);
	census_release(&c);
	source_close(&src);
}
END_TEST

/* Many processes, more than the readers' ring holds: a capture made at
 * test time of 40 copies of one process. The rows come in pid order, each
 * once; a view that fails after the ring has wrapped stops the readers. */
enum { MANY = 40 };

struct many {
	pid_t pids[MANY];
	size_t n;
	size_t fail_at;		/* 0: never */
};

static int collect_many(void *ctx, const struct census_row *row)
{
	struct many *m = ctx;

	ck_assert_uint_lt(m->n, MANY);
	ck_assert(row->readable);
	ck_assert_uint_eq(row->sum.totals.s[SUM_PSS].v, 529408);
	m->pids[m->n++] = row->pid;
	return m->fail_at && m->n == m->fail_at ? -EPIPE : 0;
}

START_TEST(test_run_many)
{
	char dir[] = "/tmp/vmmap-census.XXXXXX", cmd[512];
	struct census_request req = { 0 };
	struct many got = { .n = 0 };
	struct source src;
	struct census c;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
		 "mkdir %s/proc && cp %s/proc/meminfo %s/proc/cpuinfo %s/proc/ && "
		 "for i in $(seq 1000 %d); do cp -R %s/proc/6522 %s/proc/$i; done",
		 dir, ALL, ALL, dir, 1000 + MANY - 1, ALL, dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(source_open_proc(&src, dir), 0);

	ck_assert_int_eq(census_run(&src, &req, &c, collect_many, &got), 0);
	ck_assert_uint_eq(got.n, MANY);
	for (i = 0; i < MANY; i++)
		ck_assert_int_eq(got.pids[i], 1000 + (pid_t)i);
	ck_assert_uint_eq(c.read, MANY);
	ck_assert_uint_eq(c.machine.totals.s[SUM_PSS].v, (uint64_t)MANY * 529408);
	census_release(&c);

	memset(&got, 0, sizeof(got));
	got.fail_at = 25;
	ck_assert_int_eq(census_run(&src, &req, &c, collect_many, &got), -EPIPE);
	ck_assert_uint_eq(got.n, 25);
	census_release(&c);

	source_close(&src);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *census_suite(void)
{
	Suite *s = suite_create("census");
	TCase *tc = tcase_create("census");

	tcase_add_test(tc, test_families);
	tcase_add_test(tc, test_field_parse);
	tcase_add_test(tc, test_unknown_is_not_zero);
	tcase_add_test(tc, test_keep_top);
	tcase_add_test(tc, test_run_capture);
	tcase_add_test(tc, test_run_many);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(census_suite());
}
