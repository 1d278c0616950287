/* maps.h: the header line of /proc/PID/maps and /proc/PID/smaps.
 *
 *   <start>-<end> <perms> <offset> <major>:<minor> <inode> <pad><name>
 *
 * The kernel escapes only newline in names (as "\012") and appends
 * " (deleted)" to unlinked files; both are undone here.
 */
#ifndef VMMAP_PROC_MAPS_H
#define VMMAP_PROC_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	MAPS_READ	= 1 << 0,
	MAPS_WRITE	= 1 << 1,
	MAPS_EXEC	= 1 << 2,
	MAPS_SHARED	= 1 << 3,	/* 's': VM_MAYSHARE */
};

/* The longest line of maps or smaps taken: the kernel writes a path of at
 * most PATH_MAX bytes, escaping only '\n' (4 bytes each), after 73 bytes of
 * fields. A longer line is malformed, so a hostile capture of one endless
 * line is not held in memory. */
#define MAPS_LINE_MAX	(64 * 1024)

/* What the name column says, before any classification. */
enum maps_name_kind {
	MAPS_NAME_NONE = 0,	/* anonymous, no name */
	MAPS_NAME_PATH,		/* a file path ("/usr/lib/...") */
	MAPS_NAME_HEAP,		/* [heap] */
	MAPS_NAME_STACK,	/* [stack] */
	MAPS_NAME_VDSO,		/* [vdso] */
	MAPS_NAME_VVAR,		/* [vvar], [vvar_vclock] */
	MAPS_NAME_VSYSCALL,	/* [vsyscall] */
	MAPS_NAME_ANON,		/* [anon:NAME] (prctl PR_SET_VMA_ANON_NAME) */
	MAPS_NAME_ANON_SHMEM,	/* [anon_shmem:NAME] */
	MAPS_NAME_MEMFD,	/* /memfd:NAME */
	MAPS_NAME_SYSV,		/* /SYSV%08x: SysV shared memory */
	MAPS_NAME_DEV_ZERO,	/* /dev/zero (deleted): shared anonymous memory */
	MAPS_NAME_HUGEPAGE,	/* /anon_hugepage: MAP_HUGETLB anonymous */
	MAPS_NAME_SECRETMEM,	/* /secretmem */
	MAPS_NAME_ANON_INODE,	/* anon_inode:[...] */
	MAPS_NAME_PSEUDO,	/* other names without '/': socket:[..], pipe:[..] */
	MAPS_NAME_SPECIAL,	/* other [bracketed] kernel names: [uprobes], [sigpage] */
};

struct maps_entry {
	uint64_t start;
	uint64_t end;		/* exclusive */
	uint64_t offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	unsigned int perms;	/* MAPS_* bits */
	enum maps_name_kind name_kind;
	bool deleted;		/* " (deleted)" was stripped from name */
	const char *name;	/* decoded, NUL-terminated; "" when none */
	size_t name_len;
};

/* Parse one header line (without or with its trailing '\n'; len excludes
 * any NUL). The decoded name is written to namebuf (namebuf_size bytes,
 * which must be at least len + 1) and e->name points into it.
 * Returns 0, or -EINVAL when the line is not a maps header. */
int maps_parse_line(const char *line, size_t len, struct maps_entry *e,
		    char *namebuf, size_t namebuf_size);

typedef int (*maps_entry_cb)(void *ctx, const struct maps_entry *e);

/* Parse a whole maps text, one callback per line (a last line without
 * '\n' included); e->name is valid only during the callback. Returns 0, a
 * non-zero callback return, -EINVAL on a malformed line (*bad_line, which
 * may be NULL, says which, from 1) or -ENOMEM. */
int maps_parse(const char *text, size_t len, maps_entry_cb cb, void *ctx,
	       unsigned long *bad_line);

struct proc_handle;

/* Read PID's maps through h and parse it as maps_parse() does, a piece at a
 * time. Returns 0, -errno from open/read (ESRCH when the process went
 * away), or what maps_parse() returns, with *bad_line (may be NULL) set. */
int maps_read(const struct proc_handle *h, maps_entry_cb cb, void *ctx,
	      unsigned long *bad_line);

/* True when line looks like a maps header rather than an smaps "Key:" line:
 * maps lines start with a lowercase hex digit, smaps keys with a capital. */
static inline bool maps_is_header(const char *line, size_t len)
{
	return len > 0 && ((line[0] >= '0' && line[0] <= '9') ||
			   (line[0] >= 'a' && line[0] <= 'f'));
}

/* "rwxp" style rendering of MAPS_* bits into out (5 bytes). */
void maps_perms_string(unsigned int perms, char out[5]);

/* Classify a decoded name (used by maps_parse_line; exported for tests). */
enum maps_name_kind maps_name_classify(const char *name, size_t len);

#endif
