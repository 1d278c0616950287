/* pids.h: finding processes by name.
 *
 * Live, this is the one place libproc2 is used. Under --sysroot libproc2
 * cannot help (it reads only the real /proc), so the captured comm files are
 * scanned instead.
 */
#ifndef VMMAP_PROC_PIDS_H
#define VMMAP_PROC_PIDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc/procfs.h"

/* Find processes (not threads) whose command name or argv[0] basename equals
 * name, excluding the caller itself. *pids is malloc'ed, sorted ascending,
 * possibly empty. Returns 0 or -errno. */
int pids_find_by_name(const struct proc_source *src, const char *name,
		      pid_t **pids, size_t *count);

/* One line of the process picker. */
struct proc_summary {
	pid_t pid;
	char user[64];		/* effective user name, or the uid as a number */
	char comm[80];		/* command name, raw (views escape it) */
	uint64_t rss;		/* bytes */
	bool rss_known;
	uid_t uid;		/* effective uid */
	bool uid_known;
	char state;		/* stat's state: 'R', 'S', 'Z' ...; 0 unknown */
	bool kthread;		/* PF_KTHREAD: no address space of its own */
};

/* List the processes (not threads, not kernel threads) for a picker,
 * largest RSS first (ties by pid), excluding the caller itself. Live this
 * asks libproc2; under --sysroot it scans the captured comm and status
 * files and shows users as uids. *list is malloc'ed (the caller frees it),
 * possibly empty. Returns 0 or -errno. */
int pids_list(const struct proc_source *src, struct proc_summary **list,
	      size_t *count);

/* pids_list(), with the kernel threads (kthread set, user "?", status not
 * read) and in pid order: the machine view (--all) counts what it skips.
 * Read with our own parsers, live too; users are effective users, by name
 * live and as numbers under --sysroot. Returns 0 or -errno. */
int pids_list_every(const struct proc_source *src, struct proc_summary **list,
		    size_t *count);

#endif
