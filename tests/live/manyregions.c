/*
 * manyregions: a process with thousands of regions, for the tests of the
 * pipelined load (tests/live/stream.py). Linked statically like the zoo,
 * so no page is shared with another process and every Pss stays put.
 *
 *   manyregions N still|churn
 *
 * It maps N small anonymous regions alternating rw-p and r--p (the kernel
 * cannot merge them) and, for the classification check, a 64 MiB rw-p
 * region aligned to 64 MiB and marked MADV_NOHUGEPAGE: without VmFlags it
 * looks like a full glibc arena, with them (nh) it is plain anonymous
 * memory. A second thread sleeps, so there is a thread stack to find.
 *
 * A memfd is mapped at ODD_MAPS places, a page each between PROT_NONE
 * pages: so many rows that libsmartcols does not set its name aside as an
 * extreme, and the name holds what a table must measure as libsmartcols
 * prints it: double-width characters, a "\x", a C1 control and a byte that
 * is not UTF-8. The thread gets a name of the same kind.
 *
 * With "churn" that thread instead moves the bounds of three regions back
 * and forth as fast as it can (mprotect), so maps and smaps disagree
 * between two reads. It prints "ready" once set up and waits to be killed;
 * it dies with its parent.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/prctl.h>
#include <unistd.h>

#define ARENA_SIZE (64UL << 20)
#define ODD_MAPS 1000

static char *churn_area;
static size_t page;

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *churner(void *arg)
{
	(void)arg;
	/* three regions almost all the time, their bounds moving between
	 * pages 4 and 12: a report that put one read's counters on another
	 * read's bounds shows more resident than mapped */
	for (;;) {
		mprotect(churn_area + 12 * page, page, PROT_READ);
		mprotect(churn_area + 4 * page, page, PROT_READ | PROT_WRITE);
		mprotect(churn_area + 4 * page, page, PROT_READ);
		mprotect(churn_area + 12 * page, page, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	long n;
	size_t i;
	char *area, *raw, *arena, *odd_area;
	int churn, odd;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) < 1 ||
	    (strcmp(argv[2], "still") && strcmp(argv[2], "churn"))) {
		fputs("usage: manyregions N still|churn\n", stderr);
		return 2;
	}
	churn = strcmp(argv[2], "churn") == 0;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	page = (size_t)sysconf(_SC_PAGESIZE);

	area = mmap(NULL, (size_t)n * 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < (size_t)n; i++) {
		area[i * 2 * page] = 1;
		if (i % 2)
			mprotect(area + i * 2 * page, 2 * page, PROT_READ);
	}

	/* An exactly arena-sized, arena-aligned region without a reserve,
	 * between two PROT_NONE pages: a neighbour that is also rw-p and nh
	 * (a thread stack, MAP_STACK) must not merge with it. */
	raw = mmap(NULL, 2 * ARENA_SIZE + 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	arena = (char *)(((uintptr_t)raw + page + ARENA_SIZE - 1) & ~(ARENA_SIZE - 1));
	if (arena - page > raw)
		munmap(raw, (size_t)(arena - page - raw));
	munmap(arena + ARENA_SIZE + page,
	       (size_t)(raw + 2 * ARENA_SIZE + 2 * page - (arena + ARENA_SIZE + page)));
	mprotect(arena - page, page, PROT_NONE);
	mprotect(arena + ARENA_SIZE, page, PROT_NONE);
	madvise(arena, ARENA_SIZE, MADV_NOHUGEPAGE);
	arena[0] = 1;

	churn_area = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (churn_area == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(churn_area, 1, 16 * page);

	odd = memfd_create("wide \xe5\x90\x8d\xe5\x89\x8d \\x \xc2\x85 \xff", 0);
	odd_area = mmap(NULL, (2 * ODD_MAPS + 1) * page, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (odd < 0 || ftruncate(odd, (off_t)page) || odd_area == MAP_FAILED) {
		perror("memfd");
		return 1;
	}
	for (i = 0; i < ODD_MAPS; i++)
		if (mmap(odd_area + (2 * i + 1) * page, page, PROT_READ,
			 MAP_SHARED | MAP_FIXED, odd, 0) == MAP_FAILED) {
			perror("mmap");
			return 1;
		}

	if (pthread_create(&t, NULL, churn ? churner : sleeper, NULL)) {
		fputs("manyregions: cannot start a thread\n", stderr);
		return 1;
	}
	pthread_setname_np(t, "\xe5\x90\x8d\xe5\x89\x8d \\x");
	printf("ready %p\n", (void *)arena);
	fflush(stdout);
	for (;;)
		pause();
}
