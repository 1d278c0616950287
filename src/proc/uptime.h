/* uptime.h: /proc/uptime, the seconds since boot, which with a process's
 * stat starttime (clock ticks after boot) gives how long it has run. */
#ifndef VMMAP_PROC_UPTIME_H
#define VMMAP_PROC_UPTIME_H

#include <stddef.h>

#include "proc/procfs.h"

/* Parse the text of /proc/uptime ("12345.67 54321.00\n"): the first number
 * is the time since boot in seconds. Returns 0 with *seconds set, or
 * -EINVAL when the text does not start with a non-negative number. */
int uptime_parse(const char *text, size_t len, double *seconds);

/* Read and parse the uptime file under src's proc root.
 * Returns 0 or -errno (-EINVAL when it is malformed). */
int uptime_read(const struct proc_source *src, double *seconds);

/* How long a process has run: uptime minus its start time, which stat
 * gives in clock ticks after boot. Never negative. */
double uptime_process_age(double uptime, unsigned long long starttime);

#endif
