/* stat.h: /proc/PID/stat and /proc/PID/task/TID/stat.
 *
 * Field 2 is "(comm)" printed raw, so it may hold spaces and ')': the line is
 * split at the last ')'. Field numbers below are the proc(5) ones.
 */
#ifndef VMMAP_PROC_STAT_H
#define VMMAP_PROC_STAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc/procfs.h"

#define PF_KTHREAD_FLAG 0x00200000u	/* stat field 9: I am a kernel thread */

/* mm_struct boundaries, in the order JSON prints them. */
enum stat_mm_field {
	MM_START_CODE = 0,	/* field 26 */
	MM_END_CODE,		/* 27 */
	MM_START_DATA,		/* 45 */
	MM_END_DATA,		/* 46 */
	MM_START_BRK,		/* 47 */
	MM_BRK,			/* not in stat: end of [heap], filled in later */
	MM_START_STACK,		/* 28 */
	MM_ARG_START,		/* 48 */
	MM_ARG_END,		/* 49 */
	MM_ENV_START,		/* 50 */
	MM_ENV_END,		/* 51 */
	MM_NFIELDS
};

enum stat_mm_state {
	STAT_MM_VALID = 0,	/* boundaries are real */
	STAT_MM_MASKED,		/* reader lacks ptrace access: kernel printed 1,1,0... */
	STAT_MM_NONE,		/* no mm: kernel thread or exited task (all zero) */
	STAT_MM_MISSING,	/* old kernel: fields 45-51 absent */
};

struct stat_info {
	pid_t pid;
	char comm[80];		/* up to 64 bytes by the kernel; raw */
	char state;
	pid_t ppid;
	unsigned int flags;		/* field 9 */
	long num_threads;		/* field 20 */
	unsigned long long starttime;	/* field 22, clock ticks after boot */
	uint64_t vsize;			/* field 23, bytes */
	int64_t rss_pages;		/* field 24 */
	uint64_t mm[MM_NFIELDS];
	enum stat_mm_state mm_state;
	int exit_code;			/* field 52, -1 when absent */
};

/* Parse the text of a stat file. Returns 0 or -EINVAL. */
int stat_parse(const char *text, size_t len, struct stat_info *out);

/* Read and parse "stat" (or "task/TID/stat") of the process h. */
int stat_read_at(const struct proc_handle *h, const char *name, struct stat_info *out);

/* Name of an mm field as JSON spells it ("start_code"). */
const char *stat_mm_field_name(enum stat_mm_field f);

#endif
