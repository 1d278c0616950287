/* pages.c: a process whose page-level state is known, for --pages tests.
 *
 *   pages TRUTH
 *
 * Maps, each as its own region (PROT_NONE gaps between them):
 *   third  64 pages, every third page touched (22 present)
 *   untouched  32 pages, never touched
 *   guarded    16 pages, all touched, then pages 4-5 made guard pages with
 *              MADV_GUARD_INSTALL (6.13+; reported as not installed before)
 *   huge       4 MiB, 2 MiB aligned, MADV_HUGEPAGE, every page touched
 * then writes TRUTH (JSON) and waits to be killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

int main(int argc, char **argv)
{
	long ps = sysconf(_SC_PAGESIZE);
	size_t huge = 4u << 20;
	char *base, *third, *untouched, *guarded, *hp, tmp[4096];
	int guard_ok, i;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: pages TRUTH\n");
		return 2;
	}
	/* one reservation, carved with MAP_FIXED, so nothing merges */
	base = mmap(NULL, 16u << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return 1;
	third = base + 2 * ps;
	untouched = third + 66 * ps;
	guarded = untouched + 34 * ps;
	hp = (char *)(((uintptr_t)(guarded + 18 * ps) + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1));
	if (mmap(third, 64 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ||
	    mmap(untouched, 32 * ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ||
	    mmap(guarded, 16 * ps, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED ||
	    mmap(hp, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return 1;
	for (i = 0; i < 64; i += 3)
		third[i * ps] = 1;
	memset(guarded, 1, 16 * ps);
	guard_ok = madvise(guarded + 4 * ps, 2 * ps, MADV_GUARD_INSTALL) == 0;
	madvise(hp, huge, MADV_HUGEPAGE);
	memset(hp, 1, huge);

	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	f = fopen(tmp, "w");
	if (!f)
		return 1;
	fprintf(f, "{\"pid\": %d, \"page_size\": %ld,\n"
		" \"third\": \"%p\", \"untouched\": \"%p\", \"guarded\": \"%p\",\n"
		" \"guard_installed\": %s, \"huge\": \"%p\", \"huge_len\": %zu}\n",
		(int)getpid(), ps, (void *)third, (void *)untouched, (void *)guarded,
		guard_ok ? "true" : "false", (void *)hp, huge);
	fclose(f);
	if (rename(tmp, argv[1]) != 0)
		return 1;
	for (;;)
		pause();
}
