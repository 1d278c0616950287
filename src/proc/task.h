/* task.h: the threads of a process (task/), its command line and its
 * executable link. */
#ifndef VMMAP_PROC_TASK_H
#define VMMAP_PROC_TASK_H

#include <stddef.h>
#include <sys/types.h>

#include "proc/procfs.h"

/* List the thread ids under task/, sorted ascending: the entries that are
 * directories named by a TID as the kernel writes it (see task_parse_tid);
 * anything else a capture holds there is not a thread. *tids is malloc'ed
 * (caller frees). Returns 0 or -errno. */
int task_list(const struct proc_handle *h, pid_t **tids, size_t *count);

/* Parse a TID or PID directory name: canonical decimal, 1..INT_MAX, no sign,
 * no leading zero, nothing after. Returns 0 with *tid set, or -EINVAL. */
int task_parse_tid(const char *name, pid_t *tid);

/* Split cmdline text (NUL-separated arguments) into a NULL-terminated argv
 * array of copies. A missing final NUL is tolerated. Returns 0 or -ENOMEM;
 * *argv is one allocation the caller frees with free(). */
int cmdline_parse(const char *text, size_t len, char ***argv, size_t *argc);

/* readlink exe; strips " (deleted)" into *deleted. Returns 0 or -errno
 * (-ENOENT for kernel threads and zombies, -EACCES without ptrace access). */
int task_read_exe(const struct proc_handle *h, char **path, int *deleted);

/* Parse the "syscall" file of a thread: stack pointer when the thread is
 * blocked ("NR args... SP PC" or "-1 SP PC"). Returns 0 with *sp set,
 * -EAGAIN for "running", -ESRCH when SP is 0 (no user stack), -EINVAL. */
int syscall_parse_sp(const char *text, size_t len, unsigned long long *sp);

#endif
