/* textfile.h: writing a report to a file the way node_exporter's textfile
 * collector needs it (--output-file): into a new file beside it, renamed
 * over it once complete and on disk, so that a reader sees the old file or
 * the new one, never a part. */
#ifndef VMMAP_OUTPUT_TEXTFILE_H
#define VMMAP_OUTPUT_TEXTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct output_file {
	char *path;
	char *tmp;
	FILE *f;
	/* after a failure: what failed ("create", "write", "rename") and on
	 * which file, for the message */
	const char *failed_step;
	char failed_file[4096];
};

/* Create a new file beside path (path.tmp.XXXXXX, O_EXCL, the umask's
 * permissions) and open it in of->f. Returns 0 or -errno; release with
 * output_file_close() either way. */
int output_file_open(struct output_file *of, const char *path);

/* Finish the file: flush, fsync, rename over the path and fsync its
 * directory; ok false, or a failure on the way: remove it. Returns 0 or
 * -errno (of->failed_step says which step). Frees of. */
int output_file_close(struct output_file *of, bool ok);

#endif
