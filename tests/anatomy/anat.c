/* anat.c: a program whose anatomy is known, for tests/anatomy/anatomy.sh.
 *
 * Usage: anat TRUTH_FILE
 *
 * It has one object of each textbook kind: initialised data (.data), a
 * large zero-initialised array (.bss, 128 KiB: far more than the rest of the
 * last file page, so the kernel or ld.so maps an anonymous bss tail after
 * the data segment), a read-only string (.rodata) and a function (.text).
 * It starts three threads with stacks of 256 KiB, 1 MiB and 8 MiB; the
 * second one calls malloc() first, which makes glibc create a non-main
 * malloc arena. Every thread then blocks in read() on a pipe nobody writes.
 *
 * Once all threads sleep, it writes what it built as JSON to TRUTH_FILE
 * (a temporary file renamed into place: a reader never sees half of it) and
 * sleeps in pause() until killed. Addresses are strings of hex, as in
 * vmmap's own JSON. The same source is built as PIE, non-PIE, static,
 * static-pie and 32-bit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KIB (1024UL)
#define MIB (1024UL * 1024UL)

/* The objects whose regions the test checks; not static, so that their
 * names also show up in the symbol table. */
int anat_data = 42;
int anat_bss[32768];		/* 128 KiB of .bss */
const char anat_rodata[] = "anat: a read-only string in .rodata";

int anat_code(int x);

__attribute__((noinline)) int anat_code(int x)
{
	return x * 3 + anat_data;
}

/* Provided by the GNU, gold and lld linkers: the ELF header's address (the
 * load bias plus the lowest PT_LOAD's page) and the end of the file-backed
 * part of the data segment. Weak: 0 when a linker does not provide them. */
extern const char __ehdr_start[] __attribute__((weak));
extern char _edata[] __attribute__((weak));
extern char _end[] __attribute__((weak));

static void die(const char *what)
{
	fprintf(stderr, "anat: %s: %s\n", what, strerror(errno));
	exit(2);
}

#include "../fixture_threads.h"

#define NTHREADS 3
static struct fixture_thread threads[NTHREADS];

/* Stacks of 256 KiB, 1 MiB and 8 MiB; the second thread mallocs (an
 * arena of its own); one at a time, so stacks and arenas come in order. */
static void start_threads(void)
{
	static const size_t sizes[NTHREADS] = { 256 * KIB, 1 * MIB, 8 * MIB };
	int i;

	for (i = 0; i < NTHREADS; i++) {
		threads[i].requested = sizes[i];
		threads[i].do_malloc = i == 1;
	}
	fixture_start_threads(threads, NTHREADS, true);
	fixture_wait_threads_asleep(threads, NTHREADS);
}

static void write_truth(const char *truth, uintptr_t main_stack)
{
	char tmp[4096];
	FILE *f;
	int i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", truth);
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "{\n  \"pid\": %d,\n", (int)getpid());
	fprintf(f, "  \"ptr_bits\": %d,\n", (int)(sizeof(void *) * 8));
	fprintf(f, "  \"page_size\": %ld,\n", sysconf(_SC_PAGESIZE));
	fprintf(f, "  \"data\": \"0x%jx\",\n", (uintmax_t)(uintptr_t)&anat_data);
	fprintf(f, "  \"rodata\": \"0x%jx\",\n", (uintmax_t)(uintptr_t)anat_rodata);
	fprintf(f, "  \"code\": \"0x%jx\",\n", (uintmax_t)(uintptr_t)&anat_code);
	fprintf(f, "  \"bss\": \"0x%jx\",\n", (uintmax_t)(uintptr_t)anat_bss);
	fprintf(f, "  \"bss_size\": %zu,\n", sizeof(anat_bss));
	fprintf(f, "  \"bss_last\": \"0x%jx\",\n",
		(uintmax_t)((uintptr_t)anat_bss + sizeof(anat_bss) - 1));
	fprintf(f, "  \"ehdr\": \"0x%jx\",\n", (uintmax_t)(uintptr_t)__ehdr_start);
	fprintf(f, "  \"edata\": \"0x%jx\",\n", (uintmax_t)(uintptr_t)_edata);
	fprintf(f, "  \"end\": \"0x%jx\",\n", (uintmax_t)(uintptr_t)_end);
	fprintf(f, "  \"main\": {\"tid\": %d, \"addr\": \"0x%jx\"},\n",
		(int)getpid(), (uintmax_t)main_stack);
	fprintf(f, "  \"threads\": [\n");
	for (i = 0; i < NTHREADS; i++) {
		const struct fixture_thread *t = &threads[i];

		fprintf(f, "    {\"tid\": %d, \"addr\": \"0x%jx\", "
			"\"stack_lo\": \"0x%jx\", \"stack_hi\": \"0x%jx\", "
			"\"requested\": %zu, \"malloc\": %s}%s\n",
			(int)t->tid, (uintmax_t)t->addr, (uintmax_t)t->stack_lo,
			(uintmax_t)t->stack_hi, t->requested,
			t->do_malloc ? "true" : "false", i + 1 < NTHREADS ? "," : "");
	}
	fprintf(f, "  ],\n");
	fprintf(f, "  \"malloc_block\": \"0x%jx\"\n}\n", (uintmax_t)threads[1].block);
	if (fclose(f))
		die(tmp);
	if (rename(tmp, truth))
		die(truth);
}

int main(int argc, char **argv)
{
	volatile int on_stack = 1;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: anat TRUTH_FILE\n");
		return 2;
	}
	/* touch every .bss page: the tail is then resident, and the compiler
	 * cannot drop or shrink the array */
	for (i = 0; i < sizeof(anat_bss) / sizeof(anat_bss[0]); i += 1024)
		anat_bss[i] = anat_code((int)i) + anat_rodata[i % sizeof(anat_rodata)];
	start_threads();
	write_truth(argv[1], (uintptr_t)&on_stack);
	for (;;)
		pause();
	return on_stack;
}
