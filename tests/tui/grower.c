/* grower.c: a process whose memory grows on request, for the live view's
 * tests (tests/tui/tui.sh).
 *
 *   grower PIDFILE
 *
 * Reserves 128 MiB of address space (PROT_NONE) and writes its pid to
 * PIDFILE (through a rename, so the file appears whole). Then:
 *   SIGUSR1  makes the first 32 MiB of the reservation read-write and
 *            touches every page: a new 32 MiB region appears;
 *   SIGUSR2  makes the next 32 MiB read-write too and touches it: the same
 *            region (same start) grows to 64 MiB.
 * Each step is acknowledged by writing "1" or "2" to PIDFILE.step.
 * SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define STEP (32UL << 20)

static volatile sig_atomic_t requests;	/* bit 0: USR1, bit 1: USR2 */

static void on_usr(int sig)
{
	requests |= sig == SIGUSR1 ? 1 : 2;
}

static int write_file(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fputs(text, f);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

static int grow(char *base, size_t from, size_t to)
{
	size_t i;

	if (mprotect(base + from, to - from, PROT_READ | PROT_WRITE) != 0)
		return -1;
	for (i = from; i < to; i += 4096)
		base[i] = (char)(i >> 12);
	return 0;
}

int main(int argc, char **argv)
{
	char text[64], step[4096];
	struct sigaction sa;
	sigset_t block, old;
	char *base;
	int done = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: grower PIDFILE\n");
		return 2;
	}
	snprintf(step, sizeof(step), "%s.step", argv[1]);
	base = mmap(NULL, 4 * STEP, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		perror("grower: mmap");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);

	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	if (write_file(argv[1], text) != 0) {
		perror("grower: pid file");
		return 1;
	}
	for (;;) {
		while (!requests)
			sigsuspend(&old);
		if ((requests & 1) && done < 1) {
			if (grow(base, 0, STEP) != 0) {
				perror("grower: mprotect");
				return 1;
			}
			done = 1;
			write_file(step, "1\n");
		}
		if ((requests & 2) && done == 1) {
			if (grow(base, STEP, 2 * STEP) != 0) {
				perror("grower: mprotect");
				return 1;
			}
			done = 2;
			write_file(step, "2\n");
		}
		requests = 0;
	}
}
