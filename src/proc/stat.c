/* stat.c: parser for /proc/PID/stat. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/stat.h"

static const char *const mm_names[MM_NFIELDS] = {
	[MM_START_CODE] = "start_code",
	[MM_END_CODE] = "end_code",
	[MM_START_DATA] = "start_data",
	[MM_END_DATA] = "end_data",
	[MM_START_BRK] = "start_brk",
	[MM_BRK] = "brk",
	[MM_START_STACK] = "start_stack",
	[MM_ARG_START] = "arg_start",
	[MM_ARG_END] = "arg_end",
	[MM_ENV_START] = "env_start",
	[MM_ENV_END] = "env_end",
};

const char *stat_mm_field_name(enum stat_mm_field f)
{
	return f < MM_NFIELDS ? mm_names[f] : NULL;
}

/* Field number (proc(5) numbering) -> mm slot. */
static int mm_slot(int field)
{
	switch (field) {
	case 26: return MM_START_CODE;
	case 27: return MM_END_CODE;
	case 28: return MM_START_STACK;
	case 45: return MM_START_DATA;
	case 46: return MM_END_DATA;
	case 47: return MM_START_BRK;
	case 48: return MM_ARG_START;
	case 49: return MM_ARG_END;
	case 50: return MM_ENV_START;
	case 51: return MM_ENV_END;
	default: return -1;
	}
}

static int stat_parse_terminated(const char *text, size_t len, struct stat_info *out);

/* strtol() and friends stop at a NUL, not at len: parse a terminated copy
 * so a buffer that is not NUL-terminated is never read past its end. */
int stat_parse(const char *text, size_t len, struct stat_info *out)
{
	char *copy = malloc(len + 1);
	int rc;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	rc = stat_parse_terminated(copy, len, out);
	free(copy);
	return rc;
}

static int stat_parse_terminated(const char *text, size_t len, struct stat_info *out)
{
	const char *open, *close = NULL, *p, *end = text + len;
	unsigned long long v;
	size_t n;
	int field, mm_seen = 0;
	char *e;

	memset(out, 0, sizeof(*out));
	out->exit_code = -1;
	open = memchr(text, '(', len);
	if (!open)
		return -EINVAL;
	for (p = open; p < end; p++)
		if (*p == ')')
			close = p;
	if (!close)
		return -EINVAL;

	out->pid = (pid_t)strtol(text, &e, 10);
	if (e == text || out->pid <= 0)
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(out->comm))
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, open + 1, n);
	out->comm[n] = '\0';

	p = close + 1;
	if (p + 2 >= end || p[0] != ' ')
		return -EINVAL;
	out->state = p[1];
	p += 2;
	for (field = 4; p < end && *p == ' '; field++) {
		const char *s = ++p;
		bool neg = false;

		if (*s == '-') {
			neg = true;
			s++;
		}
		errno = 0;
		v = strtoull(s, &e, 10);
		if (e == s || errno || *s < '0' || *s > '9')
			return -EINVAL;
		/* the kernel prints these unsigned: a sign is a forgery, not
		 * a value to take without it */
		if (neg && (field == 4 || field == 9 || field == 20 || field == 22 ||
			    field == 23 || mm_slot(field) >= 0))
			return -EINVAL;
		p = e;
		switch (field) {
		case 4: out->ppid = (pid_t)v; break;
		case 9: out->flags = (unsigned int)v; break;
		case 20: out->num_threads = (long)v; break;
		case 22: out->starttime = v; break;
		case 23: out->vsize = v; break;
		case 24:
			if (v > INT64_MAX)
				return -EINVAL;
			out->rss_pages = neg ? -(int64_t)v : (int64_t)v;
			break;
		case 52: out->exit_code = (int)v; break;
		default:
			if (mm_slot(field) >= 0) {
				out->mm[mm_slot(field)] = v;
				mm_seen++;
			}
		}
	}
	if (p < end && *p != '\n')
		return -EINVAL;
	if (field <= 28)
		return -EINVAL;	/* every kernel prints at least 44 */

	if (mm_seen < 10) {
		out->mm_state = STAT_MM_MISSING;
	} else if (out->mm[MM_START_CODE] == 1 && out->mm[MM_END_CODE] == 1 &&
		   out->mm[MM_START_STACK] == 0) {
		/* do_task_stat() prints 1,1,0 and zeroes 45-51 for readers
		 * without ptrace access: these are not addresses. */
		out->mm_state = STAT_MM_MASKED;
	} else {
		int i;
		bool any = false;

		for (i = 0; i < MM_NFIELDS; i++)
			any |= out->mm[i] != 0;
		out->mm_state = any ? STAT_MM_VALID : STAT_MM_NONE;
	}
	return 0;
}

int stat_read_at(const struct proc_handle *h, const char *name, struct stat_info *out)
{
	struct buf b = { 0 };
	int rc = proc_read_file(h, name, &b);

	if (!rc)
		rc = b.len ? stat_parse(b.data, b.len, out) : -ESRCH;
	buf_release(&b);
	return rc;
}
