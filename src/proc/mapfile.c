/* mapfile.c: see mapfile.h for why it is done this way. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "proc/mapfile.h"

/* Resolve path under dirfd as if dirfd were "/", symlinks included, and
 * return an O_PATH fd. Falls back to a plain O_PATH|O_NOFOLLOW openat on
 * kernels without openat2 (before 5.6). */
static int open_path_in_root(int dirfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	while (*path == '/')
		path++;
	if (!*path)
		return -ENOENT;
	fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd >= 0)
		return fd;
	if (errno != ENOSYS)
		return -errno;
	fd = openat(dirfd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* O_PATH fd -> a readable fd, if it is the regular file we want. */
static int reopen_checked(int pfd, const struct mapped_file_id *id, int check_id)
{
	char self[64];
	struct stat st;
	int fd;

	if (fstat(pfd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (check_id && (st.st_ino != id->inode ||
			 major(st.st_dev) != id->dev_major ||
			 minor(st.st_dev) != id->dev_minor))
		return -ESTALE;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int try_candidate(int pfd, const struct mapped_file_id *id, int check_id)
{
	int fd;

	if (pfd < 0)
		return pfd;
	fd = reopen_checked(pfd, id, check_id);
	close(pfd);
	return fd;
}

int mapfile_open(const struct proc_source *src, const struct proc_handle *h,
		 const struct mapped_file_id *id, enum mapfile_method *method)
{
	int fd, root;

	if (!proc_source_is_live(src)) {
		root = open(src->sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return -errno;
		fd = try_candidate(open_path_in_root(root, id->path), id, 0);
		close(root);
		if (fd >= 0)
			*method = MAPFILE_SYSROOT;
		return fd;
	}

	{
		char name[64];

		snprintf(name, sizeof(name), "map_files/%" PRIx64 "-%" PRIx64,
			 id->start, id->end);
		fd = openat(h->dir_fd, name, O_PATH | O_CLOEXEC);
		fd = try_candidate(fd < 0 ? -errno : fd, id, 1);
	}
	if (fd >= 0) {
		*method = MAPFILE_MAP_FILES;
		return fd;
	}
	root = openat(h->dir_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	fd = try_candidate(open_path_in_root(root, id->path), id, 1);
	close(root);
	if (fd >= 0)
		*method = MAPFILE_ROOT_PATH;
	return fd;
}
