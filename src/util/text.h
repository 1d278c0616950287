/* text.h: text every layer writes or reads the same way: the message of
 * an error code, and numbers in the C locale.
 *
 * Library-free: needs only libc.
 */
#ifndef VMMAP_UTIL_TEXT_H
#define VMMAP_UTIL_TEXT_H

#include <stddef.h>

/* Errors of our own, above the kernel's errno range, returned negated like
 * an errno by the readers (proc/procfs.h) and named by errno_text(). */
enum {
	PROC_ENOTREG = 4200,	/* not a regular file: a FIFO, device, socket, directory */
	PROC_EOUTSIDE,		/* a symlink or ".." leads outside the capture */
};

/* strerror(-err) as messages print it: lowercase first letter
 * ("permission denied"); err may be negative or positive. Returns a static
 * or thread-local string, valid until the thread's next call. */
const char *errno_text(int err);

/* Parse a non-negative decimal number, "12" or "0.5" or ".5", exactly len
 * bytes of text: option values and /proc text are written with a '.'
 * whatever the locale says (strtod would take "0,5" under de_DE and refuse
 * "0.5"). No sign, exponent, "inf" or "nan". Returns 0 with *out set, or
 * -EINVAL. */
int parse_decimal(const char *text, size_t len, double *out);

#endif
