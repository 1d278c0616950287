/* procfs.c: the thin opener every reader shares. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/procfs.h"

int proc_source_init(struct proc_source *src, const char *sysroot)
{
	size_t n;

	memset(src, 0, sizeof(*src));
	src->proc_fd = -1;
	if (sysroot) {
		src->sysroot = strdup(sysroot);
		n = strlen(sysroot) + sizeof("/proc");
		src->proc_path = malloc(n);
		if (!src->sysroot || !src->proc_path) {
			proc_source_release(src);
			return -ENOMEM;
		}
		snprintf(src->proc_path, n, "%s/proc", sysroot);
	} else {
		src->proc_path = strdup("/proc");
		if (!src->proc_path)
			return -ENOMEM;
	}
	src->proc_fd = open(src->proc_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src->proc_fd < 0) {
		int err = -errno;

		proc_source_release(src);
		return err;
	}
	return 0;
}

void proc_source_release(struct proc_source *src)
{
	if (src->proc_fd >= 0)
		close(src->proc_fd);
	free(src->sysroot);
	free(src->proc_path);
	memset(src, 0, sizeof(*src));
	src->proc_fd = -1;
}

int proc_open(const struct proc_source *src, pid_t pid, struct proc_handle *h)
{
	char name[32];

	snprintf(name, sizeof(name), "%d", (int)pid);
	h->pid = pid;
	snprintf(h->path, sizeof(h->path), "%s/%d", src->proc_path, (int)pid);
	h->dir_fd = openat(src->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->dir_fd < 0)
		return -errno;
	return 0;
}

void proc_close(struct proc_handle *h)
{
	if (h->dir_fd >= 0)
		close(h->dir_fd);
	h->dir_fd = -1;
}

int proc_openat(const struct proc_handle *h, const char *name)
{
	int fd = openat(h->dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	return fd < 0 ? -errno : fd;
}

int proc_is_nondumpable(const struct proc_handle *h)
{
	struct stat dir, maps;

	if (fstat(h->dir_fd, &dir) || fstatat(h->dir_fd, "maps", &maps, 0))
		return -errno;
	return maps.st_uid == 0 && dir.st_uid != 0;
}

int buf_reserve(struct buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;
	char *p;

	if (want <= b->cap)
		return 0;
	if (want < b->cap * 2)
		want = b->cap * 2;
	if (want < 4096)
		want = 4096;
	p = realloc(b->data, want);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = want;
	return 0;
}

void buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int buf_read_fd(struct buf *out, int fd)
{
	for (;;) {
		ssize_t n;
		int err = buf_reserve(out, 16384);

		if (err)
			return err;
		n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->data[out->len] = '\0';
	return 0;
}

int proc_read_file_at(int dir_fd, const char *name, struct buf *out)
{
	int fd, err;

	out->len = 0;
	if (out->data)
		out->data[0] = '\0';
	fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	err = buf_read_fd(out, fd);
	close(fd);
	return err;
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

const char *errno_text(int err)
{
	static __thread char buf[128];

	if (err < 0)
		err = -err;
	snprintf(buf, sizeof(buf), "%s", strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}
