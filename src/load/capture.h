/* capture.h: a copy of what vmmap reads of a live process (vmmap
 * --capture DIR PID), which `vmmap --sysroot DIR PID` replays: a bug
 * report's data, taken by the user's own command.
 *
 * DIR/proc/PID/ holds smaps, smaps_rollup, maps, stat, status, cmdline,
 * comm, limits, numa_maps (when the kernel has one), exe (a text file
 * holding the link's target: archives keep that, while a symlink to an
 * absolute path would be followed and lost) and task/TID/{stat,comm,
 * syscall}; DIR/proc/cpuinfo holds the first "flags" line; and every ELF
 * file mapped executable has a skeleton (elf/skeleton.h) at DIR/<its
 * path>. No other file contents are copied.
 *
 * DIR is created (or must be an empty directory, not a symlink); every
 * file and directory under it is created by the capture, with O_EXCL and
 * O_NOFOLLOW, so nothing planted in DIR is followed or overwritten. The
 * target's files are read through proc/procfs.h and proc/mapfile.h.
 * Nothing here prints.
 */
#ifndef VMMAP_LOAD_CAPTURE_H
#define VMMAP_LOAD_CAPTURE_H

#include <stddef.h>
#include <sys/types.h>

#include "proc/procfs.h"

/* What a capture wrote, and what it left out. */
struct capture_report {
	size_t files;		/* files written under DIR/proc */
	size_t images;		/* ELF skeletons written */
	char **warnings;	/* a file it could not read or write, and why */
	size_t nwarnings;
	size_t warnings_cap;
};

/* Capture process pid of src (which must be live) into dir. Files that
 * cannot be read (a thread that ended, a file the kernel refuses) are left
 * out with a warning in *rep. Returns 0, or -errno with a reason in why
 * (whylen bytes): dir exists and is not an empty directory (-ENOTEMPTY,
 * -ENOTDIR, -ELOOP for a symlink), there is no such process (-ESRCH), its maps or smaps cannot be read (a capture without them
 * replays nothing), or writing failed. *rep holds what was done either
 * way; release it with capture_report_release(). */
int capture_process(const struct proc_source *src, pid_t pid, const char *dir,
		    struct capture_report *rep, char *why, size_t whylen);

void capture_report_release(struct capture_report *rep);

#endif
