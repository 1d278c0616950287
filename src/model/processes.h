/* processes.h: the processes a view offers to pick from (the live view's
 * picker), and finding one of them by what the user typed.
 *
 * The list comes from pids_list() (libproc2 live, the captured files under
 * --sysroot); views ask for it here and never list /proc themselves.
 */
#ifndef VMMAP_MODEL_PROCESSES_H
#define VMMAP_MODEL_PROCESSES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "proc/pids.h"

struct source;

struct process_list {
	struct proc_summary *v;	/* largest RSS first, ties by pid */
	size_t n;
};

/* Load the processes (not threads, not kernel threads, not the caller) of
 * src into *out, which holds nothing to release before. On failure returns
 * -errno and leaves *out empty. */
int process_list_load(const struct source *src, struct process_list *out);

void process_list_release(struct process_list *pl);

/* The index of pid in pl, or -1. */
long process_list_index(const struct process_list *pl, pid_t pid);

/* True when needle is, ignoring case, part of the command name or the user,
 * or is the whole pid. needle is not empty. */
bool process_matches(const struct proc_summary *p, const char *needle);

/* Find the next process after index from that matches needle, going round
 * past the end (from itself comes last). Returns true with its index in
 * *at, false when none matches. */
bool process_list_find(const struct process_list *pl, const char *needle,
		       size_t from, size_t *at);

#endif
