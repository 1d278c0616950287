/* procfs.c: the thin opener every reader shares. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc/procfs.h"

/* Resolve path below dir_fd to an O_PATH fd: O_PATH never opens a device
 * nor blocks on a FIFO, so nothing happens before the type is checked.
 * resolve is RESOLVE_BENEATH (a symlink or ".." that leaves dir_fd is an
 * error) or RESOLVE_IN_ROOT (dir_fd is "/" for absolute symlinks and "..").
 * Without openat2 (kernels before 5.6) only the last component is kept
 * from being a symlink. */
static int resolve_path(int dir_fd, const char *path, uint64_t resolve, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(O_PATH | O_CLOEXEC | flags),
		.resolve = resolve | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	fd = (int)syscall(SYS_openat2, dir_fd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(dir_fd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC | flags);
	if (fd >= 0)
		return fd;
	return errno == EXDEV ? -PROC_EOUTSIDE : -errno;
}

int proc_resolve_in_root(int root_fd, const char *path)
{
	while (*path == '/')
		path++;
	if (!*path)
		return -ENOENT;
	return resolve_path(root_fd, path, RESOLVE_IN_ROOT, 0);
}

/* An O_PATH fd -> the same file opened for reading, non-blocking. */
static int reopen(int path_fd, int flags)
{
	char self[64];
	int fd;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", path_fd);
	fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | flags);
	return fd < 0 ? -errno : fd;
}

int proc_reopen_regular(int path_fd, const struct stat *st, uint64_t size_max)
{
	if (!S_ISREG(st->st_mode))
		return -PROC_ENOTREG;
	if (size_max && (uint64_t)st->st_size > size_max)
		return -EFBIG;
	return reopen(path_fd, 0);
}

/* Open NAME below dir_fd as a captured file must be opened: inside dir_fd,
 * a regular file of at most PROC_CAPTURE_FILE_MAX bytes (or a directory
 * when dir is set), read-only and non-blocking. */
static int open_captured(int dir_fd, const char *name, bool dir)
{
	struct stat st;
	int pfd, fd;

	pfd = resolve_path(dir_fd, name, RESOLVE_BENEATH, dir ? O_DIRECTORY : 0);
	if (pfd < 0)
		return pfd;
	if (dir)
		fd = reopen(pfd, O_DIRECTORY);
	else if (fstat(pfd, &st) < 0)
		fd = -errno;
	else
		fd = proc_reopen_regular(pfd, &st, PROC_CAPTURE_FILE_MAX);
	close(pfd);
	return fd;
}

/* The kernel's /proc holds only its own files: opened directly. */
static int open_below(int dir_fd, bool capture, const char *name, bool dir)
{
	int fd;

	if (capture)
		return open_captured(dir_fd, name, dir);
	fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | (dir ? O_DIRECTORY : 0));
	return fd < 0 ? -errno : fd;
}

