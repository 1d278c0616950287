/* mapfile.c: see mapfile.h for why it is done this way. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "proc/mapfile.h"

/* O_PATH fd -> a readable fd, if it is the regular file we want. Closes
 * pfd (a negative pfd is passed through). */
static int try_candidate(int pfd, const struct mapped_file_id *id, int check_id)
{
	struct stat st;
	int fd;

	if (pfd < 0)
		return pfd;
	if (fstat(pfd, &st) < 0)
		fd = -errno;
	else if (check_id && S_ISREG(st.st_mode) &&
		 (st.st_ino != id->inode || major(st.st_dev) != id->dev_major ||
		  minor(st.st_dev) != id->dev_minor))
		fd = -ESTALE;
	else
		fd = proc_reopen_regular(pfd, &st, 0);
	close(pfd);
	return fd;
}

int mapfile_open(const struct proc_source *src, const struct proc_handle *h,
		 const struct mapped_file_id *id, enum mapfile_method *method)
{
	int fd, root;

	if (!proc_source_is_live(src)) {
		fd = proc_source_open_in_root(src, id->path);
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
	fd = try_candidate(proc_resolve_in_root(root, id->path), id, 1);
	close(root);
	if (fd >= 0)
		*method = MAPFILE_ROOT_PATH;
	return fd;
}
