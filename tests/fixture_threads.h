/* fixture_threads.h: the threads of the test programs whose layout is
 * known (tests/live/zoo.c, tests/anatomy/anat.c).
 *
 * Each thread records its tid, an address on its stack and the stack's
 * bounds, optionally calls malloc() once (glibc then gives it an arena of
 * its own), reports through a pipe and blocks forever reading another
 * pipe nobody writes to: once every thread sleeps in read(), the process
 * is idle and its memory numbers stay put.
 *
 * Header-only (static functions), so that the programs built by a test
 * script with the compiler directly (-m32, static-pie) need no other
 * source. The includer defines die(const char *what), which reports
 * errno and exits.
 */
#ifndef VMMAP_TESTS_FIXTURE_THREADS_H
#define VMMAP_TESTS_FIXTURE_THREADS_H

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

struct fixture_thread {
	pthread_t handle;
	size_t requested;	/* stack size asked for; 0: glibc's default */
	bool do_malloc;		/* call malloc() before blocking */
	pid_t tid;
	uintptr_t addr;		/* a local variable on its stack */
	uintptr_t stack_lo, stack_hi;	/* usable stack, from pthread_getattr_np */
	uintptr_t block;	/* what malloc() returned */
};

static int fixture_ready_pipe[2], fixture_block_pipe[2];

static void *fixture_thread_main(void *arg)
{
	struct fixture_thread *t = arg;
	volatile char on_stack[64];
	pthread_attr_t attr;
	void *lo;
	size_t size;
	char c = 0;

	on_stack[0] = 1;
	t->tid = (pid_t)syscall(SYS_gettid);
	t->addr = (uintptr_t)&on_stack[0];
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &lo, &size) == 0) {
			t->stack_lo = (uintptr_t)lo;
			t->stack_hi = (uintptr_t)lo + size;
		}
		pthread_attr_destroy(&attr);
	}
	if (t->do_malloc) {
		/* This thread's first malloc(): glibc gives it an arena of its
		 * own (a new heap, aligned to HEAP_MAX_SIZE). Kept forever. */
		char *p = malloc(100);

		if (!p)
			_exit(3);
		memset(p, 'a', 100);
		t->block = (uintptr_t)p;
	}
	if (write(fixture_ready_pipe[1], &c, 1) != 1)
		_exit(3);
	for (;;)
		if (read(fixture_block_pipe[0], &c, 1) == 0)
			break;
	return (void *)(uintptr_t)on_stack[0];
}

/* Start the n threads of t (requested and do_malloc set by the caller).
 * one_at_a_time: each is ready before the next starts, so their stacks
 * and arenas are made in a known order. Returns when all are ready. */
static void fixture_start_threads(struct fixture_thread *t, int n, bool one_at_a_time)
{
	int i, rc;
	char c;

	if (pipe(fixture_ready_pipe) || pipe(fixture_block_pipe))
		die("pipe");
	for (i = 0; i < n; i++) {
		pthread_attr_t attr;

		if ((rc = pthread_attr_init(&attr)) ||
		    (t[i].requested && (rc = pthread_attr_setstacksize(&attr, t[i].requested)))) {
			errno = rc;
			die("pthread_attr");
		}
		rc = pthread_create(&t[i].handle, &attr, fixture_thread_main, &t[i]);
		if (rc) {
			errno = rc;
			die("pthread_create");
		}
		pthread_attr_destroy(&attr);
		if (one_at_a_time && read(fixture_ready_pipe[0], &c, 1) != 1)
			die("read ready pipe");
	}
	for (i = 0; !one_at_a_time && i < n; i++)
		if (read(fixture_ready_pipe[0], &c, 1) != 1)
			die("read ready pipe");
}

/* True once thread tid sleeps in read(): its syscall file then starts with
 * the number of read ("running" while it runs). */
static bool fixture_thread_in_read(pid_t tid)
{
	char path[64], buf[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;	/* cannot tell: do not wait forever */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	return buf[0] != 'r' && strtol(buf, NULL, 10) == SYS_read;
}

/* Wait (at most about 5 s each) until every thread sleeps in read(). */
static void fixture_wait_threads_asleep(const struct fixture_thread *t, int n)
{
	struct timespec ts = { 0, 1000000 };
	int i, tries;

	for (i = 0; i < n; i++)
		for (tries = 0; tries < 5000 && !fixture_thread_in_read(t[i].tid); tries++)
			nanosleep(&ts, NULL);
}

#endif
