/* processes.c: the picker's process list, over pids_list(). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/source.h"
#include "model/processes.h"

int process_list_load(const struct source *src, struct process_list *out)
{
	out->v = NULL;
	out->n = 0;
	return pids_list(&src->proc, &out->v, &out->n);
}

void process_list_release(struct process_list *pl)
{
	free(pl->v);
	pl->v = NULL;
	pl->n = 0;
}

long process_list_index(const struct process_list *pl, pid_t pid)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->v[i].pid == pid)
			return (long)i;
	return -1;
}

bool process_matches(const struct proc_summary *p, const char *needle)
{
	char pid[24];

	snprintf(pid, sizeof(pid), "%d", (int)p->pid);
	return strcasestr(p->comm, needle) || strcasestr(p->user, needle) ||
	       strcmp(pid, needle) == 0;
}

bool process_list_find(const struct process_list *pl, const char *needle,
		       size_t from, size_t *at)
{
	size_t i;

	for (i = 1; i <= pl->n; i++) {
		size_t k = (from + i) % pl->n;

		if (process_matches(&pl->v[k], needle)) {
			*at = k;
			return true;
		}
	}
	return false;
}
