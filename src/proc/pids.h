/* pids.h: finding and listing processes.
 *
 * Live, finding by name and the picker's list use libproc2 (the one place
 * it is used). Under --sysroot libproc2 cannot help (it reads only the real
 * /proc), so the captured directories are read with our own parsers; so
 * does the machine view live (pids_scan(), pids_summary_read()), which
 * reads the processes in parallel and needs no status of a kernel thread.
 */
#ifndef VMMAP_PROC_PIDS_H
#define VMMAP_PROC_PIDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc/procfs.h"
#include "util/buf.h"

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

/* The pids of the process directories of src (entries named as a pid
 * is), in increasing order; live, without the caller. *pids is malloc'ed
 * (the caller frees it), possibly empty. Returns 0 or -errno. */
int pids_scan(const struct proc_source *src, pid_t **pids, size_t *count);

/* What pids_summary_read() keeps between calls: a buffer and the last user
 * named. Zero it before the first call; one per thread. */
struct pids_cache {
	struct buf b;
	uid_t name_uid;
	bool named;
	char name[64];
};

/* The summary of one process, read with our own parsers: stat, and status
 * unless it is a kernel thread (kthread set, user "?", status not read).
 * Users are effective users, by name live and as numbers under --sysroot.
 * Returns 0, or -errno when the process is gone or its stat unreadable. */
int pids_summary_read(const struct proc_source *src, pid_t pid,
		      struct pids_cache *cache, struct proc_summary *out);

void pids_cache_release(struct pids_cache *cache);

#endif