int proc_source_init(struct proc_source *src, const char *sysroot)
{
	int fd;

	memset(src, 0, sizeof(*src));
	src->proc_fd = -1;
	src->root_fd = -1;
	if (sysroot) {
		src->sysroot = strdup(sysroot);
		if (!src->sysroot || asprintf(&src->proc_path, "%s/proc", sysroot) < 0) {
			src->proc_path = NULL;
			proc_source_release(src);
			return -ENOMEM;
		}
		src->root_fd = open(sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
		fd = src->root_fd < 0 ? -errno : open_captured(src->root_fd, "proc", true);
	} else {
		src->proc_path = strdup("/proc");
		if (!src->proc_path)
			return -ENOMEM;
		fd = open(src->proc_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		fd = fd < 0 ? -errno : fd;
	}
	if (fd < 0) {
		proc_source_release(src);
		return fd;
	}
	src->proc_fd = fd;
	return 0;
}

void proc_source_release(struct proc_source *src)
{
	if (src->proc_fd >= 0)
		close(src->proc_fd);
	if (src->root_fd >= 0)
		close(src->root_fd);
	free(src->sysroot);
	free(src->proc_path);
	memset(src, 0, sizeof(*src));
	src->proc_fd = -1;
	src->root_fd = -1;
}

int proc_open(const struct proc_source *src, pid_t pid, struct proc_handle *h)
{
	char name[32];
	int fd;

	snprintf(name, sizeof(name), "%d", (int)pid);
	h->pid = pid;
	h->capture = !proc_source_is_live(src);
	snprintf(h->path, sizeof(h->path), "%s/%d", src->proc_path, (int)pid);
	fd = open_below(src->proc_fd, h->capture, name, true);
	h->dir_fd = fd < 0 ? -1 : fd;
	return fd < 0 ? fd : 0;
}

void proc_close(struct proc_handle *h)
{
	if (h->dir_fd >= 0)
		close(h->dir_fd);
	h->dir_fd = -1;
}

int proc_openat(const struct proc_handle *h, const char *name)
{
	return open_below(h->dir_fd, h->capture, name, false);
}

int proc_opendir_at(const struct proc_handle *h, const char *name)
{
	return open_below(h->dir_fd, h->capture, name, true);
}

int proc_open_exe(const struct proc_handle *h)
{
	int fd;

	if (h->capture)
		return -EINVAL;
	fd = openat(h->dir_fd, "exe", O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

int proc_source_openat(const struct proc_source *src, const char *name)
{
	return open_below(src->proc_fd, !proc_source_is_live(src), name, false);
}

int proc_source_open_in_root(const struct proc_source *src, const char *path)
{
	struct stat st;
	int pfd, fd;

	if (src->root_fd < 0)
		return -EINVAL;
	pfd = proc_resolve_in_root(src->root_fd, path);
	if (pfd < 0)
		return pfd;
	fd = fstat(pfd, &st) < 0 ? -errno : proc_reopen_regular(pfd, &st, 0);
	close(pfd);
	return fd;
}

int proc_is_nondumpable(const struct proc_handle *h)
{
	struct stat dir, maps;

	if (fstat(h->dir_fd, &dir) || fstatat(h->dir_fd, "maps", &maps, 0))
		return -errno;
	return maps.st_uid == 0 && dir.st_uid != 0;
}

/* Read all of NAME below dir_fd into out, opened as open_below() does. */
static int read_file_below(int dir_fd, bool capture, const char *name, struct buf *out)
{
	int fd, err;

	out->len = 0;
	if (out->data)
		out->data[0] = '\0';
	fd = open_below(dir_fd, capture, name, false);
	if (fd < 0)
		return fd;
	err = buf_read_fd(out, fd, PROC_READ_MAX);
	close(fd);
	if (err && out->data) {
		out->len = 0;
		out->data[0] = '\0';
	}
	return err;
}

int proc_read_file(const struct proc_handle *h, const char *name, struct buf *out)
{
	return read_file_below(h->dir_fd, h->capture, name, out);
}

int proc_source_read_file(const struct proc_source *src, const char *name, struct buf *out)
{
	return read_file_below(src->proc_fd, !proc_source_is_live(src), name, out);
}

int proc_readlink_at(int dir_fd, const char *name, char **target)
{
	size_t size = 256;

	*target = NULL;
	for (;;) {
		char *p = malloc(size);
		ssize_t n;

		if (!p)
			return -ENOMEM;
		n = readlinkat(dir_fd, name, p, size);
		if (n < 0) {
			int err = -errno;

			free(p);
			return err;
		}
		if ((size_t)n < size) {
			p[n] = '\0';
			*target = p;
			return 0;
		}
		free(p);
		if (size >= 65536)
			return -ENAMETOOLONG;
		size *= 4;
	}
}

int proc_parse_pid_arg(const char *arg, pid_t *pid)
{
	const char *p = arg;
	char *end;
	long v;

	if (strncmp(p, "/proc/", 6) == 0)
		p += 6;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(p, &end, 10);
	if (errno || v <= 0 || v > INT_MAX)
		return -EINVAL;
	if (*end == '/' && end[1] == '\0')
		end++;
	if (*end != '\0')
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}
