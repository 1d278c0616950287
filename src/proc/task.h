/* task.h: the threads of a process (task/), its command line and its
 * executable link. */
#ifndef VMMAP_PROC_TASK_H
#define VMMAP_PROC_TASK_H

#include <stddef.h>
#include <sys/types.h>

#include "proc/procfs.h"

/* List the thread ids under task/, sorted ascending. *tids is malloc'ed
 * (caller frees). Returns 0 or -errno. */
int task_list(const struct proc_handle *h, pid_t **tids, size_t *count);

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
