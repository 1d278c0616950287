/* replay_main.c: the main of the fuzz targets when they are not built with
 * libFuzzer (every build but ./configure CC=clang --enable-fuzzing).
 *
 * It runs LLVMFuzzerTestOneInput once on each file named on the command
 * line and on each file of each directory named (not recursively), as
 * libFuzzer does when given files or corpora, so the kept crashers and the
 * seed corpora go through the same harness and the same checks in the
 * plain and the sanitizer builds. Arguments that begin with '-' are
 * libFuzzer's options and are ignored, so one command line serves both
 * mains. A crash, an abort() of a failed FUZZ_CHECK or a sanitizer report
 * ends the process, with the input named on stderr just before it ran.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Optional in a target, as with libFuzzer: weak, so it is NULL when no
 * target defines it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* The whole of path in an exact-size heap buffer (ASan then reports a read
 * past its end, as under libFuzzer). Returns 0 or -errno. */
static int read_file(const char *path, uint8_t **data, size_t *size)
{
	struct stat st;
	uint8_t *buf;
	size_t off = 0, len;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		rc = -errno;
	else if (!S_ISREG(st.st_mode))
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	if (rc) {
		close(fd);
		return rc;
	}
	len = (size_t)st.st_size;
	buf = malloc(len);
	if (!buf && len) {
		close(fd);
		return -ENOMEM;
	}
	while (off < len) {
		ssize_t n = read(fd, buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;	/* shrank meanwhile */
			free(buf);
			close(fd);
			return rc;
		}
		off += (size_t)n;
	}
	close(fd);
	*data = buf;
	*size = len;
	return 0;
}

/* Run the target on the file path, or on every file of the directory
 * path. Returns the number of inputs run, or -errno. */
static int run_path(const char *path)
{
	uint8_t *data = NULL;
	size_t size = 0;
	int rc;

	rc = read_file(path, &data, &size);
	if (rc == -EISDIR) {
		DIR *d = opendir(path);
		struct dirent *de;
		int ran = 0;

		if (!d)
			return -errno;
		while ((de = readdir(d))) {
			char *sub;

			if (de->d_name[0] == '.')
				continue;
			if (asprintf(&sub, "%s/%s", path, de->d_name) < 0) {
				closedir(d);
				return -ENOMEM;
			}
			rc = read_file(sub, &data, &size);
			if (rc == 0) {
				fprintf(stderr, "Running: %s\n", sub);
				LLVMFuzzerTestOneInput(data, size);
				free(data);
				ran++;
			}
			free(sub);
			if (rc && rc != -EISDIR) {
				closedir(d);
				return rc;
			}
		}
		closedir(d);
		return ran;
	}
	if (rc)
		return rc;
	fprintf(stderr, "Running: %s\n", path);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 1;
}

int main(int argc, char **argv)
{
	int i, ran = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		int rc;

		if (argv[i][0] == '-')
			continue;
		rc = run_path(argv[i]);
		if (rc < 0) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i], strerror(-rc));
			return 2;
		}
		ran += rc;
	}
	if (!ran) {
		fprintf(stderr, "%s: no input files (usage: %s FILE|DIR...)\n",
			argv[0], argv[0]);
		return 2;
	}
	fprintf(stderr, "Executed %d inputs\n", ran);
	return 0;
}
