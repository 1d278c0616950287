/* procfs.h: opening a process under /proc (or a captured copy of it) and
 * reading its files relative to one directory fd.
 *
 * A process is opened once as a directory fd; every later file is read with
 * openat() relative to it, so a PID reused by another process can never mix
 * two processes' files: once the original process is reaped its directory
 * fd answers ESRCH/ENOENT.
 *
 * A captured tree (--sysroot) is anyone's files, not the kernel's: every file
 * read from it is resolved with the capture as its root (a symlink or ".."
 * that leads out of it is refused), must be a regular file (a FIFO would
 * block, a device would be opened), is opened non-blocking and is bounded in
 * size. Every open of a proc or capture file goes through this module.
 *
 * Nothing here prints or exits; functions return 0 or a negative errno.
 */
#ifndef VMMAP_PROC_PROCFS_H
#define VMMAP_PROC_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/buf.h"
#include "util/text.h"	/* PROC_ENOTREG, PROC_EOUTSIDE, errno_text() */

struct stat;

/* A captured file larger than this is refused (-EFBIG) before it is read:
 * the smaps of a process at the default map count limit is about 100 MiB. */
#define PROC_CAPTURE_FILE_MAX	(256ULL << 20)
/* A file read whole (stat, status, cmdline, cpuinfo, ...) stops at this
 * many bytes with -EFBIG, live or captured. */
#define PROC_READ_MAX		((size_t)64 << 20)

/* Where /proc lives: the real one, or DIR/proc under --sysroot. */
struct proc_source {
	int proc_fd;		/* directory fd of the proc root */
	int root_fd;		/* O_PATH fd of the sysroot; -1 when live */
	char *sysroot;		/* NULL when live; owned */
	char *proc_path;	/* "/proc" or "DIR/proc", for messages; owned */
};

/* One opened process. */
struct proc_handle {
	int dir_fd;
	pid_t pid;
	bool capture;		/* opened under --sysroot: its files are untrusted */
	char path[512];		/* "/proc/PID" (or "DIR/proc/PID"), for messages */
};

/* Open the proc root: "/proc" when sysroot is NULL, else "SYSROOT/proc"
 * (which must be a directory inside SYSROOT). Returns 0 or -errno. */
int proc_source_init(struct proc_source *src, const char *sysroot);
void proc_source_release(struct proc_source *src);
static inline bool proc_source_is_live(const struct proc_source *src)
{
	return src->sysroot == NULL;
}

/* Open /proc/PID as a directory. -ENOENT when there is no such process. */
int proc_open(const struct proc_source *src, pid_t pid, struct proc_handle *h);
void proc_close(struct proc_handle *h);

/* Open NAME relative to the process directory, read-only, close-on-exec;
 * under --sysroot as described at the top. Returns an fd or -errno:
 * -PROC_ENOTREG, -PROC_EOUTSIDE or -EFBIG for a capture's file that is not
 * a regular file, leads outside the capture or is too large. */
int proc_openat(const struct proc_handle *h, const char *name);

/* proc_openat() for a directory (task/). Returns an fd or -errno. */
int proc_opendir_at(const struct proc_handle *h, const char *name);

/* Open the live process's executable through its exe link (the very file,
 * even deleted or in another mount namespace). -EINVAL under --sysroot,
 * where exe is only text: see proc_source_open_in_root(). */
int proc_open_exe(const struct proc_handle *h);

/* proc_openat() for a file of the proc root itself (cpuinfo, kpageflags). */
int proc_source_openat(const struct proc_source *src, const char *name);

/* Open PATH (an absolute path as the target saw it) inside the sysroot,
 * symlinks and ".." kept inside it; it must be a regular file (of any
 * size: ELF readers bound what they read). Returns an fd, -EINVAL when
 * live, -PROC_ENOTREG or -errno. */
int proc_source_open_in_root(const struct proc_source *src, const char *path);

/* Resolve PATH inside root_fd as if root_fd were "/" (symlinks, magic links
 * refused) into an O_PATH fd, which opens nothing and never blocks.
 * Returns the fd or -errno. */
int proc_resolve_in_root(int root_fd, const char *path);

/* Turn an O_PATH fd whose fstat is *st into a readable, non-blocking fd,
 * if it is a regular file of at most size_max bytes (0: any size).
 * path_fd stays the caller's. Returns the fd, -PROC_ENOTREG, -EFBIG or
 * -errno. */
int proc_reopen_regular(int path_fd, const struct stat *st, uint64_t size_max);

/* Is the process non-dumpable (a setuid/setgid exec, a credential change,
 * or PR_SET_DUMPABLE 0)? The kernel then gives its per-process files to
 * root while /proc/PID itself stays owned by the process's euid; a root-owned
 * process cannot be told apart this way. Returns 1 (non-dumpable), 0 (not,
 * or cannot tell) or -errno. */
int proc_is_nondumpable(const struct proc_handle *h);

/* Read all of NAME (relative to the process directory, or to the proc
 * root) into out, replacing its contents; opened as proc_openat() does and
 * at most PROC_READ_MAX bytes. Returns 0 or -errno (a read error mid-file
 * is returned, not hidden; out is then empty). */
int proc_read_file(const struct proc_handle *h, const char *name, struct buf *out);
int proc_source_read_file(const struct proc_source *src, const char *name, struct buf *out);

/* readlink NAME relative to dir_fd into a new string in *target (caller frees).
 * Returns 0 or -errno. */
int proc_readlink_at(int dir_fd, const char *name, char **target);

/* Parse a process argument: "1234" or "/proc/1234" (or "/proc/1234/").
 * Returns 0 with the pid in *pid, or -EINVAL if arg is not one of those
 * forms. */
int proc_parse_pid_arg(const char *arg, pid_t *pid);

#endif
