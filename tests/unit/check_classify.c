/* check_classify.c: region kinds, details, images and thread stacks
 * (src/model/classify.c), on snapshots built by hand and on captures. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/classify.h"
#include "load/load.h"
#include "model/analyse.h"
#include "model/snapshot.h"
#include "unit_util.h"

#define PID 1000

static const struct address_space_evidence ev_x86_4level = {
	.cpu_la57 = 0,
	.task_size_probed = true,
	.task_size = 0x7ffffffff000ULL,
	.elf_class = 64,
	.arch = "x86_64",
	.page_size = 4096,
};

static struct snapshot snap;

static const struct region *at(uint64_t addr)
{
	long i = snapshot_find_region(&snap, addr);

	ck_assert_msg(i >= 0, "no region at 0x%llx", (unsigned long long)addr);
	return &snap.regions[i];
}

static void assert_kind(uint64_t addr, enum region_kind kind, const char *detail)
{
	const struct region *r = at(addr);
	const char *d = region_detail(&snap, r);

	ck_assert_msg(r->kind == kind, "0x%llx %s: kind %s, want %s",
		      (unsigned long long)addr, region_path(&snap, r),
		      region_kind_name(r->kind), region_kind_name(kind));
	if (detail)
		ck_assert_msg(d && strcmp(d, detail) == 0,
			      "0x%llx %s: detail \"%s\", want \"%s\"",
			      (unsigned long long)addr, region_path(&snap, r),
			      d ? d : "(none)", detail);
	else
		ck_assert_msg(d == NULL, "0x%llx %s: detail \"%s\", want none",
			      (unsigned long long)addr, region_path(&snap, r), d);
}

static void assert_image(uint64_t addr, const char *image)
{
	const char *img = region_image(&snap, at(addr));

	if (image)
		ck_assert_msg(img && strcmp(img, image) == 0, "0x%llx: image %s, want %s",
			      (unsigned long long)addr, img ? img : "(none)", image);
	else
		ck_assert_msg(img == NULL, "0x%llx: image %s, want none",
			      (unsigned long long)addr, img);
}

#define SLEEP "/usr/bin/sleep"
#define LIBOLD "/usr/lib/libold.so.1"

/* A process with one of everything, sorted by address. */
static void build(void)
{
	ck_assert_int_eq(snapshot_init(&snap, PID), 0);
	/* a PIE with the usual R, RX, R, RELRO, RW layout (reference §7.2) */
	util_add_region(&snap, "555555554000-555555556000 r--p 00000000 fe:00 248056 " SLEEP,
			"rd mr mw me", NULL);
	util_add_region(&snap, "555555556000-55555555b000 r-xp 00002000 fe:00 248056 " SLEEP,
			"rd ex mr mw me", NULL);
	util_add_region(&snap, "55555555b000-55555555d000 r--p 00007000 fe:00 248056 " SLEEP,
			"rd mr mw me", NULL);
	util_add_region(&snap, "55555555d000-55555555e000 r--p 00009000 fe:00 248056 " SLEEP,
			"rd mr mw me ac", NULL);
	util_add_region(&snap, "55555555e000-55555555f000 rw-p 0000a000 fe:00 248056 " SLEEP,
			"rd wr mr mw me ac", NULL);
	util_add_region(&snap, "555555560000-555555581000 rw-p 00000000 00:00 0 [heap]",
			"rd wr mr mw me ac", NULL);
	/* data files: not images */
	util_add_region(&snap, "7f0000000000-7f0000057000 r--p 00000000 fe:00 320475 "
			"/usr/lib/locale/C.utf8/LC_CTYPE", "rd mr mw me", NULL);
	util_add_region(&snap, "7f0000100000-7f0000107000 r--s 00000000 fe:00 332280 "
			"/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", "rd mr me ms", NULL);
	/* an old 2-segment library whose loader left a ---p gap */
	util_add_region(&snap, "7f0000200000-7f0000210000 r-xp 00000000 fe:00 4242 " LIBOLD,
			NULL, NULL);
	util_add_region(&snap, "7f0000210000-7f0000400000 ---p 00010000 fe:00 4242 " LIBOLD,
			NULL, NULL);
	util_add_region(&snap, "7f0000400000-7f0000401000 rw-p 00010000 fe:00 4242 " LIBOLD,
			NULL, NULL);
	/* shared memory and devices */
	util_add_region(&snap, "7f0000500000-7f0000501000 rw-s 00000000 00:19 12 /dev/shm/x",
			NULL, NULL);
	util_add_region(&snap, "7f0000600000-7f0000700000 rw-s 00000000 00:05 1234 /dev/fb0",
			NULL, NULL);
	util_add_region(&snap, "7f0000700000-7f0000701000 rw-s 00000000 00:01 3077 "
			"/memfd:x (deleted)", NULL, NULL);
	util_add_region(&snap, "7f0000800000-7f0000801000 rw-s 00000000 00:01 32769 "
			"/SYSV0000002a (deleted)", NULL, NULL);
	util_add_region(&snap, "7f0000900000-7f0000901000 rw-s 00000000 00:01 4 "
			"/dev/zero (deleted)", NULL, NULL);
	/* anonymous memory */
	util_add_region(&snap, "7f0000a00000-7f0000a21000 rw-p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(&snap, "7f0000b00000-7f0000b01000 rw-p 00000000 00:00 0 [anon:foo]",
			NULL, NULL);
	util_add_region(&snap, "7f0000c00000-7f0000c01000 ---p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(&snap, "7f0000d00000-7f0000d01000 rw-s 00000000 00:10 1051 "
			"anon_inode:[io_uring]", NULL, NULL);
	util_add_region(&snap, "7f0000e00000-7f0000e01000 rw-s 00000000 00:08 123 socket:[123]",
			NULL, NULL);
	util_add_region(&snap, "7f0000f00000-7f0000f01000 rw-s 00000000 00:01 8 "
			"[anon_shmem:ring]", NULL, NULL);
	/* two thread stacks: a ---p guard right below an rw-p stack */
	util_add_region(&snap, "7f0001000000-7f0001001000 ---p 00000000 00:00 0 ",
			"mr mw me nh", NULL);
	util_add_region(&snap, "7f0001001000-7f0001801000 rw-p 00000000 00:00 0 ",
			"rd wr mr mw me ac nh", NULL);
	util_add_region(&snap, "7f0001900000-7f0001901000 ---p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(&snap, "7f0001901000-7f0002000000 rw-p 00000000 00:00 0 ", NULL, NULL);
	/* kernel pages */
	util_add_region(&snap, "7f0002100000-7f0002104000 r--p 00000000 00:00 0 [vvar]",
			"rd mr pf io de dd", NULL);
	util_add_region(&snap, "7f0002104000-7f0002106000 r--p 00000000 00:00 0 [vvar_vclock]",
			"rd mr pf io de dd", NULL);
	util_add_region(&snap, "7f0002106000-7f0002108000 r-xp 00000000 00:00 0 [vdso]",
			"rd ex mr mw me de", NULL);
	util_add_region(&snap, "7f0002200000-7f0002201000 --xp 00000000 00:00 0 [uprobes]",
			NULL, NULL);
	util_add_region(&snap, "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]",
			"rd wr mr mw me gd ac", NULL);
	util_add_region(&snap, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 "
			"[vsyscall]", "ex", NULL);
}

static void add_threads(void)
{
	struct thread *t;

	snap.threads = calloc(6, sizeof(*snap.threads));
	ck_assert_ptr_nonnull(snap.threads);
	snap.nthreads = 6;
	t = snap.threads;
	t[0].tid = PID;			/* main thread: [stack] */
	t[0].has_sp = true;
	t[0].sp = 0x7fffffffe000ULL;
	t[1].tid = 101;			/* SP inside its stack */
	t[1].has_sp = true;
	t[1].sp = 0x7f00017ff840ULL;
	t[2].tid = 102;			/* SP exactly at its stack's end */
	t[2].has_sp = true;
	t[2].sp = 0x7f0002000000ULL;
	t[3].tid = 103;			/* running: no SP */
	t[4].tid = 104;			/* SP in a file mapping */
	t[4].has_sp = true;
	t[4].sp = 0x7f0000000100ULL;
	t[5].tid = 105;			/* SP nowhere */
	t[5].has_sp = true;
	t[5].sp = 0x100000ULL;
}

static void setup(void)
{
	build();
	add_threads();
	ck_assert_int_eq(snapshot_analyse(&snap, &ev_x86_4level), 0);
}

static void teardown(void)
{
	snapshot_release(&snap);
}

START_TEST(test_kernel_pages)
{
	assert_kind(0x555555560000ULL, KIND_HEAP, NULL);
	assert_kind(0x7ffffffde000ULL, KIND_STACK, NULL);
	assert_kind(0x7f0002106000ULL, KIND_VDSO, NULL);
	assert_kind(0x7f0002100000ULL, KIND_VVAR, NULL);
	assert_kind(0x7f0002104000ULL, KIND_VVAR, NULL);
	assert_kind(0xffffffffff600000ULL, KIND_VSYSCALL, NULL);
	assert_kind(0x7f0002200000ULL, KIND_OTHER, "[uprobes]");
	assert_image(0x7f0002106000ULL, NULL);
}
END_TEST

START_TEST(test_elf_image)
{
	assert_kind(0x555555554000ULL, KIND_RODATA, NULL);
	assert_kind(0x555555556000ULL, KIND_CODE, NULL);
	assert_kind(0x55555555b000ULL, KIND_RODATA, NULL);
	assert_kind(0x55555555d000ULL, KIND_RELRO, NULL);
	assert_kind(0x55555555e000ULL, KIND_DATA, NULL);
	assert_image(0x555555554000ULL, SLEEP);
	assert_image(0x555555556000ULL, SLEEP);
	assert_image(0x55555555d000ULL, SLEEP);
	assert_image(0x55555555e000ULL, SLEEP);
	/* the heap right after it is not part of it */
	assert_image(0x555555560000ULL, NULL);
}
END_TEST

START_TEST(test_image_gap)
{
	assert_kind(0x7f0000200000ULL, KIND_CODE, NULL);
	assert_kind(0x7f0000210000ULL, KIND_GUARD, "image gap");
	assert_kind(0x7f0000400000ULL, KIND_DATA, NULL);
	assert_image(0x7f0000210000ULL, LIBOLD);
	assert_image(0x7f0000400000ULL, LIBOLD);
}
END_TEST

START_TEST(test_files)
{
	assert_kind(0x7f0000000000ULL, KIND_FILE, NULL);
	assert_image(0x7f0000000000ULL, NULL);
	assert_kind(0x7f0000100000ULL, KIND_FILE, NULL);
	assert_image(0x7f0000100000ULL, NULL);
	assert_kind(0x7f0000600000ULL, KIND_DEVICE, NULL);
}
END_TEST

START_TEST(test_shared_memory)
{
	assert_kind(0x7f0000500000ULL, KIND_SHM, "POSIX shm");
	assert_kind(0x7f0000700000ULL, KIND_SHM, "memfd");
	assert_kind(0x7f0000800000ULL, KIND_SHM, "SysV key 0x2a");
	assert_kind(0x7f0000900000ULL, KIND_SHM, "shared anonymous");
	assert_kind(0x7f0000f00000ULL, KIND_SHM, "ring");
	ck_assert(at(0x7f0000700000ULL)->flags & REGION_DELETED);
	ck_assert_str_eq(region_path(&snap, at(0x7f0000800000ULL)), "/SYSV0000002a");
}
END_TEST

START_TEST(test_anonymous)
{
	assert_kind(0x7f0000a00000ULL, KIND_ANON, NULL);
	assert_kind(0x7f0000b00000ULL, KIND_ANON, "foo");
	assert_kind(0x7f0000c00000ULL, KIND_GUARD, NULL);
	assert_kind(0x7f0000d00000ULL, KIND_OTHER, "anon_inode:[io_uring]");
	assert_kind(0x7f0000e00000ULL, KIND_OTHER, "socket:[123]");
}
END_TEST

START_TEST(test_thread_stacks)
{
	const struct region *r;

	/* main thread: [stack] */
	r = at(0x7ffffffde000ULL);
	ck_assert_int_eq(r->tid, PID);
	ck_assert_int_eq(snap.threads[0].stack, r - snap.regions);

	/* thread 101 and its guard */
	assert_kind(0x7f0001001000ULL, KIND_THREAD_STACK, "thread 101, by stack pointer");
	assert_kind(0x7f0001000000ULL, KIND_GUARD, "guard of thread 101");
	r = at(0x7f0001001000ULL);
	ck_assert_int_eq(r->tid, 101);
	ck_assert_int_eq(at(0x7f0001000000ULL)->tid, 101);
	ck_assert_int_eq(snap.threads[1].stack, r - snap.regions);

	/* thread 102: SP at the very end of its stack */
	assert_kind(0x7f0001901000ULL, KIND_THREAD_STACK, "thread 102, by stack pointer");
	assert_kind(0x7f0001900000ULL, KIND_GUARD, "guard of thread 102");
	ck_assert_int_eq(at(0x7f0001901000ULL)->tid, 102);

	/* no SP, SP in a file, SP nowhere: nothing labelled */
	ck_assert_int_eq(snap.threads[3].stack, -1);
	ck_assert_int_eq(snap.threads[4].stack, -1);
	ck_assert_int_eq(snap.threads[5].stack, -1);
	assert_kind(0x7f0000000000ULL, KIND_FILE, NULL);
	ck_assert_int_eq(at(0x7f0000000000ULL)->tid, 0);

	/* other regions belong to no thread */
	ck_assert_int_eq(at(0x7f0000a00000ULL)->tid, 0);
	ck_assert_int_eq(at(0x7f0000c00000ULL)->tid, 0);
}
END_TEST

/* Classification is a function of the snapshot: running it again gives the
 * same answer (details are not stacked up, old tids are cleared). */
START_TEST(test_idempotent)
{
	enum region_kind kinds[64];
	uint32_t details[64];
	size_t i;

	ck_assert_uint_le(snap.nregions, 64);
	for (i = 0; i < snap.nregions; i++) {
		kinds[i] = snap.regions[i].kind;
		details[i] = snap.regions[i].detail;
	}
	ck_assert_int_eq(snapshot_classify(&snap), 0);
	for (i = 0; i < snap.nregions; i++) {
		const char *a = details[i] ? strpool_get(&snap.pool, details[i]) : NULL;
		const char *b = region_detail(&snap, &snap.regions[i]);

		ck_assert_int_eq(snap.regions[i].kind, kinds[i]);
		ck_assert(!a == !b);
		if (a)
			ck_assert_str_eq(a, b);
	}
}
END_TEST

/* Threads whose stack pointer could not be read: one such thread and one
 * region with the thread stack pattern (anonymous rw-p, VmFlags nh, a ---p
 * guard right below) pair up. */
START_TEST(test_guard_pattern_one_thread)
{
	snap.threads[1].has_sp = false;	/* thread 101 kept running */
	snap.threads[3].tid = 0;	/* and 103 is gone */
	snap.nthreads = 3;
	ck_assert_int_eq(snapshot_classify(&snap), 0);
	assert_kind(0x7f0001001000ULL, KIND_THREAD_STACK, "thread 101, by guard pattern");
	assert_kind(0x7f0001000000ULL, KIND_GUARD, "guard of thread 101");
	ck_assert_int_eq(at(0x7f0001001000ULL)->tid, 101);
	ck_assert_int_eq(at(0x7f0001000000ULL)->tid, 101);
	ck_assert_int_eq(snap.threads[1].stack,
			 at(0x7f0001001000ULL) - snap.regions);
	ck_assert_int_eq(snap.threads[1].method, STACK_GUARD_PATTERN);
	ck_assert_int_eq(snap.threads[2].method, STACK_POINTER);
	ck_assert_int_eq(snap.threads[0].method, STACK_KERNEL_NAME);
	/* the other stack has no VmFlags: no pattern, but its SP found it */
	assert_kind(0x7f0001901000ULL, KIND_THREAD_STACK, "thread 102, by stack pointer");
}
END_TEST

/* Two threads without SP and one candidate: which thread it belongs to is
 * unknown, but it is a thread stack. */
START_TEST(test_guard_pattern_ambiguous)
{
	snap.threads[1].has_sp = false;	/* 101 and 103 without SP */
	ck_assert_int_eq(snapshot_classify(&snap), 0);
	assert_kind(0x7f0001001000ULL, KIND_THREAD_STACK, "thread unknown, by guard pattern");
	assert_kind(0x7f0001000000ULL, KIND_GUARD, "guard of a thread stack");
	ck_assert_int_eq(at(0x7f0001001000ULL)->tid, 0);
	ck_assert_int_eq(at(0x7f0001000000ULL)->tid, 0);
	ck_assert_int_eq(snap.threads[1].stack, -1);
	ck_assert_int_eq(snap.threads[3].stack, -1);
}
END_TEST

/* A guard only belongs to the thread when it touches the stack. */
START_TEST(test_guard_must_touch)
{
	struct snapshot *s = &snap;

	snapshot_release(s);
	ck_assert_int_eq(snapshot_init(s, PID), 0);
	util_add_region(s, "7f0000000000-7f0000001000 ---p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(s, "7f0000002000-7f0000802000 rw-p 00000000 00:00 0 ", NULL, NULL);
	s->threads = calloc(1, sizeof(*s->threads));
	ck_assert_ptr_nonnull(s->threads);
	s->nthreads = 1;
	s->threads[0].tid = 7;
	s->threads[0].has_sp = true;
	s->threads[0].sp = 0x7f0000100000ULL;
	ck_assert_int_eq(snapshot_analyse(s, &ev_x86_4level), 0);
	assert_kind(0x7f0000002000ULL, KIND_THREAD_STACK, "thread 7, by stack pointer");
	assert_kind(0x7f0000000000ULL, KIND_GUARD, NULL);
	ck_assert_int_eq(at(0x7f0000000000ULL)->tid, 0);
}
END_TEST

START_TEST(test_hugetlb_and_secretmem)
{
	struct snapshot *s = &snap;

	snapshot_release(s);
	ck_assert_int_eq(snapshot_init(s, PID), 0);
	util_add_region(s, "7f0000000000-7f0000200000 rw-s 00000000 00:0f 5 "
			"/anon_hugepage (deleted)", "rd wr sh mr mw me ms ht", NULL);
	util_add_region(s, "7f0000200000-7f0000400000 rw-p 00000000 00:0f 6 "
			"/anon_hugepage (deleted)", "rd wr mr mw me ht", NULL);
	util_add_region(s, "7f0000400000-7f0000401000 rw-s 00000000 00:0e 7 "
			"/secretmem (deleted)", NULL, NULL);
	ck_assert_int_eq(snapshot_analyse(s, &ev_x86_4level), 0);
	assert_kind(0x7f0000000000ULL, KIND_SHM, "hugetlb anonymous");
	assert_kind(0x7f0000200000ULL, KIND_ANON, "hugetlb anonymous");
	assert_kind(0x7f0000400000ULL, KIND_SHM, "secretmem");
}
END_TEST

/* glibc's non-main arenas: 64 MiB aligned rw-p heads with a ---p reserve up
 * to the next 64 MiB boundary, or a whole 64 MiB rw-p heap. */
START_TEST(test_malloc_arenas)
{
	struct snapshot *s = &snap;

	snapshot_release(s);
	ck_assert_int_eq(snapshot_init(s, PID), 0);
	s->elf_class = 64;
	util_add_region(s, "7fe4e0000000-7fe4e0021000 rw-p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(s, "7fe4e0021000-7fe4e4000000 ---p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(s, "7fe4e8000000-7fe4ec000000 rw-p 00000000 00:00 0 ", NULL, NULL);
	/* not aligned: plain anonymous memory and a guard */
	util_add_region(s, "7fe4ef2f4000-7fe4ef2f8000 rw-p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(s, "7fe4ef2f8000-7fe4ef2f9000 ---p 00000000 00:00 0 ", NULL, NULL);
	/* aligned, but its reserve stops short of the boundary */
	util_add_region(s, "7fe4f0000000-7fe4f0021000 rw-p 00000000 00:00 0 ", NULL, NULL);
	util_add_region(s, "7fe4f0021000-7fe4f1000000 ---p 00000000 00:00 0 ", NULL, NULL);
	ck_assert_int_eq(snapshot_analyse(s, &ev_x86_4level), 0);
	assert_kind(0x7fe4e0000000ULL, KIND_HEAP, "malloc arena 1");
	assert_kind(0x7fe4e0021000ULL, KIND_GUARD, "arena reserve");
	assert_kind(0x7fe4e8000000ULL, KIND_HEAP, "malloc arena 2");
	assert_kind(0x7fe4ef2f4000ULL, KIND_ANON, NULL);
	assert_kind(0x7fe4ef2f8000ULL, KIND_GUARD, NULL);
	assert_kind(0x7fe4f0000000ULL, KIND_ANON, NULL);
	assert_kind(0x7fe4f0021000ULL, KIND_GUARD, NULL);
}
END_TEST

START_TEST(test_kind_names)
{
	int k;

	for (k = 0; k < KIND_COUNT; k++) {
		const char *n = region_kind_name(k);

		ck_assert_ptr_nonnull(n);
		ck_assert_int_eq(region_kind_parse(n, strlen(n)), k);
	}
	ck_assert_str_eq(region_kind_name(KIND_THREAD_STACK), "thread_stack");
	ck_assert_str_eq(region_kind_name(KIND_RELRO), "relro");
	ck_assert_ptr_null(region_kind_name(KIND_COUNT));
	ck_assert_int_eq(region_kind_parse("HEAP", 4), KIND_HEAP);
	ck_assert_int_eq(region_kind_parse("heapx", 5), -1);
	ck_assert_int_eq(region_kind_parse("hea", 3), -1);
	ck_assert_int_eq(region_kind_parse("", 0), -1);
	/* the length, not the NUL, ends the name */
	ck_assert_int_eq(region_kind_parse("code,heap", 4), KIND_CODE);
}
END_TEST

/* The python capture: three threads blocked in futex waits, each SP in its
 * own 8 MiB stack above a one-page guard. */
START_TEST(test_python_threads_fixture)
{
	char *root = util_fixture_dir("python-threads");
	pid_t pid = util_fixture_pid("python-threads");
	struct source src;
	struct load_error err;
	struct snapshot s;
	size_t i, stacks = 0, guards = 0, labelled = 0, with_sp = 0;

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_int_eq(snapshot_load(&src, pid, NULL, &s, &err), 0);
	ck_assert_uint_ge(s.nthreads, 2);
	for (i = 0; i < s.nregions; i++) {
		const struct region *r = &s.regions[i];

		if (r->kind == KIND_THREAD_STACK) {
			const struct region *g = &s.regions[i - 1];
			char want[64];

			stacks++;
			ck_assert_int_ne(r->tid, 0);
			ck_assert_int_ne(r->tid, pid);
			ck_assert_int_eq(r->name_kind, MAPS_NAME_NONE);
			ck_assert_int_eq(g->kind, KIND_GUARD);
			ck_assert_int_eq(g->tid, r->tid);
			ck_assert_uint_eq(g->end, r->start);
			snprintf(want, sizeof(want), "guard of thread %d", (int)r->tid);
			ck_assert_str_eq(region_detail(&s, g), want);
			guards++;
		}
		if (r->kind == KIND_STACK)
			ck_assert_int_eq(r->tid, pid);
		if (r->kind == KIND_CODE)
			ck_assert_ptr_nonnull(region_image(&s, r));
	}
	for (i = 0; i < s.nthreads; i++) {
		if (s.threads[i].tid != pid && s.threads[i].has_sp)
			with_sp++;
		if (s.threads[i].stack >= 0)
			labelled++;
	}
	/* every thread whose SP was captured found its stack */
	ck_assert_uint_gt(with_sp, 0);
	ck_assert_uint_eq(stacks, with_sp);
	ck_assert_uint_eq(guards, stacks);
	ck_assert_uint_eq(labelled, with_sp + 1);
	snapshot_release(&s);
	source_close(&src);
	free(root);
}
END_TEST

/* The sleep capture: the images come out as the reference's §7.2 says. */
START_TEST(test_sleep_fixture)
{
	char *root = util_fixture_dir("sleep");
	pid_t pid = util_fixture_pid("sleep");
	struct source src;
	struct load_error err;
	struct snapshot s;
	size_t i, counts[KIND_COUNT] = { 0 };

	ck_assert_int_eq(source_open_proc(&src, root), 0);
	ck_assert_int_eq(snapshot_load(&src, pid, NULL, &s, &err), 0);
	for (i = 0; i < s.nregions; i++) {
		const struct region *r = &s.regions[i];
		const char *path = region_path(&s, r);

		counts[r->kind]++;
		if (path && strcmp(path, "/usr/bin/sleep") == 0) {
			ck_assert_str_eq(region_image(&s, r), "/usr/bin/sleep");
			if (r->perms == (MAPS_READ | MAPS_EXEC))
				ck_assert_int_eq(r->kind, KIND_CODE);
			else if (r->perms == (MAPS_READ | MAPS_WRITE))
				ck_assert_int_eq(r->kind, KIND_DATA);
			else
				ck_assert(r->kind == KIND_RODATA || r->kind == KIND_RELRO);
		}
		if (path && strncmp(path, "/usr/lib/locale/", 16) == 0)
			ck_assert_int_eq(r->kind, KIND_FILE);
		/* libc's .bss goes on in the anonymous region after its data */
		if (r->kind == KIND_BSS) {
			const struct region *prev = &s.regions[i - 1];

			ck_assert_int_eq(r->name_kind, MAPS_NAME_NONE);
			ck_assert_int_eq(prev->kind, KIND_DATA);
			ck_assert_uint_eq(prev->end, r->start);
			ck_assert_str_eq(region_image(&s, r), region_image(&s, prev));
			ck_assert_ptr_nonnull(strstr(region_image(&s, r), "/libc.so"));
		}
	}
	ck_assert_uint_eq(counts[KIND_BSS], 1);
	/* sleep, libc and ld.so each have one RX segment and one RELRO part */
	ck_assert_uint_eq(counts[KIND_CODE], 3);
	ck_assert_uint_eq(counts[KIND_RELRO], 3);
	ck_assert_uint_eq(counts[KIND_DATA], 3);
	ck_assert_uint_eq(counts[KIND_HEAP], 1);
	ck_assert_uint_eq(counts[KIND_STACK], 1);
	ck_assert_uint_eq(counts[KIND_VDSO], 1);
	ck_assert_uint_eq(counts[KIND_VVAR], 2);
	ck_assert_uint_eq(counts[KIND_VSYSCALL], 1);
	ck_assert_uint_eq(counts[KIND_THREAD_STACK], 0);
	ck_assert_uint_eq(counts[KIND_OTHER], 0);
	snapshot_release(&s);
	source_close(&src);
	free(root);
}
END_TEST

static Suite *classify_suite(void)
{
	Suite *s = suite_create("classify");
	TCase *tc = tcase_create("by_hand");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_kernel_pages);
	tcase_add_test(tc, test_elf_image);
	tcase_add_test(tc, test_image_gap);
	tcase_add_test(tc, test_files);
	tcase_add_test(tc, test_shared_memory);
	tcase_add_test(tc, test_anonymous);
	tcase_add_test(tc, test_thread_stacks);
	tcase_add_test(tc, test_idempotent);
	tcase_add_test(tc, test_guard_pattern_one_thread);
	tcase_add_test(tc, test_guard_pattern_ambiguous);
	tcase_add_test(tc, test_malloc_arenas);
	tcase_add_test(tc, test_guard_must_touch);
	tcase_add_test(tc, test_hugetlb_and_secretmem);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_kind_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_add_test(tc, test_python_threads_fixture);
	tcase_add_test(tc, test_sleep_fixture);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return util_run_suite(classify_suite());
}
