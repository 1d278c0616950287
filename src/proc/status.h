/* status.h: the memory lines of /proc/PID/status, and the few other lines
 * vmmap shows (Name, Threads, Uid). */
#ifndef VMMAP_PROC_STATUS_H
#define VMMAP_PROC_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Memory lines, in the order JSON prints them. Values in bytes. */
enum status_field {
	STATUS_VM_PEAK = 0,
	STATUS_VM_SIZE,
	STATUS_VM_LCK,
	STATUS_VM_PIN,
	STATUS_VM_HWM,
	STATUS_VM_RSS,
	STATUS_RSS_ANON,
	STATUS_RSS_FILE,
	STATUS_RSS_SHMEM,
	STATUS_VM_DATA,
	STATUS_VM_STK,
	STATUS_VM_EXE,
	STATUS_VM_LIB,
	STATUS_VM_PTE,
	STATUS_VM_SWAP,
	STATUS_NFIELDS
};

struct status_info {
	uint64_t v[STATUS_NFIELDS];
	uint32_t present;	/* bit per field */
	long threads;		/* -1 when absent */
	uid_t uid;		/* real uid; (uid_t)-1 when absent */
	bool has_uid;
	uid_t euid;		/* effective uid; (uid_t)-1 when absent */
	bool has_euid;
};

/* Parse status text. Unknown lines are ignored. Returns 0 or -EINVAL when a
 * known memory line is malformed. */
int status_parse(const char *text, size_t len, struct status_info *out);

/* Key as JSON spells it ("vm_rss") and as the kernel does ("VmRSS"). */
const char *status_field_name(enum status_field f);
const char *status_field_key(enum status_field f);

static inline bool status_has(const struct status_info *s, enum status_field f)
{
	return (s->present >> f) & 1;
}

#endif

/* /proc/PID/limits: the soft RLIMIT_STACK ("Max stack size"). Returns 0 with
 * *bytes set (UINT64_MAX for "unlimited"), -ENOENT when the line is missing,
 * -EINVAL when it is malformed. */
int limits_parse_stack(const char *text, size_t len, uint64_t *bytes);
