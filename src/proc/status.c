/* status.c: parser for /proc/PID/status. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/status.h"

static const struct {
	const char *key;
	const char *name;
} fields[STATUS_NFIELDS] = {
	[STATUS_VM_PEAK] = { "VmPeak", "vm_peak" },
	[STATUS_VM_SIZE] = { "VmSize", "vm_size" },
	[STATUS_VM_LCK] = { "VmLck", "vm_lck" },
	[STATUS_VM_PIN] = { "VmPin", "vm_pin" },
	[STATUS_VM_HWM] = { "VmHWM", "vm_hwm" },
	[STATUS_VM_RSS] = { "VmRSS", "vm_rss" },
	[STATUS_RSS_ANON] = { "RssAnon", "rss_anon" },
	[STATUS_RSS_FILE] = { "RssFile", "rss_file" },
	[STATUS_RSS_SHMEM] = { "RssShmem", "rss_shmem" },
	[STATUS_VM_DATA] = { "VmData", "vm_data" },
	[STATUS_VM_STK] = { "VmStk", "vm_stk" },
	[STATUS_VM_EXE] = { "VmExe", "vm_exe" },
	[STATUS_VM_LIB] = { "VmLib", "vm_lib" },
	[STATUS_VM_PTE] = { "VmPTE", "vm_pte" },
	[STATUS_VM_SWAP] = { "VmSwap", "vm_swap" },
};

const char *status_field_name(enum status_field f)
{
	return f < STATUS_NFIELDS ? fields[f].name : NULL;
}

const char *status_field_key(enum status_field f)
{
	return f < STATUS_NFIELDS ? fields[f].key : NULL;
}

static int parse_kb(const char *p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p >= '0' && *p <= '9') {
		unsigned int d = (unsigned int)(*p - '0');

		/* the value is multiplied by 1024 below: keep room for it */
		if (v > (UINT64_MAX / 1024 - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		p++;
		digits++;
	}
	if (!digits || end - p != 3 || memcmp(p, " kB", 3) != 0)
		return -EINVAL;
	*out = v * 1024;
	return 0;
}

/* The first decimal number in [p, end), bounded by end, not by a NUL. */
static int parse_uint(const char *p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		p++;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "Uid:\treal\teffective\tsaved\tfs": the first two */
static void parse_uids(const char *s, const char *end, struct status_info *out)
{
	uint64_t v[2];
	int i;

	for (i = 0; i < 2; i++) {
		const char *p;

		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		for (p = s; p < end && *p != ' ' && *p != '\t'; p++)
			;
		if (p == s || parse_uint(s, p, &v[i]) || v[i] >= UINT32_MAX)
			break;
		s = p;
	}
	if (i > 0) {
		out->uid = (uid_t)v[0];
		out->has_uid = true;
	}
	if (i > 1) {
		out->euid = (uid_t)v[1];
		out->has_euid = true;
	}
}

int status_parse(const char *text, size_t len, struct status_info *out)
{
	const char *s = text, *end = text + len;

	memset(out, 0, sizeof(*out));
	out->threads = -1;
	out->uid = (uid_t)-1;
	out->euid = (uid_t)-1;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *colon = memchr(s, ':', (size_t)(le - s));

		if (colon) {
			size_t klen = (size_t)(colon - s);
			int i;

			for (i = 0; i < STATUS_NFIELDS; i++) {
				if (strlen(fields[i].key) == klen &&
				    memcmp(fields[i].key, s, klen) == 0) {
					if (parse_kb(colon + 1, le, &out->v[i]))
						return -EINVAL;
					out->present |= 1u << i;
					break;
				}
			}
			if (klen == 7 && memcmp(s, "Threads", 7) == 0) {
				uint64_t v;

				if (parse_uint(colon + 1, le, &v) == 0)
					out->threads = (long)v;
			} else if (klen == 3 && memcmp(s, "Uid", 3) == 0) {
				parse_uids(colon + 1, le, out);
			}
		}
		s = le + 1;
	}
	return 0;
}

int limits_parse_stack(const char *text, size_t len, uint64_t *bytes)
{
	static const char key[] = "Max stack size";
	const char *s = text, *end = text + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;

		if ((size_t)(le - s) > sizeof(key) - 1 &&
		    memcmp(s, key, sizeof(key) - 1) == 0) {
			const char *p = s + sizeof(key) - 1;

			while (p < le && *p == ' ')
				p++;
			if (le - p >= 9 && memcmp(p, "unlimited", 9) == 0) {
				*bytes = UINT64_MAX;
				return 0;
			}
			return parse_uint(p, le, bytes);
		}
		s = le + 1;
	}
	return -ENOENT;
}
