/* pids.h: finding processes by name.
 *
 * Live, this is the one place libproc2 is used. Under --sysroot libproc2
 * cannot help (it reads only the real /proc), so the captured comm files are
 * scanned instead.
 */
#ifndef VMMAP_PROC_PIDS_H
#define VMMAP_PROC_PIDS_H

#include <stddef.h>
#include <sys/types.h>

#include "proc/procfs.h"

/* Find processes (not threads) whose command name or argv[0] basename equals
 * name, excluding the caller itself. *pids is malloc'ed, sorted ascending,
 * possibly empty. Returns 0 or -errno. */
int pids_find_by_name(const struct proc_source *src, const char *name,
		      pid_t **pids, size_t *count);

#endif
