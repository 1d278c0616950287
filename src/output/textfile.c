/* textfile.c: an output file replaced whole by rename (textfile.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/textfile.h"

static int failed(struct output_file *of, const char *step, const char *path)
{
	int err = errno ? errno : EIO;

	of->failed_step = step;
	snprintf(of->failed_file, sizeof(of->failed_file), "%s", path);
	return -err;
}

int output_file_open(struct output_file *of, const char *path)
{
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	memset(of, 0, sizeof(*of));
	of->path = strdup(path);
	if (of->path && asprintf(&of->tmp, "%s.tmp.XXXXXX", path) < 0)
		of->tmp = NULL;
	if (!of->path || !of->tmp) {
		errno = ENOMEM;
		return failed(of, "create", path);
	}
	/* a unique name, created by us (O_EXCL): never another's file */
	fd = mkostemp(of->tmp, O_CLOEXEC);
	if (fd < 0)
		return failed(of, "create", of->tmp);
	/* mkostemp() makes it 0600; the collector runs as another user */
	if (fchmod(fd, 0666 & ~mask) || !(of->f = fdopen(fd, "w"))) {
		int rc = failed(of, "write", of->tmp);

		close(fd);
		unlink(of->tmp);
		return rc;
	}
	return 0;
}

/* The rename on disk too: fsync the directory of path (best effort: a
 * directory that cannot be opened still has the file). */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
	int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int output_file_close(struct output_file *of, bool ok)
{
	int rc = 0;

	if (of->f) {
		errno = 0;
		if (ok && (fflush(of->f) || ferror(of->f) || fsync(fileno(of->f)))) {
			rc = failed(of, "write", of->tmp);
			ok = false;
		}
		if (fclose(of->f) && ok) {
			rc = failed(of, "write", of->tmp);
			ok = false;
		}
		if (ok && rename(of->tmp, of->path)) {
			rc = failed(of, "rename", of->tmp);
			ok = false;
		}
		if (!ok)
			unlink(of->tmp);
		else
			sync_dir(of->path);
		of->f = NULL;
		if (!ok && !rc)
			rc = -ECANCELED;	/* the caller gave up */
	}
	free(of->path);
	free(of->tmp);
	of->path = of->tmp = NULL;
	return rc;
}
