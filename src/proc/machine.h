/* machine.h: facts about the machine and an mm that are not in the per-
 * process text files: cpu flags (/proc/cpuinfo) and the task size, found as
 * the end of /proc/PID/pagemap. */
#ifndef VMMAP_PROC_MACHINE_H
#define VMMAP_PROC_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/procfs.h"

/* Does the first "flags" line of cpuinfo text name flag? Returns 1, 0, or
 * -ENOENT when the text has no flags line. */
int cpuinfo_has_flag(const char *text, size_t len, const char *flag);

/* Read cpuinfo under src and look for flag. Returns as cpuinfo_has_flag()
 * or -errno when the file cannot be read. */
int cpuinfo_read_flag(const struct proc_source *src, const char *flag);

/* Find the task size of the process: pagemap_read() stops at mm->task_size,
 * so the first page index whose 8-byte entry reads as EOF gives it.
 * Binary search; about 50 preads of 8 bytes. Returns 0 with *task_size set,
 * or -errno (EACCES without ptrace access or for non-dumpable targets,
 * ESRCH without mm). */
int pagemap_probe_task_size(const struct proc_handle *h, uint64_t page_size,
			    uint64_t *task_size);

#endif
