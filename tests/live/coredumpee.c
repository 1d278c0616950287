/* coredumpee: a small process whose core is taken by tests/live/core.sh:
 * two threads on small stacks, a heap block, a filled bss, all sleeping.
 * Prints "ready" once every thread is up. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char filled_bss[64 * 1024];

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t t[2];
	char *heap = malloc(256 * 1024);
	int i;

	if (!heap)
		return 1;
	memset(heap, 'h', 256 * 1024);
	memset(filled_bss, 'b', sizeof(filled_bss));
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 128 * 1024);
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], &attr, sleeper, NULL))
			return 1;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
