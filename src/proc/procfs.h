/* procfs.h: opening a process under /proc (or a captured copy of it) and
 * reading its files relative to one directory fd.
 *
 * A process is opened once as a directory fd; every later file is read with
 * openat() relative to it, so a PID reused by another process can never mix
 * two processes' files: once the original process is reaped its directory
 * fd answers ESRCH/ENOENT.
 *
 * Nothing here prints or exits; functions return 0 or a negative errno.
 */
#ifndef VMMAP_PROC_PROCFS_H
#define VMMAP_PROC_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where /proc lives: the real one, or DIR/proc under --sysroot. */
struct proc_source {
	int proc_fd;		/* directory fd of the proc root */
	char *sysroot;		/* NULL when live; owned */
	char *proc_path;	/* "/proc" or "DIR/proc", for messages; owned */
};

/* One opened process. */
struct proc_handle {
	int dir_fd;
	pid_t pid;
	char path[512];		/* "/proc/PID" (or "DIR/proc/PID"), for messages */
};

/* A growable byte buffer; data is always NUL-terminated after len. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Open the proc root: "/proc" when sysroot is NULL, else "SYSROOT/proc".
 * Returns 0 or -errno. */
int proc_source_init(struct proc_source *src, const char *sysroot);
void proc_source_release(struct proc_source *src);
static inline bool proc_source_is_live(const struct proc_source *src)
{
	return src->sysroot == NULL;
}

/* Open /proc/PID as a directory. -ENOENT when there is no such process. */
int proc_open(const struct proc_source *src, pid_t pid, struct proc_handle *h);
void proc_close(struct proc_handle *h);

/* Open NAME relative to the process directory, read-only, close-on-exec.
 * Returns an fd or -errno. */
int proc_openat(const struct proc_handle *h, const char *name);

/* Is the process non-dumpable (a setuid/setgid exec, a credential change,
 * or PR_SET_DUMPABLE 0)? The kernel then gives its per-process files to
 * root while /proc/PID itself stays owned by the process's euid; a root-owned
 * process cannot be told apart this way. Returns 1 (non-dumpable), 0 (not,
 * or cannot tell) or -errno. */
int proc_is_nondumpable(const struct proc_handle *h);

/* Read all of NAME (relative to dir_fd) into out, replacing its contents.
 * Returns 0 or -errno (a read error mid-file is returned, not hidden). */
int proc_read_file_at(int dir_fd, const char *name, struct buf *out);

/* Read everything from fd into out (appending). Returns 0 or -errno. */
int buf_read_fd(struct buf *out, int fd);

/* readlink NAME relative to dir_fd into a new string in *target (caller frees).
 * Returns 0 or -errno. */
int proc_readlink_at(int dir_fd, const char *name, char **target);

int buf_reserve(struct buf *b, size_t extra);
void buf_release(struct buf *b);

/* strerror(-err) as messages print it: lowercase first letter
 * ("permission denied"). Returns a static or thread-local string. */
const char *errno_text(int err);

/* Parse a process argument: "1234" or "/proc/1234" (or "/proc/1234/").
 * Returns the pid, or -EINVAL if arg is not one of those forms. */
int proc_parse_pid_arg(const char *arg, pid_t *pid);

#endif
