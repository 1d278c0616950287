/* mapfile.h: opening the file behind a mapping, safely.
 *
 * The path in maps is only text, and a hostile target controls what that
 * text resolves to in its mount namespace (a symlink, a FIFO, a device). So
 * a candidate is first opened with O_PATH (which never opens a device or
 * blocks on a FIFO), must be a regular file with the dev:inode of the maps
 * line, and only then is reopened for reading, non-blocking.
 *
 * Live, the candidates are /proc/PID/map_files/START-END (the very file,
 * even deleted or replaced; needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE),
 * then PATH resolved inside the target's root (/proc/PID/root) with symlinks
 * kept inside it. Under --sysroot, PATH is resolved inside the sysroot and
 * the dev:inode check is skipped (captured files are copies).
 */
#ifndef VMMAP_PROC_MAPFILE_H
#define VMMAP_PROC_MAPFILE_H

#include <stdint.h>

#include "proc/procfs.h"

struct mapped_file_id {
	uint64_t start;		/* the VMA, for map_files/ */
	uint64_t end;
	const char *path;	/* decoded maps path */
	uint32_t dev_major;
	uint32_t dev_minor;
	uint64_t inode;
};

enum mapfile_method {
	MAPFILE_MAP_FILES = 1,
	MAPFILE_ROOT_PATH,
	MAPFILE_SYSROOT,
};

/* Open the mapped file read-only. Returns an fd (caller closes) and sets
 * *method, or -errno: -ESTALE when the path names another file than the
 * mapped one (dev:inode differ), -PROC_ENOTREG when it is not a regular
 * file, and -ENOENT/-EACCES/... as the kernel says for the last candidate tried. */
int mapfile_open(const struct proc_source *src, const struct proc_handle *h,
		 const struct mapped_file_id *id, enum mapfile_method *method);

#endif
